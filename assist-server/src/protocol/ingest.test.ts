import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AUDIO_FRAME_HEADER_BYTES,
  AudioFrameError,
  CallStartMessage,
  IngestClientMessage,
  MAX_AUDIO_FRAME_PAYLOAD_BYTES,
  decodeAudioFrame,
  encodeAudioFrame,
} from './ingest.ts';

test('audio frames round-trip, including offsets beyond 32 bits', () => {
  const pcm = Int16Array.from([0, 1, -1, 32767, -32768, 1234]);
  const bytes = encodeAudioFrame({ role: 'customer', seq: 4_000_000_000, offsetSamples: 2 ** 33 + 5, pcm });
  assert.equal(bytes.length, AUDIO_FRAME_HEADER_BYTES + pcm.length * 2);
  const back = decodeAudioFrame(bytes);
  assert.equal(back.role, 'customer');
  assert.equal(back.seq, 4_000_000_000);
  assert.equal(back.offsetSamples, 2 ** 33 + 5);
  assert.deepEqual(back.pcm, pcm);
});

test('decoding a frame inside a larger buffer respects its byte offset', () => {
  const frame = encodeAudioFrame({ role: 'agent', seq: 7, offsetSamples: 160, pcm: Int16Array.from([5, -5]) });
  const big = new Uint8Array(frame.length + 3);
  big.set(frame, 3);
  const back = decodeAudioFrame(big.subarray(3));
  assert.equal(back.seq, 7);
  assert.deepEqual([...back.pcm], [5, -5]);
});

test('malformed frames are rejected with a coded error', () => {
  const good = encodeAudioFrame({ role: 'agent', seq: 1, offsetSamples: 0, pcm: Int16Array.from([1, 2]) });
  const cases: Array<[string, Uint8Array]> = [
    ['shorter than its header', good.subarray(0, 10)],
    ['unknown frame kind', Uint8Array.from([9, ...good.subarray(1)])],
    ['unknown leg code', Uint8Array.from([1, 7, ...good.subarray(2)])],
    ['odd number of bytes', good.subarray(0, good.length - 1)],
    ['exceeds', new Uint8Array(AUDIO_FRAME_HEADER_BYTES + MAX_AUDIO_FRAME_PAYLOAD_BYTES + 2).fill(1, 0, 1)],
  ];
  for (const [message, bytes] of cases) {
    assert.throws(() => decodeAudioFrame(bytes), (err: unknown) => err instanceof AudioFrameError && err.code === 'EARPIECE_INGEST_BAD_FRAME' && err.message.includes(message), message);
  }
});

test('call.start is validated: legs, rates and ids', () => {
  const base = { type: 'call.start', v: 1, callId: 'c-1', agentId: 'agent-1', startedAtMs: 1, legs: [{ role: 'agent', sampleRateHz: 8000 }] };
  const ok = CallStartMessage.parse(base);
  assert.equal(ok.legs[0]!.codec, 'L16');
  assert.equal(ok.source, 'unknown');
  assert.equal(IngestClientMessage.safeParse({ ...base, legs: [{ role: 'agent', sampleRateHz: 4000 }] }).success, false);
  assert.equal(IngestClientMessage.safeParse({ ...base, legs: [{ role: 'agent', sampleRateHz: 8000 }, { role: 'agent', sampleRateHz: 8000 }] }).success, false);
  assert.equal(IngestClientMessage.safeParse({ ...base, callId: 'bad id with spaces' }).success, false);
  assert.equal(IngestClientMessage.safeParse({ ...base, v: 2 }).success, false);
  assert.equal(IngestClientMessage.safeParse({ type: 'call.stop', callId: 'c-1' }).success, true);
});
