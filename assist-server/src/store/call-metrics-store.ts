/**
 * Per-call metrics (table call_metrics, migration 9): one row per ended call, written by the post-call
 * pipeline (upsert, so a retried step rewrites the same row) and read by src/analytics/. The row holds no
 * transcript text, only numbers and labels, and has no foreign key to calls: analytics history may
 * outlive a purged transcript (the purge may still call delete()).
 */
import type { SqlExecutor, SqlValue } from '../db/sql-database.ts';

export type CallResolution = 'resolved' | 'unresolved' | 'unknown';
export type ResolutionSource = 'wrap-up' | 'inferred' | 'none';

export interface CallMetrics {
  callId: string;
  agentId: string;
  /** The call's type for analytics and retention (the call's source or wrap-up category). */
  callType: string;
  startedAtMs: number;
  endedAtMs: number;
  handleMs: number;
  talkAgentMs: number;
  talkCustomerMs: number;
  nonTalkMs: number;
  holdMs: number;
  interruptionsAgent: number;
  interruptionsCustomer: number;
  /** Average loudness per leg in dBFS (null: no recording). */
  loudnessAgentDbfs: number | null;
  loudnessCustomerDbfs: number | null;
  /** Talk speed in words per minute of that leg's talk time (null: the leg never spoke). */
  wpmAgent: number | null;
  wpmCustomer: number | null;
  firstResponseMs: number | null;
  transferred: boolean;
  resolution: CallResolution;
  resolutionSource: ResolutionSource;
  /** -1..1 */
  sentimentStart: number | null;
  sentimentEnd: number | null;
  /** 0..100 */
  complianceScore: number | null;
  primaryIntent: string | null;
  /** Final customer intent labels, in order. */
  intents: string[];
}

interface CallMetricsRow {
  call_id: string;
  agent_id: string;
  call_type: string;
  started_at_ms: number;
  ended_at_ms: number;
  handle_ms: number;
  talk_agent_ms: number;
  talk_customer_ms: number;
  non_talk_ms: number;
  hold_ms: number;
  interruptions_agent: number;
  interruptions_customer: number;
  loudness_agent_dbfs: number | null;
  loudness_customer_dbfs: number | null;
  wpm_agent: number | null;
  wpm_customer: number | null;
  first_response_ms: number | null;
  transferred: number;
  resolution: CallResolution;
  resolution_source: ResolutionSource;
  sentiment_start: number | null;
  sentiment_end: number | null;
  compliance_score: number | null;
  primary_intent: string | null;
  intents_json: string;
}

const COLUMNS = [
  'call_id', 'agent_id', 'call_type', 'started_at_ms', 'ended_at_ms', 'handle_ms', 'talk_agent_ms', 'talk_customer_ms',
  'non_talk_ms', 'hold_ms', 'interruptions_agent', 'interruptions_customer', 'loudness_agent_dbfs', 'loudness_customer_dbfs',
  'wpm_agent', 'wpm_customer', 'first_response_ms', 'transferred', 'resolution', 'resolution_source', 'sentiment_start',
  'sentiment_end', 'compliance_score', 'primary_intent', 'intents_json',
] as const;

// INSERT … ON CONFLICT … DO UPDATE with excluded.* is the same SQL on SQLite (>= 3.24) and PostgreSQL.
const UPSERT_SQL =
  `INSERT INTO call_metrics (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')}) ` +
  `ON CONFLICT (call_id) DO UPDATE SET ${COLUMNS.filter((c) => c !== 'call_id').map((c) => `${c} = excluded.${c}`).join(', ')}`;

export interface CallMetricsQuery {
  /** Inclusive lower bound on started_at_ms. */
  fromMs: number;
  /** Exclusive upper bound on started_at_ms. */
  toMs: number;
  /** Only these agents (e.g. a supervisor's team); undefined: all. */
  agentIds?: readonly string[] | undefined;
  callType?: string | undefined;
}

export class CallMetricsStore {
  /** A SqlDatabase, or a transaction's executor (to write the row inside a pipeline step's transaction). */
  constructor(private readonly db: SqlExecutor) {}

