import assert from 'node:assert/strict';
import { test } from 'node:test';
import { synthesizeSpeech } from '../../../../assist-server/src/testing/speech-audio.ts';
import { PcmFramer } from './pcm-framer.ts';

test('byte chunks of any size, odd ones included, become whole 320-sample frames in order', async () => {
  const speech = await synthesizeSpeech('can you hear me now', { sampleRateHz: 16000 });
  const bytes = Buffer.from(speech.pcm.buffer, speech.pcm.byteOffset, speech.pcm.byteLength);
  const framer = new PcmFramer(320);
  const frames: Int16Array[] = [];
  // Recorder pipes deliver arbitrary chunk sizes, splitting samples across chunks.
  const chunkSizes = [1, 639, 2, 1001, 4096, 3, 77];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = chunkSizes[i % chunkSizes.length]!;
    frames.push(...framer.push(bytes.subarray(at, at + n)));
    at += n;
  }
  assert.ok(frames.every((f) => f.length === 320));
  assert.equal(frames.length, Math.floor(speech.pcm.length / 320));
  const tail = framer.flush();
  assert.equal(tail?.length ?? 0, speech.pcm.length % 320);
  const all = Int16Array.from([...frames.flatMap((f) => [...f]), ...(tail ?? [])]);
  assert.deepEqual(all, speech.pcm);
  assert.equal(framer.pendingBytes, 0);
  assert.equal(framer.flush(), undefined);
});
