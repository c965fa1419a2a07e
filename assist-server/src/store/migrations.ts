/** Schema migrations, applied in order once each (schema_migrations). Never edit a shipped one: add the next. */
export const MIGRATIONS: Array<{ version: number; sql: string }> = [
  {
    version: 1,
    sql: `
      CREATE TABLE calls (
        call_id        TEXT PRIMARY KEY,
        agent_id       TEXT NOT NULL,
        caller_number  TEXT,            -- masked
        source         TEXT NOT NULL,
        started_at_ms  INTEGER NOT NULL,
        ended_at_ms    INTEGER,
        end_reason     TEXT,
        duration_ms    INTEGER,
        status         TEXT NOT NULL CHECK (status IN ('live', 'ended', 'archived')),
        legs_json      TEXT NOT NULL,
        archive_dir    TEXT
      );
      CREATE INDEX calls_agent_started ON calls (agent_id, started_at_ms DESC);
      CREATE INDEX calls_started ON calls (started_at_ms DESC);

      CREATE TABLE utterances (
        utterance_id  TEXT PRIMARY KEY,
        call_id       TEXT NOT NULL REFERENCES calls (call_id) ON DELETE CASCADE,
        role          TEXT NOT NULL,
        start_ms      INTEGER NOT NULL,
        end_ms        INTEGER NOT NULL,
        text          TEXT NOT NULL,    -- masked
        words_json    TEXT NOT NULL
      );
      CREATE INDEX utterances_call ON utterances (call_id, start_ms);

      CREATE TABLE call_events (
        call_id       TEXT NOT NULL REFERENCES calls (call_id) ON DELETE CASCADE,
        seq           INTEGER NOT NULL,
        type          TEXT NOT NULL,
        at_ms         INTEGER NOT NULL,
        payload_json  TEXT NOT NULL,    -- masked
        PRIMARY KEY (call_id, seq)
      );

      CREATE TABLE recordings (
        call_id         TEXT NOT NULL REFERENCES calls (call_id) ON DELETE CASCADE,
        role            TEXT NOT NULL,
        path            TEXT NOT NULL,
        sample_rate_hz  INTEGER NOT NULL,
        duration_ms     INTEGER NOT NULL,
        bytes           INTEGER NOT NULL,
        sha256          TEXT NOT NULL,
        PRIMARY KEY (call_id, role)
      );
    `,
  },
  {
    version: 2,
    sql: `
      -- masked PII entities of each utterance: type, placeholder index, word range, audio span (no values)
      ALTER TABLE utterances ADD COLUMN entities_json TEXT NOT NULL DEFAULT '[]';
    `,
  },
];
