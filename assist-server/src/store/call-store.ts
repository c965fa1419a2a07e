/**
 * The call archive's tables (calls, utterances, call_events, recordings) on the node's database
 * (db/open-database.ts: SQLite or PostgreSQL, migrated there). Holds masked data only: every text
 * written here has passed the masking stage.
 *
 * Live writes (callStarted, recordEvent) are queued per call and applied in arrival order, so a
 * call's row exists before its events on a pooled PostgreSQL too; `persisted(callId)` resolves when
 * everything queued for the call so far is written (the registry waits for it before archiving).
 * When the database is unreachable (transient errors: store/transient-db-error.ts) a live write is
 * kept and retried with backoff, in order, for up to `retryForMs`; its caller is released at once
 * (the agent gets the event now, it is stored late). At most `maxQueuedWrites` writes wait at once:
 * past that, or past `retryForMs`, a write is dropped and reported through onWriteError.
 */
import type { CallEvent, CallSummary, FinalUtterance, LegRole } from '../protocol/index.ts';
import type { SqlDatabase } from '../db/sql-database.ts';
import { openDatabase } from '../db/open-database.ts';
import { isTransientDbError } from './transient-db-error.ts';

/** A live write retried through a database outage waits at most this long (default of `retryForMs`). */
const DEFAULT_RETRY_FOR_MS = 10 * 60_000;
/** Most live writes waiting at once (default of `maxQueuedWrites`): about 2 h of a busy call's finals. */
const DEFAULT_MAX_QUEUED_WRITES = 20_000;
const MAX_BACKOFF_MS = 2000;

