/**
 * The ingest WebSocket against a real node (PocketSphinx, private Redis, SQLite). The client here
 * is a raw `ws` socket speaking the protocol by hand, so tests can send what a bridge never would.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { encodeAudioFrame, type IngestServerMessage } from '../protocol/index.ts';
import { synthesizeSpeech } from '../testing/speech-audio.ts';
import { AgentSocketProbe, startTestStack, type TestStack } from '../testing/test-stack.ts';

let stack: TestStack;
before(async () => {
  stack = await startTestStack({ EARPIECE_MAX_CALLS: '2' }, { reconnectGraceMs: 60_000 });
});
after(async () => stack.close());

class RawBridge {
  readonly inbox: IngestServerMessage[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => this.inbox.push(JSON.parse(d.toString())));
  }
  static async open(url: string): Promise<RawBridge> {
    const ws = new WebSocket(`${url}/ingest`);
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    return new RawBridge(ws);
  }
  async next(match: (m: IngestServerMessage) => boolean, timeoutMs = 10_000): Promise<IngestServerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.inbox.findIndex(match);
      if (i >= 0) return this.inbox.splice(i, 1)[0]!;
      if (Date.now() > deadline) throw new Error(`no matching ingest message; got ${JSON.stringify(this.inbox)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  start(callId: string, agentId = 'agent-9', rate = 16000) {
    this.ws.send(JSON.stringify({ type: 'call.start', v: 1, callId, agentId, callerNumber: '+1 415 555 0142', source: 'test', startedAtMs: Date.now(), legs: [{ role: 'customer', sampleRateHz: rate }] }));
  }
  closed(): Promise<number> {
    return new Promise((r) => this.ws.once('close', (code) => r(code)));
  }
}

function frames(pcm: Int16Array, samplesPerFrame = 320) {
  const out: Uint8Array[] = [];
  for (let seq = 0, i = 0; i < pcm.length; seq++, i += samplesPerFrame) {
    out.push(encodeAudioFrame({ role: 'customer', seq, offsetSamples: i, pcm: pcm.subarray(i, i + samplesPerFrame) }));
  }
  return out;
}

test('junk on the ingest socket is answered with errors and loses no audio', async () => {
  const speech = await synthesizeSpeech('please send me a new card');
  const agent = await AgentSocketProbe.connect(stack.wsUrl, 'agent-9');
  const bridge = await RawBridge.open(stack.wsUrl);
  bridge.ws.send(encodeAudioFrame({ role: 'customer', seq: 0, offsetSamples: 0, pcm: new Int16Array(4) }));
  const early = await bridge.next((m) => m.type === 'error');
  assert.equal(early.type === 'error' ? early.code : undefined, 'EARPIECE_INGEST_NO_CALL');
  bridge.start('junk-1');
  await bridge.next((m) => m.type === 'call.accepted');
  const all = frames(speech.pcm);
  all.forEach((f, i) => {
    bridge.ws.send(f);
    if (i === 5) bridge.ws.send('{not json');
    if (i === 6) bridge.ws.send(JSON.stringify({ type: 'call.explode' }));
    if (i === 7) bridge.ws.send(Uint8Array.from([1, 0, 0]));
    if (i === 8) bridge.ws.send(encodeAudioFrame({ role: 'agent', seq: 0, offsetSamples: 0, pcm: new Int16Array(2) }));
    if (i === 9) bridge.ws.send(all[3]!); // a resent frame
  });
  const codes = new Set<string>();
  for (let k = 0; k < 4; k++) {
    const e = await bridge.next((m) => m.type === 'error');
    if (e.type === 'error') codes.add(e.code);
  }
  assert.deepEqual([...codes].sort(), ['EARPIECE_INGEST_BAD_FRAME', 'EARPIECE_INGEST_BAD_JSON', 'EARPIECE_INGEST_BAD_MESSAGE', 'EARPIECE_INGEST_UNKNOWN_LEG']);
  bridge.ws.send(JSON.stringify({ type: 'call.stop', callId: 'junk-1', reason: 'hangup' }));
  await bridge.next((m) => m.type === 'call.stopped', 20_000);
  const acks = bridge.inbox.filter((m) => m.type === 'ack');
  assert.equal(acks.at(-1)?.type === 'ack' && acks.at(-1)!.seq, all.length - 1, 'every frame acknowledged');

  const final = await agent.waitFor((m) => m.type === 'transcript.final' && m.callId === 'junk-1', 5000);
  assert.ok(final.type === 'transcript.final' && /card/.test(final.text), 'speech around the junk was still recognized');
  const archived = await stack.node.postCall.waitForArchive('junk-1');
  const rec = archived.recordings[0]!;
  assert.equal(rec.durationMs, Math.round((speech.pcm.length / 16000) * 1000), 'the resent frame was not recorded twice');
  agent.close();
});

test('a bridge that reconnects gets the next expected seq and the call continues', async () => {
  const speech = await synthesizeSpeech('I would like to check my balance');
  const all = frames(speech.pcm);
  const half = Math.floor(all.length / 2);
  const first = await RawBridge.open(stack.wsUrl);
  first.start('resume-1');
  await first.next((m) => m.type === 'call.accepted');
  for (const f of all.slice(0, half)) first.ws.send(f);
  // Acks come only once audio is settled in the spool (mid-utterance, maybe none yet): resend from the last one.
  const lastAck = Math.max(-1, ...first.inbox.filter((m) => m.type === 'ack').map((m) => (m.type === 'ack' ? m.seq : -1)));
  first.ws.terminate();

  const second = await RawBridge.open(stack.wsUrl);
  second.start('resume-1');
  const accepted = await second.next((m) => m.type === 'call.accepted');
  assert.ok(accepted.type === 'call.accepted');
  const next = accepted.nextSeq.customer!;
  // terminate() may drop frames still in the socket's write buffer; the server reports what it got.
  assert.ok(next >= lastAck + 1 && next <= half, `nextSeq ${next} within what was sent`);
  for (const f of all.slice(lastAck + 1)) second.ws.send(f); // resend from the last ack: some are duplicates
  second.ws.send(JSON.stringify({ type: 'call.stop', callId: 'resume-1' }));
  await second.next((m) => m.type === 'call.stopped', 20_000);
  const archived = await stack.node.postCall.waitForArchive('resume-1');
  assert.equal(archived.recordings[0]!.durationMs, Math.round((speech.pcm.length / 16000) * 1000), 'no gap and no repeat');
  const words = (await stack.node.store.finals('resume-1')).map((u) => u.text).join(' ');
  assert.match(words, /balance/);
});

test('calls beyond capacity are refused whole, not half-accepted', async () => {
  const a = await RawBridge.open(stack.wsUrl);
  const b = await RawBridge.open(stack.wsUrl);
  const c = await RawBridge.open(stack.wsUrl);
  a.start('cap-a');
  b.start('cap-b');
  await a.next((m) => m.type === 'call.accepted');
  await b.next((m) => m.type === 'call.accepted');
  const closed = c.closed();
  c.start('cap-c');
  const refusal = await c.next((m) => m.type === 'error');
  assert.ok(refusal.type === 'error' && refusal.code === 'EARPIECE_INGEST_CAPACITY' && refusal.retryable);
  assert.equal(await closed, 1013);
  assert.equal(await stack.node.store.getCall('cap-c'), undefined);
  for (const [bridge, id] of [[a, 'cap-a'], [b, 'cap-b']] as const) {
    bridge.ws.send(JSON.stringify({ type: 'call.stop', callId: id }));
    await bridge.next((m) => m.type === 'call.stopped', 20_000);
  }
});

test('keypad digits reach the agent masked; hold and resume are events, not a hang-up', async () => {
  const agent = await AgentSocketProbe.connect(stack.wsUrl, 'agent-dtmf');
  const bridge = await RawBridge.open(stack.wsUrl);
  bridge.start('dtmf-1', 'agent-dtmf');
  await bridge.next((m) => m.type === 'call.accepted');
  const send = (m: object) => bridge.ws.send(JSON.stringify({ callId: 'dtmf-1', ...m }));
  for (const digit of ['4', '1', '1', '1']) send({ type: 'call.dtmf', role: 'customer', digit, offsetMs: 500 });
  send({ type: 'call.dtmf', role: 'customer', digit: 'X', offsetMs: 1 });
  const refusal = await bridge.next((m) => m.type === 'error');
  assert.ok(refusal.type === 'error' && refusal.code === 'EARPIECE_INGEST_BAD_MESSAGE');
  send({ type: 'call.hold', held: true });
  send({ type: 'call.hold', held: true }); // a repeated re-INVITE: one event
  send({ type: 'call.hold', held: false });
  send({ type: 'call.stop' });
  await bridge.next((m) => m.type === 'call.stopped', 20_000);
  await agent.waitFor((m) => m.type === 'call.ended' && m.callId === 'dtmf-1', 5000);
  const events = agent.messages.filter((m) => 'callId' in m && m.callId === 'dtmf-1');
  const digits = events.flatMap((m) => (m.type === 'dtmf' ? [m.digit] : []));
  assert.deepEqual(digits, ['•', '•', '•', '•']);
  assert.deepEqual(events.flatMap((m) => (m.type === 'call.hold' ? [m.held] : [])), [true, false]);
  assert.ok(!JSON.stringify(await stack.node.store.events('dtmf-1')).includes('"4"'), 'no digit stored in clear');
  agent.close();
});
