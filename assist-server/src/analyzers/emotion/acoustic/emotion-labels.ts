/** The customer emotion labels shown to agents (shared by the text model, fusion and the trend). */
export const EMOTION_LABELS = ['angry', 'frustrated', 'confused', 'neutral', 'satisfied', 'sad'] as const;
export type EmotionLabel = (typeof EMOTION_LABELS)[number];

export type EmotionScores = Record<EmotionLabel, number>;

/** What the text emotion model says about one utterance. */
export interface TextEmotion {
  label: EmotionLabel;
  /** 0..1 */
  confidence: number;
  /** Per-label probabilities (need not be complete or sum to 1; they are normalized). */
  scores?: Partial<EmotionScores>;
}

/**
 * A complete, normalized distribution from a text result: its scores when given (missing labels 0),
 * else `confidence` on its label and the rest spread evenly.
 */
export function toDistribution(text: TextEmotion): EmotionScores {
  const out = Object.fromEntries(EMOTION_LABELS.map((l) => [l, 0])) as EmotionScores;
  const given = text.scores ? EMOTION_LABELS.filter((l) => Number.isFinite(text.scores![l]) && text.scores![l]! > 0) : [];
  if (given.length > 0) {
    for (const l of given) out[l] = text.scores![l]!;
  } else {
    const c = Math.min(1, Math.max(0, Number.isFinite(text.confidence) ? text.confidence : 0));
    for (const l of EMOTION_LABELS) out[l] = l === text.label ? c : (1 - c) / (EMOTION_LABELS.length - 1);
  }
  return normalize(out);
}

export function normalize(scores: EmotionScores): EmotionScores {
  const sum = EMOTION_LABELS.reduce((s, l) => s + Math.max(0, scores[l]), 0);
  const out = {} as EmotionScores;
  for (const l of EMOTION_LABELS) out[l] = sum > 0 ? Math.max(0, scores[l]) / sum : 1 / EMOTION_LABELS.length;
  return out;
}
