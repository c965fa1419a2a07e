/** Recognizer-like training noise on normalized word lists: dropped words, and cut-off utterances (early prediction). */
import type { Random } from './seeded-random.ts';

/** Each word dropped with probability `rate`; never returns an empty list. */
export function dropWords(ws: string[], rate: number, random: Random): string[] {
  if (rate <= 0 || ws.length < 2) return ws;
  const kept = ws.filter(() => random() >= rate);
  return kept.length ? kept : [ws[Math.floor(random() * ws.length)]!];
}

/** The first part of the utterance: between minFraction and maxFraction of its words (at least one). */
export function wordPrefix(ws: string[], minFraction: number, maxFraction: number, random: Random): string[] {
  const fraction = minFraction + (maxFraction - minFraction) * random();
  return ws.slice(0, Math.max(1, Math.ceil(ws.length * fraction)));
}

/** The first half of the words (rounded up): what an early prediction sees. */
export function firstHalf(ws: string[]): string[] {
  return ws.slice(0, Math.ceil(ws.length / 2));
}
