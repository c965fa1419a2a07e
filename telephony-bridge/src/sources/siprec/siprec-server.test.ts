/**
 * The SIPREC server with real sockets: raw SIP from the test, real RTP packets, the real
 * RtpSession/RtpPortPool and IngestCallSink toward IngestStandIn (a real ws server speaking the
 * ingest protocol). The SIPp test drives the same server into a real assist-server.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSocket } from 'node:dgram';
import type { AudioFrame, LegRole } from '@earpiece/assist-server/protocol';
import { IngestCallSink } from '../../forwarder/ingest-call-sink.ts';
import { IngestStandIn } from '../../testing/ingest-stand-in.ts';
import { RtpPortPool } from '../rtp/rtp-port-pool.ts';
import { findFreePortRange } from '../rtp/test-ports.ts';
import { getHeader, type SipMessage } from '../sip/sip-message.ts';
import { parseNameAddr } from '../sip/sip-header-values.ts';
import { parseSdp } from '../sip/sdp.ts';
import { buildResponse } from '../sip/sip-response.ts';
import { SipTestPeer } from '../sip/sip-test-peer.ts';
import { g711RoundTrip, g711RtpPackets } from '../sip/rtp-test-packets.ts';
import { multipartBody, siprecMetadata, siprecSdp } from './siprec-fixtures.ts';
import { startSiprecServer, type SiprecServerOptions } from './siprec-server.ts';


async function start(o: Partial<SiprecServerOptions> & { maxCalls?: number } = {}) {
  const stand = await IngestStandIn.start();
  const base = await findFreePortRange(4);
  const pool = new RtpPortPool({ host: '127.0.0.1', minPort: base, maxPort: base + 7 });
  const server = await startSiprecServer({
    host: '127.0.0.1',
    port: 0,
    rtpPool: pool,
    sink: new IngestCallSink({ serverUrl: stand.url, maxCalls: o.maxCalls ?? 5 }),
    agentRule: { agentExtensions: ['1001'] },
    jitterDelayMs: 40,
    timers: { t1Ms: 50, t2Ms: 200 },
    ...o,
  });
  const peer = await SipTestPeer.open('udp', { host: '127.0.0.1', port: server.ports.udp! });
  return {
    stand, pool, server, peer,
    async close() {
      await peer.close();
      await server.close();
      await stand.close();
    },
  };
}

const toTagOf = (m: SipMessage) => parseNameAddr(getHeader(m, 'to')!).params.get('tag')!;
const tone = (hz: number, n: number) => Int16Array.from({ length: n }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / 8000)));
const joined = (frames: AudioFrame[]) => Int16Array.from(frames.flatMap((f) => [...f.pcm]));

function siprecInvite(peer: SipTestPeer, callId: string, body: string, type = 'multipart/mixed;boundary=uniqueBoundary') {
  return peer.request('INVITE', { callId, cseq: 1, body, headers: { require: 'siprec', 'content-type': type, contact: `<sip:src@127.0.0.1:${peer.port}>;+sip.src` } });
}

const BODY = (eol = '\r\n', metadataType = 'application/rs-metadata+xml') =>
  multipartBody([{ type: 'application/sdp', body: siprecSdp() }, { type: metadataType, body: siprecMetadata({ customerLabel: '2' }), disposition: 'recording-session' }], 'uniqueBoundary', eol);

test('a SIPREC session: legs labelled through the metadata, RTP of each m-line on its leg, BYE right after the last packet loses nothing', async () => {
  const t = await start();
  try {
    t.peer.send(siprecInvite(t.peer, 'rec-1', BODY('\n', 'application/rs-metadata')));
    const ok = await t.peer.response('1 INVITE');
    assert.equal(ok.status, 200);
    assert.match(getHeader(ok, 'contact')!, /\+sip\.srs/);
    const answer = parseSdp(ok.body.toString());
    assert.deepEqual(answer.streams.map((s) => [s.direction, s.label, s.codecs.map((c) => c.codec)]), [['recvonly', '1', ['PCMU', 'telephone-event']], ['recvonly', '2', ['PCMU', 'telephone-event']]]);
    t.peer.send(t.peer.request('ACK', { callId: 'rec-1', cseq: 1, toTag: toTagOf(ok) }));
    await t.stand.waitFor(() => t.stand.connections[0]?.start !== undefined, 'call.start');
    const start = t.stand.connections[0]!.start!;
    assert.deepEqual([start.agentId, start.callerNumber, start.source, start.legs.map((l) => l.role)], ['1001', '+14155550142', 'siprec', ['agent', 'customer']]);
    // Label 1 = agent (sip:1001), label 2 = customer: distinct tones, sent interleaved in real time-ish bursts.
    const agentPcm = tone(440, 8000);
    const customerPcm = tone(1000, 8000);
    const rtp = createSocket('udp4');
    const sends = [g711RtpPackets(agentPcm, { pt: 0, ssrc: 1 }), g711RtpPackets(customerPcm, { pt: 0, ssrc: 2 })];
    for (let i = 0; i < sends[0]!.length; i++) {
      for (const [k, stream] of answer.streams.entries()) rtp.send(sends[k]![i]!, stream.port, '127.0.0.1');
      if (i % 5 === 4) await new Promise((r) => setTimeout(r, 5));
    }
    t.peer.send(t.peer.request('BYE', { callId: 'rec-1', cseq: 2, toTag: toTagOf(ok) }));
    assert.equal((await t.peer.response('2 BYE')).status, 200);
    await t.stand.waitFor(() => t.stand.connections[0]!.stop !== undefined, 'call.stop');
    rtp.close();
    assert.equal(t.stand.connections[0]!.stop!.reason, 'hangup');
    const byRole = (role: LegRole) => joined(t.stand.connections[0]!.frames.filter((f) => f.role === role));
    assert.deepEqual(byRole('agent'), g711RoundTrip(agentPcm, 0), 'agent leg = label 1 audio, complete');
    assert.deepEqual(byRole('customer'), g711RoundTrip(customerPcm, 0), 'customer leg = label 2 audio, complete');
    await waitFor(() => t.pool.inUse === 0, 'RTP ports released');
  } finally {
    await t.close();
  }
});

test('488 without PCMU/PCMA, 503 at capacity (ports given back), 415 for a metadata-only body, and no metadata → fallback order', async () => {
  const t = await start({ maxCalls: 1 });
  try {
    const g729 = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 18\r\na=label:1\r\na=sendonly\r\n';
    t.peer.send(siprecInvite(t.peer, 'g729', multipartBody([{ type: 'application/sdp', body: g729 }], 'b'), 'multipart/mixed; boundary="b"'));
    assert.equal((await t.peer.response('1 INVITE', undefined, 3000, 'g729')).status, 488);
    t.peer.send(siprecInvite(t.peer, 'meta-only', multipartBody([{ type: 'application/rs-metadata+xml', body: siprecMetadata() }], 'b'), 'multipart/mixed;boundary=b'));
    assert.equal((await t.peer.response('1 INVITE', undefined, 3000, 'meta-only')).status, 415);
    // No metadata part at all (Cisco style): accepted, fallback order customer, agent.
    t.peer.send(siprecInvite(t.peer, 'nometa', siprecSdp(), 'application/sdp'));
    const ok = await t.peer.response('1 INVITE', undefined, 3000, 'nometa');
    assert.equal(ok.status, 200);
    t.peer.send(t.peer.request('ACK', { callId: 'nometa', cseq: 1, toTag: toTagOf(ok) }));
    await t.stand.waitFor(() => t.stand.connections[0]?.start !== undefined, 'call.start');
    assert.deepEqual(t.stand.connections[0]!.start!.legs.map((l) => l.role), ['customer', 'agent']);
    assert.equal(t.pool.inUse, 2);
    t.peer.send(siprecInvite(t.peer, 'second', BODY()));
    const busy = await t.peer.response('1 INVITE', undefined, 3000, 'second');
    assert.equal(busy.status, 503);
    assert.match(getHeader(busy, 'warning')!, /EARPIECE_BRIDGE_CAPACITY/);
    assert.equal(t.pool.inUse, 2, 'the refused call holds no RTP port');
    t.peer.send(t.peer.request('ACK', { callId: 'second', cseq: 1, toTag: toTagOf(busy) }));
  } finally {
    await t.close();
  }
});

test('a silent call is ended by the media timeout with a BYE; a held call is not', async () => {
  const t = await start({ mediaTimeoutMs: 300 });
  try {
    t.peer.send(siprecInvite(t.peer, 'silent', BODY()));
    const ok = await t.peer.response('1 INVITE');
    t.peer.send(t.peer.request('ACK', { callId: 'silent', cseq: 1, toTag: toTagOf(ok) }));
    const bye = await t.peer.waitFor((m) => m.kind === 'request' && m.method === 'BYE', 3000, 'BYE on media timeout');
    t.peer.send(buildResponse(bye as never, 200));
    await t.stand.waitFor(() => t.stand.connections[0]?.stop !== undefined, 'call.stop');
    assert.equal(t.stand.connections[0]!.stop!.reason, 'end-of-media');
    // On hold (a=inactive) silence is expected: no media timeout, no BYE.
    t.peer.send(siprecInvite(t.peer, 'held', BODY()));
    const ok2 = await t.peer.response('1 INVITE', undefined, 3000, 'held');
    t.peer.send(t.peer.request('ACK', { callId: 'held', cseq: 1, toTag: toTagOf(ok2) }));
    t.peer.send(t.peer.request('INVITE', { callId: 'held', cseq: 2, toTag: toTagOf(ok2), body: siprecSdp({ direction: 'inactive' }) }));
    assert.equal((await t.peer.response('2 INVITE', undefined, 3000, 'held')).status, 200);
    t.peer.send(t.peer.request('ACK', { callId: 'held', cseq: 2, toTag: toTagOf(ok2) }));
    await assert.rejects(t.peer.waitFor((m) => m.kind === 'request' && m.method === 'BYE' && getHeader(m, 'call-id') === 'held', 900), /no a matching SIP message|no /);
  } finally {
    await t.close();
  }
});

async function waitFor(cond: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const started = Date.now();
  while (!cond()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
