/**
 * Fuzz: a live SIP endpoint (UDP and TCP listeners, user agent server, RTP pool, ingest sink toward
 * the test stand-in) taking mutated SIP messages and random bytes on its SIP port, as datagrams
 * and as TCP streams cut anywhere. After every case an OPTIONS must still be answered 200 (nothing
 * thrown, nothing hung); the listener keeps serving. Short count in CI; EARPIECE_SOAK=1 runs
 * 100,000 cases.
 */
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { fuzzAsync } from '../../../../assist-server/src/testing/fuzz-harness.ts';
import { cutPoints, fuzzInput, splitAt } from '../../../../assist-server/src/testing/fuzz-mutations.ts';
import { IngestCallSink } from '../../forwarder/ingest-call-sink.ts';
import { IngestStandIn } from '../../testing/ingest-stand-in.ts';
import { RtpPortPool } from '../rtp/rtp-port-pool.ts';
import { findFreePortRange } from '../rtp/test-ports.ts';
import { startSipEndpoint } from './sip-endpoint.ts';
import { SIP_DICTIONARY, SIP_SAMPLES } from './sip-fuzz-samples.ts';
import { SipTestPeer } from './sip-test-peer.ts';
import { silentLogger } from '../../core/logger.ts';

let stand: IngestStandIn;
let server: Awaited<ReturnType<typeof startSipEndpoint>>;
let peer: SipTestPeer;
let junk: Socket;
before(async () => {
  stand = await IngestStandIn.start();
  const base = await findFreePortRange(2);
  server = await startSipEndpoint({
    host: '127.0.0.1', port: 0, rtpPool: new RtpPortPool({ host: '127.0.0.1', minPort: base, maxPort: base + 3 }),
    sink: new IngestCallSink({ serverUrl: stand.url, maxCalls: 2 }), agentRule: { agentExtensions: ['1001'] }, groupingWindowMs: 50,
  });
  peer = await SipTestPeer.open('udp', { host: '127.0.0.1', port: server.ports.udp! });
  junk = createSocket('udp4');
  junk.on('message', () => undefined);
  await new Promise<void>((resolve) => junk.bind(0, '127.0.0.1', () => resolve()));
});
after(async () => {
  await peer.close();
  junk.close();
  await server.close();
  await stand.close();
});

// Answers go back to this machine: the samples' Via and Contact name loopback.
const LOCAL_SAMPLES = SIP_SAMPLES.map((s) => s.replaceAll('10.0.0.9', '127.0.0.1').replaceAll('10.0.0.5', '127.0.0.1'));

test('fuzz: a live SIP endpoint takes junk on its UDP and TCP port and still answers OPTIONS after every case', async (t) => {
  let barrier = 0;
  let step = '';
  t.after(() => step && t.diagnostic(`last step: ${step}`));
  let tcpCases = 0;
  await fuzzAsync(
    t,
    'sip-endpoint-live',
    fc.tuple(fuzzInput(LOCAL_SAMPLES, { lines: true, dictionary: SIP_DICTIONARY }), fc.boolean(), cutPoints()),
    async ([bytes, overTcp, cuts]) => {
      if (overTcp) {
        tcpCases++;
        const socket = connect(server.ports.tcp!, '127.0.0.1');
        const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
        step = 'tcp connect';
        await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
        socket.on('error', () => undefined);
        socket.resume(); // read (and drop) what the endpoint answers, so the socket can reach 'close'
        for (const chunk of splitAt(bytes, cuts)) socket.write(chunk);
        socket.end();
        step = 'tcp close';
        await closed;
      } else {
        // From a socket of its own: what the endpoint answers junk need not parse (a 400 copies a bad CSeq).
        junk.send(bytes, server.ports.udp!, '127.0.0.1');
      }
      step = 'options';
      const callId = `barrier-${barrier++}`;
      peer.send(peer.request('OPTIONS', { callId, cseq: 1 }));
      const ok = await peer.response('1 OPTIONS', 200, 10_000, callId);
      assert.equal(ok.status, 200);
      peer.received.length = 0;
      step = '';
    },
    { shortRuns: 400, maxCaseMs: 15_000 },
  );
  t.diagnostic(JSON.stringify({ tcpCases, activeDialogs: server.activeDialogs, ingestConnections: stand.connections.length }));
});

test('found by the soak: an INVITE whose Via names port 99999 is refused without a throw, retransmissions included', async () => {
  // The soak's crash came from the retransmission timer of an INVITE's final response (T1 made short here).
  const warnings: string[] = [];
  const logger = { ...silentLogger, warn: (_o: object, msg?: string) => void warnings.push(msg ?? '') };
  const base = await findFreePortRange(2);
  const own = await startSipEndpoint({
    host: '127.0.0.1', port: 0, transports: ['udp'], rtpPool: new RtpPortPool({ host: '127.0.0.1', minPort: base, maxPort: base + 3 }),
    sink: new IngestCallSink({ serverUrl: stand.url, maxCalls: 2 }), agentRule: {}, groupingWindowMs: 10, timers: { t1Ms: 5, t2Ms: 40 }, logger,
  });
  try {
    const invite = ['INVITE sip:srs@127.0.0.1 SIP/2.0', 'Via: SIP/2.0/UDP 127.0.0.1:99999;branch=z9hG4bK-bad-port', 'From: <sip:a@127.0.0.1>;tag=1', 'To: <sip:srs@127.0.0.1>',
      'Call-ID: bad-port', 'CSeq: 1 INVITE', 'Contact: <sip:a@127.0.0.1:99999>', 'Content-Type: text/plain', 'Content-Length: 5', '', 'hello'].join('\r\n');
    junk.send(Buffer.from(invite), own.ports.udp!, '127.0.0.1');
    const deadline = Date.now() + 5000;
    // The final response and at least one retransmission are dropped (logged), nothing thrown.
    while (warnings.filter((w) => w.includes('no usable port')).length < 2) {
      assert.ok(Date.now() < deadline, `expected the dropped response and its retransmission to be logged; got ${JSON.stringify(warnings)}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    await own.close();
  }
});
