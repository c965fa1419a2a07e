/**
 * Hostile input on a live node: while one call streams speech and its agent gets finals, three
 * malformed peers hit the same node: a bridge connection sending nothing but junk messages (dropped
 * with 1008 once past its budget of malformed messages), a connection that upgrades to WebSocket
 * and then sends bytes that are not WebSocket frames (terminated), and plain garbage on the HTTP
 * port (answered 400 and closed). Each is logged; the good call keeps getting finals after them.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import pino from 'pino';
import WebSocket from 'ws';
import { encodeAudioFrame, type IngestServerMessage } from '../src/protocol/index.ts';
import { synthesizeSpeech } from '../src/testing/speech-audio.ts';
import { AgentSocketProbe, startTestStack, type TestStack } from '../src/testing/test-stack.ts';

const logLines: Array<{ level: number; msg?: string; err?: unknown; reason?: string }> = [];
const capture = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const line of chunk.toString().split('\n')) if (line.trim()) logLines.push(JSON.parse(line));
    done();
  },
});

let stack: TestStack;
before(async () => {
  stack = await startTestStack({}, { logger: pino({ level: 'warn' }, capture) });
});
after(async () => stack.close());

function frames(pcm: Int16Array, firstSeq: number, firstOffset: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0, seq = firstSeq; i < pcm.length; i += 320, seq++) out.push(encodeAudioFrame({ role: 'customer', seq, offsetSamples: firstOffset + i, pcm: pcm.subarray(i, i + 320) }));
  return out;
}

function waitClose(socket: Socket): Promise<string> {
  let received = '';
  socket.on('data', (d) => (received += d.toString('latin1')));
  return new Promise((resolve) => socket.once('close', () => resolve(received)));
}

test('malformed peers are dropped and logged while another call on the node keeps getting finals', async () => {
  const first = await synthesizeSpeech('please send me a new card');
  const second = await synthesizeSpeech('I would like to check my balance');
  const agent = await AgentSocketProbe.connect(stack.wsUrl, 'agent-good');
  const good = new WebSocket(`${stack.wsUrl}/ingest`);
  const inbox: IngestServerMessage[] = [];
  good.on('message', (d) => inbox.push(JSON.parse(d.toString())));
  await new Promise((resolve, reject) => good.once('open', resolve).once('error', reject));
  good.send(JSON.stringify({ type: 'call.start', v: 1, callId: 'good-1', agentId: 'agent-good', source: 'test', startedAtMs: Date.now(), legs: [{ role: 'customer', sampleRateHz: 16000 }] }));
  const firstFrames = frames(first.pcm, 0, 0);
  for (const f of firstFrames) good.send(f);
  await agent.waitFor((m) => m.type === 'transcript.final' && m.callId === 'good-1', 30_000);

  // 1. A bridge connection that speaks junk: errors, then dropped with 1008 past its budget.
  const junk = new WebSocket(`${stack.wsUrl}/ingest`);
  await new Promise((resolve, reject) => junk.once('open', resolve).once('error', reject));
  const junkClosed = new Promise<[number, string]>((resolve) => junk.once('close', (code, reason) => resolve([code, reason.toString()])));
  for (let i = 0; i < 150 && junk.readyState === WebSocket.OPEN; i++) junk.send(i % 2 ? randomBytes(40) : `{"type":"call.${i}"`, { binary: i % 2 === 1 });
  // 2. An upgraded connection that then sends bytes that are not WebSocket frames.
  const { port } = new URL(stack.httpUrl);
  const raw = connect(Number(port), '127.0.0.1');
  const rawClosed = waitClose(raw);
  raw.write(`GET /ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  await new Promise<void>((resolve) => raw.once('data', () => resolve()));
  raw.write(Buffer.concat([Buffer.from([0x8f, 0x7f]), randomBytes(64)])); // reserved opcode 0xF, unmasked, absurd length
  // 3. Garbage on the HTTP port.
  const garbage = connect(Number(port), '127.0.0.1');
  const garbageClosed = waitClose(garbage);
  garbage.write(Buffer.concat([randomBytes(200), Buffer.from('\r\n\r\n')]));

  // Meanwhile the good call goes on: its next utterance is recognized.
  const seen = agent.messages.length;
  for (const f of frames(second.pcm, firstFrames.length, first.pcm.length)) good.send(f);

  const [code, reason] = await junkClosed;
  assert.deepEqual([code, reason], [1008, 'EARPIECE_INGEST_TOO_MANY_ERRORS'], 'the junk bridge connection was dropped');
  await rawClosed;
  assert.match(await garbageClosed, /^HTTP\/1\.1 400/, 'garbage on the HTTP port is answered 400 and closed');
  const later = await agent.waitFor((m) => m.type === 'transcript.final' && m.callId === 'good-1' && agent.messages.indexOf(m) >= seen, 30_000);
  assert.ok(later.type === 'transcript.final' && later.text.length > 0, 'the good call got a final after the hostile peers');
  assert.equal(good.readyState, WebSocket.OPEN, 'the good bridge connection was never disturbed');

  assert.ok(logLines.some((l) => l.msg === 'dropping the bridge connection: too many malformed messages'), 'the dropped junk peer is logged');
  assert.ok(logLines.some((l) => l.level >= 50 && /Invalid WebSocket frame/.test(l.msg ?? '')), 'the invalid WebSocket frame is logged (@fastify/websocket terminates the socket)');

  good.send(JSON.stringify({ type: 'call.stop', callId: 'good-1' }));
  await new Promise<void>((resolve) => good.once('close', () => resolve()));
  assert.ok(inbox.some((m) => m.type === 'call.stopped'));
  agent.close();
});
