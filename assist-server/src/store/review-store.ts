/**
 * What the reviewer replay reads and writes (migration 6): the call list with its filters and
 * full-text search over masked utterances, and QA scorecards. Shares the call archive's database.
 * Search: SQLite FTS5 (utterances_fts, porter stemming, snippet()); PostgreSQL the GIN-indexed
 * `utterances.search_tsv` (english stemming, ts_headline()). Both: every word required, the last
 * also as a prefix.
 */
import type { SqlDatabase } from '../db/sql-database.ts';
import { asInt, jsonText } from './sql-fragments.ts';
import type { LegRole, QaScorecard, QaScores, ReviewCallList, ReviewCallRow } from '../protocol/index.ts';

export interface ReviewCallQuery {
  /** Started at or after, ms since the epoch. */
  fromMs?: number | undefined;
  /** Started before, ms since the epoch. */
  toMs?: number | undefined;
  agentId?: string | undefined;
  /** A customer final intent label the call had. */
  intent?: string | undefined;
  /** A customer emotion label the call had. */
  emotion?: string | undefined;
  /** true: calls with a compliance warning; false: calls without. */
  compliance?: boolean | undefined;
  minDurationMs?: number | undefined;
  maxDurationMs?: number | undefined;
  /** Free text over the masked transcripts (every word must appear; the last may be a prefix). */
  q?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

const SNIPPETS_PER_CALL = 3;

/** The words of what a reviewer typed (letters and digits only, lower case). */
function queryWords(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * Turns what a reviewer typed into an FTS5 query: words only (FTS syntax characters dropped),
 * each quoted, all required, the last also matching as a prefix. Empty when no word is left.
 */
export function ftsQuery(text: string): string {
  const words = queryWords(text);
  return words.map((w, i) => (i === words.length - 1 ? `"${w}"*` : `"${w}"`)).join(' ');
}

/** The same for PostgreSQL's to_tsquery: words joined by `&`, the last with `:*` (prefix). */
export function tsQuery(text: string): string {
  const words = queryWords(text);
  return words.map((w, i) => (i === words.length - 1 ? `${w}:*` : w)).join(' & ');
}

interface CallRow {
  call_id: string;
  agent_id: string;
  caller_number: string | null;
  started_at_ms: number;
  duration_ms: number | null;
  status: ReviewCallRow['status'];
  has_recording: number;
}

export class ReviewStore {
  constructor(private readonly db: SqlDatabase) {}

  async listCalls(query: ReviewCallQuery): Promise<ReviewCallList> {
    const d = this.db.dialect;
    const where: string[] = [`c.status != 'live'`];
    const params: Array<string | number> = [];
    const add = (sql: string, ...values: Array<string | number>) => (where.push(sql), params.push(...values));
    if (query.fromMs !== undefined) add('c.started_at_ms >= ?', query.fromMs);
    if (query.toMs !== undefined) add('c.started_at_ms < ?', query.toMs);
    if (query.agentId) add('c.agent_id = ?', query.agentId);
    if (query.minDurationMs !== undefined) add('c.duration_ms >= ?', query.minDurationMs);
    if (query.maxDurationMs !== undefined) add('c.duration_ms <= ?', query.maxDurationMs);
    if (query.intent) {
      add(
        `EXISTS (SELECT 1 FROM call_events e WHERE e.call_id = c.call_id AND e.type = 'intent'
           AND ${jsonText(d, 'e.payload_json', ['stage'])} = 'final' AND ${jsonText(d, 'e.payload_json', ['prediction', 'label'])} = ?)`,
        query.intent,
      );
    }
    if (query.emotion) {
      add(`EXISTS (SELECT 1 FROM call_events e WHERE e.call_id = c.call_id AND e.type = 'emotion' AND ${jsonText(d, 'e.payload_json', ['label'])} = ?)`, query.emotion);
    }
    if (query.compliance !== undefined) {
      add(`${query.compliance ? '' : 'NOT '}EXISTS (SELECT 1 FROM call_events e WHERE e.call_id = c.call_id AND e.type = 'compliance.warning')`);
    }
    const match = query.q ? (d === 'postgres' ? tsQuery(query.q) : ftsQuery(query.q)) : '';
    if (query.q && !match) return { calls: [], offset: 0, more: false };
    if (match) {
      add(
        d === 'postgres'
          ? `c.call_id IN (SELECT u.call_id FROM utterances u WHERE u.search_tsv @@ to_tsquery('english', ?))`
          : `c.call_id IN (SELECT u.call_id FROM utterances_fts f JOIN utterances u ON u.rowid = f.rowid WHERE utterances_fts MATCH ?)`,
        match,
      );
    }
    const limit = Math.max(1, Math.min(query.limit ?? 50, 200));
    const offset = Math.max(0, query.offset ?? 0);
    const rows = await this.db.all<CallRow>(
      `SELECT c.call_id, c.agent_id, c.caller_number, c.started_at_ms, c.duration_ms, c.status,
              ${asInt('EXISTS (SELECT 1 FROM recordings r WHERE r.call_id = c.call_id)')} AS has_recording
       FROM calls c WHERE ${where.join(' AND ')}
       ORDER BY c.started_at_ms DESC, c.call_id LIMIT ? OFFSET ?`,
      [...params, limit + 1, offset],
    );
    const more = rows.length > limit;
    const calls = await Promise.all(rows.slice(0, limit).map((r) => this.row(r, match)));
    return { calls, offset, more };
  }

  private async row(r: CallRow, match: string): Promise<ReviewCallRow> {
    const events = await this.db.all<{ type: string; payload_json: string }>(
      `SELECT type, payload_json FROM call_events WHERE call_id = ? AND type IN ('intent', 'emotion', 'emotion.escalation', 'compliance.warning') ORDER BY seq`,
      [r.call_id],
    );
    const intents = new Set<string>();
    const emotions = new Set<string>();
    let complianceWarnings = 0;
    let escalations = 0;
    for (const e of events) {
      const payload = JSON.parse(e.payload_json) as { stage?: string; prediction?: { label: string }; label?: string };
      if (e.type === 'intent' && payload.stage === 'final' && payload.prediction) intents.add(payload.prediction.label);
      else if (e.type === 'emotion' && payload.label) emotions.add(payload.label);
      else if (e.type === 'compliance.warning') complianceWarnings++;
      else if (e.type === 'emotion.escalation') escalations++;
    }
    const scoredBy = (await this.db.all<{ reviewer: string }>('SELECT reviewer FROM qa_scorecards WHERE call_id = ? ORDER BY updated_at_ms', [r.call_id])).map((s) => s.reviewer);
    const row: ReviewCallRow = {
      callId: r.call_id,
      agentId: r.agent_id,
      callerNumber: r.caller_number,
      startedAtMs: r.started_at_ms,
      durationMs: r.duration_ms,
      status: r.status,
      intents: [...intents],
      emotions: [...emotions],
      complianceWarnings,
      escalations,
      hasRecording: Number(r.has_recording) === 1,
      scoredBy,
    };
    if (match) {
      const matches = await this.db.all<{ utterance_id: string; role: LegRole; start_ms: number; snippet: string }>(
        this.db.dialect === 'postgres'
          ? `SELECT u.utterance_id, u.role, u.start_ms,
                    ts_headline('english', u.text, q, 'StartSel=«, StopSel=», MaxWords=12, MinWords=4, ShortWord=0, MaxFragments=1, FragmentDelimiter=…') AS snippet
             FROM utterances u, to_tsquery('english', ?) AS q
             WHERE u.search_tsv @@ q AND u.call_id = ? ORDER BY u.start_ms LIMIT ?`
          : `SELECT u.utterance_id, u.role, u.start_ms, snippet(utterances_fts, 0, '«', '»', '…', 12) AS snippet
             FROM utterances_fts f JOIN utterances u ON u.rowid = f.rowid
             WHERE utterances_fts MATCH ? AND u.call_id = ? ORDER BY u.start_ms LIMIT ?`,
        [match, r.call_id, SNIPPETS_PER_CALL],
      );
      row.matches = matches.map((m) => ({ utteranceId: m.utterance_id, role: m.role, startMs: m.start_ms, snippet: m.snippet }));
    }
    return row;
  }

  async scorecard(callId: string, reviewer: string): Promise<QaScorecard | null> {
    const r = await this.db.get<ScorecardRow>('SELECT call_id, reviewer, scores_json, comment, updated_at_ms FROM qa_scorecards WHERE call_id = ? AND reviewer = ?', [callId, reviewer]);
    return r ? toScorecard(r) : null;
  }

  async scorecards(callId: string): Promise<QaScorecard[]> {
    return (await this.db.all<ScorecardRow>('SELECT call_id, reviewer, scores_json, comment, updated_at_ms FROM qa_scorecards WHERE call_id = ? ORDER BY updated_at_ms', [callId])).map(toScorecard);
  }

  async saveScorecard(card: QaScorecard): Promise<QaScorecard> {
    await this.db.run(
      `INSERT INTO qa_scorecards (call_id, reviewer, scores_json, comment, updated_at_ms) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (call_id, reviewer) DO UPDATE SET scores_json = excluded.scores_json, comment = excluded.comment, updated_at_ms = excluded.updated_at_ms`,
      [card.callId, card.reviewer, JSON.stringify(card.scores), card.comment, Math.round(card.updatedAtMs)],
    );
    return card;
  }
}

interface ScorecardRow {
  call_id: string;
  reviewer: string;
  scores_json: string;
  comment: string;
  updated_at_ms: number;
}

function toScorecard(r: ScorecardRow): QaScorecard {
  return { callId: r.call_id, reviewer: r.reviewer, scores: JSON.parse(r.scores_json) as QaScores, comment: r.comment, updatedAtMs: r.updated_at_ms };
}
