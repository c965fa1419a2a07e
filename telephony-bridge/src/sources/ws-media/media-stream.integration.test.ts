/**
 * Integration: real `ws` clients speaking Twilio Media Streams and mod_audio_fork into the
 * media-stream server, IngestCallSink and a real assist-server (PocketSphinx, private Redis).
 * Junk streams (bad JSON, oversized and garbage binary frames) arrive while good ones stream.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import alawmulaw from 'alawmulaw';
import WebSocket from 'ws';
import type { AgentServerMessage, TranscriptFinalEvent } from '@earpiece/assist-server/protocol';
import { synthesizeCall } from '../../../../assist-server/src/testing/speech-audio.ts';
import { AgentSocketProbe, startTestStack, type TestStack } from '../../../../assist-server/src/testing/test-stack.ts';
import { IngestCallSink } from '../../forwarder/ingest-call-sink.ts';
import { startMediaStreamServer } from './media-stream-server.ts';

const { mulaw } = alawmulaw;
const SCRIPT = [
  { role: 'agent' as const, text: 'thank you for calling how can I help you today' },
  { role: 'customer' as const, text: 'I would like to check the balance of my account' },
];

let stack: TestStack;
let server: Awaited<ReturnType<typeof startMediaStreamServer>>;
before(async () => {
  stack = await startTestStack();
  server = await startMediaStreamServer({ host: '127.0.0.1', port: 0, sink: new IngestCallSink({ serverUrl: stack.wsUrl, maxCalls: 8 }), secret: 'media-secret', maxPayload: 16 * 1024 });
});
after(async () => {
  await server.close();
  await stack.close();
});

function connect(path: string, protocol?: string): Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string }> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, protocol ? [protocol] : [], { headers: { authorization: 'Bearer media-secret' } });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return new Promise((resolve, reject) => ws.once('open', () => resolve({ ws, closed })).once('error', reject));
}

const tick = (every: number, k: number) => (k % every === every - 1 ? new Promise((r) => setTimeout(r, 20)) : undefined);

function finalsOf(probe: AgentSocketProbe, callId: string) {
  const events = probe.messages.filter((m): m is Extract<AgentServerMessage, { callId: string }> => 'callId' in m && m.callId === callId);
  const finals = events.filter((e): e is TranscriptFinalEvent => e.type === 'transcript.final');
  const text = (role: string) => finals.filter((f) => f.role === role).map((f) => f.text).join(' ');
  return { events, customer: text('customer'), agent: text('agent') };
}

test('a Twilio stream (base64 µ-law, both tracks) reaches the agent: customer words on the customer leg; junk streams alongside are closed', async () => {
  const call = await synthesizeCall(SCRIPT, { sampleRateHz: 8000 });
  const [agentPcm, customerPcm] = call.audio.channels as [Int16Array, Int16Array];
  const probe = await AgentSocketProbe.connect(stack.wsUrl, 'agent-tw');
  const { ws, closed } = await connect('/media/twilio');
  let seq = 1;
  const send = (m: object) => ws.send(JSON.stringify({ ...m, sequenceNumber: String(seq++), streamSid: 'MZint' }));
  send({ event: 'connected', protocol: 'Call', version: '1.0.0' });
  send({ event: 'start', start: { streamSid: 'MZint', callSid: 'CAint0001', tracks: ['inbound', 'outbound'], customParameters: { agentId: 'agent-tw', callerNumber: '+15105550123' }, mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } } });
  const junk = await Promise.all([connect('/media/twilio'), connect('/media/audio-fork'), connect('/media/twilio')]);
  junk[0].ws.send('{"event":"media","media":');
  junk[1].ws.send(JSON.stringify({ agentId: 'agent-tw', mixType: 'mono' }));
  junk[1].ws.send(Buffer.alloc(20_000));
  junk[2].ws.send(Buffer.from('\x00\x01garbage'));
  const frames = customerPcm.length / 160;
  for (let k = 0; k < frames; k++) {
    for (const [track, pcm] of [['inbound', customerPcm], ['outbound', agentPcm]] as const) {
      send({ event: 'media', media: { track, chunk: String(k + 1), timestamp: String(k * 20), payload: Buffer.from(mulaw.encode(pcm.subarray(k * 160, (k + 1) * 160))).toString('base64') } });
    }
    await tick(10, k);
  }
  assert.deepEqual(await Promise.all(junk.map((j) => j.closed)), [
    { code: 1007, reason: 'EARPIECE_BRIDGE_WS_BAD_JSON' },
    { code: 1009, reason: '' },
    { code: 1003, reason: 'EARPIECE_BRIDGE_WS_UNEXPECTED_BINARY' },
  ]);
  send({ event: 'stop', stop: { accountSid: 'AC1', callSid: 'CAint0001' } });
  assert.deepEqual(await closed, { code: 1000, reason: 'stop' });
  await probe.waitFor((m) => m.type === 'call.ended' && m.callId === 'CAint0001', 30_000);
  probe.close();
  const { events, customer, agent } = finalsOf(probe, 'CAint0001');
  const started = events.find((e) => e.type === 'call.started');
  assert.ok(started?.type === 'call.started' && started.call.source === 'twilio' && started.call.callerNumber === '•••• 0123');
  assert.match(customer, /balance/, `customer finals: "${customer}"`);
  assert.match(agent, /calling/, `agent finals: "${agent}"`);
  assert.doesNotMatch(agent, /balance/);
});

test('a mod_audio_fork stereo 16 kHz stream (channel 0 caller = customer, 1 callee = agent) reaches the agent on both legs', async () => {
  const call = await synthesizeCall(SCRIPT, { sampleRateHz: 16000 });
  const [agentPcm, customerPcm] = call.audio.channels as [Int16Array, Int16Array];
  const probe = await AgentSocketProbe.connect(stack.wsUrl, 'agent-af');
  const { ws, closed } = await connect('/media/audio-fork', 'audio.drachtio.org');
  assert.equal(ws.protocol, 'audio.drachtio.org', 'the mod_audio_fork subprotocol is selected');
  ws.send(JSON.stringify({ callId: 'fs-int-1', agentId: 'agent-af', callerNumber: '+15105550177', mixType: 'stereo', sampleRate: 16000 }));
  const n = 320; // 20 ms at 16 kHz
  for (let k = 0; k * n < customerPcm.length; k++) {
    const frame = Buffer.alloc(Math.min(n, customerPcm.length - k * n) * 4);
    for (let i = 0; i < frame.length / 4; i++) {
      frame.writeInt16LE(customerPcm[k * n + i]!, i * 4);
      frame.writeInt16LE(agentPcm[k * n + i]!, i * 4 + 2);
    }
    ws.send(frame);
    await tick(10, k);
  }
  ws.close(1000);
  await closed;
  await probe.waitFor((m) => m.type === 'call.ended' && m.callId === 'fs-int-1', 30_000);
  probe.close();
  const { events, customer, agent } = finalsOf(probe, 'fs-int-1');
  const started = events.find((e) => e.type === 'call.started');
  assert.ok(started?.type === 'call.started' && started.call.source === 'audio-fork');
  assert.deepEqual([...started.call.legs].sort(), ['agent', 'customer']);
  assert.match(customer, /balance/, `customer finals: "${customer}"`);
  assert.match(agent, /calling/, `agent finals: "${agent}"`);
  assert.doesNotMatch(customer, /calling/, 'agent words are not on the customer leg');
});
