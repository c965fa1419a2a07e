/**
 * End to end on PostgreSQL: a whole node started with DATABASE_URL (this test process's private
 * PostgreSQL, testing/private-postgres.ts) takes a synthesized two-leg call through the telephony
 * bridge; the call, its masked finals, its events, compliance hits, its archive row and the
 * summary and review APIs all come from PostgreSQL, and a second node on the same database starts
 * without migrating again. Skipped with the reason where PostgreSQL cannot start (fails under CI=true).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { replayCall } from '@earpiece/telephony-bridge';
import type { TransferSummary } from '../src/analyzers/summary/call-summary-builder.ts';
import type { AgentServerMessage } from '../src/protocol/index.ts';
import { synthesizeCall, type ScriptLine } from '../src/testing/speech-audio.ts';
import { resetSchema, testPostgresUrl } from '../src/testing/test-databases.ts';
import { AgentSocketProbe, startTestStack } from '../src/testing/test-stack.ts';

const SCRIPT: ScriptLine[] = [
  { role: 'agent', text: 'thank you for calling how can I help you today' },
  { role: 'customer', text: 'I would like to check the balance of my account' },
];

test('a whole node on PostgreSQL stores, archives and serves a live call', { timeout: 120_000 }, async (t) => {
  const url = await testPostgresUrl(t);
  if (!url) return;
  await resetSchema(url);
  const stack = await startTestStack({ DATABASE_URL: url });
  t.after(() => stack.close());
  assert.equal(stack.node.db.dialect, 'postgres');

  const callId = 'e2e-pg-1';
  const call = await synthesizeCall(SCRIPT, { sampleRateHz: 8000 });
  const agent = await AgentSocketProbe.connect(stack.wsUrl, 'agent-1');
  await replayCall({ serverUrl: stack.wsUrl, agentId: 'agent-1', callId, callerNumber: '+14155550142', stereoWav: call.path, speed: 1 });
  await agent.waitFor((m) => m.type === 'call.ended' && m.callId === callId, 15_000);
  agent.close();
  const pushed = agent.messages.filter((m): m is Extract<AgentServerMessage, { callId: string; seq: number }> => 'callId' in m && m.callId === callId && 'seq' in m);

  const archived = await stack.node.postCall.waitForArchive(callId);
  assert.equal(archived.recordings.length, 2);
  const { store } = stack.node;
  const record = (await store.getCall(callId))!;
  assert.equal(record.status, 'archived');
  assert.equal(record.callerNumber, '•••• 0142', 'masked in the database too');
  assert.equal(typeof record.startedAtMs, 'number', 'BIGINT comes back as a number');
  assert.deepEqual((await store.recordings(callId)).map((r) => r.role), ['agent', 'customer']);
  // every pushed event except partials is stored, in order
  const stored = await store.events(callId);
  assert.deepEqual(stored.map((e) => e.seq), pushed.filter((e) => e.type !== 'transcript.partial').map((e) => e.seq));
  assert.equal(await store.lastEventSeq(callId), pushed.at(-1)!.seq);
  const customer = (await store.finals(callId)).filter((u) => u.role === 'customer').map((u) => u.text).join(' ');
  assert.match(customer, /balance/);
  // each compliance warning the agent got is kept for reviewers
  assert.deepEqual(
    (await stack.node.compliance.hits.forCall(callId)).map((h) => h.ruleId).sort(),
    pushed.flatMap((e) => (e.type === 'compliance.warning' ? [e.ruleId] : [])).sort(),
  );
  // the utterance full-text column is filled by PostgreSQL itself
  const found = await stack.node.db.all<{ call_id: string }>(`SELECT DISTINCT call_id FROM utterances WHERE search_tsv @@ plainto_tsquery('english', ?)`, ['balances']);
  assert.deepEqual(found.map((r) => r.call_id), [callId], 'stemmed search finds the call');

  const headers = await stack.authHeaders();
  const summary = await fetch(`${stack.httpUrl}/api/calls/${callId}/summary`, { headers });
  assert.equal(summary.status, 200);
  assert.equal(((await summary.json()) as { summary: TransferSummary }).summary.status, 'archived');
  const detail = await fetch(`${stack.httpUrl}/api/calls/${callId}`, { headers });
  assert.equal(detail.status, 200);
  assert.match(JSON.stringify(await detail.json()), /balance/);

  // A second node on the same database: nothing left to migrate, sees the first node's call.
  const second = await startTestStack({ DATABASE_URL: url });
  t.after(() => second.close());
  assert.equal((await second.node.store.getCall(callId))?.status, 'archived');
  const versions = await second.node.db.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
  assert.deepEqual(versions.slice(0, 6).map((v) => v.version), [1, 2, 3, 4, 5, 6]);
});
