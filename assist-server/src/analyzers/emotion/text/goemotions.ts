/**
 * GoEmotions data (Demszky et al. 2020): `text<TAB>label ids<TAB>comment id` rows, label names in
 * labels.txt beside the file (line N = id N). Three label sets exist: the 27 emotions + neutral
 * ("original"), Ekman's six + neutral ("ekman"), and sentiment ("group": positive, negative,
 * ambiguous, neutral). The groupings below are the paper's (its ekman_mapping.json and
 * sentiment_mapping.json), plus Earpiece's mapping onto the labels agents see.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EmotionLabel } from '../acoustic/emotion-labels.ts';

export const GOEMOTIONS_LABELS = [
  'admiration', 'amusement', 'anger', 'annoyance', 'approval', 'caring', 'confusion', 'curiosity', 'desire', 'disappointment',
  'disapproval', 'disgust', 'embarrassment', 'excitement', 'fear', 'gratitude', 'grief', 'joy', 'love', 'nervousness',
  'optimism', 'pride', 'realization', 'relief', 'remorse', 'sadness', 'surprise', 'neutral',
] as const;
export type GoEmotion = (typeof GOEMOTIONS_LABELS)[number];

/** Ekman grouping of the 28 labels (GoEmotions ekman_mapping.json; neutral stays neutral). */
export const EKMAN_GROUPS: Record<string, GoEmotion[]> = {
  anger: ['anger', 'annoyance', 'disapproval'],
  disgust: ['disgust'],
  fear: ['fear', 'nervousness'],
  joy: ['joy', 'amusement', 'approval', 'excitement', 'gratitude', 'love', 'optimism', 'relief', 'pride', 'admiration', 'desire', 'caring'],
  sadness: ['sadness', 'disappointment', 'embarrassment', 'grief', 'remorse'],
  surprise: ['surprise', 'realization', 'confusion', 'curiosity'],
  neutral: ['neutral'],
};

/** Sentiment grouping (GoEmotions sentiment_mapping.json). */
export const SENTIMENT_GROUPS: Record<string, GoEmotion[]> = {
  positive: ['amusement', 'excitement', 'joy', 'love', 'desire', 'optimism', 'caring', 'pride', 'admiration', 'gratitude', 'relief', 'approval'],
  negative: ['fear', 'nervousness', 'remorse', 'embarrassment', 'disappointment', 'sadness', 'grief', 'disgust', 'anger', 'annoyance', 'disapproval'],
  ambiguous: ['realization', 'surprise', 'curiosity', 'confusion'],
  neutral: ['neutral'],
};

/** What agents see (models/README.md explains the choices). */
export const AGENT_GROUPS: Record<EmotionLabel, GoEmotion[]> = {
  angry: ['anger', 'disgust'],
  frustrated: ['annoyance', 'disapproval'],
  confused: ['confusion', 'curiosity'],
  sad: ['sadness', 'grief', 'disappointment', 'remorse', 'embarrassment', 'fear', 'nervousness'],
  satisfied: ['gratitude', 'joy', 'approval', 'relief', 'admiration', 'amusement', 'caring', 'excitement', 'love', 'optimism', 'pride', 'desire'],
  neutral: ['neutral', 'realization', 'surprise'],
};

export interface EmotionRow {
  text: string;
  /** Gold label names (one or more). */
  labels: string[];
}

export class EmotionDataError extends Error {
  readonly code = 'EARPIECE_EMOTION_DATA';
}

export async function readLabels(file: string): Promise<string[]> {
  const labels = (await readFile(file, 'utf8')).split('\n').map((l) => l.trim()).filter(Boolean);
  if (labels.length < 2) throw new EmotionDataError(`${file}: expected one label name per line`);
  return labels;
}

/** Rows of a GoEmotions TSV, labels named through `labels` (labels.txt beside the file when not given). */
export async function readGoEmotionsTsv(file: string, labels?: string[]): Promise<{ rows: EmotionRow[]; labels: string[] }> {
  const names = labels ?? (await readLabels(join(dirname(file), 'labels.txt')));
  const rows: EmotionRow[] = [];
  (await readFile(file, 'utf8')).split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const [text, ids] = line.split('\t');
    if (text === undefined || ids === undefined) throw new EmotionDataError(`${file} line ${i + 1}: expected text<TAB>label ids`);
    const gold = ids.split(',').map((id) => {
      const name = names[Number(id)];
      if (!/^\d+$/.test(id) || name === undefined) throw new EmotionDataError(`${file} line ${i + 1}: label id "${id}" is not in labels.txt (${names.length} labels)`);
      return name;
    });
    rows.push({ text, labels: gold });
  });
  return { rows, labels: names };
}

/**
 * How the 28 fine labels fold into an evaluation label set: identity for the original labels, the
 * paper's groupings for ekman and sentiment. Throws for a label set it does not know.
 */
export function groupingFor(evalLabels: string[]): Record<string, GoEmotion[]> {
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
  if (same(evalLabels, [...GOEMOTIONS_LABELS])) return Object.fromEntries(GOEMOTIONS_LABELS.map((l) => [l, [l]]));
  if (same(evalLabels, Object.keys(EKMAN_GROUPS))) return EKMAN_GROUPS;
  if (same(evalLabels, Object.keys(SENTIMENT_GROUPS))) return SENTIMENT_GROUPS;
  throw new EmotionDataError(`unknown label set (${evalLabels.join(', ')}); expected GoEmotions original, ekman or group labels`);
}

/** Sums fine-label probabilities into groups (fine labels in `fineLabels` order). */
export function groupScores(probs: ArrayLike<number>, fineLabels: readonly string[], groups: Record<string, readonly string[]>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [group, members] of Object.entries(groups)) {
    let s = 0;
    for (const m of members) {
      const i = fineLabels.indexOf(m);
      if (i >= 0) s += probs[i]!;
    }
    out[group] = s;
  }
  return out;
}
