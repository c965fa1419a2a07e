/**
 * Compliance hits kept with their call for reviewers (table compliance_hits, migration 4): which
 * rule of which rules version fired, how severe, where in the call (call clock) and on which
 * utterance, with the masked words that matched. Shares the call archive's database.
 */
import type Database from 'better-sqlite3';
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
  limit?: number | undefined;
}

export class ComplianceStore {
  private readonly insert: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare(
      `INSERT INTO compliance_hits (call_id, rule_id, rules_version, severity, title, offset_ms, utterance_id, role, evidence, at_ms)
       VALUES (@callId, @ruleId, @rulesVersion, @severity, @title, @offsetMs, @utteranceId, @role, @evidence, @atMs)`,
    );
  }

  record(hit: ComplianceHit): void {
    this.insert.run({ ...hit, offsetMs: Math.round(hit.offsetMs) });
  }

  /** A call's hits in call order. */
  forCall(callId: string): ComplianceHit[] {
    return (this.db.prepare('SELECT * FROM compliance_hits WHERE call_id = ? ORDER BY offset_ms, id').all(callId) as HitRow[]).map(toHit);
  }

  /** Hits across calls, newest first: by rule, severity, rules version, since a time. */
  query(q: ComplianceHitQuery = {}): ComplianceHit[] {
    const where: string[] = [];
    const args: Record<string, unknown> = { limit: Math.min(Math.max(q.limit ?? 100, 1), 1000) };
    if (q.ruleId) (where.push('rule_id = @ruleId'), (args.ruleId = q.ruleId));
    if (q.severity) (where.push('severity = @severity'), (args.severity = q.severity));
    if (q.rulesVersion) (where.push('rules_version = @rulesVersion'), (args.rulesVersion = q.rulesVersion));
    if (q.sinceMs !== undefined) (where.push('at_ms >= @sinceMs'), (args.sinceMs = q.sinceMs));
    const sql = `SELECT * FROM compliance_hits ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at_ms DESC, id DESC LIMIT @limit`;
    return (this.db.prepare(sql).all(args) as HitRow[]).map(toHit);
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
