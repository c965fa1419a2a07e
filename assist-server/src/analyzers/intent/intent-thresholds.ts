/**
 * The confidence thresholds an intent model ships with, fitted on its held-out utterances:
 * out of scope (a quantile of in-scope confidences) and early (the lowest confidence at which
 * guesses from half an utterance still agree with the whole often enough to show the agent).
 */
import { percentile } from '../../inference/text/classification-metrics.ts';

/** Confidence below which `rejectRate` of the in-scope confidences fall. */
export function fitOosThreshold(inScopeConfidences: number[], rejectRate: number): number {
  return percentile(inScopeConfidences, rejectRate) || 0;
}

export interface EarlyGuess {
  /** -Infinity for a guess that is never shown (out of scope). */
  confidence: number;
  /** The guess from the partial is the label the whole utterance got. */
  agrees: boolean;
}

/** Fewest guesses a threshold must keep: agreement measured on fewer is noise. */
const MIN_SHOWN = 20;

/**
 * The lowest threshold at which the guesses at or above it agree at least `target` of the time
 * (most guesses shown at the wanted agreement); 1 (never show) when no threshold reaches it.
 */
export function fitEarlyThreshold(guesses: EarlyGuess[], target: number): number {
  const sorted = [...guesses].sort((a, b) => b.confidence - a.confidence);
  let agreeing = 0;
  let best = 1;
  sorted.forEach((g, i) => {
    if (g.agrees) agreeing++;
    const next = sorted[i + 1];
    // cut only between distinct confidences, so the threshold keeps exactly these guesses
    if (Number.isFinite(g.confidence) && i + 1 >= MIN_SHOWN && agreeing / (i + 1) >= target && (!next || next.confidence < g.confidence)) best = g.confidence;
  });
  return best;
}

export interface EarlyReport {
  /** Share of the guesses at or above the threshold. */
  shownShare: number;
  /** Their agreement with the whole utterance. */
  shownAgreement: number;
}

/**
 * Two-fold cross-fitting: the threshold fitted on every other guess is scored on the rest, and the
 * other way round, so the reported agreement is not that of a threshold chosen on the same data.
 */
export function crossFittedEarly(guesses: EarlyGuess[], target: number): EarlyReport {
  let shown = 0;
  let agreeing = 0;
  for (const fold of [0, 1]) {
    const fit = guesses.filter((_, i) => i % 2 === fold);
    const t = fitEarlyThreshold(fit, target);
    for (const g of guesses.filter((_, i) => i % 2 !== fold)) {
      if (g.confidence < t) continue;
      shown++;
      if (g.agrees) agreeing++;
    }
  }
  return { shownShare: guesses.length ? shown / guesses.length : 0, shownAgreement: shown ? agreeing / shown : 0 };
}
