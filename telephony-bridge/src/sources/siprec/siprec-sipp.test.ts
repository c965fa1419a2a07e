/**
 * Real SIPp as a SIPREC client (custom scenario: multipart INVITE, RTP from a pcap the test
 * builds from synthesized speech, hold and unhold re-INVITEs, BYE right after the last words)
 * against the SIPREC server, forwarding into a real assist-server node. The legs must be
 * labelled from the metadata (the fallback order is set the other way round, so only the
 * metadata can get it right), the customer's words must arrive as finals on the customer leg,
 * hold and resume must reach the agent, and the last words before BYE must be recognized.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TranscriptFinalEvent } from '@earpiece/assist-server/protocol';
import { AgentSocketProbe, startTestStack, type TestStack } from '../../../../assist-server/src/testing/test-stack.ts';
import { synthesizeSpeech } from '../../../../assist-server/src/testing/speech-audio.ts';
import { IngestCallSink } from '../../forwarder/ingest-call-sink.ts';
import { RtpPortPool } from '../rtp/rtp-port-pool.ts';
import { findFreePortRange } from '../rtp/test-ports.ts';
import { SippDir } from '../sip/sipp-runner.ts';
import { g711RtpPackets, writeRtpPcap } from '../sip/rtp-test-packets.ts';
import { startSiprecServer } from './siprec-server.ts';
import { siprecScenario } from './siprec-sipp-scenario.ts';

let stack: TestStack;
before(async () => {
  stack = await startTestStack();
});
after(async () => stack.close());

test('SIPp SIPREC session → assist-server: metadata labels the legs, hold/unhold reported, last words before BYE recognized', async () => {
  const dir = new SippDir();
  const clips = [
    await synthesizeSpeech('I would like to check the balance of my account', { sampleRateHz: 8000, padStartMs: 300, padEndMs: 600 }),
    await synthesizeSpeech('thank you for calling how can I help you today', { sampleRateHz: 8000, padStartMs: 300, padEndMs: 150 }),
  ];
  const pcaps = clips.map((clip, i) => {
    const packets = g711RtpPackets(clip.pcm, { pt: 0, ssrc: 0x5151, firstSeq: 100 + i * 1000, firstTimestamp: i * 1_000_000 });
    writeRtpPcap(`${dir.path}/speech-${i}.pcap`, packets);
    return { file: `speech-${i}.pcap`, ms: packets.length * 20 };
  });
  dir.file('siprec.xml', siprecScenario({ firstPcap: pcaps[0]!.file, firstMs: pcaps[0]!.ms, lastPcap: pcaps[1]!.file, lastMs: pcaps[1]!.ms, customerLabel: '1' }));
  const base = await findFreePortRange(4);
  const server = await startSiprecServer({
    host: '127.0.0.1', port: 0, transports: ['udp'],
    rtpPool: new RtpPortPool({ host: '127.0.0.1', minPort: base, maxPort: base + 7 }),
    sink: new IngestCallSink({ serverUrl: stack.wsUrl, maxCalls: 4 }),
    agentRule: { agentExtensions: ['1001'], fallbackOrder: ['agent', 'customer'] },
  });
  const agent = await AgentSocketProbe.connect(stack.wsUrl, '1001');
  try {
    const sipp = await dir.run(`127.0.0.1:${server.ports.udp}`, ['-sf', 'siprec.xml'], 60_000);
    assert.equal(sipp.code, 0, `sipp failed:\n${sipp.stdout.slice(-3000)}\n${sipp.stderr.slice(-2000)}`);
    const ended = await agent.waitFor((m) => m.type === 'call.ended', 20_000);
    assert.equal(ended.type === 'call.ended' && ended.reason, 'hangup');
    const started = agent.messages.find((m) => m.type === 'call.started');
    assert.ok(started?.type === 'call.started');
    assert.deepEqual([started.call.agentId, started.call.source, started.call.legs], ['1001', 'siprec', ['customer', 'agent']]);
    assert.equal(started.call.callerNumber, '•••• 0142');
    assert.deepEqual(agent.messages.filter((m) => m.type === 'call.hold').map((m) => m.type === 'call.hold' && m.held), [true, false]);
    const finals = agent.messages.filter((m): m is TranscriptFinalEvent => m.type === 'transcript.final');
    const customerText = finals.filter((f) => f.role === 'customer').map((f) => f.text).join(' ');
    assert.match(customerText, /balance/, `customer finals: "${customerText}"`);
    assert.match(customerText, /help/, `the last words before BYE: "${customerText}"`);
    assert.equal(finals.filter((f) => f.role === 'agent').length, 0, 'nothing on the (silent) agent leg');
  } finally {
    agent.close();
    await server.close();
  }
});