/** The database stopped taking live writes (`down: true`, first error) or took them again. */
export type DatabaseOutageReport = { down: true; err: Error; queued: number } | { down: false; downMs: number; queued: number };

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
  private readonly writes = new Map<string, Promise<void>>();
  /** Live writes accepted and not yet applied or dropped. */
  private queued = 0;
  /** Since when live writes fail with transient errors (undefined: the database takes them). */
  private downSince: number | undefined;
  private closing = false;
  /** Callers of queued writes still held (released at once when the database goes down). */
  private readonly held = new Set<() => void>();

  /** `ownsDatabase`: close() closes the database too (stores opened by {@link CallStore.openSqlite}). */
  constructor(
    readonly db: SqlDatabase,
    private readonly options: {
      ownsDatabase?: boolean;
      onWriteError?: (err: Error, callId: string) => void;
      /** Told when live writes start waiting for the database and when they go through again. */
      onOutage?: (report: DatabaseOutageReport) => void;
      retryForMs?: number;
      maxQueuedWrites?: number;
    } = {},
  ) {}

  /** Live writes waiting to be applied (retried through an outage). */
  get queuedWrites(): number {
    return this.queued;
  }

  /** A store on its own migrated SQLite file (or ':memory:'): tests and one-shot CLI commands. */
  static async openSqlite(path: string): Promise<CallStore> {
    return new CallStore(await openDatabase({ sqlitePath: path }), { ownsDatabase: true });
  }

  /** The database, for the stores of other features that share it. */
  get database(): SqlDatabase {
    return this.db;
  }

  callStarted(call: CallSummary): Promise<void> {
    return this.enqueue(call.callId, async () => {
      await this.db.run(
        `INSERT INTO calls (call_id, agent_id, caller_number, source, started_at_ms, status, legs_json)
         VALUES (?, ?, ?, ?, ?, 'live', ?)
         ON CONFLICT (call_id) DO NOTHING`,
        [call.callId, call.agentId, call.callerNumber ?? null, call.source, call.startedAtMs, JSON.stringify(call.legs)],
      );
    });
  }

  /** Stores a call event (partials are not stored: they are superseded by finals). */
  recordEvent(event: CallEvent): Promise<void> {
    if (event.type === 'transcript.partial') return Promise.resolve();
    return this.enqueue(event.callId, () =>
      this.db.transaction(async (tx) => {
        await tx.run('INSERT INTO call_events (call_id, seq, type, at_ms, payload_json) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING', [
          event.callId,
          event.seq,
          event.type,
          event.atMs,
          JSON.stringify(event),
        ]);
        if (event.type === 'transcript.final') {
          const values = [event.utteranceId, event.callId, event.role, event.startMs, event.endMs, event.text, JSON.stringify(event.words), JSON.stringify(event.entities ?? [])];
          // SQLite keeps INSERT OR REPLACE: its full-text triggers (migration 6) are written for it.
          await tx.run(
            tx.dialect === 'sqlite'
              ? `INSERT OR REPLACE INTO utterances (utterance_id, call_id, role, start_ms, end_ms, text, words_json, entities_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
              : `INSERT INTO utterances (utterance_id, call_id, role, start_ms, end_ms, text, words_json, entities_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT (utterance_id) DO UPDATE SET call_id = excluded.call_id, role = excluded.role, start_ms = excluded.start_ms, end_ms = excluded.end_ms,
                   text = excluded.text, words_json = excluded.words_json, entities_json = excluded.entities_json`,
            values,
          );
        } else if (event.type === 'call.ended') {
          await tx.run(`UPDATE calls SET status = 'ended', ended_at_ms = ?, end_reason = ?, duration_ms = ? WHERE call_id = ? AND status = 'live'`, [
            event.atMs,
            event.reason,
            event.durationMs,
            event.callId,
          ]);
        }
      }),
    );
  }

  /** Resolves when every write queued for the call so far has been applied (failed writes were reported). */
  async persisted(callId: string): Promise<void> {
    await this.writes.get(callId);
  }

  async markArchived(callId: string, archiveDir: string, recordings: RecordingRecord[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM recordings WHERE call_id = ?', [callId]);
      for (const r of recordings) {
        await tx.run('INSERT INTO recordings (call_id, role, path, sample_rate_hz, duration_ms, bytes, sha256) VALUES (?, ?, ?, ?, ?, ?, ?)', [
          r.callId,
          r.role,
          r.path,
          r.sampleRateHz,
          r.durationMs,
          r.bytes,
          r.sha256,
        ]);
      }
      await tx.run(`UPDATE calls SET status = 'archived', archive_dir = ? WHERE call_id = ?`, [archiveDir, callId]);
    });
  }

  async getCall(callId: string): Promise<CallRecord | undefined> {
    const row = await this.db.get<CallRow>('SELECT * FROM calls WHERE call_id = ?', [callId]);
    return row && toCallRecord(row);
  }

  async listCalls(options: { agentId?: string | undefined; limit?: number } = {}): Promise<CallRecord[]> {
    const limit = Math.min(options.limit ?? 50, 500);
    const rows = options.agentId
      ? await this.db.all<CallRow>('SELECT * FROM calls WHERE agent_id = ? ORDER BY started_at_ms DESC LIMIT ?', [options.agentId, limit])
      : await this.db.all<CallRow>('SELECT * FROM calls ORDER BY started_at_ms DESC LIMIT ?', [limit]);
    return rows.map(toCallRecord);
  }

  async finals(callId: string): Promise<FinalUtterance[]> {
    const rows = await this.db.all<{ utterance_id: string; role: LegRole; start_ms: number; end_ms: number; text: string; words_json: string; entities_json: string }>(
      'SELECT utterance_id, role, start_ms, end_ms, text, words_json, entities_json FROM utterances WHERE call_id = ? ORDER BY start_ms, utterance_id',
      [callId],
    );
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
  async lastEventSeq(callId: string): Promise<number> {
    const row = await this.db.get<{ last_seq: number }>('SELECT COALESCE(MAX(seq), 0) AS last_seq FROM call_events WHERE call_id = ?', [callId]);
    return row?.last_seq ?? 0;
  }

  async events(callId: string): Promise<CallEvent[]> {
    const rows = await this.db.all<{ payload_json: string }>('SELECT payload_json FROM call_events WHERE call_id = ? ORDER BY seq', [callId]);
    return rows.map((r) => JSON.parse(r.payload_json) as CallEvent);
  }

  async recordings(callId: string): Promise<RecordingRecord[]> {
    const rows = await this.db.all<Record<string, unknown>>('SELECT * FROM recordings WHERE call_id = ? ORDER BY role', [callId]);
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

  /** Waits for queued live writes; closes the database when this store opened it. */
  async close(): Promise<void> {
    this.closing = true; // writes waiting for a database that is down give up after their next try
    await Promise.all([...this.writes.values()]);
    if (this.options.ownsDatabase) await this.db.close();
  }

  /**
   * Queues a live write behind the call's earlier ones. Resolves once it is applied, or at once when
   * the database is down (it stays queued and is retried); a write that fails for good is reported to
   * onWriteError (or rejects when there is none).
   */
  private enqueue(callId: string, write: () => Promise<unknown>): Promise<void> {
    const limit = this.options.maxQueuedWrites ?? DEFAULT_MAX_QUEUED_WRITES;
    if (this.queued >= limit) return this.report(new Error(`${this.queued} call writes are waiting for the database: this one is dropped`), callId);
    this.queued++;
    let release!: () => void;
    const accepted = new Promise<void>((resolve) => (release = () => (this.held.delete(release), resolve())));
    // Callers are not held behind a database that is down: now, or when it goes down while this waits.
    if (this.downSince !== undefined) release();
    else this.held.add(release);
    const previous = this.writes.get(callId) ?? Promise.resolve();
    const applied = previous.then(() => this.applyWithRetry(write, release)).finally(() => this.queued--);
    const reported = applied.then(
      () => undefined,
      (err: Error) => this.report(err, callId),
    );
    // The chain continues past a failure (the failure is reported to whoever awaited this write).
    const tail = reported.catch(() => undefined);
    this.writes.set(callId, tail);
    void tail.then(() => {
      if (this.writes.get(callId) === tail) this.writes.delete(callId);
    });
    return Promise.race([accepted, reported]);
  }

  private async applyWithRetry(write: () => Promise<unknown>, release: () => void): Promise<void> {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        await write();
      } catch (err) {
        if (!isTransientDbError(err) || this.closing || Date.now() - started >= (this.options.retryForMs ?? DEFAULT_RETRY_FOR_MS)) throw err;
        if (this.downSince === undefined) {
          this.downSince = Date.now();
          this.options.onOutage?.({ down: true, err: err as Error, queued: this.queued });
        }
        for (const r of [...this.held]) r();
        await new Promise((r) => setTimeout(r, Math.min(MAX_BACKOFF_MS, 100 * 2 ** (attempt - 1))));
        continue;
      }
      if (this.downSince !== undefined) {
        const downMs = Date.now() - this.downSince;
        this.downSince = undefined;
        this.options.onOutage?.({ down: false, downMs, queued: this.queued - 1 });
      }
      release();
      return;
    }
  }

  private async report(err: Error, callId: string): Promise<void> {
    if (!this.options.onWriteError) throw err;
    this.options.onWriteError(err, callId);
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
