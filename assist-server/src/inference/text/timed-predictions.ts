/**
 * How `intent eval` and `emotion eval` time a model: every text predicted in batches of 64 (after a
 * warm-up batch) for throughput, then up to `latencyRuns` texts one at a time for batch-1 latency.
 */
import { percentile, round } from './classification-metrics.ts';

export const EVAL_BATCH = 64;

export interface PredictionTimings {
  latencyMs: { batch1: { p50: number; p95: number; runs: number } };
  throughput: { batch64UtterancesPerSecond: number };
}

export async function timedPredictions<T>(
  texts: string[],
  predictBatch: (texts: string[]) => Promise<T[]>,
  predictOne: (text: string) => Promise<unknown>,
  latencyRuns = 500,
): Promise<{ results: T[] } & PredictionTimings> {
  await predictBatch(texts.slice(0, EVAL_BATCH)); // warm-up
  const started = performance.now();
  const results: T[] = [];
  for (let i = 0; i < texts.length; i += EVAL_BATCH) results.push(...(await predictBatch(texts.slice(i, i + EVAL_BATCH))));
  const seconds = (performance.now() - started) / 1000;
  const runs = Math.min(texts.length, latencyRuns);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await predictOne(texts[i]!);
    times.push(performance.now() - t);
  }
  return {
    results,
    latencyMs: { batch1: { p50: round(percentile(times, 0.5), 3), p95: round(percentile(times, 0.95), 3), runs } },
    throughput: { batch64UtterancesPerSecond: Math.round(texts.length / seconds) },
  };
}
