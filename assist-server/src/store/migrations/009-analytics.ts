/**
 * Migration 9 (analytics): one row of per-call metrics per ended call (call_metrics), written by the
 * post-call pipeline through store/call-metrics-store.ts and read by src/analytics/. SQL for both dialects.
 */
import type { Migration } from '../migrations.ts';

export const MIGRATION_9: Migration = {
  version: 9,
  sqlite: `
    CREATE TABLE call_metrics (
      call_id                 TEXT PRIMARY KEY,
      agent_id                TEXT NOT NULL,
      call_type               TEXT NOT NULL,
      started_at_ms           INTEGER NOT NULL,
      ended_at_ms             INTEGER NOT NULL,
      handle_ms               INTEGER NOT NULL,
      talk_agent_ms           INTEGER NOT NULL,
      talk_customer_ms        INTEGER NOT NULL,
      non_talk_ms             INTEGER NOT NULL,
      hold_ms                 INTEGER NOT NULL,
      interruptions_agent     INTEGER NOT NULL,
      interruptions_customer  INTEGER NOT NULL,
      loudness_agent_dbfs     REAL,
      loudness_customer_dbfs  REAL,
      wpm_agent               REAL,
      wpm_customer            REAL,
      first_response_ms       INTEGER,
      transferred             INTEGER NOT NULL CHECK (transferred IN (0, 1)),
      resolution              TEXT NOT NULL CHECK (resolution IN ('resolved', 'unresolved', 'unknown')),
      resolution_source       TEXT NOT NULL CHECK (resolution_source IN ('wrap-up', 'inferred', 'none')),
      sentiment_start         REAL,
      sentiment_end           REAL,
      compliance_score        REAL,
      primary_intent          TEXT,
      intents_json            TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX call_metrics_started ON call_metrics (started_at_ms);
    CREATE INDEX call_metrics_agent_started ON call_metrics (agent_id, started_at_ms);
  `,
  postgres: `
    CREATE TABLE call_metrics (
      call_id                 TEXT PRIMARY KEY,
      agent_id                TEXT NOT NULL,
      call_type               TEXT NOT NULL,
      started_at_ms           BIGINT NOT NULL,
      ended_at_ms             BIGINT NOT NULL,
      handle_ms               BIGINT NOT NULL,
      talk_agent_ms           BIGINT NOT NULL,
      talk_customer_ms        BIGINT NOT NULL,
      non_talk_ms             BIGINT NOT NULL,
      hold_ms                 BIGINT NOT NULL,
      interruptions_agent     INTEGER NOT NULL,
      interruptions_customer  INTEGER NOT NULL,
      loudness_agent_dbfs     DOUBLE PRECISION,
      loudness_customer_dbfs  DOUBLE PRECISION,
      wpm_agent               DOUBLE PRECISION,
      wpm_customer            DOUBLE PRECISION,
      first_response_ms       BIGINT,
      transferred             INTEGER NOT NULL CHECK (transferred IN (0, 1)),
      resolution              TEXT NOT NULL CHECK (resolution IN ('resolved', 'unresolved', 'unknown')),
      resolution_source       TEXT NOT NULL CHECK (resolution_source IN ('wrap-up', 'inferred', 'none')),
      sentiment_start         DOUBLE PRECISION,
      sentiment_end           DOUBLE PRECISION,
      compliance_score        DOUBLE PRECISION,
      primary_intent          TEXT,
      intents_json            TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX call_metrics_started ON call_metrics (started_at_ms);
    CREATE INDEX call_metrics_agent_started ON call_metrics (agent_id, started_at_ms);
  `,
};
