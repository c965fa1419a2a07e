/**
 * Fuzz: the ingest protocol's edge. Binary audio frames (valid frames mutated byte-wise, random
 * bytes): decodeAudioFrame returns a frame that re-encodes to the same bytes or throws
 * AudioFrameError. Control messages (valid call.start/stop/dtmf/hold with fields replaced by any
 * JSON value, mutated JSON text, random text): the zod schema never throws, and what it accepts
 * keeps the limits the server relies on. Short counts in CI; EARPIECE_SOAK=1 runs 100,000 cases each.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fuzzSync, returnsOrThrowsTyped } from '../testing/fuzz-harness.ts';
import { fuzzInput } from '../testing/fuzz-mutations.ts';
import { controlText } from '../testing/fuzz-ingest.ts';
import { AUDIO_FRAME_HEADER_BYTES, AudioFrameError, decodeAudioFrame, encodeAudioFrame, IngestClientMessage, MAX_AUDIO_FRAME_PAYLOAD_BYTES } from './ingest.ts';

const FRAME_SAMPLES = [
  encodeAudioFrame({ role: 'agent', seq: 0, offsetSamples: 0, pcm: new Int16Array(160).fill(1000) }),
  encodeAudioFrame({ role: 'customer', seq: 0xffffffff, offsetSamples: 2 ** 40 + 7, pcm: new Int16Array(3).fill(-32768) }),
  encodeAudioFrame({ role: 'customer', seq: 12, offsetSamples: 3840, pcm: new Int16Array(0) }),
];

test('fuzz: decodeAudioFrame returns a frame that re-encodes to its bytes, or throws AudioFrameError', (t) => {
  fuzzSync(
    t,
    'ingest-audio-frame',
    fuzzInput(FRAME_SAMPLES, { dictionary: ['\x01\x00', '\x01\x01', '\x01\x02', '\xff\xff\xff\xff', '\x00\x20\x00\x00\x00\x00\x00\x00'], maxRandomBytes: 96 }),
    (bytes) => {
      const frame = returnsOrThrowsTyped(() => decodeAudioFrame(bytes), (err) => err instanceof AudioFrameError, 'decodeAudioFrame');
      if (!frame) return;
      assert.ok(Number.isSafeInteger(frame.offsetSamples), 'offsetSamples is an exact integer');
      assert.ok(frame.pcm.length * 2 <= MAX_AUDIO_FRAME_PAYLOAD_BYTES);
      const expected = Buffer.from(bytes);
      expected.writeUInt16BE(0, 2); // reserved: ignored when read, written as 0
      assert.deepEqual(Buffer.from(encodeAudioFrame(frame)), expected);
      assert.equal(encodeAudioFrame(frame).length, AUDIO_FRAME_HEADER_BYTES + frame.pcm.length * 2);
    },
    { shortRuns: 3000 },
  );
});

test('fuzz: control messages: the schema never throws, and what it accepts is within the limits', (t) => {
  fuzzSync(
    t,
    'ingest-control-json',
    controlText(),
    (text) => {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return; // the route answers EARPIECE_INGEST_BAD_JSON
      }
      const parsed = IngestClientMessage.safeParse(value);
      if (!parsed.success) return;
      const m = parsed.data;
      assert.match(m.callId, /^[A-Za-z0-9._:@-]{1,128}$/);
      if (m.type === 'call.start') {
        assert.ok(m.legs.length >= 1 && m.legs.length <= 2 && new Set(m.legs.map((l) => l.role)).size === m.legs.length);
        for (const l of m.legs) assert.ok(Number.isInteger(l.sampleRateHz) && l.sampleRateHz >= 8000 && l.sampleRateHz <= 48000);
      }
      if (m.type === 'call.dtmf') assert.ok(Number.isFinite(m.offsetMs) && m.offsetMs >= 0);
    },
    { shortRuns: 3000 },
  );
});
