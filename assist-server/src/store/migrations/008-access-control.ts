/**
 * Migration 8 (access control): users (one row per person who signs in; an agent's user_id is the agent
 * id calls carry) and sessions (only the sha256 of each opaque session token is stored). SQL for both dialects.
 */
import type { Migration } from '../migrations.ts';

export const MIGRATION_8: Migration = {
  version: 8,
  sqlite: `
    CREATE TABLE users (
      user_id        TEXT PRIMARY KEY,
      username       TEXT NOT NULL UNIQUE,
      display_name   TEXT NOT NULL,
      role           TEXT NOT NULL CHECK (role IN ('agent', 'supervisor', 'reviewer', 'admin')),
      team_id        TEXT,
      password_hash  TEXT NOT NULL,
      created_at_ms  INTEGER NOT NULL,
      disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
    );
    CREATE INDEX users_team ON users (team_id);

    CREATE TABLE sessions (
      token_hash       TEXT PRIMARY KEY,
      user_id          TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
      created_at_ms    INTEGER NOT NULL,
      expires_at_ms    INTEGER NOT NULL,
      last_seen_at_ms  INTEGER NOT NULL
    );
    CREATE INDEX sessions_user ON sessions (user_id);
    CREATE INDEX sessions_expires ON sessions (expires_at_ms);
  `,
  postgres: `
    CREATE TABLE users (
      user_id        TEXT PRIMARY KEY,
      username       TEXT NOT NULL UNIQUE,
      display_name   TEXT NOT NULL,
      role           TEXT NOT NULL CHECK (role IN ('agent', 'supervisor', 'reviewer', 'admin')),
      team_id        TEXT,
      password_hash  TEXT NOT NULL,
      created_at_ms  BIGINT NOT NULL,
      disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
    );
    CREATE INDEX users_team ON users (team_id);

    CREATE TABLE sessions (
      token_hash       TEXT PRIMARY KEY,
      user_id          TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
      created_at_ms    BIGINT NOT NULL,
      expires_at_ms    BIGINT NOT NULL,
      last_seen_at_ms  BIGINT NOT NULL
    );
    CREATE INDEX sessions_user ON sessions (user_id);
    CREATE INDEX sessions_expires ON sessions (expires_at_ms);
  `,
};