  /** Inserts or replaces the call's metrics row (idempotent). */
  async upsert(m: CallMetrics): Promise<void> {
    await this.db.run(UPSERT_SQL, toParams(m));
  }

  async get(callId: string): Promise<CallMetrics | undefined> {
    const row = await this.db.get<CallMetricsRow>('SELECT * FROM call_metrics WHERE call_id = ?', [callId]);
    return row ? fromRow(row) : undefined;
  }

  /** Calls started in [fromMs, toMs), oldest first. */
  async list(query: CallMetricsQuery): Promise<CallMetrics[]> {
    const where = ['started_at_ms >= ?', 'started_at_ms < ?'];
    const params: SqlValue[] = [query.fromMs, query.toMs];
    if (query.agentIds) {
      if (query.agentIds.length === 0) return [];
      where.push(`agent_id IN (${query.agentIds.map(() => '?').join(', ')})`);
      params.push(...query.agentIds);
    }
    if (query.callType) (where.push('call_type = ?'), params.push(query.callType));
    const rows = await this.db.all<CallMetricsRow>(
      `SELECT * FROM call_metrics WHERE ${where.join(' AND ')} ORDER BY started_at_ms, call_id`,
      params,
    );
    return rows.map(fromRow);
  }

  /** Earliest and latest call start (null when empty): the UI's default range. */
  async span(): Promise<{ firstStartedAtMs: number; lastStartedAtMs: number } | null> {
    const row = await this.db.get<{ first_ms: number | null; last_ms: number | null }>(
      'SELECT MIN(started_at_ms) AS first_ms, MAX(started_at_ms) AS last_ms FROM call_metrics',
    );
    return row && row.first_ms !== null && row.last_ms !== null ? { firstStartedAtMs: Number(row.first_ms), lastStartedAtMs: Number(row.last_ms) } : null;
  }

  /** Removes a call's row (retention purge); true when one was there. */
  async delete(callId: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM call_metrics WHERE call_id = ?', [callId])).changes > 0;
  }
}

function toParams(m: CallMetrics): SqlValue[] {
  return [
    m.callId, m.agentId, m.callType, m.startedAtMs, m.endedAtMs, m.handleMs, m.talkAgentMs, m.talkCustomerMs,
    m.nonTalkMs, m.holdMs, m.interruptionsAgent, m.interruptionsCustomer, m.loudnessAgentDbfs, m.loudnessCustomerDbfs,
    m.wpmAgent, m.wpmCustomer, m.firstResponseMs, m.transferred ? 1 : 0, m.resolution, m.resolutionSource, m.sentimentStart,
    m.sentimentEnd, m.complianceScore, m.primaryIntent, JSON.stringify(m.intents),
  ];
}

const num = (v: number | null): number | null => (v === null ? null : Number(v));

function fromRow(r: CallMetricsRow): CallMetrics {
  return {
    callId: r.call_id,
    agentId: r.agent_id,
    callType: r.call_type,
    startedAtMs: Number(r.started_at_ms),
    endedAtMs: Number(r.ended_at_ms),
    handleMs: Number(r.handle_ms),
    talkAgentMs: Number(r.talk_agent_ms),
    talkCustomerMs: Number(r.talk_customer_ms),
    nonTalkMs: Number(r.non_talk_ms),
    holdMs: Number(r.hold_ms),
    interruptionsAgent: Number(r.interruptions_agent),
    interruptionsCustomer: Number(r.interruptions_customer),
    loudnessAgentDbfs: num(r.loudness_agent_dbfs),
    loudnessCustomerDbfs: num(r.loudness_customer_dbfs),
    wpmAgent: num(r.wpm_agent),
    wpmCustomer: num(r.wpm_customer),
    firstResponseMs: num(r.first_response_ms),
    transferred: Number(r.transferred) === 1,
    resolution: r.resolution,
    resolutionSource: r.resolution_source,
    sentimentStart: num(r.sentiment_start),
    sentimentEnd: num(r.sentiment_end),
    complianceScore: num(r.compliance_score),
    primaryIntent: r.primary_intent,
    intents: JSON.parse(r.intents_json) as string[],
  };
}
