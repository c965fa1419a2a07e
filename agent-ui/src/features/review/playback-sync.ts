/**
 * Transcript ↔ playback: every word of both legs on the recording's clock, and which one is
 * being spoken at a playback time. Pure functions (tested in playback-sync.spec.ts).
 */
import type { FinalUtterance, LegRole } from '@earpiece/assist-server/protocol';

export interface TimedWord {
  /** Position in the flat list (what the transcript highlights). */
  index: number;
  utteranceIndex: number;
  /** Index of the word in its utterance. */
  wordIndex: number;
  role: LegRole;
  word: string;
  startMs: number;
  endMs: number;
}

/** A word stays current through a pause shorter than this after it (so the highlight does not flicker between words). */
export const WORD_HOLD_MS = 400;

/**
 * Every word of the finals (utterances in start order), sorted by start time. An utterance stored
 * without word times counts as one word spanning the utterance.
 */
export function timedWords(finals: FinalUtterance[]): TimedWord[] {
  const words: Array<Omit<TimedWord, 'index'>> = [];
  finals.forEach((u, utteranceIndex) => {
    if (u.words.length === 0) {
      words.push({ utteranceIndex, wordIndex: 0, role: u.role, word: u.text, startMs: u.startMs, endMs: u.endMs });
      return;
    }
    u.words.forEach((w, wordIndex) => words.push({ utteranceIndex, wordIndex, role: u.role, word: w.word, startMs: w.startMs, endMs: Math.max(w.endMs, w.startMs) }));
  });
  words.sort((a, b) => a.startMs - b.startMs || a.utteranceIndex - b.utteranceIndex || a.wordIndex - b.wordIndex);
  return words.map((w, index) => ({ ...w, index }));
}

/**
 * The word being spoken at `ms`: the latest-starting word with start ≤ ms that has not ended more
 * than WORD_HOLD_MS ago; -1 when none (silence, before the first word). `words` sorted by start.
 */
export function currentWordAt(words: readonly TimedWord[], ms: number): number {
  // Last word starting at or before ms (binary search).
  let lo = 0;
  let hi = words.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (words[mid]!.startMs <= ms) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // Overlapping legs: the latest starter may have ended while an earlier, longer word runs on.
  for (let i = found; i >= 0 && i > found - 8; i--) {
    if (ms < words[i]!.endMs + WORD_HOLD_MS) return i;
  }
  return -1;
}

/** Where to seek to play a word: its start, in seconds (media elements count seconds). */
export function seekSecondsFor(word: Pick<TimedWord, 'startMs'>): number {
  return Math.max(0, word.startMs) / 1000;
}
