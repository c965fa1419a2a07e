/**
 * A call moves between two live nodes (in-process, one Redis, one PostgreSQL, one data directory):
 * node A's connection to the bridge drops while node A keeps running (a network blip), the bridge
 * reconnects to node B, and B takes the call over. Node A, still alive, is told to let go: it drops
 * its session without ending or archiving it, and its reconnect grace timer later finds nothing to
 * end. Then node B shuts down gracefully (a rolling restart): with node A running it hands the call
 * back instead of ending it. The call finishes on A: one call.ended, one archive, a recording
 * identical to the audio sent.
 * (The kill -9 case is two-node-failover.test.ts.) Skipped where PostgreSQL cannot start (fails under CI=true).
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { replayCall } from '@earpiece/telephony-bridge';
import { readWav } from '../src/audio/wav-file.ts';
import { startPrivateRedis } from '../src/redis/private-redis.ts';
import { synthesizeCall } from '../src/testing/speech-audio.ts';
import { resetSchema, testPostgresUrl } from '../src/testing/test-databases.ts';
import { AgentSocketProbe, startTestStack, type TestStack } from '../src/testing/test-stack.ts';

test('a live node that loses its bridge connection lets the other node take the call over, and never ends it itself', { timeout: 180_000 }, async (t) => {
  const databaseUrl = await testPostgresUrl(t);
  if (!databaseUrl) return;
  await resetSchema(databaseUrl);
  const dataDir = mkdtempSync(join(tmpdir(), 'ep-takeover-'));
  const redis = await startPrivateRedis({ bin: 'redis-server', dataDir: join(dataDir, 'redis') });
  const cleanups: Array<() => unknown> = [() => redis.close()];
  t.after(async () => {
    for (const fn of cleanups.reverse()) await fn();
  });
  const env = (nodeId: string) => ({ REDIS_URL: redis.url, DATABASE_URL: databaseUrl, EARPIECE_DATA_DIR: dataDir, EARPIECE_NODE_ID: nodeId, EARPIECE_NLU: 'off' });
  // A short grace: node A's timer for the dropped bridge fires while the call goes on at B.
  const a: TestStack = await startTestStack(env('node-a'), { reconnectGraceMs: 2000 });
  cleanups.push(() => a.close());
  const b: TestStack = await startTestStack(env('node-b'), { reconnectGraceMs: 2000 });
  cleanups.push(() => b.close());

  const call = await synthesizeCall([
    { role: 'customer', text: 'I would like to check the balance of my account' },
    { role: 'agent', text: 'of course let me look that up for you' },
    { role: 'customer', text: 'please also send me a new debit card' },
  ]);
  const agent = await AgentSocketProbe.connect(b.wsUrl, 'agent-1');
  cleanups.push(() => agent.close());
  const callId = 'takeover-1';
  const replay = replayCall({ serverUrl: `${a.wsUrl},${b.wsUrl}`, agentId: 'agent-1', callId, stereoWav: call.path, speed: 1 });

  await agent.waitFor((m) => m.type === 'transcript.final' && m.callId === callId && /balance/.test(m.text), 30_000);
  assert.ok(a.node.registry.get(callId), 'the call is live on node A');
  assert.equal(a.node.cluster.owns(callId), true);
  const seen = agent.messages.length;
  for (const socket of a.node.app.websocketServer.clients) socket.terminate(); // node A's bridge connection drops; node A lives on
  await agent.waitFor((m) => m.type === 'call.started' && m.callId === callId && agent.messages.indexOf(m) >= seen, 30_000);
  assert.equal(b.node.cluster.owns(callId), true, 'node B owns the call');
  assert.equal(a.node.cluster.owns(callId), false, 'node A gave it up');
  assert.equal(a.node.registry.get(callId), undefined, 'node A dropped its session');

  // Then node B shuts down (a rolling restart) with node A running: it hands the call back instead of ending it.
  const agentOnA = await AgentSocketProbe.connect(a.wsUrl, 'agent-1');
  cleanups.push(() => agentOnA.close());
  const seenOnA = agentOnA.messages.length;
  await b.close();
  await agentOnA.waitFor((m) => m.type === 'call.started' && m.callId === callId && agentOnA.messages.indexOf(m) >= seenOnA, 30_000);
  assert.equal(a.node.cluster.owns(callId), true, 'node A owns the call again');

  const result = await replay;
  assert.equal(result.stopReason, 'end-of-media');
  assert.ok(result.stats.reconnects >= 2, 'the bridge moved twice');
  await a.node.postCall.waitForArchive(callId, 60_000);
  const ends = (await a.node.store.events(callId)).flatMap((e) => (e.type === 'call.ended' ? [e.reason] : []));
  assert.deepEqual(ends, ['end-of-media'], 'ended once, at the real end of the call (not by a shutdown or a grace timer)');
  const customer = (await a.node.store.finals(callId)).filter((u) => u.role === 'customer').map((u) => u.text).join(' ');
  assert.match(customer, /balance/);
  assert.match(customer, /card/, 'recognition carried on after both moves');
  for (const [ch, role] of [[0, 'agent'], [1, 'customer']] as const) {
    const day = new Date().toISOString().slice(0, 10).split('-');
    const wav = await readWav(join(dataDir, 'calls', ...day, callId, `${role}.wav`));
    assert.deepEqual(wav.channels[0], call.audio.channels[ch], `${role}: recording identical to what was spoken`);
  }
});
