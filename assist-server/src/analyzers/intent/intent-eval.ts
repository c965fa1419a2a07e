/**
 * `intent eval`: scores a trained intent model on labelled utterances. Accuracy counts in-scope
 * utterances given their intent (an utterance judged out of scope is wrong); out-of-scope recall is
 * the share of `oos` utterances judged out of scope. Latency: one utterance per call (batch 1), and
 * throughput in batches of 64, as the live path will micro-batch.
 */
import { performance } from 'node:perf_hooks';
import { classificationReport, percentile, round } from '../../inference/text/classification-metrics.ts';
import type { IntentModel, IntentPrediction } from './intent-model.ts';
import { OOS_LABEL, type Utterance } from './intent-pack.ts';

export interface IntentScores {
  n: number;
  /** In-scope utterances given their intent (null: none in the data). */
  accuracy: number | null;
  /** `oos` utterances judged out of scope (null: none in the data). */
  oosRecall: number | null;
}

export interface IntentEvalReport extends IntentScores {
  model: string;
  macroF1: number;
  /** Of the utterances judged out of scope, the share that are `oos` (null: no oos rows). */
  oosPrecision: number | null;
  latencyMs: { batch1: { p50: number; p95: number; runs: number } };
  throughput: { batch64UtterancesPerSecond: number };
  bySource?: Record<string, IntentScores>;
}

export function scoreIntents(predictions: IntentPrediction[], gold: Utterance[]): IntentScores {
  const inScope = gold.map((_, i) => i).filter((i) => gold[i]!.label !== OOS_LABEL);
  const oos = gold.map((_, i) => i).filter((i) => gold[i]!.label === OOS_LABEL);
  return {
    n: gold.length,
    accuracy: inScope.length ? round(inScope.filter((i) => predictions[i]!.label === gold[i]!.label).length / inScope.length) : null,
    oosRecall: oos.length ? round(oos.filter((i) => predictions[i]!.outOfScope).length / oos.length) : null,
  };
}

export async function evaluateIntentModel(model: IntentModel, data: Utterance[], options: { latencyRuns?: number } = {}): Promise<IntentEvalReport> {
  if (data.length === 0) throw new Error('no utterances to evaluate');
  const texts = data.map((u) => u.text);
  await model.predict(texts.slice(0, 64)); // warm-up
  const started = performance.now();
  const predictions: IntentPrediction[] = [];
  for (let i = 0; i < texts.length; i += 64) predictions.push(...(await model.predict(texts.slice(i, i + 64))));
  const seconds = (performance.now() - started) / 1000;

  const runs = Math.min(texts.length, options.latencyRuns ?? 500);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await model.predict([texts[i]!]);
    times.push(performance.now() - t);
  }

  const hasOos = data.some((u) => u.label === OOS_LABEL);
  const judgedOos = predictions.map((_, i) => i).filter((i) => predictions[i]!.outOfScope);
  const sources = [...new Set(data.map((u) => u.source ?? ''))];
  const report: IntentEvalReport = {
    model: model.version,
    ...scoreIntents(predictions, data),
    macroF1: round(classificationReport(predictions.map((p) => p.label), data.map((u) => [u.label])).macroF1),
    oosPrecision: hasOos ? round(judgedOos.length ? judgedOos.filter((i) => data[i]!.label === OOS_LABEL).length / judgedOos.length : 0) : null,
    latencyMs: { batch1: { p50: round(percentile(times, 0.5), 3), p95: round(percentile(times, 0.95), 3), runs } },
    throughput: { batch64UtterancesPerSecond: Math.round(texts.length / seconds) },
  };
  if (sources.length > 1) {
    report.bySource = Object.fromEntries(
      sources.map((s) => {
        const idx = data.map((_, i) => i).filter((i) => (data[i]!.source ?? '') === s);
        return [s, scoreIntents(idx.map((i) => predictions[i]!), idx.map((i) => data[i]!))];
      }),
    );
  }
  return report;
}
