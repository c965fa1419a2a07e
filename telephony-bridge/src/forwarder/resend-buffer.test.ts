import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeAudioFrame } from '@earpiece/assist-server/protocol';
import { ResendBuffer, type BufferedFrame } from './resend-buffer.ts';

function frame(seq: number, samples: number): BufferedFrame {
  const pcm = new Int16Array(samples).fill(seq);
  return { seq, offsetSamples: seq * samples, samples, bytes: encodeAudioFrame({ role: 'agent', seq, offsetSamples: seq * samples, pcm }) };
}

test('past its bound the buffer drops the oldest frames and counts them', () => {
  const buffer = new ResendBuffer(1000);
  let dropped = 0;
  for (let seq = 0; seq < 14; seq++) dropped += buffer.push(frame(seq, 100));
  assert.equal(dropped, 4);
  assert.equal(buffer.dropped, 4);
  assert.equal(buffer.samples, 1000);
  assert.deepEqual(buffer.from(0).map((f) => f.seq), [4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
});

test('acks release frames up to and including the seq; from() returns the rest in order', () => {
  const buffer = new ResendBuffer(10_000);
  for (let seq = 0; seq < 10; seq++) buffer.push(frame(seq, 320));
  assert.equal(buffer.ack(5), 6);
  assert.equal(buffer.ack(3), 0, 'an older ack releases nothing');
  assert.deepEqual([buffer.size, buffer.samples, buffer.firstSeq], [4, 4 * 320, 6]);
  assert.deepEqual(buffer.from(8).map((f) => f.seq), [8, 9]);
  assert.equal(buffer.dropped, 0, 'acknowledged frames are not drops');
  assert.throws(() => buffer.push(frame(9, 320)), RangeError, 'seq must rise');
});

test('one frame larger than the bound is kept until acknowledged (the newest frame is never dropped)', () => {
  const buffer = new ResendBuffer(100);
  buffer.push(frame(0, 50));
  buffer.push(frame(1, 300));
  assert.deepEqual([buffer.size, buffer.firstSeq, buffer.dropped], [1, 1, 1]);
});

test('the backing array is compacted as frames are released', () => {
  const buffer = new ResendBuffer(50 * 160);
  for (let seq = 0; seq < 20_000; seq++) {
    buffer.push(frame(seq, 160));
    if (seq % 10 === 9) buffer.ack(seq - 5);
  }
  assert.ok(buffer.size <= 50);
  assert.deepEqual(buffer.from(0).map((f) => f.seq), Array.from({ length: buffer.size }, (_, i) => 20_000 - buffer.size + i));
});
