/**
 * Demand heat: how often each customer intent came up, by local hour of day (the heat table) and by
 * interval (the trend), and which topics are rising against the previous period of the same length.
 * A call counts once for each distinct final intent label it had (intents_json; primary_intent when
 * that list is empty); calls with neither count as 'unknown'.
 */
import type { CallMetrics } from '../store/call-metrics-store.ts';
import type { DemandHeat } from '../protocol/analytics.ts';
import { bucketStart, bucketStarts, localHourAndWeekday, type AnalyticsInterval } from './intervals.ts';

export type { DemandHeat };

export interface DemandOptions {
  fromMs: number;
  toMs: number;
  interval: AnalyticsInterval;
  tzOffsetMin?: number;
  /** A topic must have at least this many calls in the period to be called rising (default 3). */
  minRisingCount?: number;
  /** …and grow by at least this factor (default 1.5). */
  minGrowth?: number;
}

export function callIntents(m: Pick<CallMetrics, 'intents' | 'primaryIntent'>): string[] {
  const labels = m.intents.length > 0 ? m.intents : m.primaryIntent ? [m.primaryIntent] : ['unknown'];
  return [...new Set(labels)];
}

/** `current`: calls started in [fromMs, toMs); `previous`: calls of the period just before it. */
export function demandHeat(current: readonly CallMetrics[], previous: readonly CallMetrics[], options: DemandOptions): DemandHeat {
  const tz = options.tzOffsetMin ?? 0;
  const counts = new Map<string, number>();
  const previousCounts = new Map<string, number>();
  const byHour: Record<string, number[]> = {};
  const starts = bucketStarts(options.fromMs, options.toMs, options.interval, tz);
  const buckets = new Map(starts.map((s) => [s, { startMs: s, total: 0, counts: {} as Record<string, number> }]));
  for (const m of current) {
    const bucket = buckets.get(bucketStart(m.startedAtMs, options.interval, tz));
    if (bucket) bucket.total++;
    const { hour } = localHourAndWeekday(m.startedAtMs, tz);
    for (const intent of callIntents(m)) {
      counts.set(intent, (counts.get(intent) ?? 0) + 1);
      (byHour[intent] ??= new Array<number>(24).fill(0))[hour]!++;
      if (bucket) bucket.counts[intent] = (bucket.counts[intent] ?? 0) + 1;
    }
  }
  for (const m of previous) for (const intent of callIntents(m)) previousCounts.set(intent, (previousCounts.get(intent) ?? 0) + 1);

  const intents = [...counts]
    .map(([intent, count]) => ({ intent, count, previousCount: previousCounts.get(intent) ?? 0 }))
    .sort((a, b) => b.count - a.count || a.intent.localeCompare(b.intent));
  const minCount = options.minRisingCount ?? 3;
  const minGrowth = options.minGrowth ?? 1.5;
  const rising = intents
    .map((i) => ({ ...i, growth: (i.count + 1) / (i.previousCount + 1) }))
    .filter((i) => i.count >= minCount && i.growth >= minGrowth)
    .sort((a, b) => b.growth - a.growth || b.count - a.count || a.intent.localeCompare(b.intent));
  return { fromMs: options.fromMs, toMs: options.toMs, interval: options.interval, calls: current.length, intents, byHour, buckets: [...buckets.values()], rising };
}
