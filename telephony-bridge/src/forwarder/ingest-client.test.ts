/**
 * IngestClient against IngestStandIn: a real `ws` WebSocketServer standing in for assist-server's
 * ingest route (the bridge's unit tests do not boot the server; its end-to-end test does).
 * Audio is real synthesized speech.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LegRole } from '@earpiece/assist-server/protocol';
import { synthesizeSpeech } from '../../../assist-server/src/testing/speech-audio.ts';
import { IngestStandIn } from '../testing/ingest-stand-in.ts';
import { IngestClient, type IngestClientOptions } from './ingest-client.ts';

function frames(pcm: Int16Array, samplesPerFrame: number): Int16Array[] {
  const out: Int16Array[] = [];
  for (let i = 0; i < pcm.length; i += samplesPerFrame) out.push(pcm.subarray(i, i + samplesPerFrame));
  return out;
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

function client(url: string, callId: string, legs: Array<{ role: LegRole; sampleRateHz: number }>, extra: Partial<IngestClientOptions> = {}) {
  return new IngestClient({ serverUrl: url, call: { callId, agentId: 'agent-7', callerNumber: '+14155550142', legs }, reconnect: { initialDelayMs: 10, maxDelayMs: 50 }, ...extra });
}

/** Handles of the kinds a client owns (sockets, timers), for the no-leftovers check (node releases a closed socket's handle a tick after its close event, hence settles()). */
function liveHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TCPServerWrap' || r === 'Timeout').length;
}

