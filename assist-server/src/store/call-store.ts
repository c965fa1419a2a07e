/**
 * The call archive's database (SQLite via better-sqlite3, WAL mode). Holds masked data only:
 * every text written here has passed the masking stage.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CallEvent, CallSummary, FinalUtterance, LegRole } from '../protocol/index.ts';
import { MIGRATIONS } from './migrations.ts';

export interface CallRecord {
  callId: string;
  agentId: string;
  callerNumber: string | null;
  source: string;
  startedAtMs: number;
  endedAtMs: number | null;
  endReason: string | null;
  durationMs: number | null;
  status: 'live' | 'ended' | 'archived';
  legs: LegRole[];
  archiveDir: string | null;
}

export interface RecordingRecord {
  callId: string;
  role: LegRole;
  path: string;
  sampleRateHz: number;
  durationMs: number;
  bytes: number;
  sha256: string;
}

export class CallStore {
  private readonly db: Database.Database;

  constructor(readonly path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
  }

  /** The open connection (migrated), for the stores of other features that share this database. */
  get database(): Database.Database {
    return this.db;
  }

  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at_ms INTEGER NOT NULL)');
    const applied = new Set(this.db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
    for (const m of MIGRATIONS) {
      if (applied.has(m.version)) continue;
      this.db.transaction(() => {
        this.db.exec(m.sqlite);
        this.db.prepare('INSERT INTO schema_migrations (version, applied_at_ms) VALUES (?, ?)').run(m.version, Date.now());
      })();
    }
  }

  callStarted(call: CallSummary): void {
    this.db
      .prepare(
        `INSERT INTO calls (call_id, agent_id, caller_number, source, started_at_ms, status, legs_json)
         VALUES (@callId, @agentId, @callerNumber, @source, @startedAtMs, 'live', @legs)
         ON CONFLICT(call_id) DO NOTHING`,
      )
      .run({ ...call, legs: JSON.stringify(call.legs) });
  }

  /** Stores a call event (partials are not stored: they are superseded by finals). */
  recordEvent(event: CallEvent): void {
    if (event.type === 'transcript.partial') return;
    const tx = this.db.transaction(() => {
      this.db
        .prepare('INSERT OR IGNORE INTO call_events (call_id, seq, type, at_ms, payload_json) VALUES (?, ?, ?, ?, ?)')
        .run(event.callId, event.seq, event.type, event.atMs, JSON.stringify(event));
      if (event.type === 'transcript.final') {
        this.db
          .prepare(
            `INSERT OR REPLACE INTO utterances (utterance_id, call_id, role, start_ms, end_ms, text, words_json, entities_json)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(event.utteranceId, event.callId, event.role, event.startMs, event.endMs, event.text, JSON.stringify(event.words), JSON.stringify(event.entities ?? []));
      } else if (event.type === 'call.ended') {
        this.db
          .prepare(`UPDATE calls SET status = 'ended', ended_at_ms = ?, end_reason = ?, duration_ms = ? WHERE call_id = ? AND status = 'live'`)
          .run(event.atMs, event.reason, event.durationMs, event.callId);
      }
    });
    tx();
  }

  markArchived(callId: string, archiveDir: string, recordings: RecordingRecord[]): void {
    this.db.transaction(() => {
      const del = this.db.prepare('DELETE FROM recordings WHERE call_id = ?');
      del.run(callId);
      const ins = this.db.prepare(
        'INSERT INTO recordings (call_id, role, path, sample_rate_hz, duration_ms, bytes, sha256) VALUES (@callId, @role, @path, @sampleRateHz, @durationMs, @bytes, @sha256)',
      );
      for (const r of recordings) ins.run(r);
      this.db.prepare(`UPDATE calls SET status = 'archived', archive_dir = ? WHERE call_id = ?`).run(archiveDir, callId);
    })();
  }

  getCall(callId: string): CallRecord | undefined {
    const row = this.db.prepare('SELECT * FROM calls WHERE call_id = ?').get(callId) as CallRow | undefined;
    return row && toCallRecord(row);
  }

  listCalls(options: { agentId?: string; limit?: number } = {}): CallRecord[] {
    const limit = Math.min(options.limit ?? 50, 500);
    const rows = options.agentId
      ? this.db.prepare('SELECT * FROM calls WHERE agent_id = ? ORDER BY started_at_ms DESC LIMIT ?').all(options.agentId, limit)
      : this.db.prepare('SELECT * FROM calls ORDER BY started_at_ms DESC LIMIT ?').all(limit);
    return (rows as CallRow[]).map(toCallRecord);
  }

  finals(callId: string): FinalUtterance[] {
    const rows = this.db
      .prepare('SELECT utterance_id, role, start_ms, end_ms, text, words_json, entities_json FROM utterances WHERE call_id = ? ORDER BY start_ms, utterance_id')
      .all(callId) as Array<{ utterance_id: string; role: LegRole; start_ms: number; end_ms: number; text: string; words_json: string; entities_json: string }>;
    return rows.map((r) => ({
      utteranceId: r.utterance_id,
      role: r.role,
      startMs: r.start_ms,
      endMs: r.end_ms,
      text: r.text,
      words: JSON.parse(r.words_json),
      entities: JSON.parse(r.entities_json),
    }));
  }

  /** The highest event seq stored for a call (0 when none). */
  lastEventSeq(callId: string): number {
    return (this.db.prepare('SELECT COALESCE(MAX(seq), 0) FROM call_events WHERE call_id = ?').pluck().get(callId) as number) ?? 0;
  }

  events(callId: string): CallEvent[] {
    return (this.db.prepare('SELECT payload_json FROM call_events WHERE call_id = ? ORDER BY seq').pluck().all(callId) as string[]).map(
      (p) => JSON.parse(p) as CallEvent,
    );
  }

  recordings(callId: string): RecordingRecord[] {
    const rows = this.db.prepare('SELECT * FROM recordings WHERE call_id = ? ORDER BY role').all(callId) as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      callId: r.call_id as string,
      role: r.role as LegRole,
      path: r.path as string,
      sampleRateHz: r.sample_rate_hz as number,
      durationMs: r.duration_ms as number,
      bytes: r.bytes as number,
      sha256: r.sha256 as string,
    }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

interface CallRow {
  call_id: string;
  agent_id: string;
  caller_number: string | null;
  source: string;
  started_at_ms: number;
  ended_at_ms: number | null;
  end_reason: string | null;
  duration_ms: number | null;
  status: CallRecord['status'];
  legs_json: string;
  archive_dir: string | null;
}

function toCallRecord(r: CallRow): CallRecord {
  return {
    callId: r.call_id,
    agentId: r.agent_id,
    callerNumber: r.caller_number,
    source: r.source,
    startedAtMs: r.started_at_ms,
    endedAtMs: r.ended_at_ms,
    endReason: r.end_reason,
    durationMs: r.duration_ms,
    status: r.status,
    legs: JSON.parse(r.legs_json),
    archiveDir: r.archive_dir,
  };
}
