/**
 * Time buckets for analytics: hour, day or week starts in a fixed UTC offset (the supervisor's local
 * time, `tzOffsetMin` minutes east of UTC; whole-offset only, no DST rules), as epoch ms.
 */
import type { AnalyticsInterval } from '../protocol/analytics.ts';

export type { AnalyticsInterval };

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

/** Start (epoch ms) of the bucket holding `ms`. Weeks start on Monday. */
export function bucketStart(ms: number, interval: AnalyticsInterval, tzOffsetMin = 0): number {
  const shift = tzOffsetMin * 60_000;
  const local = ms + shift;
  if (interval === 'hour') return Math.floor(local / HOUR_MS) * HOUR_MS - shift;
  const day = Math.floor(local / DAY_MS) * DAY_MS;
  if (interval === 'day') return day - shift;
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0
  return day - weekday * DAY_MS - shift;
}

/** Every bucket start from the one holding `fromMs` up to (not including) `toMs`. */
export function bucketStarts(fromMs: number, toMs: number, interval: AnalyticsInterval, tzOffsetMin = 0): number[] {
  const step = interval === 'hour' ? HOUR_MS : interval === 'day' ? DAY_MS : 7 * DAY_MS;
  const out: number[] = [];
  for (let t = bucketStart(fromMs, interval, tzOffsetMin); t < toMs; t += step) out.push(t);
  return out;
}

/** Local hour of day 0..23 and weekday 0..6 (Monday 0). */
export function localHourAndWeekday(ms: number, tzOffsetMin = 0): { hour: number; weekday: number } {
  const d = new Date(ms + tzOffsetMin * 60_000);
  return { hour: d.getUTCHours(), weekday: (d.getUTCDay() + 6) % 7 };
}

/** Minutes since local midnight. */
export function localMinuteOfDay(ms: number, tzOffsetMin = 0): number {
  const local = ms + tzOffsetMin * 60_000;
  return Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
}
