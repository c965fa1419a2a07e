import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { BridgeError } from '../../core/errors.ts';
import { encodeRtpPacket, looksLikeRtcp, parseRtpPacket, RtpErrorCode } from './rtp-packet.ts';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function assertCode(buf: Uint8Array, code: string): void {
  assert.throws(
    () => parseRtpPacket(buf),
    (err: unknown) => err instanceof BridgeError && err.code === code && /dropped/.test(err.message),
  );
}

test('parses a hand-built PCMU packet field by field', () => {
  // V=2 P=0 X=0 CC=0 | M=1 PT=0 | seq 0xfffe | ts 0xfffffff0 | ssrc 0x12345678 | 4 payload bytes
  const buf = hex('80 80 fffe fffffff0 12345678 01020304');
  const p = parseRtpPacket(buf);
  assert.equal(p.version, 2);
  assert.equal(p.marker, true);
  assert.equal(p.payloadType, 0);
  assert.equal(p.sequenceNumber, 0xfffe);
  assert.equal(p.timestamp, 0xfffffff0);
  assert.equal(p.ssrc, 0x12345678);
  assert.deepEqual(p.csrcs, []);
  assert.equal(p.extension, null);
  assert.deepEqual([...p.payload], [1, 2, 3, 4]);
});

test('CSRC list, header extension and padding are stripped from the payload', () => {
  // V=2 P=1 X=1 CC=2 | PT=8 | seq 7 | ts 160 | ssrc 1 | csrc 0xaaaaaaaa 0xbbbbbbbb
  // | ext profile 0xbede, 1 word: 11223344 | payload 05 06 07 | padding 00 00 03
  const buf = hex('b2 08 0007 000000a0 00000001 aaaaaaaa bbbbbbbb bede0001 11223344 050607 000003');
  const p = parseRtpPacket(buf);
  assert.equal(p.padding, true);
  assert.equal(p.marker, false);
  assert.equal(p.payloadType, 8);
  assert.deepEqual(p.csrcs, [0xaaaaaaaa, 0xbbbbbbbb]);
  assert.equal(p.extension?.profile, 0xbede);
  assert.deepEqual([...p.extension!.data], [0x11, 0x22, 0x33, 0x44]);
  assert.deepEqual([...p.payload], [5, 6, 7]);
});

test('works on a view into a larger buffer (byteOffset is honoured)', () => {
  const inner = hex('80 00 0001 00000002 00000003 aabb');
  const outer = Buffer.concat([Buffer.from([9, 9, 9]), inner]);
  const p = parseRtpPacket(outer.subarray(3));
  assert.equal(p.sequenceNumber, 1);
  assert.equal(p.timestamp, 2);
  assert.equal(p.ssrc, 3);
  assert.deepEqual([...p.payload], [0xaa, 0xbb]);
});

test('encodeRtpPacket round-trips through the parser', () => {
  const payload = Uint8Array.from({ length: 160 }, (_, i) => i);
  const buf = encodeRtpPacket({
    payloadType: 101, sequenceNumber: 65535, timestamp: 0xffffffff, ssrc: 0xdeadbeef, payload, marker: true,
    csrcs: [42], extension: { profile: 0x1000, data: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) }, paddingBytes: 4,
  });
  const p = parseRtpPacket(buf);
  assert.equal(p.payloadType, 101);
  assert.equal(p.sequenceNumber, 65535);
  assert.equal(p.timestamp, 0xffffffff);
  assert.equal(p.ssrc, 0xdeadbeef);
  assert.deepEqual(p.csrcs, [42]);
  assert.deepEqual([...p.extension!.data], [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(new Uint8Array(p.payload), payload);
});

test('an empty payload is valid; padding may take every byte after the header', () => {
  assert.equal(parseRtpPacket(hex('80 00 0001 00000000 00000001')).payload.length, 0);
  assert.equal(parseRtpPacket(hex('a0 00 0001 00000000 00000001 0000 0003')).payload.length, 1);
  assert.equal(parseRtpPacket(hex('a0 00 0001 00000000 00000001 00000004')).payload.length, 0);
});

test('garbage is rejected with a coded BridgeError', () => {
  assertCode(new Uint8Array(0), RtpErrorCode.truncated);
  assertCode(hex('80 00 0001 00000000 000000'), RtpErrorCode.truncated); // 11 bytes
  assertCode(hex('40 00 0001 00000000 00000001 ff'), RtpErrorCode.badVersion); // version 1
  assertCode(hex('00 00 0001 00000000 00000001 ff'), RtpErrorCode.badVersion); // version 0
  assertCode(hex('c0 00 0001 00000000 00000001 ff'), RtpErrorCode.badVersion); // version 3
  assertCode(hex('83 00 0001 00000000 00000001 aaaaaaaa bbbbbbbb'), RtpErrorCode.truncated); // CC=3, 2 CSRCs present
  assertCode(hex('a0 00 0001 00000000 00000001 0102 09'), RtpErrorCode.badPadding); // padding 9 > 3 bytes
  assertCode(hex('a0 00 0001 00000000 00000001 0102 00'), RtpErrorCode.badPadding); // padding count 0
  assertCode(hex('a0 00 0001 00000000 00000001'), RtpErrorCode.badPadding); // P set, no byte after the header to hold padding
  assertCode(hex('90 00 0001 00000000 00000001 be'), RtpErrorCode.badExtension); // X set, 1 byte
  assertCode(hex('90 00 0001 00000000 00000001 bede 0002 11223344'), RtpErrorCode.badExtension); // 8 bytes announced, 4 there
  assertCode(hex('90 00 0001 00000000 00000001 bede ffff'), RtpErrorCode.badExtension);
});

test('random datagrams never crash the parser: they parse or throw a BridgeError', () => {
  let parsed = 0;
  for (let i = 0; i < 5000; i++) {
    const buf = randomBytes(i % 64);
    if (i % 2 === 0 && buf.length > 0) buf[0] = (buf[0]! & 0x3f) | 0x80; // half of them claim version 2
    try {
      const p = parseRtpPacket(buf);
      parsed++;
      assert.ok(p.payload.byteOffset + p.payload.length <= buf.byteOffset + buf.length);
    } catch (err) {
      assert.ok(err instanceof BridgeError, String(err));
      assert.match(err.code, /^EARPIECE_BRIDGE_RTP_/);
    }
  }
  assert.ok(parsed > 0);
});

test('looksLikeRtcp spots RTCP (PT 200-204) but not RTP with a dynamic payload type', () => {
  const rr = hex('81 c9 0007 12345678 00000000 00000000 00000000 00000000 00000000 00000000'); // RR, 1 block
  assert.equal(looksLikeRtcp(rr), true);
  assert.equal(looksLikeRtcp(hex('80 c8 0006 12345678 0000000000000000')), true); // SR
  assert.equal(looksLikeRtcp(encodeRtpPacket({ payloadType: 101, sequenceNumber: 1, timestamp: 1, ssrc: 1, payload: new Uint8Array(4), marker: true })), false);
  assert.equal(looksLikeRtcp(encodeRtpPacket({ payloadType: 0, sequenceNumber: 1, timestamp: 1, ssrc: 1, payload: new Uint8Array(4) })), false);
});
