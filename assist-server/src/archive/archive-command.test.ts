import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { runArchiveCommand } from '../cli/archive-command.ts';
import type { SqlDatabase } from '../db/sql-database.ts';
import { PostCallPipeline } from '../post-call/post-call-pipeline.ts';
import { storeTwoLegCall } from '../post-call/testing/two-leg-call.ts';
import { AuditLog } from '../store/audit-log.ts';
import { CallMetricsStore } from '../store/call-metrics-store.ts';
import { CallStore } from '../store/call-store.ts';
import { ComplianceStore } from '../store/compliance-store.ts';
import { PostCallStore } from '../store/post-call-store.ts';
import { testOnDatabases } from '../testing/test-databases.ts';
import { DAY_MS } from './retention-policy.ts';
import { purgeExpiredCalls } from './retention-purge.ts';

const silent = pino({ level: 'silent' });

async function archivedCall(db: SqlDatabase, dataDir: string, callId: string, options: { startedAtMs?: number; source?: string } = {}) {
  const store = new CallStore(db);
  const call = await storeTwoLegCall({ store, hits: new ComplianceStore(db) }, { callId, spoolDir: join(dataDir, 'spool'), ...options });
  return new PostCallPipeline({ store, dataDir, logger: silent }).run({ callId, legs: call.legs });
}

async function cli(db: SqlDatabase, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runArchiveCommand(argv, db, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'ep-archive-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

testOnDatabases('archive verify passes a sealed call and fails a tampered recording, naming the file', async (t, { db }) => {
  const dataDir = tempDir(t);
  const a = await archivedCall(db, dataDir, 'sealed-1');
  await archivedCall(db, dataDir, 'sealed-2');
  const ok = await cli(db, 'verify');
  assert.equal(ok.code, 0, ok.err);
  assert.deepEqual(JSON.parse(ok.out), { verified: 2, failed: 0 });

  const wav = join(a.archiveDir, 'customer.wav');
  const bytes = Buffer.from([1, 2]);
  writeFileSync(wav, bytes, { flag: 'r+' }); // two bytes of the header changed, same size
  const bad = await cli(db, 'verify');
  assert.equal(bad.code, 1);
  assert.match(bad.err, new RegExp(`FAIL sealed-1: ${wav.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(modified\\)`));
  assert.deepEqual(JSON.parse(bad.out), { verified: 2, failed: 1 });
  assert.equal((await cli(db, 'verify', '--call', 'sealed-2')).code, 0, 'the other call still verifies');

  // A forged manifest that matches the forged file is caught by the hash kept in the database.
  const manifest = join(a.archiveDir, 'manifest.json');
  writeFileSync(manifest, '{"version":1,"callId":"sealed-1","algorithm":"sha256","files":[]}\n');
  assert.match((await cli(db, 'verify', '--call', 'sealed-1')).err, /manifest\.json \(manifest-modified\)/);
});

testOnDatabases('archive export copies a verified call and audits who exported it', async (t, { db }) => {
  const dataDir = tempDir(t);
  const a = await archivedCall(db, dataDir, 'export-1');
  const outDir = join(dataDir, 'legal-request-42');
  const res = await cli(db, 'export', '--call', 'export-1', '--out', outDir, '--actor', 'legal.officer');
  assert.equal(res.code, 0, res.err);
  assert.deepEqual(readdirSync(outDir).sort(), readdirSync(a.archiveDir).sort());
  for (const f of ['transcript.json', 'events.jsonl', 'agent.wav', 'customer.wav', 'manifest.json']) assert.ok(existsSync(join(outDir, f)), f);
  const [entry] = await new AuditLog(db).recent({ action: 'call.exported' });
  assert.equal(entry?.actor, 'legal.officer');
  assert.equal(entry?.callId, 'export-1');

  rmSync(join(a.archiveDir, 'events.jsonl'));
  const refused = await cli(db, 'export', '--call', 'export-1', '--out', join(dataDir, 'again'));
  assert.equal(refused.code, 1);
  assert.match(refused.err, /events\.jsonl \(missing\)/);
});

testOnDatabases('the retention sweep purges expired calls per call type, logs and audits each, keeps the rest', async (t, { db }) => {
  const dataDir = tempDir(t);
  const now = Date.UTC(2026, 10, 24, 12, 0, 0);
  const old = await archivedCall(db, dataDir, 'old-replay', { source: 'replay', startedAtMs: now - 40 * DAY_MS });
  const young = await archivedCall(db, dataDir, 'young-replay', { source: 'replay', startedAtMs: now - 10 * DAY_MS });
  const sip = await archivedCall(db, dataDir, 'old-sip', { source: 'sip', startedAtMs: now - 40 * DAY_MS });
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) }));
  const purged = await purgeExpiredCalls({ policy: { defaultDays: 365, callTypes: { replay: 30 } }, calls: new PostCallStore(db), audit: new AuditLog(db), logger, nowMs: now });

  assert.deepEqual(purged.map((p) => p.callId), ['old-replay'], 'replay keeps 30 days; sip the default 365');
  assert.ok(!existsSync(old.archiveDir), 'its files are gone');
  assert.ok(existsSync(young.archiveDir) && existsSync(sip.archiveDir));
  const store = new CallStore(db);
  assert.equal(await store.getCall('old-replay'), undefined);
  assert.deepEqual(await store.finals('old-replay'), []);
  assert.deepEqual(await store.events('old-replay'), []);
  assert.ok(purged[0]!.rows.utterances! > 0 && purged[0]!.rows.call_events! > 0 && purged[0]!.rows.recordings === 2, JSON.stringify(purged[0]!.rows));
  assert.ok((await store.getCall('young-replay')) && (await store.getCall('old-sip')));
  assert.ok(await new CallMetricsStore(db).get('old-replay'), 'analytics numbers outlive the transcript');
  const [audit] = await new AuditLog(db).recent({ action: 'call.purged' });
  assert.equal(audit?.actor, 'system');
  assert.equal(audit?.callId, 'old-replay');
  assert.ok(lines.some((l) => l.includes('"retention: call purged"') && l.includes('old-replay')), 'logged');
  assert.equal((await cli(db, 'verify')).code, 0, 'the archives left still verify');
});
