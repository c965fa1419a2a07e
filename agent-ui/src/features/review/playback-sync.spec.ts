import { describe, expect, it } from 'vitest';
import type { FinalUtterance } from '@earpiece/assist-server/protocol';
import { currentWordAt, seekSecondsFor, timedWords, WORD_HOLD_MS } from './playback-sync.ts';

const w = (word: string, startMs: number, endMs: number) => ({ word, startMs, endMs, confidence: 1 });
const finals: FinalUtterance[] = [
  { utteranceId: 'a1', role: 'agent', text: 'hello there', startMs: 500, endMs: 1400, words: [w('hello', 500, 900), w('there', 950, 1400)] },
  { utteranceId: 'c1', role: 'customer', text: 'my [CREDIT_CARD] is', startMs: 3000, endMs: 5200, words: [w('my', 3000, 3200), w('[CREDIT_CARD]', 3300, 4800), w('is', 4900, 5200)] },
  // Overlaps the customer's long placeholder word.
  { utteranceId: 'a2', role: 'agent', text: 'mhm', startMs: 3500, endMs: 3700, words: [w('mhm', 3500, 3700)] },
  { utteranceId: 'c2', role: 'customer', text: 'stored before word times', startMs: 8000, endMs: 9000, words: [] },
];
const words = timedWords(finals);
const at = (ms: number) => {
  const i = currentWordAt(words, ms);
  return i < 0 ? null : words[i]!.word;
};

describe('timedWords', () => {
  it('flattens both legs in start order and keeps where each word came from', () => {
    expect(words.map((x) => x.word)).toEqual(['hello', 'there', 'my', '[CREDIT_CARD]', 'mhm', 'is', 'stored before word times']);
    expect(words.map((x) => x.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(words[4]).toMatchObject({ utteranceIndex: 2, wordIndex: 0, role: 'agent' });
    expect(words[5]).toMatchObject({ utteranceIndex: 1, wordIndex: 2, role: 'customer' });
  });
});

describe('currentWordAt', () => {
  it('is the word whose span holds the time', () => {
    expect(at(500)).toBe('hello');
    expect(at(899)).toBe('hello');
    expect(at(1000)).toBe('there');
    expect(at(3100)).toBe('my');
  });

  it('is nothing before the first word and in long silences, and holds a word through a short pause', () => {
    expect(at(0)).toBeNull();
    expect(at(499)).toBeNull();
    expect(at(920)).toBe('hello');
    expect(at(1400 + WORD_HOLD_MS - 1)).toBe('there');
    expect(at(1400 + WORD_HOLD_MS)).toBeNull();
    expect(at(7000)).toBeNull();
  });

  it('returns to the longer word of the other leg once an overlapping word ends', () => {
    expect(at(3600)).toBe('mhm');
    expect(at(4500)).toBe('[CREDIT_CARD]');
  });

  it('treats an utterance without word times as one word', () => {
    expect(at(8500)).toBe('stored before word times');
  });

  it('advances monotonically through a call played from start to end', () => {
    const seen: number[] = [];
    for (let ms = 0; ms < 6000; ms += 50) {
      const i = currentWordAt(words, ms);
      if (i >= 0 && seen.at(-1) !== i) seen.push(i);
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 3, 5]);
  });

  it('handles an empty transcript', () => {
    expect(currentWordAt([], 1000)).toBe(-1);
  });
});

describe('seekSecondsFor', () => {
  it('is the word start in seconds', () => {
    expect(seekSecondsFor(words[3]!)).toBe(3.3);
    expect(seekSecondsFor({ startMs: -5 })).toBe(0);
  });
});
