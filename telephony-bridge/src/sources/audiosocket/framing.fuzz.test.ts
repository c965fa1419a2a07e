/**
 * Fuzz: AudioSocket framing. Valid Asterisk conversations (UUID, audio at several rates, DTMF,
 * hang-up, error, our auth frame) mutated byte-wise and random bytes, delivered in random TCP
 * chunks: the streaming parser gives the same frames and the same error however the stream is
 * cut, holds at most one frame's bytes, never throws, and every frame re-encodes to its bytes.
 * Short count in CI; EARPIECE_SOAK=1 runs 100,000 cases.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fuzzSync } from '../../../../assist-server/src/testing/fuzz-harness.ts';
import { cutPoints, fuzzInput, splitAt } from '../../../../assist-server/src/testing/fuzz-mutations.ts';
import {
  AudioSocketParser,
  encodeAudio,
  encodeAuth,
  encodeDtmf,
  encodeError,
  encodeFrame,
  encodeHangup,
  encodeUuid,
  HEADER_BYTES,
  KIND_ERROR,
  type AudioSocketFrame,
} from './framing.ts';

const pcm = (n: number) => Int16Array.from({ length: n }, (_, i) => (i * 997) % 30000 - 15000);
const CONVERSATIONS: Buffer[] = [
  Buffer.concat([encodeUuid('0f8fad5b-d9cb-469f-a165-70867728950e'), encodeAudio(pcm(160)), encodeAudio(pcm(160)), encodeDtmf('5'), encodeAudio(pcm(160)), encodeHangup()]),
  Buffer.concat([encodeAuth('s3cret'), encodeUuid('7c9e6679-7425-40de-944b-e07fc1f90ae7'), encodeAudio(pcm(320), 16000), encodeAudio(pcm(960), 48000), encodeError(0x01)]),
  Buffer.concat([encodeUuid('00000000-0000-0000-0000-000000000000'), encodeDtmf('#'), encodeError(0x02, 'EARPIECE_BRIDGE_X'), encodeAudio(pcm(1), 8000)]),
];
const DICTIONARY = ['\x10\xff\xff', '\x10\x80\x00', '\x01\x00\x10', '\x03\x00\x01a', '\x03\x00\x02', '\x00\x00\x00', '\xff\x00\x00', '\x19\x00\x00', '\x10\x00\x01\x00'];

interface Outcome {
  frames: AudioSocketFrame[];
  error: string | undefined;
  finish: string | undefined;
}

function run(chunks: Buffer[], maxPayloadBytes: number): Outcome {
  const parser = new AudioSocketParser({ maxPayloadBytes });
  const frames: AudioSocketFrame[] = [];
  let error: string | undefined;
  for (const c of chunks) {
    const r = parser.push(c);
    frames.push(...r.frames);
    error ??= r.error?.code;
    assert.ok(parser.bufferedBytes <= HEADER_BYTES + parser.maxPayloadBytes, `holds ${parser.bufferedBytes} bytes: more than one frame`);
  }
  return { frames, error, finish: parser.finish()?.code };
}

function reencode(f: AudioSocketFrame): Buffer | undefined {
  switch (f.kind) {
    case 'hangup':
      return undefined; // a payload on a hang-up is ignored
    case 'uuid':
      return encodeUuid(f.uuid);
    case 'auth':
      return encodeFrame(0x02, f.secret);
    case 'audio':
      return encodeAudio(f.pcm, f.sampleRateHz);
    case 'error':
      return encodeFrame(KIND_ERROR, Buffer.concat([Buffer.from([f.code]), Buffer.from(f.detail, 'latin1')]));
    case 'dtmf':
      return undefined; // 'a'-'d' read as 'A'-'D'
  }
}

test('fuzz: the AudioSocket parser gives the same frames and error however the stream is cut, bounded, re-encodable', (t) => {
  fuzzSync(
    t,
    'audiosocket-framing',
    fc.tuple(fuzzInput(CONVERSATIONS, { dictionary: DICTIONARY, maxRandomBytes: 600 }), cutPoints(), fc.constantFrom(32 * 1024, 1000, 64)),
    ([bytes, cuts, maxPayloadBytes]) => {
      const whole = run([bytes], maxPayloadBytes);
      const chunked = run(splitAt(bytes, cuts), maxPayloadBytes);
      assert.deepEqual(chunked, whole);
      let consumed = 0;
      for (const f of whole.frames) {
        const length = HEADER_BYTES + bytes.readUInt16BE(consumed + 1);
        const again = reencode(f);
        // (an empty error frame reads as code 0: it re-encodes one byte longer)
        if (again && !(f.kind === 'error' && length === HEADER_BYTES)) assert.deepEqual(again, bytes.subarray(consumed, consumed + length), `${f.kind} frame re-encodes to its bytes`);
        consumed += length;
      }
      if (!whole.error) assert.equal(whole.finish === undefined, consumed === bytes.length, 'finish() reports exactly a stream cut inside a frame');
    },
    { shortRuns: 3000 },
  );
});
