import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Resampler, resampleAll } from './resampler.ts';

function tone(freqHz: number, rateHz: number, seconds: number, amplitude = 10000): Int16Array {
  const n = Math.round(rateHz * seconds);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * freqHz * i) / rateHz));
  return out;
}

/** RMS over the middle of a signal (skips filter edges). */
function rms(x: Int16Array): number {
  const a = Math.floor(x.length * 0.2);
  const b = Math.floor(x.length * 0.8);
  let s = 0;
  for (let i = a; i < b; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / (b - a));
}

test('8 kHz → 16 kHz keeps a 1 kHz tone at full level and doubles the length', () => {
  const input = tone(1000, 8000, 1);
  const out = resampleAll(input, 8000, 16000);
  assert.equal(out.length, 16000);
  const gainDb = 20 * Math.log10(rms(out) / rms(input));
  assert.ok(Math.abs(gainDb) < 0.2, `pass-band gain ${gainDb.toFixed(3)} dB`);
});

test('upsampling leaves no image above the old Nyquist (unlike sample doubling)', () => {
  const out = resampleAll(tone(1000, 8000, 1), 8000, 16000);
  // Energy at the 7 kHz image (8 kHz − 1 kHz), measured by correlation with a 7 kHz sinusoid.
  const probe = (f: number) => {
    let re = 0;
    let im = 0;
    for (let i = 2000; i < 14000; i++) {
      re += out[i]! * Math.cos((2 * Math.PI * f * i) / 16000);
      im += out[i]! * Math.sin((2 * Math.PI * f * i) / 16000);
    }
    return Math.hypot(re, im);
  };
  const rejectionDb = 20 * Math.log10(probe(1000) / probe(7000));
  assert.ok(rejectionDb > 60, `image rejection ${rejectionDb.toFixed(1)} dB`);
});

test('downsampling 16 kHz → 8 kHz removes a 6 kHz tone instead of aliasing it to 2 kHz', () => {
  const out = resampleAll(tone(6000, 16000, 1), 16000, 8000);
  assert.equal(out.length, 8000);
  assert.ok(rms(out) < 10000 * 0.001, `residual rms ${rms(out).toFixed(2)}`);
});

test('streaming in uneven chunks gives the same samples as one call', () => {
  const input = tone(440, 44100, 0.5);
  const whole = resampleAll(input, 44100, 16000);
  const r = new Resampler(44100, 16000);
  const parts: number[] = [];
  for (let i = 0, size = 1; i < input.length; i += size, size = (size * 7) % 997 + 1) parts.push(...r.process(input.subarray(i, i + size)));
  parts.push(...r.flush());
  const streamed = Int16Array.from(parts).subarray(0, whole.length);
  assert.equal(streamed.length, whole.length);
  let maxDiff = 0;
  for (let i = 0; i < whole.length; i++) maxDiff = Math.max(maxDiff, Math.abs(streamed[i]! - whole[i]!));
  assert.ok(maxDiff <= 1, `max difference ${maxDiff}`);
});

test('equal rates pass audio through unchanged', () => {
  const input = tone(300, 16000, 0.1);
  assert.deepEqual(new Resampler(16000, 16000).process(input), input);
});
