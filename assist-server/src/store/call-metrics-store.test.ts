import assert from 'node:assert/strict';
import { testOnDatabases } from '../testing/test-databases.ts';
import { CallMetricsStore, type CallMetrics } from './call-metrics-store.ts';

const base: CallMetrics = {
  callId: 'c1',
  agentId: 'agent-1',
  callType: 'pstn',
  startedAtMs: 1_795_000_000_000, // beyond 2^31: BIGINT on postgres
  endedAtMs: 1_795_000_300_000,
  handleMs: 300_000,
  talkAgentMs: 120_000,
  talkCustomerMs: 140_000,
  nonTalkMs: 40_000,
  holdMs: 15_000,
  interruptionsAgent: 2,
  interruptionsCustomer: 1,
  loudnessAgentDbfs: -21.5,
  loudnessCustomerDbfs: null,
  wpmAgent: 152.25,
  wpmCustomer: null,
  firstResponseMs: null,
  transferred: true,
  resolution: 'unresolved',
  resolutionSource: 'inferred',
  sentimentStart: -0.625,
  sentimentEnd: 0.25,
  complianceScore: 87.5,
  primaryIntent: null,
  intents: ['card_lost', '挂失', 'balance'],
};

testOnDatabases('call metrics: a row round-trips with its nulls, booleans, reals and intents in order', async (_t, { db }) => {
  const store = new CallMetricsStore(db);
  await store.upsert(base);
  assert.deepEqual(await store.get('c1'), base);
  assert.equal(await store.get('nope'), undefined);
});

testOnDatabases('call metrics: upsert replaces the row (a retried pipeline step writes it once)', async (_t, { db }) => {
  const store = new CallMetricsStore(db);
  await store.upsert(base);
  await store.upsert({ ...base, handleMs: 310_000, transferred: false, resolution: 'resolved', resolutionSource: 'wrap-up', primaryIntent: 'card_lost' });
  const rows = await store.list({ fromMs: 0, toMs: Number.MAX_SAFE_INTEGER });
  assert.equal(rows.length, 1);
  assert.deepEqual([rows[0]!.handleMs, rows[0]!.transferred, rows[0]!.resolution, rows[0]!.resolutionSource, rows[0]!.primaryIntent], [310_000, false, 'resolved', 'wrap-up', 'card_lost']);
});

testOnDatabases('call metrics: list by period [from, to), agents and call type, oldest first; span; delete', async (_t, { db }) => {
  const store = new CallMetricsStore(db);
  const t0 = base.startedAtMs;
  await store.upsert({ ...base, callId: 'late', startedAtMs: t0 + 2000 });
  await store.upsert({ ...base, callId: 'early', startedAtMs: t0 });
  await store.upsert({ ...base, callId: 'other-agent', agentId: 'agent-2', startedAtMs: t0 + 1000, callType: 'webrtc' });
  await store.upsert({ ...base, callId: 'at-end', startedAtMs: t0 + 3000 });
  const ids = async (q: Parameters<CallMetricsStore['list']>[0]) => (await store.list(q)).map((m) => m.callId);
  assert.deepEqual(await ids({ fromMs: t0, toMs: t0 + 3000 }), ['early', 'other-agent', 'late']);
  assert.deepEqual(await ids({ fromMs: t0, toMs: t0 + 3000, agentIds: ['agent-1'] }), ['early', 'late']);
  assert.deepEqual(await ids({ fromMs: t0, toMs: t0 + 3000, agentIds: [] }), []);
  assert.deepEqual(await ids({ fromMs: 0, toMs: Number.MAX_SAFE_INTEGER, callType: 'webrtc' }), ['other-agent']);
  assert.deepEqual(await store.span(), { firstStartedAtMs: t0, lastStartedAtMs: t0 + 3000 });
  assert.equal(await store.delete('late'), true);
  assert.equal(await store.delete('late'), false);
  assert.deepEqual(await ids({ fromMs: 0, toMs: Number.MAX_SAFE_INTEGER }), ['early', 'other-agent', 'at-end']);
});

testOnDatabases('call metrics: the schema refuses an unknown resolution', async (_t, { db }) => {
  const store = new CallMetricsStore(db);
  await assert.rejects(store.upsert({ ...base, resolution: 'maybe' as never }));
});
