/**
 * Both SIPREC legs transcribed by a real assist-server. SIPp 3.6.1 only plays audio to the first
 * m-line of a recording session (see siprec-sipp.test.ts), so here the test is the SRC: a raw
 * SIPREC INVITE with metadata, then real µ-law RTP of two different synthesized sentences on the
 * two m-lines, paced in real time, then BYE. Each sentence must come back on its own leg.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { after, before, test } from 'node:test';
import type { AgentServerMessage, TranscriptFinalEvent } from '@earpiece/assist-server/protocol';
import { synthesizeSpeech } from '../../../../assist-server/src/testing/speech-audio.ts';
import { AgentSocketProbe, startTestStack, type TestStack } from '../../../../assist-server/src/testing/test-stack.ts';
import { IngestCallSink } from '../../forwarder/ingest-call-sink.ts';
import { RtpPortPool } from '../rtp/rtp-port-pool.ts';
import { findFreePortRange } from '../rtp/test-ports.ts';
import { parseSdp } from '../sip/sdp.ts';
import { getHeader } from '../sip/sip-message.ts';
import { parseNameAddr } from '../sip/sip-header-values.ts';
import { SipTestPeer } from '../sip/sip-test-peer.ts';
import { g711RtpPackets } from '../sip/rtp-test-packets.ts';
import { multipartBody, siprecMetadata, siprecSdp } from './siprec-fixtures.ts';
import { startSiprecServer } from './siprec-server.ts';

let stack: TestStack;
before(async () => {
  stack = await startTestStack();
});
after(async () => stack.close());

test('a SIPREC call with speech on both streams: each party transcribed on its own leg', async () => {
  const base = await findFreePortRange(4);
  const server = await startSiprecServer({
    host: '127.0.0.1',
    port: 0,
    rtpPool: new RtpPortPool({ host: '127.0.0.1', minPort: base, maxPort: base + 7 }),
    sink: new IngestCallSink({ serverUrl: stack.wsUrl, maxCalls: 2 }),
    agentRule: { agentExtensions: ['1001'] },
  });
  const peer = await SipTestPeer.open('udp', { host: '127.0.0.1', port: server.ports.udp! });
  const probe = await AgentSocketProbe.connect(stack.wsUrl, '1001');
  const rtp = createSocket('udp4');
  try {
    const [agentSpeech, customerSpeech] = await Promise.all([
      synthesizeSpeech('thank you for calling how can I help you', { sampleRateHz: 8000 }),
      synthesizeSpeech('I would like to check the balance of my account', { sampleRateHz: 8000 }),
    ]);
    // Metadata: label 1 is sent by sip:1001 (the agent), label 2 by the customer.
    const body = multipartBody(
      [
        { type: 'application/sdp', body: siprecSdp() },
        { type: 'application/rs-metadata+xml', body: siprecMetadata({ customerLabel: '2' }), disposition: 'recording-session' },
      ],
      'uniqueBoundary',
    );
    peer.send(
      peer.request('INVITE', {
        callId: 'two-legs-1',
        cseq: 1,
        body,
        headers: { require: 'siprec', 'content-type': 'multipart/mixed;boundary=uniqueBoundary', contact: `<sip:src@127.0.0.1:${peer.port}>;+sip.src` },
      }),
    );
    const ok = await peer.response('1 INVITE');
    assert.equal(ok.status, 200);
    const toTag = parseNameAddr(getHeader(ok, 'to')!).params.get('tag')!;
    peer.send(peer.request('ACK', { callId: 'two-legs-1', cseq: 1, toTag }));
    const [label1, label2] = parseSdp(ok.body.toString()).streams;

    // Speech on both m-lines at once, 20 ms packets on an absolute real-time schedule.
    const streams = [
      { port: label1!.port, packets: g711RtpPackets(agentSpeech.pcm, { pt: 0, ssrc: 11 }) },
      { port: label2!.port, packets: g711RtpPackets(customerSpeech.pcm, { pt: 0, ssrc: 22 }) },
    ];
    const count = Math.max(...streams.map((s) => s.packets.length));
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      const due = t0 + i * 20 - performance.now();
      if (due > 0) await new Promise((r) => setTimeout(r, due));
      for (const s of streams) if (s.packets[i]) rtp.send(s.packets[i]!, s.port, '127.0.0.1');
    }
    peer.send(peer.request('BYE', { callId: 'two-legs-1', cseq: 2, toTag }));
    assert.equal((await peer.response('2 BYE')).status, 200);

    // The bridge names the call after the SIP Call-ID (prefixed by the source): take it from call.started.
    const started = await probe.waitFor((m) => m.type === 'call.started' && m.call.source === 'siprec', 5_000);
    const callId = started.type === 'call.started' ? started.callId : '';
    assert.match(callId, /two-legs-1/);
    await probe.waitFor((m) => m.type === 'call.ended' && m.callId === callId, 20_000);
    const finals = probe.messages.filter((m: AgentServerMessage): m is TranscriptFinalEvent => m.type === 'transcript.final' && m.callId === callId);
    const text = (role: string) => finals.filter((f) => f.role === role).map((f) => f.text).join(' ');
    assert.match(text('customer'), /balance/, `customer: "${text('customer')}"`);
    assert.match(text('agent'), /calling/, `agent: "${text('agent')}"`);
    assert.doesNotMatch(text('agent'), /balance/, 'no crossover between the legs');
    assert.doesNotMatch(text('customer'), /calling/, 'no crossover between the legs');
  } finally {
    rtp.close();
    probe.close();
    await peer.close();
    await server.close();
  }
});
