import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectSpeech, EnergyVad } from './energy-vad.ts';
import { placeOnTrack, speak, tone } from './testing/synthetic-speech.ts';

const SENTENCE = 'I have been waiting on hold for forty minutes and nobody can tell me where my refund is';

/** Deterministic white noise at about `dbfs`. */
function noise(samples: number, dbfs: number, seed = 7): Int16Array {
  const rms = 32768 * 10 ** (dbfs / 20);
  let s = seed;
  return new Int16Array(samples).map(() => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return Math.round((s / 2147483648 - 0.5) * rms * Math.sqrt(12));
  });
}

for (const rate of [8000, 16000]) {
  test(`${rate} Hz: one span over a sentence, matching its words, in silence and in steady line noise`, async () => {
    const u = await speak(SENTENCE, rate);
    const first = u.words[0]!.startMs;
    const last = u.words.at(-1)!.endMs;
    const clean = detectSpeech(u.pcm, rate);
    assert.equal(clean.length, 1, JSON.stringify(clean));
    assert.ok(Math.abs(clean[0]!.startMs - first) <= 60 && Math.abs(clean[0]!.endMs - last) <= 100, JSON.stringify(clean));

    const lenMs = (u.pcm.length / rate) * 1000;
    const track = placeOnTrack(lenMs + 4000, rate, [{ pcm: noise(Math.round(((lenMs + 4000) * rate) / 1000), -45), atMs: 0 }, { pcm: u.pcm, atMs: 2000 }]);
    const noisy = detectSpeech(track, rate);
    assert.equal(noisy.length, 1, JSON.stringify(noisy));
    assert.ok(Math.abs(noisy[0]!.startMs - (first + 2000)) <= 100 && Math.abs(noisy[0]!.endMs - (last + 2000)) <= 150, JSON.stringify(noisy));
  });
}

test('a leg that opens mid-speech is caught up within the first word', async () => {
  const u = await speak(SENTENCE, 16000);
  const from = Math.round((u.words[0]!.startMs / 1000) * 16000);
  const spans = detectSpeech(u.pcm.subarray(from), 16000);
  assert.ok(spans.length >= 1 && spans[0]!.startMs <= 500, JSON.stringify(spans));
});

test('streaming in odd-sized chunks gives the same spans as one buffer; clicks are dropped', () => {
  const pcm = placeOnTrack(4000, 8000, [{ pcm: tone(200, 8000, 1), atMs: 1000 }, { pcm: tone(200, 8000, 0.04), atMs: 3000 }]);
  const whole = detectSpeech(pcm, 8000);
  assert.deepEqual(whole, [{ startMs: 1000, endMs: 2000 }]);
  const vad = new EnergyVad(8000);
  const spans = [];
  for (let at = 0; at < pcm.length; at += 333) spans.push(...vad.push(pcm.subarray(at, at + 333)));
  spans.push(...vad.flush());
  assert.deepEqual(spans, whole);
  assert.equal(vad.positionMs, 4000);
});
