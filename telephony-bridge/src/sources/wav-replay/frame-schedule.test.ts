import assert from 'node:assert/strict';
import { test } from 'node:test';
import { delayUntilFrameMs, frameAt, frameCount, frameDueMs, frameStartSample } from './frame-schedule.ts';

function sizes(length: number, rate: number): number[] {
  const pcm = new Int16Array(length);
  const out: number[] = [];
  for (let k = 0; ; k++) {
    const f = frameAt(pcm, rate, k);
    if (!f) break;
    out.push(f.pcm.length);
  }
  return out;
}

test('20 ms frames hold rate/50 samples at every common rate', () => {
  for (const [rate, samples] of [[8000, 160], [16000, 320], [22050, 441], [24000, 480], [32000, 640], [44100, 882], [48000, 960]] as const) {
    const s = sizes(rate, rate); // one second
    assert.equal(s.length, 50, `${rate} Hz: 50 frames a second`);
    assert.ok(s.every((n) => n === samples), `${rate} Hz: ${samples} samples each`);
  }
});

test('a rate that does not divide by 50 alternates frame sizes without drift', () => {
  const s = sizes(11025 * 3, 11025);
  assert.equal(s.length, 150);
  assert.deepEqual([...new Set(s)].sort(), [220, 221]);
  assert.equal(s.reduce((a, b) => a + b, 0), 11025 * 3);
  assert.equal(frameStartSample(50, 11025), 11025, 'frame 50 starts exactly at 1 s');
  assert.equal(frameStartSample(1000, 11025), 220_500);
});

test('frames tile the audio: offsets are contiguous and the last frame is short', () => {
  const pcm = Int16Array.from({ length: 16000 + 100 }, (_, i) => i % 32768);
  const frames = Array.from({ length: frameCount(pcm.length, 16000) }, (_, k) => frameAt(pcm, 16000, k)!);
  assert.equal(frames.length, 51);
  frames.forEach((f, k) => assert.equal(f.offsetSamples, k * 320));
  assert.equal(frames.at(-1)!.pcm.length, 100);
  assert.deepEqual(Int16Array.from(frames.flatMap((f) => [...f.pcm])), pcm);
  assert.equal(frameAt(pcm, 16000, 51), undefined);
  assert.equal(frameCount(0, 8000), 0);
  assert.equal(frameCount(1, 8000), 1);
  assert.equal(frameCount(160, 8000), 1);
  assert.equal(frameCount(161, 8000), 2);
  assert.equal(frameCount(11025, 11025), 50);
});

test('the schedule is absolute: frame k is due at start + 20k ms whenever the sender wakes', () => {
  const start = 1000.25;
  assert.deepEqual([0, 1, 2, 50, 3000].map((k) => frameDueMs(start, k)), [1000.25, 1020.25, 1040.25, 2000.25, 61000.25]);
  // A sender that woke late for frame 10 waits less for frame 11, not a full 20 ms.
  assert.equal(delayUntilFrameMs(start, 11, start + 10 * 20 + 7), 13);
  // Already late: send at once; lateness is not carried into later due times.
  assert.equal(delayUntilFrameMs(start, 12, start + 12 * 20 + 35), 0);
  assert.equal(frameDueMs(start, 13), start + 260);
});
