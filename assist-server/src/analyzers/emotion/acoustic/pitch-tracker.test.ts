import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pitchOf, semitones, trackPitch } from './pitch-tracker.ts';
import { soxVariant, speak, tone } from './testing/synthetic-speech.ts';

const SENTENCE = 'I have been waiting on hold for forty minutes and nobody can tell me where my refund is';

test('pure tones give their frequency (within 1 %) and no variability at 8 and 16 kHz', () => {
  for (const rate of [8000, 16000]) {
    for (const hz of [60, 100, 150, 220, 350, 395]) {
      const p = pitchOf(tone(hz, rate, 1), rate);
      assert.ok(p.medianHz !== null, `${hz} Hz at ${rate}: voiced`);
      assert.ok(Math.abs(p.medianHz - hz) / hz < 0.01, `${hz} Hz at ${rate}: got ${p.medianHz.toFixed(2)}`);
      assert.ok(p.variabilitySemitones! < 0.1, `${hz} Hz at ${rate}: variability ${p.variabilitySemitones}`);
      assert.ok(p.voicedFraction > 0.9);
    }
  }
});

test('silence and white noise have no pitch', () => {
  for (const rate of [8000, 16000]) {
    assert.equal(pitchOf(new Int16Array(rate), rate).medianHz, null);
    assert.equal(trackPitch(new Int16Array(rate), rate).f0Hz.every((f) => f === 0), true);
    let seed = 1;
    const noise = new Int16Array(rate).map(() => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return (seed / 2147483648 - 0.5) * 16000;
    });
    const p = pitchOf(noise, rate);
    assert.equal(p.medianHz, null, `noise at ${rate}: ${p.voicedFrames} voiced frames`);
  }
});

test('a clip too short for one analysis window has no pitch rather than failing', () => {
  assert.equal(pitchOf(new Int16Array(100), 16000).medianHz, null);
  assert.equal(pitchOf(new Int16Array(0), 8000).medianHz, null);
});

for (const rate of [8000, 16000]) {
  test(`${rate} Hz speech: sox pitch +400 cents raises median F0 by 4 semitones, keeps variability`, async () => {
    const plain = await speak(SENTENCE, rate);
    const higher = await soxVariant(plain, ['pitch', '400']);
    const a = pitchOf(plain.pcm, rate);
    const b = pitchOf(higher.pcm, rate);
    assert.ok(a.medianHz! > 70 && a.medianHz! < 160, `flite's male voice at ${a.medianHz}`);
    const shift = semitones(a.medianHz!, b.medianHz!);
    assert.ok(Math.abs(shift - 4) < 0.5, `shift ${shift.toFixed(2)} st`);
    assert.ok(Math.abs(b.variabilitySemitones! - a.variabilitySemitones!) < 0.5, `variability ${a.variabilitySemitones} → ${b.variabilitySemitones}`);
  });

  test(`${rate} Hz speech: sox tempo 1.4 keeps pitch within a semitone`, async () => {
    const plain = await speak(SENTENCE, rate);
    const faster = await soxVariant(plain, ['tempo', '1.4'], 1.4);
    const a = pitchOf(plain.pcm, rate);
    const b = pitchOf(faster.pcm, rate);
    assert.ok(Math.abs(semitones(a.medianHz!, b.medianHz!)) < 1, `${a.medianHz} → ${b.medianHz}`);
    assert.ok(Math.abs(b.variabilitySemitones! - a.variabilitySemitones!) < 0.5);
  });
}

test('other leg rates (WAV uploads) work too: 32, 44.1 and 48 kHz tones', () => {
  for (const rate of [32000, 44100, 48000]) {
    const p = pitchOf(tone(180, rate, 1), rate);
    assert.ok(p.medianHz !== null && Math.abs(p.medianHz - 180) / 180 < 0.01, `${rate}: ${p.medianHz}`);
  }
});
