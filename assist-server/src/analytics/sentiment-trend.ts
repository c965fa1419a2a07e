/**
 * Sentiment trend: per interval, the mean customer sentiment at the start and at the end of calls
 * (-1..1, from call_metrics) and the mean change; calls without both values are left out of the means.
 */
import type { SentimentBucket } from '../protocol/analytics.ts';
import type { CallMetrics } from '../store/call-metrics-store.ts';
import { bucketStart, bucketStarts, type AnalyticsInterval } from './intervals.ts';

export type { SentimentBucket };

export function sentimentTrend(calls: readonly CallMetrics[], options: { fromMs: number; toMs: number; interval: AnalyticsInterval; tzOffsetMin?: number }): SentimentBucket[] {
  const tz = options.tzOffsetMin ?? 0;
  const acc = new Map(bucketStarts(options.fromMs, options.toMs, options.interval, tz).map((s) => [s, { calls: 0, n: 0, start: 0, end: 0, improved: 0 }]));
  for (const m of calls) {
    const a = acc.get(bucketStart(m.startedAtMs, options.interval, tz));
    if (!a) continue;
    a.calls++;
    if (m.sentimentStart === null || m.sentimentEnd === null) continue;
    a.n++;
    a.start += m.sentimentStart;
    a.end += m.sentimentEnd;
    if (m.sentimentEnd > m.sentimentStart) a.improved++;
  }
  return [...acc].map(([startMs, a]) => ({
    startMs,
    calls: a.calls,
    scored: a.n,
    meanStart: a.n ? a.start / a.n : null,
    meanEnd: a.n ? a.end / a.n : null,
    meanChange: a.n ? (a.end - a.start) / a.n : null,
    improvedShare: a.n ? a.improved / a.n : null,
  }));
}
