/**
 * Speaking-rate cue from the recognizer's word times: words (and estimated syllables) per second
 * of speaking time, where speaking time is the span from the first word's start to the last word's
 * end minus every gap between consecutive words longer than {@link MAX_PAUSE_MS} (such pauses are
 * hesitation or thinking, not articulation). Gaps up to that length count as speaking time.
 */

/** The part of a recognizer word this needs (RecognizedWord and TranscriptWord both fit). */
export interface TimedWord {
  word: string;
  /** ms on the leg clock */
  startMs: number;
  endMs: number;
}

/** Gaps between words longer than this are pauses and are excluded from speaking time. */
export const MAX_PAUSE_MS = 300;

export interface SpeakingRate {
  words: number;
  /** Estimated syllables (see {@link estimateSyllables}). */
  syllables: number;
  /** Speaking time in ms (pauses excluded). */
  speakingMs: number;
  /** Total length of the excluded pauses, ms. */
  pausedMs: number;
  /** null when there are no words or no speaking time. */
  wordsPerSecond: number | null;
  syllablesPerSecond: number | null;
}

/** Words and syllables per second of the words' speaking time; pauses over `maxPauseMs` excluded. */
export function speakingRate(words: readonly TimedWord[], maxPauseMs = MAX_PAUSE_MS): SpeakingRate {
  const sorted = words.filter((w) => Number.isFinite(w.startMs) && Number.isFinite(w.endMs) && w.endMs >= w.startMs).sort((a, b) => a.startMs - b.startMs);
  if (sorted.length === 0) return { words: 0, syllables: 0, speakingMs: 0, pausedMs: 0, wordsPerSecond: null, syllablesPerSecond: null };
  let speakingMs = 0;
  let pausedMs = 0;
  let spanStart = sorted[0]!.startMs;
  let spanEnd = sorted[0]!.endMs;
  for (const w of sorted.slice(1)) {
    const gap = w.startMs - spanEnd;
    if (gap > maxPauseMs) {
      speakingMs += spanEnd - spanStart;
      pausedMs += gap;
      spanStart = w.startMs;
    }
    spanEnd = Math.max(spanEnd, w.endMs);
  }
  speakingMs += spanEnd - spanStart;
  const syllables = sorted.reduce((n, w) => n + estimateSyllables(w.word), 0);
  const seconds = speakingMs / 1000;
  return {
    words: sorted.length,
    syllables,
    speakingMs,
    pausedMs,
    wordsPerSecond: seconds > 0 ? sorted.length / seconds : null,
    syllablesPerSecond: seconds > 0 ? syllables / seconds : null,
  };
}

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/gu;

/**
 * Rough syllable count of one recognized word: one per Chinese character; for Latin-script words
 * the number of vowel groups (a, e, i, o, u, y), minus a silent final "e", "-es" or "-ed",
 * at least 1. A rough heuristic, good enough for a rate cue that compares a caller with themselves.
 * Tokens without letters (placeholders such as "[CARD]", digits) count as 1.
 */
export function estimateSyllables(word: string): number {
  const cjk = word.match(CJK)?.length ?? 0;
  if (cjk > 0) return cjk;
  const w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (w.length === 0) return 1;
  const groups = w.match(/[aeiouy]+/g)?.length ?? 0;
  let n = groups;
  // Silent final e ("like"), -es ("minutes", not "boxes") and -ed ("called", not "waited").
  if (w.length > 2 && w.endsWith('e') && !w.endsWith('le') && !/[aeiouy]e$/.test(w)) n--;
  else if (w.length > 3 && /[^aeiouy]es$/.test(w) && !/(s|x|z|ch|sh|c|g)es$/.test(w)) n--;
  else if (w.length > 3 && /[^aeiouy]ed$/.test(w) && !/[td]ed$/.test(w)) n--;
  return Math.max(1, n);
}