async function settles(predicate: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

test('after a forced disconnect every frame from the server nextSeq on is resent exactly once, in order', async () => {
  const speech = await synthesizeSpeech('please send me a new card for my account', { sampleRateHz: 16000 });
  const pcmFrames = frames(speech.pcm, 320);
  assert.ok(pcmFrames.length > 60, 'enough speech for the test');
  const server = await IngestStandIn.start({ ackEvery: 10 });
  const c = client(server.url, 'resend-1', [{ role: 'customer', sampleRateHz: 16000 }]);
  const connected: Array<{ resumed: boolean; resentFrames: number; nextSeq: Record<string, number> }> = [];
  c.on('connected', (e) => connected.push(e));
  c.once('reconnecting', () => {
    // Sent while disconnected: buffered, first written after the reconnect.
    for (let i = 25; i < 40; i++) c.sendAudio('customer', pcmFrames[i]!);
  });

  await c.connect();
  for (let i = 0; i < 25; i++) c.sendAudio('customer', pcmFrames[i]!);
  await server.waitFor(() => server.connections[0]!.frames.length === 25, '25 frames on the first connection');
  server.dropConnection(); // acknowledged through seq 19; forgets 20..24
  await server.waitFor(() => server.connections[1]?.frames.length === 20, 'the resend on the second connection');
  for (let i = 40; i < pcmFrames.length; i++) c.sendAudio('customer', pcmFrames[i]!);
  await c.stop('end-of-media');

  const [first, second] = server.connections as [(typeof server.connections)[0], (typeof server.connections)[0]];
  assert.equal(server.connections.length, 2);
  assert.deepEqual(second.start, first.start, 'the same call.start on reconnect');
  assert.deepEqual(connected.map((e) => [e.resumed, e.nextSeq.customer, e.resentFrames]), [
    [false, 0, 0],
    [true, 20, 5],
  ]);
  assert.deepEqual(second.frames.map((f) => f.seq), range(20, pcmFrames.length), 'frames 20.. resent once each, in order, nothing before 20');
  assert.equal(second.stop?.reason, 'end-of-media');
  // What the server now holds is the whole utterance, sample for sample, on the right clock.
  const kept = server.kept.get('customer')!;
  assert.deepEqual(kept.map((f) => f.offsetSamples), range(0, pcmFrames.length).map((k) => k * 320));
  assert.deepEqual(Int16Array.from(kept.flatMap((f) => [...f.pcm])), speech.pcm);
  const stats = c.stats.legs.customer!;
  assert.deepEqual([stats.framesSent, stats.framesResent, stats.dropped, stats.lost], [pcmFrames.length, 5, 0, 0]);
  assert.equal(c.state, 'stopped');

  await c.close();
  await c.close(); // idempotent
  await server.close();
  await settles(() => liveHandles() === 0, 'sockets and timers to be released');
});

test('the resend buffer keeps 60 s per leg, drops the oldest past it and counts them', async () => {
  const speech = await synthesizeSpeech('thank you for calling how can I help you', { sampleRateHz: 8000 });
  const second = new Int16Array(8000); // 1 s frames of real speech, tiled
  const server = await IngestStandIn.start({ ackEvery: 0 }); // never acknowledges
  const c = client(server.url, 'bound-1', [{ role: 'agent', sampleRateHz: 8000 }]);
  try {
    await c.connect();
    for (let i = 0; i < 65; i++) {
      for (let j = 0; j < second.length; j++) second[j] = speech.pcm[(i * 8000 + j) % speech.pcm.length]!;
      c.sendAudio('agent', second);
    }
    assert.deepEqual([c.stats.legs.agent!.unacked, c.stats.legs.agent!.dropped], [60, 5]);
    await server.waitFor(() => server.connections[0]!.frames.length === 65, 'all 65 frames');

    server.dropConnection(); // the server had acknowledged nothing: it asks for everything from seq 0
    await server.waitFor(() => server.connections[1]?.frames.length === 60, 'the resend');
    assert.deepEqual(server.connections[1]!.frames.map((f) => f.seq), range(5, 65), 'oldest five were dropped; the rest resent in order');
    assert.deepEqual(server.connections[1]!.frames.map((f) => f.offsetSamples), range(5, 65).map((k) => k * 8000));
    assert.deepEqual([c.stats.legs.agent!.lost, c.stats.legs.agent!.dropped], [5, 5]);
    await c.stop('hangup');
  } finally {
    await c.close();
    await server.close();
  }
});

test('stop() sends call.stop and resolves only on call.stopped', async () => {
  const speech = await synthesizeSpeech('goodbye', { sampleRateHz: 16000 });
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const server = await IngestStandIn.start({ holdStopped: () => released });
  const c = client(server.url, 'stop-1', [
    { role: 'agent', sampleRateHz: 16000 },
    { role: 'customer', sampleRateHz: 16000 },
  ]);
  try {
    await c.connect();
    for (const f of frames(speech.pcm, 320)) c.sendAudio('agent', f);
    let settled = false;
    const stopping = c.stop('hangup');
    stopping.then(() => (settled = true), () => (settled = true));
    assert.equal(c.stop(), stopping, 'a second stop() returns the same promise');
    await server.waitFor(() => server.connections[0]!.stop !== undefined, 'call.stop');
    assert.equal(server.connections[0]!.stop!.reason, 'hangup');
    assert.equal(server.connections[0]!.frames.length, frames(speech.pcm, 320).length, 'every frame arrived before call.stop');
    await settles(() => c.stats.legs.agent!.unacked === 0, 'the final ack');
    assert.equal(settled, false, 'not resolved before call.stopped');
    release();
    await stopping;
    assert.equal(c.state, 'stopped');
    assert.throws(() => c.sendAudio('agent', speech.pcm.subarray(0, 320)), { code: 'EARPIECE_BRIDGE_INGEST_CLOSED' });
  } finally {
    release();
    await c.close();
    await server.close();
  }
});

test('a refused call.start fails connect() with the server error; a bad one is refused before connecting', async () => {
  const server = await IngestStandIn.start({ refuseWith: { code: 'EARPIECE_INGEST_CAPACITY', message: 'this node is at capacity (1 calls)', retryable: true } });
  const c = client(server.url, 'refused-1', [{ role: 'customer', sampleRateHz: 8000 }]);
  const errors: string[] = [];
  c.on('error', (e) => errors.push(e.code));
  try {
    await assert.rejects(c.connect(), { code: 'EARPIECE_INGEST_CAPACITY', retryable: true, message: /at capacity/ });
    assert.equal(c.state, 'failed');
    assert.deepEqual(errors, ['EARPIECE_INGEST_CAPACITY']);
    assert.throws(() => client(server.url, 'bad id with spaces', [{ role: 'agent', sampleRateHz: 16000 }]), { code: 'EARPIECE_BRIDGE_BAD_CALL_START' });
    assert.throws(() => client(server.url, 'rate-1', [{ role: 'agent', sampleRateHz: 96000 }]), { code: 'EARPIECE_BRIDGE_BAD_CALL_START' });
    assert.equal(server.connections.length, 1, 'invalid call.start never reached the server');
  } finally {
    await c.close();
    await server.close();
  }
});

test('no server: connect() fails with a clear error; a lost server ends in a fatal error after the retries', async () => {
  const gone = await IngestStandIn.start();
  const deadUrl = gone.url;
  await gone.close();
  const lonely = client(deadUrl, 'nobody-1', [{ role: 'agent', sampleRateHz: 16000 }]);
  await assert.rejects(lonely.connect(), { code: 'EARPIECE_BRIDGE_INGEST_UNREACHABLE', message: /Is assist-server running/ });
  await lonely.close();

  const server = await IngestStandIn.start();
  const c = client(server.url, 'lost-1', [{ role: 'agent', sampleRateHz: 16000 }], { reconnect: { initialDelayMs: 5, maxDelayMs: 10, maxAttempts: 3 } });
  const attempts: number[] = [];
  c.on('reconnecting', (e) => attempts.push(e.attempt));
  try {
    await c.connect();
    const failed = new Promise<Error & { code?: string; fatal?: boolean }>((resolve) => c.on('error', (e) => e.fatal && resolve(e)));
    await server.close();
    const err = await failed;
    assert.equal(err.code, 'EARPIECE_BRIDGE_INGEST_UNREACHABLE');
    assert.deepEqual(attempts, [1, 2, 3]);
    assert.equal(c.state, 'failed');
    await assert.rejects(c.stop(), { code: 'EARPIECE_BRIDGE_INGEST_UNREACHABLE' });
  } finally {
    await c.close();
  }
});

test('close() while reconnecting cancels the pending retry and leaves no timer or socket', async () => {
  const server = await IngestStandIn.start();
  const c = client(server.url, 'closing-1', [{ role: 'agent', sampleRateHz: 16000 }], { reconnect: { initialDelayMs: 5000, maxDelayMs: 5000 } });
  await c.connect();
  const reconnecting = new Promise<{ delayMs: number }>((resolve) => c.once('reconnecting', resolve));
  server.dropConnection();
  assert.ok((await reconnecting).delayMs >= 2500, 'a retry is pending');
  await c.close();
  assert.equal(c.state, 'closed');
  await assert.rejects(c.connect(), { code: 'EARPIECE_BRIDGE_INGEST_CLOSED' });
  await server.close();
  await settles(() => liveHandles() === 0, 'the retry timer and sockets to be released', 1000);
  assert.equal(server.connections.length, 1, 'no reconnect after close()');
});
