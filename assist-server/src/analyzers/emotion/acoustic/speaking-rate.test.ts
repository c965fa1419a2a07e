import assert from 'node:assert/strict';
import { test } from 'node:test';
import { estimateSyllables, MAX_PAUSE_MS, speakingRate, type TimedWord } from './speaking-rate.ts';
import { soxVariant, speak, speakStretched } from './testing/synthetic-speech.ts';

const SENTENCE = 'I have been waiting on hold for forty minutes and nobody can tell me where my refund is';

const w = (word: string, startMs: number, endMs: number): TimedWord => ({ word, startMs, endMs });

test('words per second over speaking time, pauses longer than 300 ms excluded', () => {
  // Four words in 1 s, a 2 s pause, four words in 1 s: 8 words over 2 s of speaking.
  const words = [w('a', 0, 200), w('b', 250, 500), w('c', 500, 750), w('d', 800, 1000), w('e', 3000, 3250), w('f', 3250, 3500), w('g', 3500, 3750), w('h', 3800, 4000)];
  const r = speakingRate(words);
  assert.equal(r.words, 8);
  assert.equal(r.speakingMs, 2000);
  assert.equal(r.pausedMs, 2000);
  assert.equal(r.wordsPerSecond, 4);
  // A gap of exactly MAX_PAUSE_MS is still speech.
  const joined = speakingRate([w('a', 0, 500), w('b', 500 + MAX_PAUSE_MS, 1000 + MAX_PAUSE_MS)]);
  assert.equal(joined.speakingMs, 1000 + MAX_PAUSE_MS);
  // Order of the input does not matter.
  assert.deepEqual(speakingRate(words.slice().reverse()), r);
});

test('no words, or words without duration, give no rate', () => {
  assert.equal(speakingRate([]).wordsPerSecond, null);
  assert.equal(speakingRate([w('a', 100, 100)]).wordsPerSecond, null);
});

test('syllable estimate for English and Chinese words', () => {
  const cases: Array<[string, number]> = [
    ['the', 1], ['like', 1], ['balance', 2], ['account', 2], ['waiting', 2], ['nobody', 3], ['minutes', 2],
    ['refund', 2], ['table', 2], ['boxes', 2], ['called', 1], ['waited', 2], ['see', 1], ['yes', 1], ['[CARD]', 1], ['42', 1], ['你好', 2], ['银行卡', 3],
  ];
  for (const [word, n] of cases) assert.equal(estimateSyllables(word), n, word);
});

for (const rate of [8000, 16000]) {
  test(`${rate} Hz flite speech: faster synthesis and sox tempo raise words/s by about their factor`, async () => {
    const plain = await speak(SENTENCE, rate);
    const base = speakingRate(plain.words);
    assert.equal(base.words, 18);
    assert.ok(base.wordsPerSecond! > 2 && base.wordsPerSecond! < 5, `plain ${base.wordsPerSecond}`);

    const tempo = await soxVariant(plain, ['tempo', '1.4'], 1.4);
    const ratioTempo = speakingRate(tempo.words).wordsPerSecond! / base.wordsPerSecond!;
    assert.ok(Math.abs(ratioTempo - 1.4) < 0.05, `tempo 1.4: ×${ratioTempo.toFixed(2)}`);

    const stretched = await speakStretched(SENTENCE, rate, 0.7);
    const ratioStretch = speakingRate(stretched.words).wordsPerSecond! / base.wordsPerSecond!;
    assert.ok(ratioStretch > 1.25 && ratioStretch < 1.6, `duration_stretch 0.7: ×${ratioStretch.toFixed(2)}`);
    assert.ok(stretched.pcm.length < plain.pcm.length, 'the faster clip is shorter');
  });
}
