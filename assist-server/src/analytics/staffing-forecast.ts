/**
 * Staffing forecast: for each slot of the day (intervalMin long, local time), the calls that arrive in
 * it on an average day of the history (count in the slot over the range ÷ days in the range, or ÷ the
 * number of that weekday when one is asked for) and their mean handle time, then Erlang C's fewest
 * agents for the service-level target. Slots with no history need nobody.
 */
import type { StaffingForecast, StaffingSlot } from '../protocol/analytics.ts';
import type { CallMetrics } from '../store/call-metrics-store.ts';
import { agentsNeeded, type StaffingTarget } from './erlang-c.ts';
import { localHourAndWeekday, localMinuteOfDay } from './intervals.ts';

export type { StaffingForecast, StaffingSlot };

const DAY_MS = 24 * 3600_000;

export interface StaffingOptions extends StaffingTarget {
  fromMs: number;
  toMs: number;
  /** Slot length in minutes: 15, 30 or 60. */
  intervalMin: number;
  tzOffsetMin?: number;
  /** Only this local weekday's history (0 = Monday … 6 = Sunday). */
  weekday?: number | undefined;
}

/** Whole local days (or that weekday's days) in [fromMs, toMs). */
export function daysInRange(fromMs: number, toMs: number, tzOffsetMin = 0, weekday?: number): number {
  let n = 0;
  for (let t = fromMs; t < toMs; t += DAY_MS) if (weekday === undefined || localHourAndWeekday(t, tzOffsetMin).weekday === weekday) n++;
  return n;
}

export function staffingForecast(calls: readonly CallMetrics[], options: StaffingOptions): StaffingForecast {
  const tz = options.tzOffsetMin ?? 0;
  const slotCount = Math.round((24 * 60) / options.intervalMin);
  const count = new Array<number>(slotCount).fill(0);
  const handle = new Array<number>(slotCount).fill(0);
  for (const m of calls) {
    if (m.startedAtMs < options.fromMs || m.startedAtMs >= options.toMs) continue;
    if (options.weekday !== undefined && localHourAndWeekday(m.startedAtMs, tz).weekday !== options.weekday) continue;
    const slot = Math.floor(localMinuteOfDay(m.startedAtMs, tz) / options.intervalMin);
    count[slot]!++;
    handle[slot]! += m.handleMs;
  }
  const days = Math.max(1, daysInRange(options.fromMs, options.toMs, tz, options.weekday));
  const slots = count.map((n, i): StaffingSlot => {
    const callsPerInterval = n / days;
    const ahtSec = n ? handle[i]! / n / 1000 : 0;
    const r = agentsNeeded(callsPerInterval, options.intervalMin * 60, ahtSec, options);
    return {
      slotStartMin: i * options.intervalMin,
      historyCalls: n,
      callsPerInterval,
      ahtSec,
      erlangs: r.erlangs,
      agents: r.agents,
      scheduledAgents: r.scheduledAgents,
      serviceLevel: r.serviceLevel,
      asaSec: r.asaSec,
      occupancy: r.occupancy,
    };
  });
  return { days, slots, peakAgents: Math.max(0, ...slots.map((s) => s.scheduledAgents)) };
}
