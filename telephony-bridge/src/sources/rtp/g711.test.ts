import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeG711, encodeG711 } from './g711.ts';

// Reference decoders written from the ITU-T G.711 bit layout (the classic Sun g711.c), independent of alawmulaw.
function ulawRef(u: number): number {
  u = ~u & 0xff;
  const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return u & 0x80 ? 0x84 - t : t - 0x84;
}
function alawRef(a: number): number {
  a ^= 0x55;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return a & 0x80 ? t : -t;
}

const allBytes = Uint8Array.from({ length: 256 }, (_, i) => i);

test('PCMU decodes the G.711 table values', () => {
  const pcm = decodeG711('PCMU', Uint8Array.of(0x00, 0x80, 0xff, 0x7f, 0x0f, 0xf0));
  assert.deepEqual([...pcm], [-32124, 32124, 0, 0, -16764, 120]);
  assert.deepEqual([...decodeG711('PCMU', allBytes)], [...allBytes].map(ulawRef));
});

test('PCMA decodes the G.711 table values', () => {
  const pcm = decodeG711('PCMA', Uint8Array.of(0xd5, 0x55, 0xaa, 0x2a, 0x80, 0x00));
  assert.deepEqual([...pcm], [8, -8, 32256, -32256, 5504, -5504]);
  assert.deepEqual([...decodeG711('PCMA', allBytes)], [...allBytes].map(alawRef));
});

test('decoding a Buffer view and an empty payload', () => {
  const datagram = Buffer.from([1, 2, 3, 0xff, 0x00]);
  assert.deepEqual([...decodeG711('PCMU', datagram.subarray(3))], [0, -32124]);
  assert.equal(decodeG711('PCMA', new Uint8Array(0)).length, 0);
});

test('encode then decode stays within G.711 quantization error', () => {
  const pcm = Int16Array.from({ length: 800 }, (_, i) => Math.round(20000 * Math.sin((2 * Math.PI * 440 * i) / 8000)));
  for (const codec of ['PCMU', 'PCMA'] as const) {
    const back = decodeG711(codec, encodeG711(codec, pcm));
    assert.equal(back.length, pcm.length);
    for (let i = 0; i < pcm.length; i++) {
      // Logarithmic steps: the error grows with the amplitude, at most ~1/16 of it (plus the small-signal step).
      assert.ok(Math.abs(back[i]! - pcm[i]!) <= Math.abs(pcm[i]!) / 16 + 16, `${codec} sample ${i}: ${pcm[i]} -> ${back[i]}`);
    }
  }
});
