/** The audit log (table audit_log, migration 6): who opened which call, replayed it, saved a scorecard. Append only. */
import type Database from 'better-sqlite3';
import type { AuditEntry } from '../protocol/index.ts';

export class AuditLog {
  private readonly insert: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare('INSERT INTO audit_log (at_ms, actor, action, call_id, detail) VALUES (?, ?, ?, ?, ?)');
  }

  record(entry: { actor: string; action: AuditEntry['action']; callId?: string | null; detail?: Record<string, unknown> | null; atMs?: number }): void {
    this.insert.run(entry.atMs ?? Date.now(), entry.actor, entry.action, entry.callId ?? null, entry.detail ? JSON.stringify(entry.detail) : null);
  }

  /** Newest first. */
  recent(options: { callId?: string | undefined; actor?: string | undefined; action?: string | undefined; limit?: number | undefined } = {}): AuditEntry[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (options.callId) (where.push('call_id = ?'), params.push(options.callId));
    if (options.actor) (where.push('actor = ?'), params.push(options.actor));
    if (options.action) (where.push('action = ?'), params.push(options.action));
    const limit = Math.max(1, Math.min(options.limit ?? 100, 1000));
    const rows = this.db
      .prepare(`SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at_ms DESC, id DESC LIMIT ?`)
      .all(...params, limit) as Array<{ id: number; at_ms: number; actor: string; action: string; call_id: string | null; detail: string | null }>;
    return rows.map((r) => ({ id: r.id, atMs: r.at_ms, actor: r.actor, action: r.action, callId: r.call_id, detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null }));
  }
}
