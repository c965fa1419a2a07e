/**
 * Integration: two real TCP clients act as Asterisk (UUID, 20 ms slin frames of flite speech,
 * DTMF, hangup) into the AudioSocket server, IngestCallSink, and a real assist-server
 * (PocketSphinx, private Redis). Junk connections arrive mid-call. The agent's socket must see
 * one call with both legs labelled, the customer's words as finals, and the digit masked.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AgentServerMessage, TranscriptFinalEvent } from '@earpiece/assist-server/protocol';
import { resampleAll } from '@earpiece/assist-server/audio';
import { synthesizeCall } from '../../../../assist-server/src/testing/speech-audio.ts';
import { AgentSocketProbe, startTestStack, type TestStack } from '../../../../assist-server/src/testing/test-stack.ts';
import { IngestCallSink } from '../../forwarder/ingest-call-sink.ts';
import { AudioSocketClient } from './audiosocket-client.ts';
import { startAudioSocketServer } from './audiosocket-server.ts';
import { encodeAudio } from './framing.ts';

let stack: TestStack;
before(async () => {
  stack = await startTestStack();
});
after(async () => stack.close());

test('an AudioSocket pair (customer slin 8 kHz, agent slin16) becomes one labelled call; words, masked DTMF; junk alongside is refused', async () => {
  const script = await synthesizeCall([
    { role: 'agent', text: 'thank you for calling how can I help you today' },
    { role: 'customer', text: 'I would like to check the balance of my account' },
  ]);
  const agentPcm = script.audio.channels[0]!; // 16 kHz
  const customerPcm = resampleAll(script.audio.channels[1]!, 16000, 8000);
  const sink = new IngestCallSink({ serverUrl: stack.wsUrl, maxCalls: 4 });
  const server = await startAudioSocketServer({ host: '127.0.0.1', port: 0, sink, secret: 'pbx-secret', maxPayloadBytes: 4096 });
  // Prefix pairing; the call's agent and caller number are registered under the customer's UUID.
  server.mappings.set('0a0b0c0d-0e0f-1011-1213-141500000000', { agentId: 'agent-as', callerNumber: '+14155550199' });
  const probe = await AgentSocketProbe.connect(stack.wsUrl, 'agent-as');
  try {
    const callId = 'as-0a0b0c0d0e0f101112131415';
    const [customer, agent] = await Promise.all([AudioSocketClient.connect(server.port), AudioSocketClient.connect(server.port)]);
    for (const [c, leg] of [[customer, '00'], [agent, '01']] as const) {
      c.auth('pbx-secret');
      c.uuid(`0a0b0c0d-0e0f-1011-1213-1415000000${leg}`);
    }
    // Junk while the call streams: garbage bytes, an oversized frame, a wrong secret.
    const junk = await Promise.all([1, 2, 3].map(() => AudioSocketClient.connect(server.port)));
    junk[0]!.write(Buffer.from('\x7fELF garbage garbage'));
    junk[1]!.auth('pbx-secret');
    junk[1]!.uuid('99999999-0000-4000-8000-000000000000');
    junk[1]!.write(encodeAudio(new Int16Array(4000)));
    junk[2]!.auth('guess');

    const frames = agentPcm.length / 320;
    for (let k = 0; k < frames; k++) {
      customer.audio(customerPcm.subarray(k * 160, (k + 1) * 160), 8000);
      agent.audio(agentPcm.subarray(k * 320, (k + 1) * 320), 16000);
      if (k === Math.floor(frames / 2)) customer.dtmf('4');
      if (k % 10 === 9) await new Promise((r) => setTimeout(r, 20)); // ~10x real time, in order
    }
    await Promise.all(junk.map((j) => j.closed));
    assert.deepEqual(junk.map((j) => j.errors[0]?.detail), ['EARPIECE_BRIDGE_AUDIOSOCKET_UNKNOWN_KIND', 'EARPIECE_BRIDGE_AUDIOSOCKET_FRAME_TOO_LARGE', 'EARPIECE_BRIDGE_AUDIOSOCKET_AUTH']);
    await Promise.all([customer.hangup(), agent.hangup()]);
    assert.deepEqual([customer.errors, agent.errors], [[], []], 'the pair was accepted');

    await probe.waitFor((m) => m.type === 'call.ended' && m.callId === callId, 30_000);
    const events = probe.messages.filter((m): m is Extract<AgentServerMessage, { callId: string }> => 'callId' in m && m.callId === callId);
    const started = events.find((e) => e.type === 'call.started');
    assert.ok(started?.type === 'call.started');
    assert.deepEqual([...started.call.legs].sort(), ['agent', 'customer']);
    assert.equal(started.call.source, 'audiosocket');
    assert.equal(started.call.callerNumber, '•••• 0199', 'caller number from the mapping, masked by the server');
    const finals = events.filter((e): e is TranscriptFinalEvent => e.type === 'transcript.final');
    const customerText = finals.filter((f) => f.role === 'customer').map((f) => f.text).join(' ');
    const agentText = finals.filter((f) => f.role === 'agent').map((f) => f.text).join(' ');
    assert.match(customerText, /balance/, `customer finals: "${customerText}"`);
    assert.match(agentText, /calling/, `agent finals: "${agentText}"`);
    assert.doesNotMatch(agentText, /balance/, 'customer words are not on the agent leg');
    const dtmf = events.filter((e) => e.type === 'dtmf');
    assert.equal(dtmf.length, 1);
    assert.ok(dtmf[0]!.type === 'dtmf' && dtmf[0]!.role === 'customer' && dtmf[0]!.digit !== '4', 'the digit arrives masked, on the customer leg');
    assert.equal(server.stats.callsOpened, 1, 'only the good pair became a call');
  } finally {
    probe.close();
    await server.close();
  }
});
