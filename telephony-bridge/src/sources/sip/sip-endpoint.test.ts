/** The plain SIP endpoint with raw SIP and real RTP sockets, toward IngestStandIn. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSocket } from 'node:dgram';
import { IngestCallSink } from '../../forwarder/ingest-call-sink.ts';
import { IngestStandIn } from '../../testing/ingest-stand-in.ts';
import { RtpPortPool } from '../rtp/rtp-port-pool.ts';
import { findFreePortRange } from '../rtp/test-ports.ts';
import { getHeader, type SipMessage } from './sip-message.ts';
import { parseNameAddr } from './sip-header-values.ts';
import { parseSdp } from './sdp.ts';
import { SipTestPeer } from './sip-test-peer.ts';
import { g711RoundTrip, g711RtpPackets } from './rtp-test-packets.ts';
import { startSipEndpoint } from './sip-endpoint.ts';

const SDP = 'v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 7000 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n';
const toTagOf = (m: SipMessage) => parseNameAddr(getHeader(m, 'to')!).params.get('tag')!;

async function start(groupingWindowMs: number) {
  const stand = await IngestStandIn.start();
  const base = await findFreePortRange(4);
  const pool = new RtpPortPool({ host: '127.0.0.1', minPort: base, maxPort: base + 7 });
  const server = await startSipEndpoint({
    host: '127.0.0.1', port: 0, rtpPool: pool, sink: new IngestCallSink({ serverUrl: stand.url, maxCalls: 4 }),
    agentRule: { agentExtensions: ['2001'], defaultAgentId: 'desk' }, groupingWindowMs, jitterDelayMs: 40,
  });
  const peer = await SipTestPeer.open('udp', { host: '127.0.0.1', port: server.ports.udp! });
  return { stand, pool, server, peer, close: async () => (await peer.close(), await server.close(), await stand.close()) };
}

test('two forked dialogs grouped by X-Earpiece-Call-Id: one call, roles and agent id from the headers, each dialog audio on its leg', async () => {
  const t = await start(5000);
  try {
    const invite = (callId: string, leg: string) =>
      t.peer.request('INVITE', { callId, cseq: 1, body: SDP, headers: { 'x-earpiece-call-id': 'pbx-77', 'x-earpiece-leg': leg, 'x-earpiece-agent-id': 'alice', from: `<sip:+14155550142@pbx>;tag=${callId}` } });
    t.peer.send(invite('fork-a', 'agent'));
    t.peer.send(invite('fork-c', 'customer'));
    const okA = await t.peer.response('1 INVITE', 200, 3000, 'fork-a');
    const okC = await t.peer.response('1 INVITE', 200, 3000, 'fork-c');
    for (const [id, ok] of [['fork-a', okA], ['fork-c', okC]] as const) t.peer.send(t.peer.request('ACK', { callId: id, cseq: 1, toTag: toTagOf(ok), fromTag: id }));
    await t.stand.waitFor(() => t.stand.connections[0]?.start !== undefined, 'call.start');
    const start = t.stand.connections[0]!.start!;
    assert.deepEqual([start.agentId, start.source, start.callerNumber, start.legs.map((l) => l.role).sort()], ['alice', 'sip', '+14155550142', ['agent', 'customer']]);
    assert.equal(t.stand.connections.length, 1);
    const pcm = Int16Array.from({ length: 1600 }, (_, i) => Math.round(5000 * Math.sin(i / 3)));
    const rtp = createSocket('udp4');
    for (const p of g711RtpPackets(pcm, { pt: 8 })) rtp.send(p, parseSdp(okC.body.toString()).streams[0]!.port, '127.0.0.1');
    await t.stand.waitFor(() => t.stand.connections[0]!.frames.some((f) => f.role === 'customer'), 'first customer frame');
    // One leg hangs up: the call goes on; the second BYE ends it.
    t.peer.send(t.peer.request('BYE', { callId: 'fork-c', cseq: 2, toTag: toTagOf(okC), fromTag: 'fork-c' }));
    await t.peer.response('2 BYE', 200, 3000, 'fork-c');
    assert.equal(t.stand.connections[0]!.stop, undefined);
    t.peer.send(t.peer.request('BYE', { callId: 'fork-a', cseq: 2, toTag: toTagOf(okA), fromTag: 'fork-a' }));
    await t.stand.waitFor(() => t.stand.connections[0]!.stop !== undefined, 'call.stop');
    rtp.close();
    const customer = Int16Array.from(t.stand.connections[0]!.frames.filter((f) => f.role === 'customer').flatMap((f) => [...f.pcm]));
    assert.deepEqual(customer, g711RoundTrip(pcm, 8), 'customer dialog audio, complete, on the customer leg');
  } finally {
    await t.close();
  }
});

test('a lone dialog becomes a one-leg customer call after the grouping window', async () => {
  const t = await start(200);
  try {
    const began = Date.now();
    t.peer.send(t.peer.request('INVITE', { callId: 'lone', cseq: 1, body: SDP, headers: { to: '<sip:2001@127.0.0.1>' } }));
    const ok = await t.peer.response('1 INVITE', 200, 3000, 'lone');
    assert.ok(Date.now() - began >= 190, 'answered after the window');
    t.peer.send(t.peer.request('ACK', { callId: 'lone', cseq: 1, toTag: toTagOf(ok) }));
    await t.stand.waitFor(() => t.stand.connections[0]?.start !== undefined, 'call.start');
    const start = t.stand.connections[0]!.start!;
    assert.deepEqual([start.legs.map((l) => l.role), start.agentId, start.callerNumber], [['customer'], 'desk', 'src']);
  } finally {
    await t.close();
  }
});
