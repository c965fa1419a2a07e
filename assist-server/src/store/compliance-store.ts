/**
 * Compliance hits kept with their call for reviewers (table compliance_hits, migration 4): which
 * rule of which rules version fired, how severe, where in the call (call clock) and on which
 * utterance, with the masked words that matched. On the node's database (SQLite or PostgreSQL).
 */
import type { SqlDatabase, SqlValue } from '../db/sql-database.ts';
import type { ComplianceSeverity, LegRole } from '../protocol/index.ts';

export interface ComplianceHit {
  callId: string;
  ruleId: string;
  rulesVersion: string;
  severity: ComplianceSeverity;
  title: string;
  /** Call clock, ms since the call started. */
  offsetMs: number;
  utteranceId: string | null;
  role: LegRole | null;
  /** Masked. */
  evidence: string | null;
  atMs: number;
}

export interface ComplianceHitQuery {
  ruleId?: string | undefined;
  severity?: ComplianceSeverity | undefined;
  rulesVersion?: string | undefined;
  sinceMs?: number | undefined;
  /** Only hits on these agents' calls (a supervisor's team); undefined: every agent. */
  agentIds?: readonly string[] | undefined;
  limit?: number | undefined;
}

export class ComplianceStore {
  constructor(private readonly db: SqlDatabase) {}

  async record(hit: ComplianceHit): Promise<void> {
    await this.db.run(
      `INSERT INTO compliance_hits (call_id, rule_id, rules_version, severity, title, offset_ms, utterance_id, role, evidence, at_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [hit.callId, hit.ruleId, hit.rulesVersion, hit.severity, hit.title, Math.round(hit.offsetMs), hit.utteranceId, hit.role, hit.evidence, hit.atMs],
    );
  }

  /** A call's hits in call order. */
  async forCall(callId: string): Promise<ComplianceHit[]> {
    return (await this.db.all<HitRow>('SELECT * FROM compliance_hits WHERE call_id = ? ORDER BY offset_ms, id', [callId])).map(toHit);
  }

  /** Hits across calls, newest first: by rule, severity, rules version, since a time. */
  async query(q: ComplianceHitQuery = {}): Promise<ComplianceHit[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (q.ruleId) (where.push('rule_id = ?'), params.push(q.ruleId));
    if (q.severity) (where.push('severity = ?'), params.push(q.severity));
    if (q.rulesVersion) (where.push('rules_version = ?'), params.push(q.rulesVersion));
    if (q.sinceMs !== undefined) (where.push('at_ms >= ?'), params.push(q.sinceMs));
    if (q.agentIds) {
      if (q.agentIds.length === 0) return [];
      where.push(`call_id IN (SELECT call_id FROM calls WHERE agent_id IN (${q.agentIds.map(() => '?').join(', ')}))`);
      params.push(...q.agentIds);
    }
    params.push(Math.min(Math.max(q.limit ?? 100, 1), 1000));
    const sql = `SELECT * FROM compliance_hits ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at_ms DESC, id DESC LIMIT ?`;
    return (await this.db.all<HitRow>(sql, params)).map(toHit);
  }
}

interface HitRow {
  call_id: string;
  rule_id: string;
  rules_version: string;
  severity: ComplianceSeverity;
  title: string;
  offset_ms: number;
  utterance_id: string | null;
  role: LegRole | null;
  evidence: string | null;
  at_ms: number;
}

function toHit(r: HitRow): ComplianceHit {
  return {
    callId: r.call_id,
    ruleId: r.rule_id,
    rulesVersion: r.rules_version,
    severity: r.severity,
    title: r.title,
    offsetMs: r.offset_ms,
    utteranceId: r.utterance_id,
    role: r.role,
    evidence: r.evidence,
    atMs: r.at_ms,
  };
}
