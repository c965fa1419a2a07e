/**
 * Caller history (tables call_callers and call_outcomes, migration 5): which caller key each call
 * came from, and how each call ended (intent labels, outcome, open issue). A new call looks up the
 * caller's earlier calls here. Holds no text and no numbers: keys are keyed hashes, intents are
 * labels. Shares the call archive's database.
 */
import type Database from 'better-sqlite3';
import type { CustomerContext } from '../protocol/index.ts';

export type CallOutcomeLabel = 'resolved' | 'transferred' | 'self-service' | 'open' | 'unknown';

export interface CallOutcomeRecord {
  callId: string;
  /** The customer's final intent labels, in first-mention order. */
  intents: string[];
  outcome: CallOutcomeLabel;
  /** Intent label left open, or null. */
  openIssue: string | null;
  /** Skill queue a transfer was advised to, or null. */
  transferTarget: string | null;
  recordedAtMs: number;
}

export type PreviousCall = CustomerContext['previousCalls'][number];

export class CustomerHistoryStore {
  private readonly link: Database.Statement;
  private readonly upsertOutcome: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.link = db.prepare('INSERT OR IGNORE INTO call_callers (call_id, caller_key, started_at_ms) VALUES (?, ?, ?)');
    this.upsertOutcome = db.prepare(
      `INSERT OR REPLACE INTO call_outcomes (call_id, intents_json, outcome, open_issue, transfer_target, recorded_at_ms)
       VALUES (@callId, @intents, @outcome, @openIssue, @transferTarget, @recordedAtMs)`,
    );
  }

  /** Notes the caller of a call (idempotent: a resumed call keeps its first link). */
  linkCaller(callId: string, callerKey: string, startedAtMs: number): void {
    this.link.run(callId, callerKey, Math.round(startedAtMs));
  }

  callerKeyOf(callId: string): string | undefined {
    return this.db.prepare('SELECT caller_key FROM call_callers WHERE call_id = ?').pluck().get(callId) as string | undefined;
  }

  /**
   * The caller's calls before `beforeMs` (other than `excludeCallId`), newest first. A call with no
   * recorded outcome (still live, or cut off by a crash) shows the final intents stored with it and
   * a null outcome.
   */
  previousCalls(callerKey: string, options: { excludeCallId: string; beforeMs: number; limit: number }): PreviousCall[] {
    const rows = this.db
      .prepare(
        `SELECT cc.call_id, cc.started_at_ms, o.intents_json, o.outcome, o.open_issue
         FROM call_callers cc LEFT JOIN call_outcomes o ON o.call_id = cc.call_id
         WHERE cc.caller_key = ? AND cc.call_id != ? AND cc.started_at_ms <= ?
         ORDER BY cc.started_at_ms DESC LIMIT ?`,
      )
      .all(callerKey, options.excludeCallId, Math.round(options.beforeMs), Math.max(0, options.limit)) as Array<{
      call_id: string;
      started_at_ms: number;
      intents_json: string | null;
      outcome: string | null;
      open_issue: string | null;
    }>;
    return rows.map((r) => ({
      callId: r.call_id,
      startedAtMs: r.started_at_ms,
      intents: r.intents_json === null ? this.storedIntents(r.call_id) : (JSON.parse(r.intents_json) as string[]),
      outcome: r.outcome,
      openIssue: r.open_issue,
    }));
  }

  recordOutcome(o: CallOutcomeRecord): void {
    this.upsertOutcome.run({ ...o, intents: JSON.stringify(o.intents), recordedAtMs: Math.round(o.recordedAtMs) });
  }

  outcome(callId: string): CallOutcomeRecord | undefined {
    const r = this.db.prepare('SELECT * FROM call_outcomes WHERE call_id = ?').get(callId) as
      | { call_id: string; intents_json: string; outcome: CallOutcomeLabel; open_issue: string | null; transfer_target: string | null; recorded_at_ms: number }
      | undefined;
    return (
      r && { callId: r.call_id, intents: JSON.parse(r.intents_json) as string[], outcome: r.outcome, openIssue: r.open_issue, transferTarget: r.transfer_target, recordedAtMs: r.recorded_at_ms }
    );
  }

  /** Final, in-scope, confident intent labels among a call's stored events, first-mention order. */
  private storedIntents(callId: string): string[] {
    const payloads = this.db.prepare(`SELECT payload_json FROM call_events WHERE call_id = ? AND type = 'intent' ORDER BY seq`).pluck().all(callId) as string[];
    const labels: string[] = [];
    for (const p of payloads) {
      const e = JSON.parse(p) as { stage?: string; prediction?: { label: string; outOfScope: boolean; lowConfidence: boolean } };
      if (e.stage !== 'final' || !e.prediction || e.prediction.outOfScope || e.prediction.lowConfidence) continue;
      if (!labels.includes(e.prediction.label)) labels.push(e.prediction.label);
    }
    return labels;
  }
}
