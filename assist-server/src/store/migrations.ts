/**
 * Schema migrations, applied in order once each (schema_migrations). Never edit a shipped one: add the
 * next. Each is written for both dialects (SQLite, PostgreSQL: db/sql-database.ts); a feature's own
 * migration lives in migrations/NNN-feature.ts and is listed here. An entry whose SQL is still empty
 * is not applied (a reserved number).
 */
import { MIGRATION_7 } from './migrations/007-post-call-archive.ts';
import { MIGRATION_8 } from './migrations/008-access-control.ts';
import { MIGRATION_9 } from './migrations/009-analytics.ts';

export interface Migration {
  version: number;
  sqlite: string;
  postgres: string;
}

const SHIPPED: Migration[] = [
  {
    version: 1,
    postgres: '',
    sqlite: `
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
    postgres: '',
    sqlite: `
      -- masked PII entities of each utterance: type, placeholder index, word range, audio span (no values)
      ALTER TABLE utterances ADD COLUMN entities_json TEXT NOT NULL DEFAULT '[]';
    `,
  },
  {
    version: 3,
    postgres: '',
    sqlite: `
      -- knowledge base (assist suggestions): articles, their full-text index kept in step by triggers
      CREATE TABLE kb_articles (
        seq            INTEGER PRIMARY KEY,   -- stable rowid for the FTS index
        article_id     TEXT NOT NULL UNIQUE,
        title          TEXT NOT NULL,
        answer         TEXT NOT NULL,         -- what the agent reads out
        body           TEXT NOT NULL,
        intents_json   TEXT NOT NULL,         -- intent labels the article answers
        keywords_json  TEXT NOT NULL,
        language       TEXT NOT NULL,
        owner          TEXT,
        updated_at_ms  INTEGER NOT NULL
      );
      CREATE VIRTUAL TABLE kb_articles_fts USING fts5(
        title, answer, body, keywords_json, content = 'kb_articles', content_rowid = 'seq', tokenize = 'porter unicode61'
      );
      CREATE TRIGGER kb_articles_ai AFTER INSERT ON kb_articles BEGIN
        INSERT INTO kb_articles_fts (rowid, title, answer, body, keywords_json) VALUES (new.seq, new.title, new.answer, new.body, new.keywords_json);
      END;
      CREATE TRIGGER kb_articles_ad AFTER DELETE ON kb_articles BEGIN
        INSERT INTO kb_articles_fts (kb_articles_fts, rowid, title, answer, body, keywords_json) VALUES ('delete', old.seq, old.title, old.answer, old.body, old.keywords_json);
      END;
      CREATE TRIGGER kb_articles_au AFTER UPDATE ON kb_articles BEGIN
        INSERT INTO kb_articles_fts (kb_articles_fts, rowid, title, answer, body, keywords_json) VALUES ('delete', old.seq, old.title, old.answer, old.body, old.keywords_json);
        INSERT INTO kb_articles_fts (rowid, title, answer, body, keywords_json) VALUES (new.seq, new.title, new.answer, new.body, new.keywords_json);
      END;

      -- each customer final's suggestions (masked text): the knowledge-gap report reads it
      CREATE TABLE kb_suggestion_log (
        call_id            TEXT NOT NULL,
        utterance_id       TEXT NOT NULL,
        text               TEXT NOT NULL,     -- masked
        normalized         TEXT NOT NULL,     -- masked, lower case, punctuation dropped
        intent             TEXT,              -- null: no intent reading (NLU off)
        intent_confidence  REAL,
        low_confidence     INTEGER NOT NULL,  -- 1: the intent reading was low confidence or out of scope
        article_ids_json   TEXT NOT NULL,     -- suggested, best first ([] when nothing passed the threshold)
        at_ms              INTEGER NOT NULL,
        PRIMARY KEY (call_id, utterance_id)
      );
      CREATE INDEX kb_suggestion_log_at ON kb_suggestion_log (at_ms);

      -- what agents did with suggestions; intent: the reading the suggestion was made for
      CREATE TABLE kb_feedback (
        id            INTEGER PRIMARY KEY,
        call_id       TEXT NOT NULL,
        agent_id      TEXT,
        article_id    TEXT NOT NULL,
        utterance_id  TEXT,
        intent        TEXT,
        action        TEXT NOT NULL CHECK (action IN ('used', 'copied', 'dismissed', 'not_helpful')),
        at_ms         INTEGER NOT NULL
      );
      CREATE INDEX kb_feedback_call ON kb_feedback (call_id, utterance_id);
      -- running totals per article and intent ('' = any intent), updated with each feedback row
      CREATE TABLE kb_feedback_stats (
        article_id  TEXT NOT NULL,
        intent      TEXT NOT NULL,
        positive    INTEGER NOT NULL DEFAULT 0,
        negative    INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (article_id, intent)
      );
    `,
  },
  {
    version: 4,
    postgres: '',
    sqlite: `
      -- compliance rule hits, kept with the call for reviewers (evidence is masked)
      CREATE TABLE compliance_hits (
        id             INTEGER PRIMARY KEY,
        call_id        TEXT NOT NULL,
        rule_id        TEXT NOT NULL,
        rules_version  TEXT NOT NULL,
        severity       TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
        title          TEXT NOT NULL,
        offset_ms      INTEGER NOT NULL,  -- call clock
        utterance_id   TEXT,
        role           TEXT,
        evidence       TEXT,              -- masked
        at_ms          INTEGER NOT NULL
      );
      CREATE INDEX compliance_hits_call ON compliance_hits (call_id, offset_ms);
      CREATE INDEX compliance_hits_rule ON compliance_hits (rule_id, at_ms);
      CREATE INDEX compliance_hits_at ON compliance_hits (at_ms);
    `,
  },
  {
    version: 5,
    postgres: '',
    sqlite: `
      -- which caller each call came from, as a keyed hash of the number (HMAC-SHA256 under the site
      -- secret): finds a caller's earlier calls; the number itself is never stored
      CREATE TABLE call_callers (
        call_id        TEXT PRIMARY KEY,
        caller_key     TEXT NOT NULL,
        started_at_ms  INTEGER NOT NULL
      );
      CREATE INDEX call_callers_key ON call_callers (caller_key, started_at_ms DESC);

      -- how each call ended, for the caller's next call: intent labels only, no text
      CREATE TABLE call_outcomes (
        call_id          TEXT PRIMARY KEY,
        intents_json     TEXT NOT NULL,   -- the customer's final intent labels, first mention order
        outcome          TEXT NOT NULL CHECK (outcome IN ('resolved', 'transferred', 'self-service', 'open', 'unknown')),
        open_issue       TEXT,            -- intent label left open, or null
        transfer_target  TEXT,            -- skill queue a transfer was advised to, or null
        recorded_at_ms   INTEGER NOT NULL
      );
    `,
  },
  {
    version: 6,
    postgres: '',
    sqlite: `
      -- reviewer replay: full-text index over the masked utterance text (external content: the text
      -- lives in utterances once). Kept in step by triggers; the BEFORE INSERT one drops the index
      -- entry of a row an INSERT OR REPLACE is about to replace (REPLACE's implicit delete fires no
      -- delete trigger). Keyed by the utterances rowid: after a VACUUM, run
      -- INSERT INTO utterances_fts (utterances_fts) VALUES ('rebuild').
      CREATE VIRTUAL TABLE utterances_fts USING fts5(text, content = 'utterances', content_rowid = 'rowid', tokenize = 'porter unicode61');
      CREATE TRIGGER utterances_fts_bi BEFORE INSERT ON utterances BEGIN
        INSERT INTO utterances_fts (utterances_fts, rowid, text) SELECT 'delete', rowid, text FROM utterances WHERE utterance_id = new.utterance_id;
      END;
      CREATE TRIGGER utterances_fts_ai AFTER INSERT ON utterances BEGIN
        INSERT INTO utterances_fts (rowid, text) VALUES (new.rowid, new.text);
      END;
      CREATE TRIGGER utterances_fts_ad AFTER DELETE ON utterances BEGIN
        INSERT INTO utterances_fts (utterances_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
      END;
      CREATE TRIGGER utterances_fts_au AFTER UPDATE OF text ON utterances BEGIN
        INSERT INTO utterances_fts (utterances_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
        INSERT INTO utterances_fts (rowid, text) VALUES (new.rowid, new.text);
      END;
      INSERT INTO utterances_fts (utterances_fts) VALUES ('rebuild');

      -- QA scorecards: one per call and reviewer; scores_json maps each criterion to 0..5 or "n/a"
      CREATE TABLE qa_scorecards (
        call_id        TEXT NOT NULL,
        reviewer       TEXT NOT NULL,
        scores_json    TEXT NOT NULL,
        comment        TEXT NOT NULL DEFAULT '',
        updated_at_ms  INTEGER NOT NULL,
        PRIMARY KEY (call_id, reviewer)
      );

      -- who looked at or changed what (call opened, recording replayed, scorecard saved)
      CREATE TABLE audit_log (
        id       INTEGER PRIMARY KEY,
        at_ms    INTEGER NOT NULL,
        actor    TEXT NOT NULL,
        action   TEXT NOT NULL,
        call_id  TEXT,
        detail   TEXT              -- JSON, or null
      );
      CREATE INDEX audit_log_at ON audit_log (at_ms DESC);
      CREATE INDEX audit_log_call ON audit_log (call_id, at_ms DESC);
    `,
  },
];

export const MIGRATIONS: Migration[] = [...SHIPPED, MIGRATION_7, MIGRATION_8, MIGRATION_9].filter((m) => m.sqlite !== '');
