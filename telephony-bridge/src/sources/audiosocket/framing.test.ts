import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AUDIOSOCKET_KIND_RATES,
  AudioSocketParser,
  encodeAudio,
  encodeAuth,
  encodeDtmf,
  encodeError,
  encodeFrame,
  encodeHangup,
  encodeUuid,
  type AudioSocketFrame,
} from './framing.ts';

const UUID = '4f1c2a9e-7b3d-4c55-9a10-0123456789ab';

function ramp(n: number, step = 97): Int16Array {
  return Int16Array.from({ length: n }, (_, i) => ((i * step) % 65536) - 32768);
}

/** A session with every kind once, as one byte stream. */
function session(): { bytes: Buffer; expected: AudioSocketFrame[] } {
  const pcm8 = ramp(160);
  const parts: Array<[Buffer, AudioSocketFrame]> = [
    [encodeAuth('s3cret'), { kind: 'auth', secret: Buffer.from('s3cret') }],
    [encodeUuid(UUID), { kind: 'uuid', uuid: UUID, bytes: Buffer.from(UUID.replace(/-/g, ''), 'hex') }],
    [encodeAudio(pcm8, 8000), { kind: 'audio', sampleRateHz: 8000, pcm: pcm8 }],
    [encodeDtmf('5'), { kind: 'dtmf', digit: '5' }],
    [encodeDtmf('#'), { kind: 'dtmf', digit: '#' }],
    [encodeDtmf('b'), { kind: 'dtmf', digit: 'B' }],
    [encodeError(0x02, 'x'), { kind: 'error', code: 0x02, detail: 'x' }],
  ];
  for (const [kind, rate] of AUDIOSOCKET_KIND_RATES) {
    const pcm = ramp(rate / 50, kind);
    parts.push([encodeAudio(pcm, rate), { kind: 'audio', sampleRateHz: rate, pcm }]);
  }
  parts.push([encodeFrame(0x10), { kind: 'audio', sampleRateHz: 8000, pcm: new Int16Array(0) }]);
  parts.push([encodeHangup(), { kind: 'hangup' }]);
  return { bytes: Buffer.concat(parts.map((p) => p[0])), expected: parts.map((p) => p[1]) };
}

test('the kind table is 0x10 = 8 kHz then 0x11-0x18 = 12/16/24/32/44.1/48/96/192 kHz', () => {
  assert.deepEqual([...AUDIOSOCKET_KIND_RATES], [
    [0x10, 8000], [0x11, 12000], [0x12, 16000], [0x13, 24000], [0x14, 32000], [0x15, 44100], [0x16, 48000], [0x17, 96000], [0x18, 192000],
  ]);
  assert.deepEqual([...encodeAudio(new Int16Array([1, -2]), 16000)], [0x12, 0, 4, 1, 0, 0xfe, 0xff], 'kind, big-endian length, little-endian samples');
  assert.deepEqual([...encodeHangup()], [0, 0, 0]);
});

test('every kind decodes whole, split in two at every 7th byte, and in random 1-40 byte chunks', () => {
  const { bytes, expected } = session();
  const whole = new AudioSocketParser({ maxPayloadBytes: 8000 }).push(bytes);
  assert.equal(whole.error, undefined);
  assert.deepEqual(whole.frames, expected);

  for (let cut = 1; cut < bytes.length; cut += 7) {
    const parser = new AudioSocketParser({ maxPayloadBytes: 8000 });
    const a = parser.push(bytes.subarray(0, cut));
    const b = parser.push(bytes.subarray(cut));
    assert.deepEqual([...a.frames, ...b.frames], expected, `split at ${cut}`);
    assert.equal(parser.finish(), undefined);
  }

  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let round = 0; round < 20; round++) {
    const parser = new AudioSocketParser({ maxPayloadBytes: 8000 });
    const frames: AudioSocketFrame[] = [];
    for (let at = 0; at < bytes.length; ) {
      const n = 1 + Math.floor(rand() * 40);
      frames.push(...parser.push(bytes.subarray(at, at + n)).frames);
      at += n;
    }
    assert.deepEqual(frames, expected, `random chunking round ${round}`);
  }
});

test('byte-by-byte feeding gives frames exactly when their last byte arrives', () => {
  const parser = new AudioSocketParser();
  const bytes = Buffer.concat([encodeUuid(UUID), encodeAudio(ramp(160))]);
  const at: number[] = [];
  bytes.forEach((_, i) => {
    if (parser.push(bytes.subarray(i, i + 1)).frames.length > 0) at.push(i);
  });
  assert.deepEqual(at, [18, bytes.length - 1]);
  assert.equal(parser.bufferedBytes, 0);
});

