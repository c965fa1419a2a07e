/** The audit log (table audit_log, migration 6): who opened which call, replayed it, saved a scorecard. Append only. */
import type { SqlDatabase, SqlValue } from '../db/sql-database.ts';
import type { AuditEntry } from '../protocol/index.ts';

export class AuditLog {
  constructor(private readonly db: SqlDatabase) {}

  async record(entry: { actor: string; action: AuditEntry['action']; callId?: string | null; detail?: Record<string, unknown> | null; atMs?: number }): Promise<void> {
    await this.db.run('INSERT INTO audit_log (at_ms, actor, action, call_id, detail) VALUES (?, ?, ?, ?, ?)', [
      entry.atMs ?? Date.now(),
      entry.actor,
      entry.action,
      entry.callId ?? null,
      entry.detail ? JSON.stringify(entry.detail) : null,
    ]);
  }

  /** Newest first. */
  async recent(options: { callId?: string | undefined; actor?: string | undefined; action?: string | undefined; limit?: number | undefined } = {}): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (options.callId) (where.push('call_id = ?'), params.push(options.callId));
    if (options.actor) (where.push('actor = ?'), params.push(options.actor));
    if (options.action) (where.push('action = ?'), params.push(options.action));
    const limit = Math.max(1, Math.min(options.limit ?? 100, 1000));
    const rows = await this.db.all<{ id: number; at_ms: number; actor: string; action: string; call_id: string | null; detail: string | null }>(
      `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at_ms DESC, id DESC LIMIT ?`,
      [...params, limit],
    );
    return rows.map((r) => ({ id: r.id, atMs: r.at_ms, actor: r.actor, action: r.action, callId: r.call_id, detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null }));
  }
}
