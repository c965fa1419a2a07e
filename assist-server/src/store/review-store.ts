/**
 * What the reviewer replay reads and writes (migration 6): the call list with its filters and
 * full-text search over masked utterances (utterances_fts), and QA scorecards. Shares the call
 * archive's database.
 */
import type Database from 'better-sqlite3';
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

/**
 * Turns what a reviewer typed into an FTS5 query: words only (FTS syntax characters dropped),
 * each quoted, all required, the last also matching as a prefix. Empty when no word is left.
 */
export function ftsQuery(text: string): string {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.map((w, i) => (i === words.length - 1 ? `"${w}"*` : `"${w}"`)).join(' ');
}

export class ReviewStore {
  constructor(private readonly db: Database.Database) {}

  listCalls(query: ReviewCallQuery): ReviewCallList {
    const where: string[] = [`c.status != 'live'`];
    const params: Record<string, unknown> = {};
    if (query.fromMs !== undefined) (where.push('c.started_at_ms >= @fromMs'), (params.fromMs = query.fromMs));
    if (query.toMs !== undefined) (where.push('c.started_at_ms < @toMs'), (params.toMs = query.toMs));
    if (query.agentId) (where.push('c.agent_id = @agentId'), (params.agentId = query.agentId));
    if (query.minDurationMs !== undefined) (where.push('c.duration_ms >= @minDurationMs'), (params.minDurationMs = query.minDurationMs));
    if (query.maxDurationMs !== undefined) (where.push('c.duration_ms <= @maxDurationMs'), (params.maxDurationMs = query.maxDurationMs));
    if (query.intent) {
      where.push(
        `EXISTS (SELECT 1 FROM call_events e WHERE e.call_id = c.call_id AND e.type = 'intent'
           AND json_extract(e.payload_json, '$.stage') = 'final' AND json_extract(e.payload_json, '$.prediction.label') = @intent)`,
      );
      params.intent = query.intent;
    }
    if (query.emotion) {
      where.push(`EXISTS (SELECT 1 FROM call_events e WHERE e.call_id = c.call_id AND e.type = 'emotion' AND json_extract(e.payload_json, '$.label') = @emotion)`);
      params.emotion = query.emotion;
    }
    if (query.compliance !== undefined) {
      where.push(`${query.compliance ? '' : 'NOT '}EXISTS (SELECT 1 FROM call_events e WHERE e.call_id = c.call_id AND e.type = 'compliance.warning')`);
    }
    const match = query.q ? ftsQuery(query.q) : '';
    if (query.q && !match) return { calls: [], offset: 0, more: false };
    if (match) {
      where.push(`c.call_id IN (SELECT u.call_id FROM utterances_fts f JOIN utterances u ON u.rowid = f.rowid WHERE utterances_fts MATCH @match)`);
      params.match = match;
    }
    const limit = Math.max(1, Math.min(query.limit ?? 50, 200));
    const offset = Math.max(0, query.offset ?? 0);
    const rows = this.db
      .prepare(
        `SELECT c.call_id, c.agent_id, c.caller_number, c.started_at_ms, c.duration_ms, c.status,
                EXISTS (SELECT 1 FROM recordings r WHERE r.call_id = c.call_id) AS has_recording
         FROM calls c WHERE ${where.join(' AND ')}
         ORDER BY c.started_at_ms DESC, c.call_id LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit: limit + 1, offset }) as Array<{
      call_id: string;
      agent_id: string;
      caller_number: string | null;
      started_at_ms: number;
      duration_ms: number | null;
      status: ReviewCallRow['status'];
      has_recording: number;
    }>;
    const more = rows.length > limit;
    const calls = rows.slice(0, limit).map((r) => this.row(r, match));
    return { calls, offset, more };
  }

  private row(
    r: { call_id: string; agent_id: string; caller_number: string | null; started_at_ms: number; duration_ms: number | null; status: ReviewCallRow['status']; has_recording: number },
    match: string,
  ): ReviewCallRow {
    const events = this.db
      .prepare(`SELECT type, payload_json FROM call_events WHERE call_id = ? AND type IN ('intent', 'emotion', 'emotion.escalation', 'compliance.warning') ORDER BY seq`)
      .all(r.call_id) as Array<{ type: string; payload_json: string }>;
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
    const scoredBy = this.db.prepare('SELECT reviewer FROM qa_scorecards WHERE call_id = ? ORDER BY updated_at_ms').pluck().all(r.call_id) as string[];
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
      hasRecording: r.has_recording === 1,
      scoredBy,
    };
    if (match) {
      row.matches = (
        this.db
          .prepare(
            `SELECT u.utterance_id, u.role, u.start_ms, snippet(utterances_fts, 0, '«', '»', '…', 12) AS snippet
             FROM utterances_fts f JOIN utterances u ON u.rowid = f.rowid
             WHERE utterances_fts MATCH ? AND u.call_id = ? ORDER BY u.start_ms LIMIT ?`,
          )
          .all(match, r.call_id, SNIPPETS_PER_CALL) as Array<{ utterance_id: string; role: LegRole; start_ms: number; snippet: string }>
      ).map((m) => ({ utteranceId: m.utterance_id, role: m.role, startMs: m.start_ms, snippet: m.snippet }));
    }
    return row;
  }

  scorecard(callId: string, reviewer: string): QaScorecard | null {
    const r = this.db.prepare('SELECT * FROM qa_scorecards WHERE call_id = ? AND reviewer = ?').get(callId, reviewer) as ScorecardRow | undefined;
    return r ? toScorecard(r) : null;
  }

  scorecards(callId: string): QaScorecard[] {
    return (this.db.prepare('SELECT * FROM qa_scorecards WHERE call_id = ? ORDER BY updated_at_ms').all(callId) as ScorecardRow[]).map(toScorecard);
  }

  saveScorecard(card: QaScorecard): QaScorecard {
    this.db
      .prepare(
        `INSERT INTO qa_scorecards (call_id, reviewer, scores_json, comment, updated_at_ms) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (call_id, reviewer) DO UPDATE SET scores_json = excluded.scores_json, comment = excluded.comment, updated_at_ms = excluded.updated_at_ms`,
      )
      .run(card.callId, card.reviewer, JSON.stringify(card.scores), card.comment, card.updatedAtMs);
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
