/**
 * Sign-in sessions (table sessions, migration 8). The client holds an opaque random token; only its
 * sha256 is stored, so a database read does not yield usable tokens.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SqlDatabase } from '../db/sql-database.ts';

export interface SessionRecord {
  userId: string;
  createdAtMs: number;
  expiresAtMs: number;
  lastSeenAtMs: number;
}

/** last_seen_at_ms is written at most this often per session (not on every request). */
const LAST_SEEN_RESOLUTION_MS = 60_000;

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export class SessionStore {
  constructor(private readonly db: SqlDatabase) {}

  /** A new session; returns the token (shown to the client once, never stored). */
  async create(userId: string, ttlMs: number, nowMs = Date.now()): Promise<{ token: string; expiresAtMs: number }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAtMs = nowMs + ttlMs;
    await this.db.run('INSERT INTO sessions (token_hash, user_id, created_at_ms, expires_at_ms, last_seen_at_ms) VALUES (?, ?, ?, ?, ?)', [hashToken(token), userId, nowMs, expiresAtMs, nowMs]);
    return { token, expiresAtMs };
  }

  /** The live session of a token (undefined when unknown or expired); notes when it was last used. */
  async lookup(token: string, nowMs = Date.now()): Promise<SessionRecord | undefined> {
    const tokenHash = hashToken(token);
    const row = await this.db.get<{ user_id: string; created_at_ms: number; expires_at_ms: number; last_seen_at_ms: number }>(
      'SELECT user_id, created_at_ms, expires_at_ms, last_seen_at_ms FROM sessions WHERE token_hash = ?',
      [tokenHash],
    );
    if (!row || row.expires_at_ms <= nowMs) return undefined;
    if (nowMs - row.last_seen_at_ms >= LAST_SEEN_RESOLUTION_MS) await this.db.run('UPDATE sessions SET last_seen_at_ms = ? WHERE token_hash = ?', [nowMs, tokenHash]);
    return { userId: row.user_id, createdAtMs: row.created_at_ms, expiresAtMs: row.expires_at_ms, lastSeenAtMs: row.last_seen_at_ms };
  }

  async revoke(token: string): Promise<void> {
    await this.db.run('DELETE FROM sessions WHERE token_hash = ?', [hashToken(token)]);
  }

  /** Signs a user out everywhere (password change, disabled). */
  async revokeUser(userId: string): Promise<void> {
    await this.db.run('DELETE FROM sessions WHERE user_id = ?', [userId]);
  }

  async purgeExpired(nowMs = Date.now()): Promise<number> {
    return (await this.db.run('DELETE FROM sessions WHERE expires_at_ms <= ?', [nowMs])).changes;
  }
}
