import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AudioRedactor, REDACTION_TONE_AMPLITUDE } from './audio-redactor.ts';

const RATE = 8000;
const loud = (n: number) => Int16Array.from({ length: n }, (_, i) => (i % 2 ? 9000 : -9000));
const rms = (pcm: Int16Array) => Math.sqrt(pcm.reduce((s, x) => s + x * x, 0) / Math.max(1, pcm.length));

test('a span plus its margin is silenced across chunk boundaries; audio outside it is untouched', () => {
  const r = new AudioRedactor({ sampleRateHz: RATE, marginMs: 100, fill: 'silence' });
  r.add(1000, 1500); // samples 7200..12800 with the margin
  const audio = loud(2 * RATE);
  let replaced = 0;
  for (let off = 0; off < audio.length; off += 1234) replaced += r.apply(audio.subarray(off, Math.min(audio.length, off + 1234)), off);
  assert.equal(replaced, 12800 - 7200);
  assert.equal(rms(audio.subarray(7200, 12800)), 0);
  assert.equal(Math.abs(audio[7199]!), 9000);
  assert.equal(Math.abs(audio[12800]!), 9000);
  assert.ok(rms(audio.subarray(0, 7200)) > 8999 && rms(audio.subarray(12800)) > 8999);
});

test('tone fill is a continuous 1 kHz tone at the documented level; overlapping spans merge', () => {
  const r = new AudioRedactor({ sampleRateHz: RATE, marginMs: 0, fill: 'tone' });
  r.add(100, 300);
  r.add(250, 400);
  const audio = loud(RATE);
  r.apply(audio.subarray(0, 2000), 0);
  r.apply(audio.subarray(2000), 2000);
  const span = audio.subarray(800, 3200);
  assert.ok(Math.abs(rms(span) - REDACTION_TONE_AMPLITUDE / Math.SQRT2) < 20, `tone rms ${rms(span)}`);
  // 1 kHz at 8 kHz: the waveform repeats every 8 samples
  for (let i = 800; i < 3192; i++) assert.ok(Math.abs(audio[i]! - audio[i + 8]!) <= 1);
  assert.equal(Math.abs(audio[3200]!), 9000);
});

test('spans behind the written audio are forgotten; a span that arrives late still covers what is not yet written', () => {
  const r = new AudioRedactor({ sampleRateHz: RATE, marginMs: 0, fill: 'silence' });
  const first = loud(RATE);
  r.apply(first, 0);
  r.add(500, 1500); // half of it already written: only the unwritten half can be redacted
  const second = loud(RATE);
  assert.equal(r.apply(second, RATE), 4000);
  assert.equal(rms(second.subarray(0, 4000)), 0);
});
