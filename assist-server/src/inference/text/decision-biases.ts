/**
 * Per-label decision biases for macro-F1: a prediction is argmax(log score + bias). Rare labels get
 * a raised bias so that they are predicted about as often as they occur. Fitted by coordinate ascent
 * on held-out training data (never on the evaluation set).
 */
import { classificationReport } from './classification-metrics.ts';

export type Biases = Record<string, number>;

export function decide(scores: Record<string, number>, biases: Biases = {}): string {
  let best = '';
  let bestValue = -Infinity;
  for (const [label, s] of Object.entries(scores)) {
    const v = Math.log(Math.max(s, 1e-9)) + (biases[label] ?? 0);
    if (v > bestValue) {
      bestValue = v;
      best = label;
    }
  }
  return best;
}

/** Biases in [-range, range] (steps of `step`) that maximize macro-F1 of decide() over `labels`. */
export function fitBiases(scores: Record<string, number>[], gold: string[][], labels: string[], options: { rounds?: number; range?: number; step?: number } = {}): { biases: Biases; macroF1: number } {
  const { rounds = 3, range = 2, step = 0.1 } = options;
  const logs = scores.map((s) => labels.map((l) => Math.log(Math.max(s[l] ?? 0, 1e-9))));
  const b = labels.map(() => 0);
  const f1 = () =>
    classificationReport(
      logs.map((row) => {
        let bi = 0;
        for (let i = 1; i < row.length; i++) if (row[i]! + b[i]! > row[bi]! + b[bi]!) bi = i;
        return labels[bi]!;
      }),
      gold,
      labels,
    ).macroF1;
  let best = f1();
  for (let r = 0; r < rounds; r++) {
    for (let c = 0; c < labels.length; c++) {
      const start = b[c]!;
      let bestValue = start;
      for (let v = -range; v <= range + 1e-9; v += step) {
        b[c] = Math.round(v * 100) / 100;
        const f = f1();
        if (f > best + 1e-9) {
          best = f;
          bestValue = b[c]!;
        }
      }
      b[c] = bestValue;
    }
  }
  return { biases: Object.fromEntries(labels.map((l, i) => [l, b[i]!])), macroF1: best };
}
