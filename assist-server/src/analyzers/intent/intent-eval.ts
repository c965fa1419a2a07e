/**
 * `intent eval`: scores a trained intent model on labelled utterances. Accuracy counts in-scope
 * utterances given their intent (an utterance judged out of scope is wrong); out-of-scope recall is
 * the share of `oos` utterances judged out of scope. Latency: one utterance per call (batch 1), and
 * throughput in batches of 64, as the live path will micro-batch.
 */
import { timedPredictions, type PredictionTimings } from '../../inference/text/timed-predictions.ts';
import { classificationReport, round } from '../../inference/text/classification-metrics.ts';
import type { IntentModel, IntentPrediction } from './intent-model.ts';
import { OOS_LABEL, type Utterance } from './intent-pack.ts';

export interface IntentScores {
  n: number;
  /** In-scope utterances given their intent (null: none in the data). */
  accuracy: number | null;
  /** `oos` utterances judged out of scope (null: none in the data). */
  oosRecall: number | null;
}

export interface IntentEvalReport extends IntentScores, PredictionTimings {
  model: string;
  macroF1: number;
  /** Of the utterances judged out of scope, the share that are `oos` (null: no oos rows). */
  oosPrecision: number | null;
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
  const { results: predictions, latencyMs, throughput } = await timedPredictions(
    data.map((u) => u.text),
    (texts) => model.predict(texts),
    (text) => model.predict([text]),
    options.latencyRuns,
  );

  const hasOos = data.some((u) => u.label === OOS_LABEL);
  const judgedOos = predictions.map((_, i) => i).filter((i) => predictions[i]!.outOfScope);
  const sources = [...new Set(data.map((u) => u.source ?? ''))];
  const report: IntentEvalReport = {
    model: model.version,
    ...scoreIntents(predictions, data),
    macroF1: round(classificationReport(predictions.map((p) => p.label), data.map((u) => [u.label])).macroF1),
    oosPrecision: hasOos ? round(judgedOos.length ? judgedOos.filter((i) => data[i]!.label === OOS_LABEL).length / judgedOos.length : 0) : null,
    latencyMs,
    throughput,
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
