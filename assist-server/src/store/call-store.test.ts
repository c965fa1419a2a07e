import assert from 'node:assert/strict';
import type { CallEvent } from '../protocol/index.ts';
import { testOnDatabases } from '../testing/test-databases.ts';
import { AuditLog } from './audit-log.ts';
import { CallStore } from './call-store.ts';
import { ComplianceStore } from './compliance-store.ts';

const call = { callId: 'c1', agentId: 'agent-1', callerNumber: '•••• 4567', startedAtMs: 1000, legs: ['agent', 'customer'] as const, source: 'test' };
const base = { v: 1 as const, callId: 'c1', atMs: 2000 };
const ENTITY = { type: 'CREDIT_CARD', wordIndex: 2, start: 2, end: 18, startMs: 1500, endMs: 3900, confidence: 0.99 };

testOnDatabases('a call, its finals and events persist across reopening; partials are not stored', async (_t, tdb) => {
  const store = new CallStore(tdb.db);
  // not awaited one by one, as the live sink writes: queued per call, applied in order (the call row first)
  const writes = [store.callStarted({ ...call, legs: [...call.legs] })];
  const events: CallEvent[] = [
    { ...base, seq: 1, type: 'call.started', call: { ...call, legs: [...call.legs] } },
    { ...base, seq: 2, type: 'transcript.partial', utteranceId: 'u0', role: 'customer', text: 'i lost', startMs: 0 },
    { ...base, seq: 3, type: 'transcript.final', utteranceId: 'u0', role: 'customer', text: 'i lost my card', startMs: 100, endMs: 900, words: [{ word: 'i', startMs: 100, endMs: 200, confidence: 0.9 }] },
    { ...base, seq: 5, type: 'transcript.final', utteranceId: 'u1', role: 'customer', text: 'it is [CREDIT_CARD]', startMs: 1000, endMs: 4000, words: [], entities: [ENTITY] },
    { ...base, seq: 4, type: 'call.ended', reason: 'hangup', durationMs: 5000 },
  ];
  for (const e of events) writes.push(store.recordEvent(e));
  writes.push(store.recordEvent({ ...events[2]!, text: 'i lost my debit card' } as CallEvent)); // a repeated final replaces the text
  await store.persisted('c1');
  await Promise.all(writes);
  await store.close();

  const again = new CallStore(await tdb.openAgain()); // migrations run once; reopening is fine
  assert.deepEqual((await again.events('c1')).map((e) => e.seq), [1, 3, 4, 5]);
  assert.equal(await again.lastEventSeq('c1'), 5);
  assert.equal(await again.lastEventSeq('none'), 0);
  assert.deepEqual((await again.finals('c1')).map((u) => u.text), ['i lost my debit card', 'it is [CREDIT_CARD]']);
  assert.deepEqual((await again.finals('c1')).map((u) => u.entities), [[], [ENTITY]], 'entity records (no values) are kept for reviewers');
  const rec = (await again.getCall('c1'))!;
  assert.equal(rec.status, 'ended');
  assert.equal(rec.durationMs, 5000);
  assert.equal(rec.endedAtMs, 2000);
  assert.deepEqual(rec.legs, ['agent', 'customer']);
  await again.markArchived('c1', '/archive/c1', [{ callId: 'c1', role: 'customer', path: '/archive/c1/customer.wav', sampleRateHz: 8000, durationMs: 5000, bytes: 80044, sha256: 'ab' }]);
  assert.equal((await again.getCall('c1'))!.status, 'archived');
  assert.deepEqual(await again.recordings('c1'), [{ callId: 'c1', role: 'customer', path: '/archive/c1/customer.wav', sampleRateHz: 8000, durationMs: 5000, bytes: 80044, sha256: 'ab' }]);
  assert.deepEqual((await again.listCalls({ agentId: 'agent-1' })).map((c) => c.callId), ['c1']);
  assert.deepEqual(await again.listCalls({ agentId: 'agent-2' }), []);
  await again.callStarted({ ...call, callId: 'c2', startedAtMs: 9000, legs: [...call.legs] });
  assert.deepEqual((await again.listCalls()).map((c) => c.callId), ['c2', 'c1'], 'newest first');
});

