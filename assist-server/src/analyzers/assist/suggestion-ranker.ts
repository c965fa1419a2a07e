/**
 * Ranks knowledge-base articles for one customer utterance (pure: the caller gathers candidates).
 *
 * score = (wI · intent + wT · text) · context · feedback, where
 * - intent: the model's probability of the best of the article's intents among its top three labels
 *   (`oos` never counts); the intent weight drops when the reading is out of scope, and text carries
 *   everything when there is no reading (NLU off);
 * - text: bm25 relevance of the masked utterance's content words, squashed to 0..1 (s / (s + half);
 *   beside a reading text mostly breaks ties, so its half point is set high);
 * - context: articles already suggested for earlier utterances of this call are worth less each time
 *   (the agent has seen them), articles the agent used in this call a little more;
 * - feedback: per article and intent, (positive − negative) / (positive + negative + prior): a few
 *   clicks shift it, many cannot more than halve or add half.
 * The confidence shown is the score, capped at 1. Nothing is suggested unless the best scores at
 * least `minConfidence` (noise stays off the screen); the runners-up then need `runnerUpMin`, so that
 * when the model hesitates between intents the agent sees each of them.
 * Defaults were fitted on the BANKING77 utterances the intent trainer held out (`assist eval`).
 */
import type { ArticleSuggestion, IntentPrediction } from '../../protocol/index.ts';
import type { FeedbackTotals } from '../../store/knowledge-store.ts';

export type IntentReading = Pick<IntentPrediction, 'label' | 'confidence' | 'top' | 'outOfScope'>;

export interface Candidate {
  article: { id: string; title: string; answer: string; intents: string[] };
  /** bm25 relevance (higher is better), 0 when no word matched. */
  textScore: number;
  /** Content words of the utterance this article matched. */
  matchedTerms: string[];
}

export interface CallContext {
  /** Article id → how many earlier utterances of this call it was suggested for. */
  suggestedBefore: ReadonlyMap<string, number>;
  /** Articles the agent used or copied in this call. */
  used: ReadonlySet<string>;
}

export interface RankSettings {
  limit: number;
  /** The best article must score this much for anything to be suggested. */
  minConfidence: number;
  /** Further articles need this much. */
  runnerUpMin: number;
  /** Intent weight when the reading is in scope / out of scope (text gets the rest). */
  intentWeight: number;
  intentWeightOutOfScope: number;
  /** bm25 relevance that counts as half-relevant beside an intent reading, and alone (no reading). */
  textHalf: number;
  textHalfAlone: number;
  /** Factor per earlier suggestion in this call, and its floor. */
  repeatFactor: number;
  repeatFloor: number;
  usedBoost: number;
  /** Pseudo-count that keeps a few clicks from dominating, and the largest relative shift. */
  feedbackPrior: number;
  feedbackStrength: number;
}

export const RANK_DEFAULTS: RankSettings = {
  limit: 3,
  minConfidence: 0.1,
  runnerUpMin: 0.01,
  intentWeight: 0.85,
  intentWeightOutOfScope: 0.3,
  textHalf: 60,
  textHalfAlone: 10,
  repeatFactor: 0.85,
  repeatFloor: 0.6,
  usedBoost: 1.15,
  feedbackPrior: 4,
  feedbackStrength: 0.5,
};

export type FeedbackLookup = (articleId: string, intent: string | null) => FeedbackTotals | undefined;

export interface RankedSuggestion extends ArticleSuggestion {
  /** Unrounded score, for ties and tests. */
  score: number;
}

/** Feedback factor: 1 with no feedback, → 1 ± strength as clicks pile up. */
export function feedbackFactor(totals: FeedbackTotals | undefined, settings: Pick<RankSettings, 'feedbackPrior' | 'feedbackStrength'> = RANK_DEFAULTS): number {
  if (!totals) return 1;
  const n = totals.positive + totals.negative;
  return 1 + settings.feedbackStrength * ((totals.positive - totals.negative) / (n + settings.feedbackPrior));
}

/**
 * Best first, at most `limit`; empty when the best is under `minConfidence`. `limit: Infinity`,
 * `minConfidence: 0` and `runnerUpMin: 0` give the whole ranking.
 */
export function rankSuggestions(
  candidates: Candidate[],
  intent: IntentReading | null,
  context: CallContext,
  feedback: FeedbackLookup,
  overrides: Partial<RankSettings> = {},
): RankedSuggestion[] {
  const s = { ...RANK_DEFAULTS, ...overrides };
  const probs = new Map<string, number>();
  for (const t of intent?.top ?? []) if (t.label !== 'oos') probs.set(t.label, Math.max(probs.get(t.label) ?? 0, t.confidence));
  const wI = !intent ? 0 : intent.outOfScope ? s.intentWeightOutOfScope : s.intentWeight;

  const ranked: RankedSuggestion[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c.article.id)) continue;
    seen.add(c.article.id);
    let bestIntent: string | null = null;
    let p = 0;
    for (const label of c.article.intents) {
      const q = probs.get(label) ?? 0;
      if (q > p) (p = q), (bestIntent = label);
    }
    const half = intent ? s.textHalf : s.textHalfAlone;
    const text = c.textScore > 0 ? c.textScore / (c.textScore + half) : 0;
    let score = wI * p + (1 - wI) * text;
    if (score <= 0) continue;
    const before = context.suggestedBefore.get(c.article.id) ?? 0;
    if (context.used.has(c.article.id)) score *= s.usedBoost;
    else if (before > 0) score *= Math.max(s.repeatFloor, s.repeatFactor ** before);
    score *= feedbackFactor(feedback(c.article.id, bestIntent ?? intent?.label ?? null), s);
    ranked.push({
      articleId: c.article.id,
      title: c.article.title,
      answer: c.article.answer,
      confidence: Math.round(Math.min(1, score) * 1000) / 1000,
      why: { intent: bestIntent, matchedTerms: c.matchedTerms },
      score,
    });
  }
  ranked.sort((a, b) => b.score - a.score || (a.articleId < b.articleId ? -1 : 1));
  if (!ranked.length || ranked[0]!.score < s.minConfidence) return [];
  return ranked.filter((r, i) => i === 0 || r.score >= s.runnerUpMin).slice(0, s.limit);
}

/** The protocol's view (drops the raw score). */
export function toSuggestions(ranked: RankedSuggestion[]): ArticleSuggestion[] {
  return ranked.map(({ score: _s, ...rest }) => rest);
}
