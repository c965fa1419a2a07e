/**
 * Call ownership and the node-to-node bus on a real private redis-server: a claim by another node
 * wins and the old owner learns it (at its renewal, or at once when asked to let go over the bus);
 * a Redis that lost its keys does not make an owner give up its calls; a claim is released only
 * by its holder. The whole failover (two node processes, kill -9) is e2e/two-node-failover.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import pino from 'pino';
import { PipelineMetrics } from '../metrics/pipeline-metrics.ts';
import { AgentHub } from '../push/agent-hub.ts';
import { SupervisorHub } from '../push/supervisor-hub.ts';
import { startPrivateRedis, type PrivateRedis } from '../redis/private-redis.ts';
import { CallOwnership, clientName, ownerKey } from './call-ownership.ts';
import { ClusterBus, type BusMessage } from './cluster-bus.ts';
import { ClusterNode } from './cluster-node.ts';

let redis: PrivateRedis;
const clients: Redis[] = [];
const logger = pino({ level: 'silent' });

before(async () => {
  redis = await startPrivateRedis({ bin: 'redis-server', dataDir: mkdtempSync(join(tmpdir(), 'ep-cluster-')) });
});
after(async () => {
  for (const c of clients) c.disconnect();
  await redis.close();
});

function client(nodeId?: string): Redis {
  const c = new Redis(redis.url, nodeId ? { connectionName: clientName(nodeId) } : {});
  clients.push(c);
  return c;
}

/** Resolves when `predicate` holds (checked every few ms), or rejects after `timeoutMs`. */
async function until(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('a claim by another node wins with a higher epoch, and the old owner learns it lost the call at its renewal', async () => {
  const lost: Array<[string, string]> = [];
  const a = new CallOwnership({ redis: client('node-a'), nodeId: 'node-a', ttlMs: 300, onLost: (callId, by) => lost.push([callId, by]) });
  const b = new CallOwnership({ redis: client('node-b'), nodeId: 'node-b', ttlMs: 300, onLost: () => assert.fail('node B keeps its claim') });
  await Promise.all([a.start(), b.start()]);
  try {
    const first = await a.claim('own-1');
    assert.equal(first.previous, undefined);
    const second = await b.claim('own-1');
    assert.deepEqual(second.previous, { nodeId: 'node-a', epoch: first.epoch });
    assert.ok(second.epoch > first.epoch, 'the fencing epoch grows');
    await until(() => lost.length > 0, 'node A to learn it lost the call');
    assert.deepEqual(lost, [['own-1', 'node-b']]);
    assert.equal(a.holds('own-1'), false);
    assert.equal(await b.ownerOf('own-1'), 'node-b');
    assert.equal(await a.nodeAlive('node-b'), true);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});

test('a claim that vanished from Redis (a restart without persistence) is written again by its owner, not given up', async () => {
  const probe = client();
  const a = new CallOwnership({ redis: client(), nodeId: 'node-a', ttlMs: 300, onLost: () => assert.fail('a vanished claim is not a lost call') });
  await a.start();
  try {
    await a.claim('own-2');
    await probe.del(ownerKey('own-2'));
    await until(async () => (await probe.get(ownerKey('own-2'))) !== null, 'the claim to be written again');
    assert.equal(await a.ownerOf('own-2'), 'node-a');
    assert.equal(await a.stillOwner('own-2'), true);
  } finally {
    await a.stop();
  }
});

test('a claim is released only by the node holding it', async () => {
  const a = new CallOwnership({ redis: client(), nodeId: 'node-a', ttlMs: 60_000, onLost: () => undefined });
  const b = new CallOwnership({ redis: client(), nodeId: 'node-b', ttlMs: 60_000, onLost: () => undefined });
  await a.claim('own-3');
  await b.claim('own-3');
  await a.release('own-3'); // A's claim is stale: B's stays
  assert.equal(await b.ownerOf('own-3'), 'node-b');
  await b.release('own-3');
  assert.equal(await b.ownerOf('own-3'), undefined);
});

test('the bus carries events to every other node and answers requests addressed to one node', async () => {
  const got: BusMessage[] = [];
  const a: ClusterBus = new ClusterBus({ nodeId: 'bus-a', pub: client(), sub: client(), onMessage: (m) => got.push(m), onError: (err) => assert.fail(err) });
  const b: ClusterBus = new ClusterBus({
    nodeId: 'bus-b',
    pub: client(),
    sub: client(),
    onMessage: (m) => (m.kind === 'snapshot.request' ? b.reply(m.from, m.id, { echo: m.callId }) : undefined),
    onError: (err) => assert.fail(err),
  });
  await Promise.all([a.start(), b.start()]);
  const event = { v: 1, type: 'call.hold', held: true, callId: 'bus-1', seq: 3, atMs: 1 } as const;
  b.publishEvent({ agentId: 'agent-1', event: event as never });
  await until(() => got.length > 0, 'the event on node A');
  assert.deepEqual(got, [{ kind: 'event', from: 'bus-b', agentId: 'agent-1', event }]);
  assert.deepEqual(await a.request('bus-b', { kind: 'snapshot.request', callId: 'bus-1' }, 5000), { echo: 'bus-1' });
  assert.equal(await a.request('nobody', { kind: 'snapshot.request', callId: 'bus-1' }, 50), undefined, 'no such node: no reply');
});

test('a node taking a call over asks the live previous owner to let go, and the owner gives up its claim at once', async () => {
  const start = (nodeId: string) =>
    ClusterNode.start({
      redisUrl: redis.url,
      nodeId,
      hub: new AgentHub(new PipelineMetrics(), logger),
      supervisors: new SupervisorHub(logger),
      logger,
      persisted: async () => undefined,
      ttlMs: 60_000, // renewals never run during the test: only the bus can tell node A
    });
  const a = await start('node-a');
  const b = await start('node-b');
  try {
    await a.claim('take-1');
    assert.equal(a.owns('take-1'), true);
    await b.claim('take-1');
    assert.equal(a.owns('take-1'), false, 'node A let go when asked');
    assert.equal(b.owns('take-1'), true);
    assert.equal(await a.mayEnd('take-1'), false, 'only the owner ends the call');
    assert.equal(await b.mayEnd('take-1'), true);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

test('a node whose Redis connections closed (killed) is known dead at once, before its heartbeat lapses', async () => {
  const probe = new CallOwnership({ redis: client(), nodeId: 'probe', ttlMs: 60_000, onLost: () => undefined });
  const doomedRedis = new Redis(redis.url, { connectionName: clientName('node-doomed') });
  const doomed = new CallOwnership({ redis: doomedRedis, nodeId: 'node-doomed', ttlMs: 60_000, onLost: () => undefined });
  await doomed.start();
  assert.equal(await probe.nodeAlive('node-doomed'), true);
  doomedRedis.disconnect(); // as the kernel does for a process killed with SIGKILL; the heartbeat key stays for a minute
  await until(async () => !(await probe.nodeAlive('node-doomed')), 'the node to be seen gone');
  assert.equal(await probe.nodeAlive('never-ran'), false);
  await doomed.stop();
});