testOnDatabases('a write that fails is reported to its caller and later writes of the call still apply', async (_t, { db }) => {
  const store = new CallStore(db);
  // an event of a call with no calls row breaks the foreign key
  await assert.rejects(store.recordEvent({ ...base, callId: 'orphan', seq: 1, type: 'call.ended', reason: 'hangup', durationMs: 1 }));
  await store.callStarted({ ...call, callId: 'orphan', legs: [...call.legs] });
  await store.recordEvent({ ...base, callId: 'orphan', seq: 2, type: 'call.ended', reason: 'hangup', durationMs: 1 });
  assert.equal((await store.getCall('orphan'))!.status, 'ended');
});

testOnDatabases('compliance hits: per call in call order, across calls newest first by rule, severity and time', async (_t, { db }) => {
  const hits = new ComplianceStore(db);
  const hit = { callId: 'h1', rulesVersion: '2026.2', title: 'T', utteranceId: null, role: null, evidence: null };
  await hits.record({ ...hit, ruleId: 'b', severity: 'critical', offsetMs: 9000.6, atMs: 3000, role: 'agent', evidence: 'guaranteed', utteranceId: 'h1:agent:1' });
  await hits.record({ ...hit, ruleId: 'a', severity: 'warning', offsetMs: 2000, atMs: 2000 });
  await hits.record({ ...hit, callId: 'h2', ruleId: 'a', severity: 'info', offsetMs: 1, atMs: 5000 });
  assert.deepEqual((await hits.forCall('h1')).map((h) => [h.ruleId, h.offsetMs]), [['a', 2000], ['b', 9001]]);
  assert.deepEqual((await hits.forCall('h1'))[1], { ...hit, ruleId: 'b', severity: 'critical', offsetMs: 9001, atMs: 3000, role: 'agent', evidence: 'guaranteed', utteranceId: 'h1:agent:1' });
  assert.deepEqual((await hits.query()).map((h) => h.atMs), [5000, 3000, 2000]);
  assert.deepEqual((await hits.query({ ruleId: 'a', sinceMs: 2500 })).map((h) => h.callId), ['h2']);
  assert.deepEqual((await hits.query({ severity: 'critical', rulesVersion: '2026.2', limit: 1 })).map((h) => h.ruleId), ['b']);
  // a supervisor's list covers their team's calls only (h1 is agent-1's, h2 agent-2's)
  const calls = new CallStore(db);
  await calls.callStarted({ ...call, callId: 'h1', legs: [...call.legs] });
  await calls.callStarted({ ...call, callId: 'h2', agentId: 'agent-2', legs: [...call.legs] });
  assert.deepEqual((await hits.query({ agentIds: ['agent-2'] })).map((h) => h.callId), ['h2']);
  assert.deepEqual((await hits.query({ agentIds: ['agent-1', 'agent-2'] })).length, 3);
  assert.deepEqual(await hits.query({ agentIds: [] }), []);
});

testOnDatabases('the audit log returns entries newest first, filtered by call, actor and action', async (_t, { db }) => {
  const audit = new AuditLog(db);
  await audit.record({ actor: 'rita', action: 'call.opened', callId: 'a1', atMs: 1000 });
  await audit.record({ actor: 'rita', action: 'recording.replayed', callId: 'a1', detail: { role: 'customer' }, atMs: 2000 });
  await audit.record({ actor: 'sam', action: 'call.opened', callId: 'a2', atMs: 3000 });
  const all = await audit.recent();
  assert.deepEqual(all.map((e) => [e.actor, e.action, e.callId]), [['sam', 'call.opened', 'a2'], ['rita', 'recording.replayed', 'a1'], ['rita', 'call.opened', 'a1']]);
  assert.deepEqual(all[1]!.detail, { role: 'customer' });
  assert.equal(typeof all[0]!.id, 'number');
  assert.deepEqual((await audit.recent({ callId: 'a1', action: 'call.opened' })).map((e) => e.atMs), [1000]);
  assert.deepEqual((await audit.recent({ actor: 'rita', limit: 1 })).map((e) => e.atMs), [2000]);
});
