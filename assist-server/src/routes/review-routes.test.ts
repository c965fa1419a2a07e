import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Fastify from 'fastify';
import { parseWav, writeWav } from '../audio/wav-file.ts';
import { FIXTURE_STARTED_AT_MS, storeFinishedCall } from '../analyzers/summary/stored-call-fixture.ts';
import type { AuditEntry, CallEvent, ReviewCallDetail, ReviewCallList } from '../protocol/index.ts';
import { AuditLog } from '../store/audit-log.ts';
import { CallStore } from '../store/call-store.ts';
import type { SqliteDatabase } from '../db/sqlite-database.ts';
import { CustomerHistoryStore } from '../store/customer-history-store.ts';
import { MIGRATIONS } from '../store/migrations.ts';
import { ReviewStore, ftsQuery } from '../store/review-store.ts';
import { reviewRoutes } from './review-routes.ts';

const dir = mkdtempSync(join(tmpdir(), 'earpiece-review-routes-'));
const store = await CallStore.openSqlite(join(dir, 'earpiece.db'));
const sqlite = (store.database as SqliteDatabase).connection; // FTS5 internals: these tests are SQLite's (PostgreSQL has no utterances_fts)
const audit = new AuditLog(store.database);
const app = Fastify();
let clock = Date.UTC(2026, 10, 25, 8, 0, 0);

