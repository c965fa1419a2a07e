/**
 * `earpiece archive verify [--call ID]`     checks archived calls against their integrity manifests
 *                                           (exit 1, naming each failing file, when one does not match)
 * `earpiece archive export --call ID --out DIR [--actor NAME]`
 *                                           copies a verified call (transcript, events, recordings,
 *                                           manifest…) for a legal request; audited as call.exported
 * `earpiece archive purge [--dry-run]`      runs the retention sweep now (EARPIECE_RETENTION_POLICY)
 * On the node's database (DATABASE_URL, else EARPIECE_DATA_DIR's SQLite file).
 */
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { ArchiveExportError, exportArchive } from '../archive/export-archive.ts';
import { loadRetentionPolicy } from '../archive/retention-policy.ts';
import { purgeExpiredCalls } from '../archive/retention-purge.ts';
import { verifyArchive } from '../archive/verify-archive.ts';
import { loadConfig } from '../config.ts';
import type { SqlDatabase } from '../db/sql-database.ts';
import { openDatabase } from '../db/open-database.ts';
import { AuditLog } from '../store/audit-log.ts';
import { PostCallStore } from '../store/post-call-store.ts';
import type { CliCommand } from './main.ts';

const USAGE = 'earpiece archive verify [--call ID] | export --call ID --out DIR [--actor NAME] | purge [--dry-run]';

export interface ArchiveCommandIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Retention policy file for purge. */
  retentionPolicyPath?: string | undefined;
}

/** The command on an open database (tests call it directly). */
export async function runArchiveCommand(argv: string[], db: SqlDatabase, io: ArchiveCommandIo): Promise<number> {
  const [sub, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { call: { type: 'string' }, out: { type: 'string' }, actor: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  });
  const calls = new PostCallStore(db);
  const audit = new AuditLog(db);
  if (sub === 'verify') {
    const records = values.call ? [await calls.archive(values.call)] : await calls.archives();
    if (values.call && !records[0]) return io.err(`call ${values.call} has no sealed archive\n`), 1;
    let failed = 0;
    for (const record of records) {
      if (!record) continue;
      const problems = await verifyArchive(record);
      if (problems.length) failed++;
      for (const p of problems) io.err(`FAIL ${p.callId}: ${p.file} (${p.problem})\n`);
    }
    io.out(JSON.stringify({ verified: records.length, failed }) + '\n');
    return failed ? 1 : 0;
  }
  if (sub === 'export') {
    if (!values.call || !values.out) return io.err(`usage: ${USAGE}\n`), 2;
    try {
      const files = await exportArchive({ calls, audit }, values.call, resolve(values.out), values.actor ?? userInfo().username);
      io.out(JSON.stringify({ callId: values.call, out: resolve(values.out), files }) + '\n');
      return 0;
    } catch (err) {
      if (!(err instanceof ArchiveExportError)) throw err;
      io.err(`${err.message}\n`);
      return 1;
    }
  }
  if (sub === 'purge') {
    if (!io.retentionPolicyPath) return io.err('no retention policy (EARPIECE_RETENTION_POLICY is off)\n'), 1;
    const logger = pino({ base: { component: 'retention' } }, pino.destination(2));
    const purged = await purgeExpiredCalls({ policy: await loadRetentionPolicy(io.retentionPolicyPath), calls, audit, logger, dryRun: values['dry-run'] === true });
    io.out(JSON.stringify({ purged: purged.map((p) => ({ callId: p.callId, callType: p.callType, startedAtMs: p.startedAtMs })), dryRun: values['dry-run'] === true }) + '\n');
    return 0;
  }
  io.err(`usage: ${USAGE}\n`);
  return 2;
}

export const archiveCommand: CliCommand = {
  summary: 'verify, export (legal requests) or purge (retention) archived calls',
  usage: USAGE,
  async run(argv) {
    const config = loadConfig();
    const db = await openDatabase({ databaseUrl: config.databaseUrl, sqlitePath: join(config.dataDir, 'earpiece.db') });
    try {
      return await runArchiveCommand(argv, db, {
        out: (t) => process.stdout.write(t),
        err: (t) => process.stderr.write(t),
        retentionPolicyPath: config.archive.retentionPolicyPath,
      });
    } finally {
      await db.close();
    }
  },
};
