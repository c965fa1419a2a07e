/**
 * Late fusion of the text emotion model with the acoustic cues, by documented rules (no training
 * data for a learned fusion exists yet).
 *
 * 1. Start from the text model's distribution over the six labels.
 * 2. Arousal above {@link AROUSAL_NEUTRAL_BAND} ("excess", rescaled to 0..1) multiplies
 *    angry by 1 + {@link ANGRY_AROUSAL_GAIN}·excess and frustrated by
 *    1 + {@link FRUSTRATED_AROUSAL_GAIN}·excess, and neutral and sad (low-activation states) by
 *    1 − {@link CALM_AROUSAL_DAMPING}·excess. Satisfied and confused are left alone.
 * 3. A subdued voice (quieter / more monotone / slower than earlier, with arousal below
 *    {@link SUBDUED_MAX_AROUSAL}) multiplies sad by 1 + {@link SAD_SUBDUED_GAIN} per such cue.
 * 4. Renormalize. The fused label is the best-scoring label among the text label and the labels
 *    the text itself gives at least {@link MIN_TEXT_SUPPORT}: acoustics re-rank what the words
 *    allow, they never invent an emotion the text model saw no trace of.
 * 5. Acoustics alone never change a "satisfied" text label (loud, fast, animated speech is also
 *    what delight sounds like): the label stays satisfied; only its confidence may drop.
 *
 * `cues` are the acoustic cues, for the agent UI to show next to the label.
 */
import type { CueKind, UtteranceCues } from './acoustic-cues.ts';
import { EMOTION_LABELS, normalize, toDistribution, type EmotionLabel, type EmotionScores, type TextEmotion } from './emotion-labels.ts';

/** Arousal up to this is ordinary and changes nothing. */
export const AROUSAL_NEUTRAL_BAND = 0.25;
export const ANGRY_AROUSAL_GAIN = 1.5;
export const FRUSTRATED_AROUSAL_GAIN = 1.0;
export const CALM_AROUSAL_DAMPING = 0.6;
export const SUBDUED_MAX_AROUSAL = 0.15;
export const SAD_SUBDUED_GAIN = 0.25;
/** A label needs at least this text probability to be raised to the top by acoustics. */
export const MIN_TEXT_SUPPORT = 0.1;

const SUBDUED_KINDS: ReadonlySet<CueKind> = new Set(['quieter', 'monotone', 'slower']);

export interface FusedEmotion {
  label: EmotionLabel;
  confidence: number;
  scores: EmotionScores;
  /** Acoustic cues to show with the label. */
  cues: string[];
  /** True when the acoustics changed the label from the text model's. */
  changedByAcoustics: boolean;
}

/** The part of {@link UtteranceCues} fusion reads. */
export type AcousticEvidence = Pick<UtteranceCues, 'arousal' | 'cues' | 'cueKinds'>;

/** Fuses a text result with an utterance's acoustic cues (null: no usable audio → the text result). */
export function fuseEmotion(text: TextEmotion, acoustic: AcousticEvidence | null | undefined): FusedEmotion {
  const textScores = toDistribution(text);
  if (!acoustic) return { label: text.label, confidence: textScores[text.label], scores: textScores, cues: [], changedByAcoustics: false };

  const arousal = Math.min(1, Math.max(0, Number.isFinite(acoustic.arousal) ? acoustic.arousal : 0));
  const excess = Math.max(0, arousal - AROUSAL_NEUTRAL_BAND) / (1 - AROUSAL_NEUTRAL_BAND);
  const weighted: EmotionScores = { ...textScores };
  weighted.angry *= 1 + ANGRY_AROUSAL_GAIN * excess;
  weighted.frustrated *= 1 + FRUSTRATED_AROUSAL_GAIN * excess;
  weighted.neutral *= 1 - CALM_AROUSAL_DAMPING * excess;
  weighted.sad *= 1 - CALM_AROUSAL_DAMPING * excess;
  if (arousal < SUBDUED_MAX_AROUSAL) {
    const subdued = acoustic.cueKinds.filter((k) => SUBDUED_KINDS.has(k)).length;
    weighted.sad *= 1 + SAD_SUBDUED_GAIN * subdued;
  }
  const scores = normalize(weighted);

  let label: EmotionLabel = text.label;
  if (text.label !== 'satisfied') {
    for (const l of EMOTION_LABELS) {
      if (l !== text.label && textScores[l] < MIN_TEXT_SUPPORT) continue;
      if (scores[l] > scores[label]) label = l;
    }
  }
  return { label, confidence: scores[label], scores, cues: acoustic.cues.slice(), changedByAcoustics: label !== text.label };
}