before(async () => {
  await app.register(reviewRoutes, { store, review: new ReviewStore(store.database), audit, dataDir: dir, now: () => clock });
  await storeFinishedCall(store, new CustomerHistoryStore(store.database), 'card-call');
  await storeBalanceCall('balance-call');
  // Archive card-call: one mono WAV per leg, the agent at 8 kHz and the customer at 16 kHz.
  const archiveDir = join(dir, 'calls', 'card-call');
  mkdirSync(archiveDir, { recursive: true });
  const agentPcm = Int16Array.from({ length: 8000 }, (_, i) => Math.round(8000 * Math.sin(i / 5)));
  const customerPcm = Int16Array.from({ length: 8000 }, (_, i) => (i % 100) * 50);
  await writeWav(join(archiveDir, 'agent.wav'), { sampleRateHz: 8000, channels: [agentPcm] });
  await writeWav(join(archiveDir, 'customer.wav'), { sampleRateHz: 16000, channels: [customerPcm] });
  await store.markArchived('card-call', archiveDir, [
    { callId: 'card-call', role: 'agent', path: join(archiveDir, 'agent.wav'), sampleRateHz: 8000, durationMs: 1000, bytes: 16044, sha256: 'x' },
    { callId: 'card-call', role: 'customer', path: join(archiveDir, 'customer.wav'), sampleRateHz: 16000, durationMs: 500, bytes: 16044, sha256: 'y' },
  ]);
});
after(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A second, calmer call: a balance question, satisfied customer, one minute long, a day later. */
async function storeBalanceCall(callId: string): Promise<void> {
  const startedAtMs = FIXTURE_STARTED_AT_MS + 24 * 3600_000;
  const base = { v: 1 as const, callId };
  let seq = 0;
  const put = (e: Record<string, unknown>) => void store.recordEvent({ ...base, seq: ++seq, atMs: startedAtMs + seq * 1000, ...e } as CallEvent);
  const call = { callId, agentId: 'agent-2', callerNumber: '•••• 9999', startedAtMs, legs: ['agent', 'customer'], source: 'test' };
  void store.callStarted(call as never);
  put({ type: 'call.started', call });
  put({ type: 'transcript.final', utteranceId: `${callId}-u1`, role: 'customer', text: 'what is the balance of my savings account', startMs: 1000, endMs: 3000, words: [] });
  put({ type: 'intent', utteranceId: `${callId}-u1`, stage: 'final', status: 'predicted', prediction: { label: 'balance', confidence: 0.9, top: [], outOfScope: false, lowConfidence: false }, modelVersion: 'm1' });
  put({ type: 'emotion', utteranceId: `${callId}-u1`, label: 'satisfied', confidence: 0.7, cues: [], arousal: 0.2, trend: 0.1 });
  put({ type: 'call.hold', held: true });
  put({ type: 'call.hold', held: false });
  put({ type: 'call.ended', reason: 'hangup', durationMs: 60_000 });
  await store.persisted(callId);
}

const get = async (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
const list = async (query: string) => {
  const res = await get(`/api/review/calls?${query}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as ReviewCallList;
};
const ids = (l: ReviewCallList) => l.calls.map((c) => c.callId);

test('the call list: newest first, with intents, emotions, warnings and whether a recording exists', async () => {
  const all = await list('');
  assert.deepEqual(ids(all), ['balance-call', 'card-call']);
  const card = all.calls.find((c) => c.callId === 'card-call')!;
  assert.deepEqual(card.intents, ['lost_or_stolen_card', 'oos']);
  assert.deepEqual(card.emotions, ['angry']);
  assert.equal(card.complianceWarnings, 1);
  assert.equal(card.escalations, 1);
  assert.equal(card.hasRecording, true);
  assert.equal(all.calls.find((c) => c.callId === 'balance-call')!.hasRecording, false);
});

test('the call list filters: date, agent, intent, emotion, compliance, duration', async () => {
  assert.deepEqual(ids(await list('agentId=agent-1')), ['card-call']);
  assert.deepEqual(ids(await list('intent=balance')), ['balance-call']);
  assert.deepEqual(ids(await list('intent=lost_or_stolen_card')), ['card-call']);
  assert.deepEqual(ids(await list('emotion=angry')), ['card-call']);
  assert.deepEqual(ids(await list('compliance=true')), ['card-call']);
  assert.deepEqual(ids(await list('compliance=false')), ['balance-call']);
  assert.deepEqual(ids(await list('minDurationMs=30000')), ['balance-call']);
  assert.deepEqual(ids(await list('maxDurationMs=30000')), ['card-call']);
  assert.deepEqual(ids(await list('from=2026-11-25')), ['balance-call']);
  assert.deepEqual(ids(await list('to=2026-11-24')), ['card-call'], 'a date as upper bound includes that day');
  assert.deepEqual(ids(await list(`from=${FIXTURE_STARTED_AT_MS}&to=${FIXTURE_STARTED_AT_MS + 1}`)), ['card-call']);
  const page = await list('limit=1');
  assert.deepEqual([ids(page), page.more], [['balance-call'], true]);
  assert.deepEqual(ids(await list('limit=1&offset=1')), ['card-call']);
  assert.equal((await get('/api/review/calls?from=yesterday')).statusCode, 400);
  assert.equal((await get('/api/review/calls?compliance=maybe')).statusCode, 400);
});

test('full-text search over the masked transcripts, with snippets; FTS syntax in the query is harmless', async () => {
  const savings = await list('q=savings');
  assert.deepEqual(ids(savings), ['balance-call']);
  assert.match(savings.calls[0]!.matches![0]!.snippet, /«savings»/);
  assert.deepEqual(ids(await list('q=CREDIT_CARD')), ['card-call'], 'placeholders are searchable');
  assert.deepEqual(ids(await list('q=manag')), ['card-call'], 'the last word matches as a prefix');
  assert.deepEqual(ids(await list('q=lost%20card')), ['card-call']);
  assert.deepEqual(ids(await list('q=lost%20savings')), [], 'every word must appear in one utterance');
  assert.deepEqual(ids(await list('q=%22card%22%20(')), ['card-call']);
  assert.deepEqual(ids(await list('q=***')), []);
  assert.equal(ftsQuery('Lost "card" NEAR('), '"lost" "card" "near"*');
});

test('the index follows utterance changes: a replaced final and a deleted call', async () => {
  await store.recordEvent({ v: 1, callId: 'balance-call', seq: 100, atMs: Date.now(), type: 'transcript.final', utteranceId: 'balance-call-u1', role: 'customer', text: 'what is the balance of my checking account', startMs: 1000, endMs: 3000, words: [] });
  assert.deepEqual(ids(await list('q=savings')), []);
  assert.deepEqual(ids(await list('q=checking')), ['balance-call']);
  await store.callStarted({ callId: 'gone', agentId: 'agent-1', callerNumber: null, startedAtMs: 5, legs: ['customer'], source: 'test' });
  await store.recordEvent({ v: 1, callId: 'gone', seq: 1, atMs: 6, type: 'transcript.final', utteranceId: 'gone-u1', role: 'customer', text: 'zebra crossing', startMs: 0, endMs: 1, words: [] });
  await store.recordEvent({ v: 1, callId: 'gone', seq: 2, atMs: 7, type: 'call.ended', reason: 'hangup', durationMs: 1 });
  assert.deepEqual(ids(await list('q=zebra')), ['gone']);
  await store.database.run('DELETE FROM calls WHERE call_id = ?', ['gone']);
  assert.equal(sqlite.prepare(`SELECT count(*) FROM utterances_fts WHERE utterances_fts MATCH 'zebra'`).pluck().get(), 0);
  const integrity = () => sqlite.prepare(`INSERT INTO utterances_fts (utterances_fts, rank) VALUES ('integrity-check', 1)`).run();
  assert.doesNotThrow(integrity);
});

test('migration 6 indexes utterances stored before it', async () => {
  const path = join(dir, 'old.db');
  const db = new Database(path);
  db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at_ms INTEGER NOT NULL)');
  for (const m of MIGRATIONS.filter((m) => m.version < 6)) {
    db.exec(m.sqlite);
    db.prepare('INSERT INTO schema_migrations VALUES (?, 0)').run(m.version);
  }
  db.prepare(`INSERT INTO calls (call_id, agent_id, source, started_at_ms, status, legs_json, duration_ms) VALUES ('old', 'a', 't', 1, 'ended', '[]', 1000)`).run();
  db.prepare(`INSERT INTO utterances (utterance_id, call_id, role, start_ms, end_ms, text, words_json) VALUES ('o1', 'old', 'customer', 0, 1, 'my parcel never arrived', '[]')`).run();
  db.close();
  const migrated = await CallStore.openSqlite(path);
  try {
    assert.deepEqual((await new ReviewStore(migrated.database).listCalls({ q: 'parcel' })).calls.map((c) => c.callId), ['old']);
  } finally {
    await migrated.close();
  }
});

test('the call page: finals and the event timeline on the recording clock; opening it is audited', async () => {
  assert.equal((await get('/api/review/calls/card-call')).statusCode, 400, 'a reviewer must be named');
  assert.equal((await get('/api/review/calls/nope?reviewer=rita')).statusCode, 404);
  const res = await get('/api/review/calls/card-call', { 'x-earpiece-reviewer': 'rita' });
  assert.equal(res.statusCode, 200);
  const detail = res.json() as ReviewCallDetail;
  assert.equal(detail.finals.length, 4);
  assert.deepEqual(
    detail.timeline.map((e) => [e.kind, e.offsetMs, e.label]),
    [
      ['compliance', 2000, 'Promise of returns'],
      ['intent', 3000, 'Intent: lost_or_stolen_card'],
      ['intent', 6000, 'Intent: out of scope'],
      ['emotion', 10000, 'Customer angry'],
      ['escalation', 10000, 'Escalation'],
    ],
  );
  assert.deepEqual(detail.recordings.map((r) => r.role), ['agent', 'customer']);
  const holds = ((await get('/api/review/calls/balance-call?reviewer=rita')).json() as ReviewCallDetail).timeline.filter((e) => e.kind === 'hold');
  assert.deepEqual(holds.map((h) => [h.offsetMs, h.label]), [[5000, 'Call on hold'], [6000, 'Call resumed']]);
  const opened = await audit.recent({ callId: 'card-call', action: 'call.opened' });
  assert.deepEqual(opened.map((e) => e.actor), ['rita']);
});

test('recordings: whole, byte ranges, both legs as stereo; one replay audit per reviewer and call', async () => {
  const whole = await get('/api/review/calls/card-call/audio/agent?reviewer=rita');
  assert.equal(whole.statusCode, 200);
  assert.equal(whole.rawPayload.length, 16044);
  assert.match(whole.headers['content-type'] as string, /^audio\//);
  assert.equal(whole.headers['accept-ranges'], 'bytes');
  const part = await get('/api/review/calls/card-call/audio/customer?reviewer=rita', { range: 'bytes=44-143' });
  assert.equal(part.statusCode, 206);
  assert.equal(part.headers['content-range'], 'bytes 44-143/16044');
  assert.equal(part.rawPayload.length, 100);
  const stereo = await get('/api/review/calls/card-call/audio/stereo?reviewer=rita');
  assert.equal(stereo.statusCode, 200);
  const audio = parseWav(stereo.rawPayload);
  assert.equal(audio.sampleRateHz, 16000, 'the 8 kHz agent leg is resampled up');
  assert.equal(audio.channels.length, 2);
  assert.equal(audio.channels[0]!.length, 16000, 'one second: the longer leg');
  assert.equal(audio.channels[1]![150], 50 * 50, 'the customer leg is on the right, unchanged');
  assert.equal(audio.channels[1]![12000], 0, 'the shorter leg is padded with silence');
  assert.equal((await get('/api/review/calls/balance-call/audio/stereo?reviewer=rita')).statusCode, 404, 'not archived');
  assert.equal((await get('/api/review/calls/card-call/audio/agent')).statusCode, 400);

  let replays = await audit.recent({ callId: 'card-call', action: 'recording.replayed' });
  assert.deepEqual(replays.map((e) => [e.actor, e.detail]), [['rita', { role: 'agent' }]], 'range requests of one replay are one audit entry');
  await get('/api/review/calls/card-call/audio/stereo?reviewer=sam');
  clock += 31 * 60_000;
  await get('/api/review/calls/card-call/audio/stereo?reviewer=rita');
  replays = await audit.recent({ callId: 'card-call', action: 'recording.replayed' });
  assert.deepEqual(replays.map((e) => e.actor), ['rita', 'sam', 'rita']);
});

test('QA scorecards: validated, one per reviewer, saving is audited', async () => {
  const url = '/api/review/calls/card-call/scorecard';
  const put = (body: unknown, reviewer = 'rita') => app.inject({ method: 'PUT', url: `${url}?reviewer=${reviewer}`, payload: body as object });
  const scores = { greeting: 5, verification: 'n/a', accuracy: 4, empathy: 2, compliance: 1, resolution: 3 };
  assert.deepEqual((await get(`${url}?reviewer=rita`)).json(), { scorecard: null, others: [] });
  const bad = await put({ scores: { ...scores, empathy: 6 } });
  assert.equal(bad.statusCode, 400);
  assert.deepEqual((bad.json() as { problems: Array<{ path: string }> }).problems.map((p) => p.path), ['scores.empathy']);
  assert.equal((await put({ scores: { ...scores, resolution: undefined } })).statusCode, 400, 'every criterion is required');
  assert.equal((await put({ scores: { ...scores, extra: 1 } })).statusCode, 400);
  assert.equal((await put({ scores: { ...scores, accuracy: 'n/a ' } })).statusCode, 400);
  const ok = await put({ scores, comment: 'Promised returns at 0:02.' });
  assert.equal(ok.statusCode, 200, ok.body);
  await put({ scores: { ...scores, greeting: 4 }, comment: 'second pass' });
  await put({ scores }, 'sam');
  const mine = (await get(`${url}?reviewer=rita`)).json() as { scorecard: { scores: typeof scores; comment: string }; others: Array<{ reviewer: string }> };
  assert.deepEqual(mine.scorecard.scores, { ...scores, greeting: 4 });
  assert.equal(mine.scorecard.comment, 'second pass');
  assert.deepEqual(mine.others.map((o) => o.reviewer), ['sam']);
  assert.deepEqual((await list('')).calls.find((c) => c.callId === 'card-call')!.scoredBy, ['rita', 'sam']);
  assert.equal((await app.inject({ method: 'PUT', url: '/api/review/calls/none/scorecard?reviewer=rita', payload: { scores } })).statusCode, 404);

  const entries = (await get('/api/audit?callId=card-call&action=scorecard.saved')).json() as { entries: AuditEntry[] };
  assert.deepEqual(entries.entries.map((e) => e.actor), ['sam', 'rita', 'rita']);
  const recent = (await get('/api/audit?limit=2')).json() as { entries: AuditEntry[] };
  assert.equal(recent.entries.length, 2);
  assert.equal((await get('/api/audit?limit=0')).statusCode, 400);
});
