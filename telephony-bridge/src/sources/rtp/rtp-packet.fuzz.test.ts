/**
 * Fuzz: RTP/RTCP. The packet parser (valid G.711, telephone-event, CSRC, extension and padding
 * packets mutated byte-wise, RTCP-looking datagrams, random bytes), the RFC 4733 tracker, the
 * jitter buffer fed hostile sequence numbers, timestamps, SSRCs and arrival times (bounded memory,
 * output never overlapping), and a live RtpSession on real UDP sockets taking random datagrams on
 * its RTP and RTCP ports (each one counted exactly once, nothing thrown). Short counts in CI;
 * EARPIECE_SOAK=1 runs 100,000 cases each.
 */
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { test } from 'node:test';
import fc from 'fast-check';
import { fuzzAsync, fuzzSync, returnsOrThrowsTyped } from '../../../../assist-server/src/testing/fuzz-harness.ts';
import { fuzzInput } from '../../../../assist-server/src/testing/fuzz-mutations.ts';
import { BridgeError } from '../../core/errors.ts';
import { DtmfTracker, encodeTelephoneEvent } from './dtmf.ts';
import { JitterBuffer, type JitterFrame } from './jitter-buffer.ts';
import { encodeRtpPacket, looksLikeRtcp, parseRtpPacket } from './rtp-packet.ts';
import { closeQuietly, RtpPortPool } from './rtp-port-pool.ts';
import { RtpSession } from './rtp-session.ts';
import { findFreePortRange } from './test-ports.ts';

const payload = (n: number, fill = 0xff) => new Uint8Array(n).fill(fill);
const RTP_SAMPLES: Uint8Array[] = [
  encodeRtpPacket({ payloadType: 0, sequenceNumber: 1, timestamp: 160, ssrc: 0x1234, payload: payload(160) }),
  encodeRtpPacket({ payloadType: 8, sequenceNumber: 65535, timestamp: 0xffffff60, ssrc: 0xdeadbeef, payload: payload(160, 0xd5), marker: true }),
  encodeRtpPacket({ payloadType: 101, sequenceNumber: 7, timestamp: 800, ssrc: 9, payload: encodeTelephoneEvent({ event: 5, end: true, volume: 10, duration: 800 }) }),
  encodeRtpPacket({ payloadType: 0, sequenceNumber: 2, timestamp: 320, ssrc: 0x1234, payload: payload(80), csrcs: [1, 2, 3], extension: { profile: 0xbede, data: payload(8, 1) }, paddingBytes: 4 }),
  // RTCP sender report + SDES (rtcp-mux on the RTP port)
  Buffer.from('80c8000600001234e5c1e0a000000000000000a00000000100000040' + '81ca000300001234010474657374', 'hex'),
];
const RTP_DICTIONARY = ['\x80', '\xbf', '\x90\x00', '\xa0', '\x8f', '\xff\xff', '\x00\x00\x00\x00', '\xbe\xde\xff\xff'];

const isBridgeError = (err: unknown) => err instanceof BridgeError;

test('fuzz: parseRtpPacket returns a packet inside the datagram or throws BridgeError; a packet re-encodes to the same fields', (t) => {
  fuzzSync(
    t,
    'rtp-packet',
    fuzzInput(RTP_SAMPLES, { dictionary: RTP_DICTIONARY, maxRandomBytes: 256 }),
    (bytes) => {
      looksLikeRtcp(bytes);
      const p = returnsOrThrowsTyped(() => parseRtpPacket(bytes), isBridgeError, 'parseRtpPacket');
      if (!p) return;
      assert.ok(p.payload.byteOffset >= bytes.byteOffset + 12 && p.payload.byteOffset + p.payload.length <= bytes.byteOffset + bytes.length, 'payload is a view inside the datagram');
      const again = parseRtpPacket(
        encodeRtpPacket({
          payloadType: p.payloadType,
          sequenceNumber: p.sequenceNumber,
          timestamp: p.timestamp,
          ssrc: p.ssrc,
          payload: p.payload,
          marker: p.marker,
          csrcs: p.csrcs,
          ...(p.extension ? { extension: p.extension } : {}),
          paddingBytes: p.padding ? bytes.length - (p.payload.byteOffset - bytes.byteOffset) - p.payload.length : 0,
        }),
      );
      assert.deepEqual(
        [again.payloadType, again.sequenceNumber, again.timestamp, again.ssrc, again.marker, again.csrcs, Buffer.from(again.payload)],
        [p.payloadType, p.sequenceNumber, p.timestamp, p.ssrc, p.marker, p.csrcs, Buffer.from(p.payload)],
      );
    },
    { shortRuns: 4000 },
  );
});

