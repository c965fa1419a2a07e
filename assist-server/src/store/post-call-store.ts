/**
 * The post-call pipeline's own tables (migration 7): which steps of a call are done (a retried job
 * skips them) and each archived call's integrity manifest. Also the retention purge's delete of every
 * row a call left, in one transaction. Async on either dialect (db/sql-database.ts).
 */
import type { SqlDatabase } from '../db/sql-database.ts';

export interface StepRecord {
  step: string;
  /** The job attempt that did it (1 = first). */
  attempt: number;
  doneAtMs: number;
  result: unknown;
}

export interface ArchiveRecord {
  callId: string;
  archiveDir: string;
  /** The call's retention class (its source, see archive/retention-policy.ts). */
  callType: string;
  manifestJson: string;
  manifestSha256: string;
  archivedAtMs: number;
}

/** Tables holding a call's rows, children first (calls last). call_metrics is kept: see purgeCallRows. */
const CALL_TABLES = ['utterances', 'call_events', 'recordings', 'compliance_hits', 'qa_scorecards', 'call_outcomes', 'call_callers', 'kb_feedback', 'kb_suggestion_log', 'post_call_steps', 'call_archives', 'calls'] as const;

export class PostCallStore {
  constructor(private readonly db: SqlDatabase) {}

  async step(callId: string, step: string): Promise<StepRecord | undefined> {
    const r = await this.db.get<{ step: string; attempt: number; done_at_ms: number; result_json: string }>(
      'SELECT step, attempt, done_at_ms, result_json FROM post_call_steps WHERE call_id = ? AND step = ?',
      [callId, step],
    );
    return r && { step: r.step, attempt: r.attempt, doneAtMs: r.done_at_ms, result: JSON.parse(r.result_json) };
  }

  async steps(callId: string): Promise<StepRecord[]> {
    const rows = await this.db.all<{ step: string; attempt: number; done_at_ms: number; result_json: string }>(
      'SELECT step, attempt, done_at_ms, result_json FROM post_call_steps WHERE call_id = ? ORDER BY done_at_ms, step',
      [callId],
    );
    return rows.map((r) => ({ step: r.step, attempt: r.attempt, doneAtMs: r.done_at_ms, result: JSON.parse(r.result_json) }));
  }

  /** Records a step as done; a second record of the same step keeps the first (returns false). */
  async markStepDone(callId: string, step: string, attempt: number, result: unknown): Promise<boolean> {
    const r = await this.db.run('INSERT INTO post_call_steps (call_id, step, attempt, done_at_ms, result_json) VALUES (?, ?, ?, ?, ?) ON CONFLICT (call_id, step) DO NOTHING', [
      callId,
      step,
      attempt,
      Date.now(),
      JSON.stringify(result ?? null),
    ]);
    return r.changes > 0;
  }

  async saveArchive(a: ArchiveRecord): Promise<void> {
    await this.db.run(
      `INSERT INTO call_archives (call_id, archive_dir, call_type, manifest_json, manifest_sha256, archived_at_ms) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (call_id) DO UPDATE SET archive_dir = excluded.archive_dir, call_type = excluded.call_type, manifest_json = excluded.manifest_json,
         manifest_sha256 = excluded.manifest_sha256, archived_at_ms = excluded.archived_at_ms`,
      [a.callId, a.archiveDir, a.callType, a.manifestJson, a.manifestSha256, a.archivedAtMs],
    );
  }

  async archive(callId: string): Promise<ArchiveRecord | undefined> {
    const r = await this.db.get<ArchiveRow>('SELECT * FROM call_archives WHERE call_id = ?', [callId]);
    return r && toArchive(r);
  }

  /** Every archived call, oldest first. */
  async archives(): Promise<ArchiveRecord[]> {
    return (await this.db.all<ArchiveRow>('SELECT * FROM call_archives ORDER BY archived_at_ms, call_id')).map(toArchive);
  }

  /** Archived calls of a type whose call started before `beforeMs` (retention). */
  async expired(callType: string | null, beforeMs: number, exceptTypes: readonly string[]): Promise<Array<{ callId: string; archiveDir: string; callType: string; startedAtMs: number }>> {
    const where = ['c.started_at_ms < ?'];
    const params: Array<string | number> = [beforeMs];
    if (callType !== null) (where.push('a.call_type = ?'), params.push(callType));
    else if (exceptTypes.length) (where.push(`a.call_type NOT IN (${exceptTypes.map(() => '?').join(', ')})`), params.push(...exceptTypes));
    const rows = await this.db.all<{ call_id: string; archive_dir: string; call_type: string; started_at_ms: number }>(
      `SELECT a.call_id, a.archive_dir, a.call_type, c.started_at_ms FROM call_archives a JOIN calls c ON c.call_id = a.call_id WHERE ${where.join(' AND ')} ORDER BY c.started_at_ms`,
      params,
    );
    return rows.map((r) => ({ callId: r.call_id, archiveDir: r.archive_dir, callType: r.call_type, startedAtMs: r.started_at_ms }));
  }

  /**
   * Deletes every row the call left (transcript, events, recordings, hits, scorecards, outcomes, the
   * archive record, the call) in one transaction; returns rows deleted per table. call_metrics is kept:
   * numbers and labels only, no text, for the analytics history.
   */
  async purgeCallRows(callId: string): Promise<Record<string, number>> {
    return this.db.transaction(async (tx) => {
      const deleted: Record<string, number> = {};
      for (const table of CALL_TABLES) {
        const n = (await tx.run(`DELETE FROM ${table} WHERE call_id = ?`, [callId])).changes;
        if (n) deleted[table] = n;
      }
      return deleted;
    });
  }
}

interface ArchiveRow {
  call_id: string;
  archive_dir: string;
  call_type: string;
  manifest_json: string;
  manifest_sha256: string;
  archived_at_ms: number;
}

function toArchive(r: ArchiveRow): ArchiveRecord {
  return { callId: r.call_id, archiveDir: r.archive_dir, callType: r.call_type, manifestJson: r.manifest_json, manifestSha256: r.manifest_sha256, archivedAtMs: r.archived_at_ms };
}
