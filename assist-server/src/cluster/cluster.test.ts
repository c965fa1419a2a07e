/**
 * Call ownership and the node-to-node bus on a real private redis-server: a claim by another node
 * wins and the old owner learns it (at its renewal, or at once when asked to let go over the bus);
 * a Redis that lost its keys does not make an owner give up its calls; a claim is released only
 * by its holder; a node started after a call began puts it on its supervisor wall; orphaned calls
 * are ended exactly once by racing sweepers, after their grace period. The whole failover (two node processes, kill -9) is e2e/two-node-failover.test.ts.
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
import { ORPHANS_KEY } from './orphan-sweep.ts';
import { AGENT_UI_PROTOCOL_VERSION, type CallSnapshotEvent } from '../protocol/index.ts';

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
  // ttlMs 60 s (startNode): renewals never run during the test: only the bus can tell node A.
  const a = await startNode('node-a');
  const b = await startNode('node-b');
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

const LIVE_CALLS = 'earpiece:live-calls';

function startNode(nodeId: string, extra: Partial<Parameters<typeof ClusterNode.start>[0]> = {}): Promise<ClusterNode> {
  return ClusterNode.start({
    redisUrl: redis.url,
    nodeId,
    hub: new AgentHub(new PipelineMetrics(), logger),
    supervisors: new SupervisorHub(logger),
    logger,
    persisted: async () => undefined,
    ttlMs: 60_000,
    ...extra,
  });
}

function snapshotOf(callId: string, agentId: string, seq: number): CallSnapshotEvent {
  return {
    v: AGENT_UI_PROTOCOL_VERSION,
    type: 'call.snapshot',
    callId,
    seq,
    atMs: 1_000,
    call: { callId, agentId, callerNumber: null, startedAtMs: 1_000, legs: ['agent', 'customer'], source: 'test' },
    finals: [],
    partials: [],
    ended: false,
    held: false,
    intents: [],
    emotion: null,
  };
}

test('a node started after a call began puts that call on its supervisor wall from the owner, for the supervisor team only, and follows it', async () => {
  const probe = client();
  // The owner: a node that claimed two calls before the other node started and answers snapshot requests.
  const ownership = new CallOwnership({ redis: client('wall-owner'), nodeId: 'wall-owner', ttlMs: 60_000, onLost: () => undefined });
  const snapshots = new Map([
    ['wall-1', snapshotOf('wall-1', 'agent-team', 7)],
    ['wall-2', snapshotOf('wall-2', 'agent-other', 3)],
  ]);
  const owner: ClusterBus = new ClusterBus({
    nodeId: 'wall-owner',
    pub: client(),
    sub: client(),
    onMessage: (m) => (m.kind === 'snapshot.request' ? owner.reply(m.from, m.id, { snapshot: snapshots.get(m.callId) }) : undefined),
    onError: (err) => assert.fail(err),
  });
  await owner.start();
  await ownership.claim('wall-1');
  await ownership.claim('wall-2');
  await probe.hset(LIVE_CALLS, 'wall-1', 'agent-team', 'wall-2', 'agent-other', 'wall-lapsed', 'agent-team'); // wall-lapsed: no owner claim

  const supervisors = new SupervisorHub(logger);
  const late = await startNode('wall-late', { supervisors });
  try {
    await late.showRemoteCalls((agentId) => agentId === 'agent-team');
    assert.deepEqual(
      supervisors.liveCalls().map((c) => [c.callId, c.agentId, c.held]),
      [['wall-1', 'agent-team', false]],
      "the team's call owned elsewhere is on the wall; another team's call and a call without an owner are not",
    );
    // Events after the snapshot change the wall's row; an event the snapshot already holds is not applied twice.
    owner.publishEvent({ agentId: 'agent-team', event: { v: 1, type: 'call.hold', held: true, callId: 'wall-1', seq: 8, atMs: 2_000 } as never });
    await until(() => supervisors.liveCalls()[0]?.held === true, 'the hold to reach the wall');
    // As an owner does when its call ends: out of the index, then call.ended on the bus.
    await probe.hdel(LIVE_CALLS, 'wall-1', 'wall-lapsed');
    snapshots.set('wall-1', { ...snapshotOf('wall-1', 'agent-team', 9), ended: true });
    owner.publishEvent({ agentId: 'agent-team', event: { v: 1, type: 'call.ended', callId: 'wall-1', seq: 9, atMs: 3_000, reason: 'hangup', durationMs: 2_000 } as never });
    await until(() => supervisors.liveCalls().length === 0, 'the call to leave the wall when it ends');
    // The supervisor without a team sees the other call too.
    await late.showRemoteCalls();
    assert.deepEqual(supervisors.liveCalls().map((c) => c.callId), ['wall-2']);
  } finally {
    await late.close();
    await ownership.stop();
    await probe.del(LIVE_CALLS);
  }
});

test('orphaned calls (owner gone, no bridge back) are ended exactly once by racing sweepers; owned calls are left alone', async () => {
  const probe = client();
  const live = new CallOwnership({ redis: client('sweep-live'), nodeId: 'sweep-live', ttlMs: 60_000, onLost: () => assert.fail('an owned call is not taken') });
  await live.claim('owned-1');
  const orphans = Array.from({ length: 12 }, (_, i) => `orphan-${i}`);
  await probe.hset(LIVE_CALLS, 'owned-1', 'agent-1', 'ended-1', 'agent-1', ...orphans.flatMap((callId) => [callId, 'agent-1']));

  const ended: Array<[string, string]> = [];
  // orphanGraceMs 0: an entry without an owner is ended at the first sweep that sees it (the real grace is minutes).
  const nodes = await Promise.all(['sweep-a', 'sweep-b'].map((id) => startNode(id, { orphanGraceMs: 0, orphanSweepMs: 0 })));
  for (const node of nodes) {
    node.startOrphanSweep(async (callId) => {
      assert.equal(node.owns(callId), true, 'a sweeper ends only a call it has claimed');
      ended.push([node.nodeId, callId]);
      return callId === 'ended-1' ? 'already-ended' : 'ended';
    });
  }
  try {
    // Each node sweeps twice at once (the second joins its running sweep), racing the other node.
    const [sweptA, sweptB] = await Promise.all([...nodes, ...nodes].map((n) => n.sweepOrphans()));
    assert.deepEqual(await Promise.all(nodes.map((n) => n.sweepOrphans())), [[], []], 'nothing left to do');
    const endedIds = ended.map(([, callId]) => callId).sort();
    assert.deepEqual(endedIds, ['ended-1', ...orphans].sort(), 'each orphan handed to endOrphan exactly once, the owned call never');
    assert.deepEqual([...sweptA!, ...sweptB!].sort(), endedIds, 'each node reports what it ended; no call twice');
    assert.deepEqual(await probe.hkeys(LIVE_CALLS), ['owned-1'], 'ended calls are out of the live-call index');
    assert.equal(await live.ownerOf('owned-1'), 'sweep-live');
    for (const callId of orphans) assert.equal(await live.ownerOf(callId), undefined, 'the sweeper let go of the claim once the call ended');
  } finally {
    await Promise.all(nodes.map((n) => n.close()));
    await live.stop();
    await probe.del(LIVE_CALLS);
  }
});

test('a call without an owner is ended only after the grace period counted from when a sweep first saw it unowned; an owner coming back resets it', async () => {
  const probe = client();
  const ended: string[] = [];
  const node = await startNode('sweep-grace', { orphanGraceMs: 3_600_000, orphanSweepMs: 0 });
  node.startOrphanSweep(async (callId) => (ended.push(callId), 'ended'));
  const bridgeBack = new CallOwnership({ redis: client(), nodeId: 'sweep-back', ttlMs: 60_000, onLost: () => undefined });
  try {
    await probe.hset(LIVE_CALLS, 'young-1', 'agent-1');
    assert.deepEqual(await node.sweepOrphans(), []);
    const since = Number(await probe.hget(ORPHANS_KEY, 'young-1'));
    assert.ok(since > 0, 'the sweep marked when it first saw the call unowned');
    assert.deepEqual(await node.sweepOrphans(), [], 'within the grace period the call is left for its bridge');
    assert.equal(Number(await probe.hget(ORPHANS_KEY, 'young-1')), since, 'a later sweep keeps the first mark');

    await bridgeBack.claim('young-1'); // a bridge reconnected to some node, which resumed the call
    assert.deepEqual(await node.sweepOrphans(), []);
    assert.equal(await probe.hget(ORPHANS_KEY, 'young-1'), null, 'an owned call loses its mark');

    await bridgeBack.release('young-1'); // that node died too, long ago: its mark is older than the grace
    await probe.hset(ORPHANS_KEY, 'young-1', String(since - 2 * 3_600_000));
    assert.deepEqual(await node.sweepOrphans(), ['young-1']);
    assert.deepEqual(ended, ['young-1']);
    assert.equal(await probe.hexists(LIVE_CALLS, 'young-1'), 0);
    assert.equal(await probe.hexists(ORPHANS_KEY, 'young-1'), 0);
  } finally {
    await node.close();
    await probe.del(LIVE_CALLS, ORPHANS_KEY);
  }
});