test('an oversized frame is refused from its header, before the payload arrives; frames before it survive', () => {
  const parser = new AudioSocketParser({ maxPayloadBytes: 640 });
  const good = encodeAudio(ramp(320));
  const header = Buffer.from([0x10, 0x02, 0x82]); // 642 bytes announced
  const result = parser.push(Buffer.concat([good, header]));
  assert.equal(result.frames.length, 1, 'the 640-byte frame before it is delivered');
  assert.equal(result.error?.code, 'EARPIECE_BRIDGE_AUDIOSOCKET_FRAME_TOO_LARGE');
  assert.match(result.error!.message, /642 bytes.*640-byte limit/);
  assert.equal(parser.push(encodeHangup()).frames.length, 0, 'a failed parser takes nothing more');
  assert.equal(new AudioSocketParser({ maxPayloadBytes: 1 << 20 }).maxPayloadBytes, 0xffff, 'capped at the 16-bit length');
});

test('unknown kinds and malformed payloads are coded errors', () => {
  const cases: Array<[Buffer, string, RegExp]> = [
    [encodeFrame(0x04, Buffer.from([1])), 'EARPIECE_BRIDGE_AUDIOSOCKET_UNKNOWN_KIND', /0x04/],
    [encodeFrame(0x19), 'EARPIECE_BRIDGE_AUDIOSOCKET_UNKNOWN_KIND', /0x19/],
    [Buffer.from('GET / HTTP/1.1\r\n'), 'EARPIECE_BRIDGE_AUDIOSOCKET_UNKNOWN_KIND', /0x47/],
    [encodeFrame(0x01, Buffer.alloc(15)), 'EARPIECE_BRIDGE_AUDIOSOCKET_BAD_FRAME', /16 bytes, got 15/],
    [encodeFrame(0x03, Buffer.from('x')), 'EARPIECE_BRIDGE_AUDIOSOCKET_BAD_FRAME', /DTMF byte 0x78/],
    [encodeFrame(0x03, Buffer.from('12')), 'EARPIECE_BRIDGE_AUDIOSOCKET_BAD_FRAME', /1 byte, got 2/],
    [encodeFrame(0x10, Buffer.alloc(3)), 'EARPIECE_BRIDGE_AUDIOSOCKET_BAD_FRAME', /even byte count/],
  ];
  for (const [bytes, code, message] of cases) {
    const { frames, error } = new AudioSocketParser().push(bytes);
    assert.deepEqual(frames, []);
    assert.equal(error?.code, code, bytes.toString('hex'));
    assert.match(error!.message, message);
  }
});

test('a stream that ends inside a frame reports the truncation; a clean end reports nothing', () => {
  const parser = new AudioSocketParser();
  const bytes = Buffer.concat([encodeUuid(UUID), encodeAudio(ramp(160))]);
  assert.equal(parser.push(bytes.subarray(0, bytes.length - 10)).frames.length, 1);
  const err = parser.finish();
  assert.equal(err?.code, 'EARPIECE_BRIDGE_AUDIOSOCKET_TRUNCATED');
  assert.match(err!.message, /313 bytes/);
  const header = new AudioSocketParser();
  header.push(Buffer.from([0x10, 0x01]));
  assert.equal(header.finish()?.code, 'EARPIECE_BRIDGE_AUDIOSOCKET_TRUNCATED', 'half a header counts too');
  assert.equal(new AudioSocketParser().finish(), undefined);
});

test('a different kind table (the intermediate 0x11 = slin16 header) is honoured both ways', () => {
  const rates = new Map([[0x10, 8000], [0x11, 16000]]);
  const pcm = ramp(320);
  const bytes = encodeAudio(pcm, 16000, rates);
  assert.equal(bytes[0], 0x11);
  const { frames } = new AudioSocketParser({ kindRates: rates }).push(bytes);
  assert.deepEqual(frames, [{ kind: 'audio', sampleRateHz: 16000, pcm }]);
  assert.equal(new AudioSocketParser({ kindRates: rates }).push(encodeFrame(0x12, Buffer.alloc(2))).error?.code, 'EARPIECE_BRIDGE_AUDIOSOCKET_UNKNOWN_KIND');
});
