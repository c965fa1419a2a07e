/**
 * Caller history (tables call_callers and call_outcomes, migration 5): which caller key each call
 * came from, and how each call ended (intent labels, outcome, open issue). A new call looks up the
 * caller's earlier calls here. Holds no text and no numbers: keys are keyed hashes, intents are
 * labels. Shares the call archive's database; async on either dialect (db/sql-database.ts).
 */
import type { SqlDatabase } from '../db/sql-database.ts';
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

interface OutcomeRow {
  call_id: string;
  intents_json: string;
  outcome: CallOutcomeLabel;
  open_issue: string | null;
  transfer_target: string | null;
  recorded_at_ms: number;
}

export class CustomerHistoryStore {
  constructor(private readonly db: SqlDatabase) {}

  /** Notes the caller of a call (idempotent: a resumed call keeps its first link). */
  async linkCaller(callId: string, callerKey: string, startedAtMs: number): Promise<void> {
    await this.db.run('INSERT INTO call_callers (call_id, caller_key, started_at_ms) VALUES (?, ?, ?) ON CONFLICT (call_id) DO NOTHING', [callId, callerKey, Math.round(startedAtMs)]);
  }

  async callerKeyOf(callId: string): Promise<string | undefined> {
    return (await this.db.get<{ caller_key: string }>('SELECT caller_key FROM call_callers WHERE call_id = ?', [callId]))?.caller_key;
  }

  /**
   * The caller's calls before `beforeMs` (other than `excludeCallId`), newest first. A call with no
   * recorded outcome (still live, or cut off by a crash) shows the final intents stored with it and
   * a null outcome.
   */
  async previousCalls(callerKey: string, options: { excludeCallId: string; beforeMs: number; limit: number }): Promise<PreviousCall[]> {
    const rows = await this.db.all<{ call_id: string; started_at_ms: number; intents_json: string | null; outcome: string | null; open_issue: string | null }>(
      `SELECT cc.call_id, cc.started_at_ms, o.intents_json, o.outcome, o.open_issue
       FROM call_callers cc LEFT JOIN call_outcomes o ON o.call_id = cc.call_id
       WHERE cc.caller_key = ? AND cc.call_id != ? AND cc.started_at_ms <= ?
       ORDER BY cc.started_at_ms DESC LIMIT ?`,
      [callerKey, options.excludeCallId, Math.round(options.beforeMs), Math.max(0, options.limit)],
    );
    return Promise.all(
      rows.map(async (r) => ({
        callId: r.call_id,
        startedAtMs: r.started_at_ms,
        intents: r.intents_json === null ? await this.storedIntents(r.call_id) : (JSON.parse(r.intents_json) as string[]),
        outcome: r.outcome,
        openIssue: r.open_issue,
      })),
    );
  }

  async recordOutcome(o: CallOutcomeRecord): Promise<void> {
    await this.db.run(
      `INSERT INTO call_outcomes (call_id, intents_json, outcome, open_issue, transfer_target, recorded_at_ms) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (call_id) DO UPDATE SET intents_json = excluded.intents_json, outcome = excluded.outcome, open_issue = excluded.open_issue,
         transfer_target = excluded.transfer_target, recorded_at_ms = excluded.recorded_at_ms`,
      [o.callId, JSON.stringify(o.intents), o.outcome, o.openIssue, o.transferTarget, Math.round(o.recordedAtMs)],
    );
  }

  async outcome(callId: string): Promise<CallOutcomeRecord | undefined> {
    const r = await this.db.get<OutcomeRow>('SELECT call_id, intents_json, outcome, open_issue, transfer_target, recorded_at_ms FROM call_outcomes WHERE call_id = ?', [callId]);
    return (
      r && { callId: r.call_id, intents: JSON.parse(r.intents_json) as string[], outcome: r.outcome, openIssue: r.open_issue, transferTarget: r.transfer_target, recordedAtMs: r.recorded_at_ms }
    );
  }

  /** Final, in-scope, confident intent labels among a call's stored events, first-mention order. */
  private async storedIntents(callId: string): Promise<string[]> {
    const rows = await this.db.all<{ payload_json: string }>(`SELECT payload_json FROM call_events WHERE call_id = ? AND type = 'intent' ORDER BY seq`, [callId]);
    const labels: string[] = [];
    for (const { payload_json } of rows) {
      const e = JSON.parse(payload_json) as { stage?: string; prediction?: { label: string; outOfScope: boolean; lowConfidence: boolean } };
      if (e.stage !== 'final' || !e.prediction || e.prediction.outOfScope || e.prediction.lowConfidence) continue;
      if (!labels.includes(e.prediction.label)) labels.push(e.prediction.label);
    }
    return labels;
  }
}
