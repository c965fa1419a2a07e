/**
 * `emotion eval`: scores the text emotion model on a GoEmotions-format TSV in that file's own label
 * set (labels.txt beside it: original, ekman or group). The model's 28 GoEmotions classes are summed
 * into the file's labels by the paper's grouping. A row with several gold labels counts as correct
 * when the prediction is any of them; otherwise it is a false positive for the prediction and a false
 * negative for each gold label (classification-metrics.ts).
 */
import { timedPredictions, type PredictionTimings } from '../../../inference/text/timed-predictions.ts';
import { classificationReport, round, type LabelScores } from '../../../inference/text/classification-metrics.ts';
import { decide } from '../../../inference/text/decision-biases.ts';
import type { EmotionLabelSet, EmotionTextModel } from './emotion-text-model.ts';
import { EKMAN_GROUPS, GOEMOTIONS_LABELS, groupingFor, groupScores, SENTIMENT_GROUPS, type EmotionRow } from './goemotions.ts';

export interface EmotionEvalReport extends PredictionTimings {
  model: string;
  labelSet: EmotionLabelSet;
  n: number;
  accuracy: number;
  macroF1: number;
  perLabelF1: Record<string, number>;
  perLabel: Record<string, LabelScores>;
}

export function labelSetOf(labels: string[]): Exclude<EmotionLabelSet, 'agent'> {
  const grouping = groupingFor(labels);
  if (grouping === EKMAN_GROUPS) return 'ekman';
  if (grouping === SENTIMENT_GROUPS) return 'group';
  return 'original';
}

/** Predicted labels of the eval label set from fine-label probabilities. */
export function decideLabels(fineProbs: Float32Array[], fineLabels: string[], evalLabels: string[], biases: Record<string, number> | undefined): string[] {
  const grouping = groupingFor(evalLabels);
  return fineProbs.map((p) => decide(groupScores(p, fineLabels, grouping), biases));
}

export async function evaluateEmotionModel(model: EmotionTextModel, rows: EmotionRow[], evalLabels: string[], options: { latencyRuns?: number } = {}): Promise<EmotionEvalReport> {
  if (rows.length === 0) throw new Error('no rows to evaluate');
  if (model.fineLabels.length !== GOEMOTIONS_LABELS.length) throw new Error(`${model.dir}: not a GoEmotions-label model`);
  const labelSet = labelSetOf(evalLabels);
  const { results: probs, latencyMs, throughput } = await timedPredictions(
    rows.map((r) => r.text),
    (texts) => model.predictFine(texts),
    (text) => model.predict([text]),
    options.latencyRuns,
  );
  const predicted = decideLabels(probs, model.fineLabels, evalLabels, model.meta.decisionBiases[labelSet]);
  const report = classificationReport(predicted, rows.map((r) => r.labels), evalLabels);
  return {
    model: model.version,
    labelSet,
    n: rows.length,
    accuracy: round(report.accuracy),
    macroF1: round(report.macroF1),
    perLabelF1: Object.fromEntries(Object.entries(report.perLabel).map(([l, s]) => [l, round(s.f1)])),
    perLabel: Object.fromEntries(Object.entries(report.perLabel).map(([l, s]) => [l, { precision: round(s.precision), recall: round(s.recall), f1: round(s.f1), support: s.support }])),
    latencyMs,
    throughput,
  };
}
