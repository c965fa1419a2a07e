/**
 * replayCall against IngestStandIn, a real `ws` server standing in for assist-server's ingest
 * route (the server's own e2e tests replay into the real thing). Inputs are synthesized speech.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AudioFrame, LegRole } from '@earpiece/assist-server/protocol';
import { synthesizeCall, synthesizeSpeech } from '../../../../assist-server/src/testing/speech-audio.ts';
import { IngestStandIn } from '../../testing/ingest-stand-in.ts';
import { frameCount, frameStartSample } from './frame-schedule.ts';
import { replayCall } from './replay-call.ts';

const SCRIPT = [
  { role: 'agent' as const, text: 'thank you for calling how can I help' },
  { role: 'customer' as const, text: 'I would like to check my balance' },
];

function legFrames(frames: AudioFrame[], role: LegRole): AudioFrame[] {
  return frames.filter((f) => f.role === role);
}

function joined(frames: AudioFrame[]): Int16Array {
  return Int16Array.from(frames.flatMap((f) => [...f.pcm]));
}

test("speed 'max' sends every 20 ms frame of both legs in order, then stops with end-of-media", async () => {
  const call = await synthesizeCall(SCRIPT, { sampleRateHz: 8000 });
  const server = await IngestStandIn.start();
  try {
    const result = await replayCall({ serverUrl: server.url, agentId: 'agent-3', callId: 'replay-max-1', callerNumber: '+14155550142', stereoWav: call.path, speed: 'max' });
    const perLeg = frameCount(call.audio.channels[0]!.length, 8000);
    assert.deepEqual([result.callId, result.framesSent, result.stopReason], ['replay-max-1', 2 * perLeg, 'end-of-media']);
    const [conn] = server.connections;
    assert.equal(server.connections.length, 1);
    assert.deepEqual(
      { callId: conn!.start!.callId, agentId: conn!.start!.agentId, source: conn!.start!.source, callerNumber: conn!.start!.callerNumber, legs: conn!.start!.legs },
      { callId: 'replay-max-1', agentId: 'agent-3', source: 'wav-replay', callerNumber: '+14155550142', legs: [{ role: 'agent', codec: 'L16', sampleRateHz: 8000 }, { role: 'customer', codec: 'L16', sampleRateHz: 8000 }] },
    );
    assert.equal(conn!.stop?.reason, 'end-of-media');
    for (const [i, role] of (['agent', 'customer'] as const).entries()) {
      const frames = legFrames(conn!.frames, role);
      assert.deepEqual(frames.map((f) => f.seq), Array.from({ length: perLeg }, (_, k) => k), `${role}: seq 0..n-1`);
      assert.ok(frames.slice(0, -1).every((f) => f.pcm.length === 160), `${role}: 160-sample frames at 8 kHz`);
      assert.deepEqual(joined(frames), call.audio.channels[i], `${role}: the channel, sample for sample`);
    }
  } finally {
    await server.close();
  }
});

test('real-time replay of two mono legs at different rates sends frame k of both legs per tick', async () => {
  const agent = await synthesizeSpeech('hello', { sampleRateHz: 16000, padStartMs: 100, padEndMs: 100 });
  const customer = await synthesizeSpeech('hi there', { sampleRateHz: 11025, padStartMs: 100, padEndMs: 100 });
  const server = await IngestStandIn.start();
  try {
    const result = await replayCall({ serverUrl: server.url, agentId: 'agent-3', agentWav: agent.path, customerWav: customer.path, speed: 1 });
    assert.match(result.callId, /^replay-/);
    const frames = server.connections[0]!.frames;
    const agentFrames = legFrames(frames, 'agent');
    const customerFrames = legFrames(frames, 'customer');
    assert.deepEqual(joined(agentFrames), agent.pcm);
    assert.deepEqual(joined(customerFrames), customer.pcm);
    assert.deepEqual(customerFrames.map((f) => f.offsetSamples), customerFrames.map((_, k) => frameStartSample(k, 11025)), 'customer offsets on the absolute 20 ms grid');
    // Arrival order: tick by tick (the frame's time on its leg's clock never goes back).
    const tick = (f: AudioFrame) => f.seq;
    for (let i = 1; i < frames.length; i++) assert.ok(tick(frames[i]!) >= tick(frames[i - 1]!), `frame ${i} arrived out of tick order`);
    assert.equal(result.framesSent, frames.length);
  } finally {
    await server.close();
  }
});

test('a replay survives a dropped connection: the server ends up with every frame once', async () => {
  const call = await synthesizeCall(SCRIPT, { sampleRateHz: 16000 });
  const server = await IngestStandIn.start({ ackEvery: 10 });
  try {
    const dropped = server.waitFor(() => (server.connections[0]?.frames.length ?? 0) >= 150, '150 frames').then(() => server.dropConnection());
    const result = await replayCall({
      serverUrl: server.url,
      agentId: 'agent-3',
      stereoWav: call.path,
      speed: 'max',
      client: { reconnect: { initialDelayMs: 10, maxDelayMs: 20 } },
    });
    await dropped;
    assert.equal(server.connections.length, 2);
    assert.equal(result.stats.reconnects, 1);
    for (const [i, role] of (['agent', 'customer'] as const).entries()) {
      const kept = server.kept.get(role)!;
      assert.deepEqual(kept.map((f) => f.seq), kept.map((_, k) => k));
      assert.deepEqual(joined(kept), call.audio.channels[i], `${role} complete after the reconnect`);
      const resent = legFrames(server.connections[1]!.frames, role).map((f) => f.seq);
      assert.deepEqual(resent, Array.from({ length: resent.length }, (_, k) => resent[0]! + k), `${role}: no frame sent twice on the new connection`);
    }
  } finally {
    await server.close();
  }
});

test('aborting the signal hangs up: the call stops with reason hangup', async () => {
  const call = await synthesizeCall(SCRIPT, { sampleRateHz: 8000 });
  const server = await IngestStandIn.start();
  const controller = new AbortController();
  try {
    void server.waitFor(() => (server.connections[0]?.frames.length ?? 0) >= 20, '20 frames').then(() => controller.abort());
    const result = await replayCall({ serverUrl: server.url, agentId: 'agent-3', stereoWav: call.path, speed: 1, signal: controller.signal });
    assert.equal(result.stopReason, 'hangup');
    assert.equal(server.connections[0]!.stop?.reason, 'hangup');
    assert.ok(result.framesSent < 2 * frameCount(call.audio.channels[0]!.length, 8000), 'stopped before the end of the file');
    await assert.rejects(replayCall({ serverUrl: server.url, agentId: 'agent-3', stereoWav: call.path, speed: 2 as 1 }), { code: 'EARPIECE_BRIDGE_BAD_SPEED' });
  } finally {
    await server.close();
  }
});
