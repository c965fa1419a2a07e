import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ABSOLUTE_GATE_DBFS, activeSpeechLevel, loudnessDbfs } from './loudness.ts';
import { placeOnTrack, soxVariant, speak, tone } from './testing/synthetic-speech.ts';

const SENTENCE = 'I have been waiting on hold for forty minutes and nobody can tell me where my refund is';

test('a sine of amplitude A reads 20·log10(A/32768) − 3.01 dBFS at 8 and 16 kHz', () => {
  for (const rate of [8000, 16000]) {
    for (const amplitude of [16000, 1000]) {
      const expected = 20 * Math.log10(amplitude / 32768) - 3.01;
      const got = loudnessDbfs(tone(220, rate, 1, amplitude), rate);
      assert.ok(Math.abs(got - expected) < 0.1, `${rate} Hz, A=${amplitude}: ${got.toFixed(2)} vs ${expected.toFixed(2)}`);
    }
  }
});

test('silence and near-silence have no active level (−Infinity), never NaN', () => {
  assert.equal(loudnessDbfs(new Int16Array(16000), 16000), -Infinity);
  assert.equal(loudnessDbfs(new Int16Array(0), 16000), -Infinity);
  const hiss = new Int16Array(16000).map((_, i) => ((i * 7919) % 5) - 2); // ±2 LSB, about −85 dBFS
  assert.equal(loudnessDbfs(hiss, 16000), -Infinity);
  assert.equal(activeSpeechLevel(hiss, 16000).gateDbfs, ABSOLUTE_GATE_DBFS);
});

test('pauses do not dilute the level: speech padded with long silence keeps its active level', async () => {
  const plain = await speak(SENTENCE, 16000);
  const padded = placeOnTrack(20_000, 16000, [{ pcm: plain.pcm, atMs: 7000 }]);
  const a = loudnessDbfs(plain.pcm, 16000);
  const b = loudnessDbfs(padded, 16000);
  assert.ok(Math.abs(a - b) < 0.5, `${a.toFixed(2)} vs ${b.toFixed(2)} dBFS`);
  const plainRms = 20 * Math.log10(Math.sqrt(padded.reduce((s, x) => s + x * x, 0) / padded.length) / 32768);
  assert.ok(b - plainRms > 5, 'the active level is well above the whole-clip RMS');
});

for (const rate of [8000, 16000]) {
  test(`${rate} Hz speech: sox gain +6 / −10 dB moves loudness by that gain`, async () => {
    const plain = await speak(SENTENCE, rate);
    const base = loudnessDbfs(plain.pcm, rate);
    assert.ok(base > -30 && base < -10, `plain speech at ${base.toFixed(1)} dBFS`);
    for (const gain of [6, -10]) {
      const v = await soxVariant(plain, ['gain', String(gain)]);
      const delta = loudnessDbfs(v.pcm, rate) - base;
      assert.ok(Math.abs(delta - gain) < 0.5, `gain ${gain}: moved ${delta.toFixed(2)} dB`);
    }
  });
}