test('fuzz: DtmfTracker takes any telephone-event packets (BridgeError only for a short payload)', (t) => {
  const packet = fc.record({ ssrc: fc.constantFrom(1, 2), timestamp: fc.integer({ min: 0, max: 5 }).map((n) => n * 800), payload: fc.uint8Array({ maxLength: 8 }) });
  fuzzSync(
    t,
    'rtp-dtmf',
    fc.array(packet, { maxLength: 40 }),
    (packets) => {
      const tracker = new DtmfTracker(8000);
      for (const p of packets) {
        const digits = returnsOrThrowsTyped(() => tracker.push(p.ssrc, p.timestamp, p.payload), (err) => isBridgeError(err) && p.payload.length < 4, 'DtmfTracker.push');
        for (const d of digits ?? []) assert.match(d.digit, /^[0-9*#A-D]$/);
      }
      tracker.flush();
    },
    { shortRuns: 2000 },
  );
});

test('fuzz: the jitter buffer under hostile sequence numbers, timestamps, SSRCs and arrival times: bounded, never overlapping output', (t) => {
  const entry = fc.record({
    ssrc: fc.constantFrom(1, 1, 1, 2, 0xffffffff),
    seqStep: fc.oneof(fc.constant(1), fc.integer({ min: -200, max: 200 }), fc.integer({ min: 0, max: 65535 })),
    tsStep: fc.oneof(fc.constant(160), fc.integer({ min: -100_000, max: 100_000 }), fc.nat()),
    samples: fc.oneof(fc.constant(160), fc.integer({ min: 0, max: 480 })),
    audio: fc.boolean(),
    dtMs: fc.oneof(fc.constant(20), fc.integer({ min: 0, max: 3000 })),
  });
  fuzzSync(
    t,
    'rtp-jitter-buffer',
    fc.array(entry, { minLength: 1, maxLength: 120 }),
    (entries) => {
      const jb = new JitterBuffer({ jitterDelayMs: 60, clockRateHz: 8000, maxPackets: 50 });
      let seq = 0;
      let ts = 0;
      let now = 0;
      let end = 0;
      const take = (frames: JitterFrame[]) => {
        for (const f of frames) {
          assert.ok(f.offsetSamples >= end, `frame at ${f.offsetSamples} overlaps output up to ${end}`);
          assert.ok(f.pcm.length <= 8000 * 2, 'a frame is at most a couple of seconds');
          end = f.offsetSamples + f.pcm.length;
        }
      };
      for (const e of entries) {
        seq = (seq + e.seqStep) & 0xffff;
        ts = (ts + e.tsStep) >>> 0;
        now += e.dtMs;
        take(jb.push({ ssrc: e.ssrc, sequenceNumber: seq, timestamp: ts, pcm: e.audio ? new Int16Array(e.samples) : null }, now));
        assert.ok(jb.waiting <= 50, 'no more packets waiting than maxPackets');
        jb.offsetOf(e.ssrc, ts);
        const deadline = jb.nextDeadline();
        if (deadline !== null && e.dtMs > 100) take(jb.poll(deadline));
      }
      take(jb.flush());
      assert.equal(jb.waiting, 0);
    },
    { shortRuns: 1500 },
  );
});

test('fuzz: a live RtpSession takes random datagrams on its RTP and RTCP ports: each counted once, nothing thrown', async (t) => {
  const base = await findFreePortRange(2);
  const pool = new RtpPortPool({ host: '127.0.0.1', minPort: base, maxPort: base + 3 });
  const session = await RtpSession.open({ pool, payloadTypes: { 0: { codec: 'PCMU', clockRateHz: 8000 }, 8: { codec: 'PCMA', clockRateHz: 8000 }, 101: { codec: 'telephone-event', clockRateHz: 8000 } } });
  let samples = 0;
  session.on('audio', (pcm) => (samples += pcm.length));
  const sender: Socket = createSocket('udp4');
  await new Promise<void>((r) => sender.bind({ address: '127.0.0.1', port: 0 }, () => r()));
  t.after(async () => {
    await session.close();
    await closeQuietly(sender);
  });
  const send = (buf: Uint8Array, port: number) => new Promise<void>((resolve, reject) => sender.send(buf, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  const counted = () => {
    const s = session.stats;
    // A telephone-event packet too short to read is taken (its sequence number) and rejected: counted in both.
    return s.packetsReceived + s.packetsRejected + s.rtcpPackets - (s.rejectReasons['EARPIECE_BRIDGE_RTP_BAD_DTMF'] ?? 0);
  };
  let sent = 0;
  await fuzzAsync(
    t,
    'rtp-session-udp',
    fc.array(fc.tuple(fuzzInput(RTP_SAMPLES, { dictionary: RTP_DICTIONARY, maxRandomBytes: 256 }), fc.boolean()), { minLength: 1, maxLength: 6 }),
    async (datagrams) => {
      for (const [bytes, toRtcp] of datagrams) {
        await send(bytes, toRtcp ? session.rtcpPort : session.port);
        sent++;
      }
      while (counted() < sent) await new Promise((r) => setImmediate(r));
      assert.equal(counted(), sent, 'every datagram is counted exactly once');
    },
    { shortRuns: 400, maxCaseMs: 5000 },
  );
  assert.ok(!session.closed);
  t.diagnostic(JSON.stringify({ datagrams: sent, samples, ...session.stats, jitterDelayMs: undefined, rejectReasons: undefined }));
});
