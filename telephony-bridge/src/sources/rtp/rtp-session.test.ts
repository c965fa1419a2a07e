import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import pkg from 'alawmulaw';
import { synthesizeSpeech } from '../../../../assist-server/src/testing/speech-audio.ts';
import { encodeTelephoneEvent } from './dtmf.ts';
import { encodeRtpPacket } from './rtp-packet.ts';
import { closeQuietly, RtpPortPool } from './rtp-port-pool.ts';
import { RtpSession, type RtpPayloadMap } from './rtp-session.ts';
import { findFreePortRange, waitFor } from './test-ports.ts';

const { alaw, mulaw } = pkg;
const PAYLOADS: RtpPayloadMap = {
  0: { codec: 'PCMU', clockRateHz: 8000 },
  8: { codec: 'PCMA', clockRateHz: 8000 },
  101: { codec: 'telephone-event', clockRateHz: 8000 },
};

interface Received {
  pcm: Int16Array[];
  offsets: number[];
  samples: number;
  digits: Array<[string, number, number]>;
  timeouts: number;
}

async function openSession(t: TestContext, options: Partial<Parameters<typeof RtpSession.open>[0]> = {}) {
  const base = await findFreePortRange(4);
  const pool = new RtpPortPool({ host: '127.0.0.1', minPort: base, maxPort: base + 7 });
  const session = await RtpSession.open({ pool, payloadTypes: PAYLOADS, ...options });
  const got: Received = { pcm: [], offsets: [], samples: 0, digits: [], timeouts: 0 };
  session.on('audio', (pcm, offset) => {
    got.pcm.push(pcm);
    got.offsets.push(offset);
    got.samples += pcm.length;
  });
  session.on('dtmf', (digit, offsetMs, durationMs) => got.digits.push([digit, offsetMs, durationMs]));
  session.on('timeout', () => got.timeouts++);
  const senders: Socket[] = [];
  t.after(async () => {
    await session.close();
    await Promise.all(senders.map(closeQuietly));
  });
  const sender = async (address = '127.0.0.1'): Promise<(buf: Uint8Array, port?: number) => Promise<void>> => {
    const s = createSocket('udp4');
    senders.push(s);
    await new Promise<void>((r) => s.bind({ address, port: 0 }, () => r()));
    return (buf, port = session.port) => new Promise((resolve, reject) => s.send(buf, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  };
  return { pool, session, got, sender };
}

function assertContiguous(got: Received): Int16Array {
  let at = 0;
  got.offsets.forEach((o, i) => {
    assert.equal(o, at, `audio event ${i} starts where the previous one ended`);
    at += got.pcm[i]!.length;
  });
  const all = new Int16Array(at);
  got.pcm.forEach((p, i) => all.set(p, got.offsets[i]!));
  return all;
}

test('real UDP: reordering, loss, duplicates, late packets, an SSRC change, garbage, RTCP and DTMF', async (t) => {
  const speech = await synthesizeSpeech('please check my account balance', { sampleRateHz: 8000, padStartMs: 0, padEndMs: 0 });
  const frame = (k: number): Int16Array => speech.pcm.subarray(k * 160, (k + 1) * 160);
  assert.ok(speech.pcm.length >= 45 * 160);
  const { session, got, sender, pool } = await openSession(t, { jitterDelayMs: 150, allowedSources: ['127.0.0.1'] });
  const send = await sender('127.0.0.1');
  const stranger = await sender('127.0.0.2');

  // Stream A: PCMU, sequence and timestamp about to wrap. 30 audio packets, a 100 ms digit '5' after
  // the 15th (audio suppressed meanwhile, as Asterisk does), one comfort-noise packet (PT 13, unknown).
  const ssrcA = 0xaaaa0001;
  const T0 = 0xffffff00;
  const A: Array<{ buf: Buffer; audio?: { k: number; offset: number; payload: Uint8Array } }> = [];
  let seq = 65530;
  const next = (): number => seq++ & 0xffff;
  for (let k = 0; k < 30; k++) {
    if (k === 15) {
      for (const [duration, end] of [[160, false], [320, false], [480, false], [640, false], [800, true], [800, true], [800, true]] as const) {
        const payload = encodeTelephoneEvent({ event: 5, end, volume: 10, duration });
        A.push({ buf: encodeRtpPacket({ payloadType: 101, sequenceNumber: next(), timestamp: T0 + 15 * 160, ssrc: ssrcA, payload, marker: duration === 160 }) });
      }
    }
    if (k === 20) A.push({ buf: encodeRtpPacket({ payloadType: 13, sequenceNumber: next(), timestamp: T0 + 25 * 160, ssrc: ssrcA, payload: Uint8Array.of(40) }) });
    const offset = (k < 15 ? k : k + 5) * 160;
    const payload = mulaw.encode(frame(k));
    A.push({ buf: encodeRtpPacket({ payloadType: 0, sequenceNumber: next(), timestamp: T0 + offset, ssrc: ssrcA, payload }), audio: { k, offset, payload } });
  }
  const audioIndex = (k: number): number => A.findIndex((p) => p.audio?.k === k);
  const lost = new Set([9, 25, 26]);
  const lateK = 12;
  const order = A.map((_, i) => i).filter((i) => !lost.has(A[i]!.audio?.k ?? -1) && A[i]!.audio?.k !== lateK);
  const i3 = order.indexOf(audioIndex(3));
  [order[i3], order[i3 + 1]] = [order[i3 + 1]!, order[i3]!]; // 4 before 3
  order.splice(order.indexOf(audioIndex(6)), 0, audioIndex(6)); // 6 twice

  for (const [n, i] of order.entries()) {
    await send(A[i]!.buf);
    if (n === 10) {
      await send(Buffer.from('definitely not RTP, just some text in a datagram')); // version 1 as it happens
      await send(Uint8Array.of(0x80, 0x00, 0x01)); // truncated
      const overrun = encodeRtpPacket({ payloadType: 0, sequenceNumber: 1, timestamp: 1, ssrc: ssrcA, payload: new Uint8Array(10), paddingBytes: 1 });
      overrun[overrun.length - 1] = 0x7f; // padding longer than the packet
      await send(overrun);
      const rr = Buffer.concat([Buffer.from('81c90007aaaa0001', 'hex'), Buffer.alloc(24)]); // RTCP receiver report, one block
      await send(rr, session.rtcpPort); // on port+1
      await send(rr); // muxed on the RTP port
      await stranger(A[audioIndex(20)]!.buf); // a valid packet from a source not allowed
    }
  }
  const endA = (29 + 5 + 1) * 160;
  await waitFor(() => got.samples >= endA, 'stream A played out');
  await send(A[audioIndex(lateK)]!.buf); // after its play-out point
  await waitFor(() => session.stats.packetsLate === 1, 'the late packet counted');

  // Stream B: new SSRC (a transfer), PCMA, its second packet overtakes its first; then an old A straggler.
  const ssrcB = 0xbbbb0002;
  const B = Array.from({ length: 15 }, (_, j) => {
    const payload = alaw.encode(frame(30 + j));
    return { payload, buf: encodeRtpPacket({ payloadType: 8, sequenceNumber: 1000 + j, timestamp: 777_000 + j * 160, ssrc: ssrcB, payload }) };
  });
  await send(B[1]!.buf);
  await send(B[0]!.buf);
  for (const b of B.slice(2)) await send(b.buf);
  await send(A[audioIndex(28)]!.buf);
  await waitFor(() => got.samples >= endA + 15 * 160, 'stream B played out');
  await waitFor(() => session.stats.packetsLate === 2, 'the straggler counted');

  // Expected: A's decoded audio at its timestamp offsets, silence for lost/late packets and the
  // digit, then B's right after A's last sample.
  const expected = new Int16Array(endA + 15 * 160);
  for (const p of A) if (p.audio && !lost.has(p.audio.k) && p.audio.k !== lateK) expected.set(mulaw.decode(p.audio.payload), p.audio.offset);
  B.forEach((b, j) => expected.set(alaw.decode(b.payload), endA + j * 160));
  const out = assertContiguous(got);
  assert.equal(out.length, expected.length);
  assert.deepEqual(out, expected);
  const at = (k: number): number => (k < 15 ? k : k + 5) * 160;
  for (const k of [...lost, lateK]) assert.ok(out.subarray(at(k), at(k) + 160).every((s) => s === 0), `silence where packet ${k} was`);
  assert.ok(out.subarray(at(15) - 800, at(15)).every((s) => s === 0), 'silence while the digit was pressed');
  for (const k of [8, 10, 11, 13, 14, 24, 27]) assert.ok(out.subarray(at(k), at(k) + 160).some((s) => s !== 0), `speech in packet ${k}`);

  assert.deepEqual(got.digits, [['5', 300, 100]]);
  const rtpSent = order.length + 1 /* late */ + 15 + 1 /* straggler */;
  const s = session.stats;
  assert.deepEqual(
    { ...s, jitterDelayMs: undefined },
    {
      packetsReceived: rtpSent - 1 /* comfort noise */,
      packetsLost: 4, // 9, 12, 25, 26
      packetsLate: 2,
      packetsDuplicate: 1,
      packetsRejected: 5,
      ssrcChanges: 1,
      jitterDelayMs: undefined,
      rejectReasons: {
        EARPIECE_BRIDGE_RTP_BAD_VERSION: 1,
        EARPIECE_BRIDGE_RTP_TRUNCATED: 1,
        EARPIECE_BRIDGE_RTP_BAD_PADDING: 1,
        'source-not-allowed': 1,
        'payload-type-13': 1,
      },
      rtcpPackets: 2,
      dtmfEvents: 1,
      resyncs: 0,
      timestampJumps: 0,
      concealedSamples: 4 * 160 + 800,
    },
  );
  assert.ok(s.jitterDelayMs.p50 !== null && s.jitterDelayMs.p50 >= 0);
  assert.ok(s.jitterDelayMs.p95 !== null && s.jitterDelayMs.p95 >= 100 && s.jitterDelayMs.p95 < 1000, `p95 ${s.jitterDelayMs.p95}`);

  const port = session.port;
  await Promise.all([session.close(), session.close()]);
  assert.equal(pool.inUse, 0);
  assert.equal(got.samples, expected.length, 'nothing more after close');
  const again = await pool.acquire(); // the port is really free
  assert.ok(again.port >= port - 6 && again.port <= port + 6);
  await Promise.all([closeQuietly(again.rtp), closeQuietly(again.rtcp)]);
});

test('close flushes what the jitter buffer holds, then frees the port', async (t) => {
  const { session, got, sender, pool } = await openSession(t, { jitterDelayMs: 60_000 });
  const send = await sender();
  const pcm = Int16Array.from({ length: 480 }, (_, i) => Math.round(8000 * Math.sin(i / 5)));
  const pkts = [0, 1, 2].map((j) => encodeRtpPacket({ payloadType: 0, sequenceNumber: 7 + j, timestamp: 1000 + 160 * j, ssrc: 5, payload: mulaw.encode(pcm.subarray(160 * j, 160 * j + 160)) }));
  await send(pkts[2]!);
  await send(pkts[0]!);
  await waitFor(() => session.stats.packetsReceived === 2, 'both packets received');
  assert.equal(got.samples, 0);
  await session.close();
  const out = assertContiguous(got);
  const expected = mulaw.decode(mulaw.encode(pcm));
  expected.fill(0, 160, 320);
  assert.deepEqual(out, expected);
  assert.equal(session.stats.packetsLost, 1);
  assert.equal(pool.inUse, 0);
  await send(pkts[1]!); // to a closed port: nothing happens
});

test('media timeout: fires once after silence, never while held, and packets keep it away', async (t) => {
  const { session, got, sender } = await openSession(t, { mediaTimeoutMs: 300 });
  const send = await sender();
  session.setHeld(true);
  const held = Date.now();
  await waitFor(() => Date.now() - held > 700, '700 ms on hold', 2000);
  assert.equal(got.timeouts, 0, 'no timeout on hold');
  session.setHeld(false);
  // Packets every 30 ms for 450 ms keep the call alive.
  let lastSentAt = 0;
  for (let i = 0; i < 15; i++) {
    await send(encodeRtpPacket({ payloadType: 0, sequenceNumber: i, timestamp: i * 160, ssrc: 9, payload: new Uint8Array(160).fill(0xff) }));
    lastSentAt = Date.now();
    await waitFor(() => Date.now() - lastSentAt >= 30, '30 ms', 1000);
  }
  assert.equal(got.timeouts, 0, 'no timeout while packets flow');
  await waitFor(() => got.timeouts === 1, 'the media timeout', 2000);
  assert.ok(Date.now() - lastSentAt >= 295, 'not before the timeout');
  const stopped = Date.now();
  await waitFor(() => Date.now() - stopped > 900, 'three more timeout periods', 2000);
  assert.equal(got.timeouts, 1, 'once');
});

test('setPayloadTypes follows a re-INVITE that renumbers the codec', async (t) => {
  const { session, got, sender } = await openSession(t, { jitterDelayMs: 20 });
  const send = await sender();
  const payload = alaw.encode(Int16Array.from({ length: 160 }, (_, i) => i * 50));
  await send(encodeRtpPacket({ payloadType: 96, sequenceNumber: 1, timestamp: 0, ssrc: 3, payload }));
  await waitFor(() => session.stats.packetsRejected === 1, 'PT 96 rejected before the re-INVITE');
  session.setPayloadTypes({ 96: { codec: 'PCMA', clockRateHz: 8000 } });
  await send(encodeRtpPacket({ payloadType: 96, sequenceNumber: 2, timestamp: 160, ssrc: 3, payload }));
  await send(encodeRtpPacket({ payloadType: 0, sequenceNumber: 3, timestamp: 320, ssrc: 3, payload }));
  await waitFor(() => got.samples === 160, 'PT 96 decoded as PCMA');
  assert.deepEqual(got.pcm[0], alaw.decode(payload));
  await waitFor(() => session.stats.packetsRejected === 2, 'PT 0 rejected after it');
  assert.deepEqual(session.stats.rejectReasons, { 'payload-type-96': 1, 'payload-type-0': 1 });
});
