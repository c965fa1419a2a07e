/**
 * Migration 7 (post-call archive): which pipeline steps of a call are done (post_call_steps: a retried
 * job skips them, so nothing is written twice), and each archived call's integrity manifest and its
 * hash (call_archives). No foreign keys to calls: the retention purge deletes a call's rows explicitly,
 * in one transaction, and logs what it removed.
 */
import type { Migration } from '../migrations.ts';

export const MIGRATION_7: Migration = {
  version: 7,
  sqlite: `
    CREATE TABLE post_call_steps (
      call_id      TEXT NOT NULL,
      step         TEXT NOT NULL,
      attempt      INTEGER NOT NULL,
      done_at_ms   INTEGER NOT NULL,
      result_json  TEXT NOT NULL,
      PRIMARY KEY (call_id, step)
    );
    CREATE TABLE call_archives (
      call_id          TEXT PRIMARY KEY,
      archive_dir      TEXT NOT NULL,
      call_type        TEXT NOT NULL,
      manifest_json    TEXT NOT NULL,
      manifest_sha256  TEXT NOT NULL,
      archived_at_ms   INTEGER NOT NULL
    );
    CREATE INDEX call_archives_type ON call_archives (call_type, archived_at_ms);
  `,
  postgres: `
    CREATE TABLE post_call_steps (
      call_id      TEXT NOT NULL,
      step         TEXT NOT NULL,
      attempt      INTEGER NOT NULL,
      done_at_ms   BIGINT NOT NULL,
      result_json  TEXT NOT NULL,
      PRIMARY KEY (call_id, step)
    );
    CREATE TABLE call_archives (
      call_id          TEXT PRIMARY KEY,
      archive_dir      TEXT NOT NULL,
      call_type        TEXT NOT NULL,
      manifest_json    TEXT NOT NULL,
      manifest_sha256  TEXT NOT NULL,
      archived_at_ms   BIGINT NOT NULL
    );
    CREATE INDEX call_archives_type ON call_archives (call_type, archived_at_ms);
  `,
};
