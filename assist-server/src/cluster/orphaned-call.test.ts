/**
 * The orphan sweep on a whole real node (PocketSphinx, private Redis, SQLite, the post-call queue):
 * a call whose owner let go of it without ending it (as a node that died) and whose bridge never
 * came back is claimed by the sweep once its grace period is over, resumed from its spool through
 * the ordinary resume path, ended with reason `owner-lost` exactly once, and archived.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { IngestClient } from '@earpiece/telephony-bridge';
import { startTestStack, type TestStack } from '../testing/test-stack.ts';
import { OWNER_LOST_REASON } from '../calls/end-orphaned-call.ts';
import { clientName, ownerKey } from './call-ownership.ts';
import { ORPHANS_KEY } from './orphan-sweep.ts';

let stack: TestStack;
const clients: Redis[] = [];
before(async () => {
  stack = await startTestStack();
});
after(async () => {
  for (const c of clients) c.disconnect();
  await stack?.close();
});

async function until(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('a call whose node let go of it and whose bridge never came back is ended once by the sweep (owner-lost) and archived', async () => {
  const { node } = stack;
  const callId = 'orphan-e2e-1';
  const redis = new Redis(node.redisUrl);
  clients.push(redis);

  // A bridge sends three seconds of (quiet) audio on two legs, has some of it acknowledged (settled in the spool), and vanishes (the PBX side is gone).
  const bridge = new IngestClient({ serverUrl: stack.wsUrl, call: { callId, agentId: 'agent-1', source: 'test', legs: [{ role: 'agent', sampleRateHz: 8000 }, { role: 'customer', sampleRateHz: 8000 }] } });
  await bridge.connect();
  const quiet = new Int16Array(160);
  for (let k = 0; k < 150; k++) for (const role of ['agent', 'customer'] as const) bridge.sendAudio(role, quiet, k * 160);
  const acked = () => Math.min(bridge.stats.legs.agent?.ackedSeq ?? -1, bridge.stats.legs.customer?.ackedSeq ?? -1);
  await until(() => acked() >= 0, 'audio to be acknowledged');
  const ackedMs = (acked() + 1) * 20;
  await bridge.close();

  // The node lets go of the call without ending it, as a node handing its calls over (another node is connected).
  clients.push(new Redis(node.redisUrl, { connectionName: clientName('some-other-node') }));
  await until(async () => String(await redis.client('LIST')).includes(clientName('some-other-node')), 'the other node to be connected');
  await node.cluster.stopCalls(node.registry);
  assert.equal(node.registry.get(callId), undefined);
  assert.equal(await redis.get(ownerKey(callId)), null, 'nobody owns the call');
  assert.equal((await node.store.getCall(callId))?.status, 'live');
  assert.equal(await redis.hexists('earpiece:live-calls', callId), 1, 'the call is still listed as live');

  // A sweep marks it; the mark is backdated past the grace period rather than waiting minutes for it.
  await node.cluster.sweepOrphans();
  assert.equal((await node.store.getCall(callId))?.status, 'live', 'within the grace period the call is left for its bridge');
  await redis.hset(ORPHANS_KEY, callId, '1');
  await node.cluster.sweepOrphans();
  await until(async () => (await node.store.getCall(callId))?.status !== 'live', 'the call to end');
  await node.cluster.sweepOrphans();

  const call = await node.store.getCall(callId);
  assert.equal(call?.endReason, OWNER_LOST_REASON);
  const ends = (await node.store.events(callId)).filter((e) => e.type === 'call.ended');
  assert.equal(ends.length, 1, 'ended exactly once');
  assert.equal(await redis.hexists('earpiece:live-calls', callId), 0, 'out of the live-call index');
  assert.equal(await redis.get(ownerKey(callId)), null, 'the sweeper let go of its claim');
  await until(async () => (await node.store.getCall(callId))?.status === 'archived', 'the call to be archived');
  const recordings = await node.store.recordings(callId);
  assert.deepEqual(recordings.map((r) => r.role).sort(), ['agent', 'customer']);
  for (const r of recordings) assert.ok(r.durationMs >= ackedMs, `the ${r.role} recording holds the acknowledged audio (${r.durationMs} ms, ${ackedMs} ms acknowledged)`);
});
