/**
 * Scores for text classifiers: accuracy, per-label and macro F1, latency percentiles.
 * A prediction is one label; a gold entry may hold several labels (multi-label data): the prediction
 * is correct when it is any of them; otherwise it is a false positive for the predicted label and a
 * false negative for every gold label.
 */
export interface LabelScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  n: number;
  accuracy: number;
  macroF1: number;
  perLabel: Record<string, LabelScores>;
}

/** Scores `predicted[i]` against `gold[i]`; `labels` fixes which labels the macro average spans (default: every gold label seen). */
export function classificationReport(predicted: string[], gold: string[][], labels?: string[]): ClassificationReport {
  if (predicted.length !== gold.length) throw new Error(`${predicted.length} predictions for ${gold.length} gold rows`);
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  const support = new Map<string, number>();
  const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  let correct = 0;
  predicted.forEach((p, i) => {
    const g = gold[i]!;
    for (const l of g) inc(support, l);
    if (g.includes(p)) {
      correct++;
      inc(tp, p);
    } else {
      inc(fp, p);
      for (const l of g) inc(fn, l);
    }
  });
  const span = labels ?? [...support.keys()].sort();
  const perLabel: Record<string, LabelScores> = {};
  for (const l of span) {
    const t = tp.get(l) ?? 0;
    const fpos = fp.get(l) ?? 0;
    const fneg = fn.get(l) ?? 0;
    perLabel[l] = {
      precision: t + fpos ? t / (t + fpos) : 0,
      recall: t + fneg ? t / (t + fneg) : 0,
      f1: 2 * t + fpos + fneg ? (2 * t) / (2 * t + fpos + fneg) : 0,
      support: support.get(l) ?? 0,
    };
  }
  const f1s = Object.values(perLabel).map((s) => s.f1);
  return { n: predicted.length, accuracy: predicted.length ? correct / predicted.length : 0, macroF1: f1s.length ? f1s.reduce((a, b) => a + b, 0) / f1s.length : 0, perLabel };
}

/** The q-quantile (0..1) of values, nearest-rank. */
export function percentile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export const round = (x: number, digits = 4): number => Math.round(x * 10 ** digits) / 10 ** digits;
