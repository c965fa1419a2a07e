/**
 * The one database interface every store uses: async, positional `?` parameters, two dialects.
 * SQLite (better-sqlite3, embedded default) and PostgreSQL (`DATABASE_URL=postgres://…`) implement it.
 *
 * Rules for SQL written against it (so the same statement runs on both):
 *   - positional `?` placeholders only (never inside string literals); the PostgreSQL driver numbers them;
 *   - snake_case column names and aliases (PostgreSQL folds unquoted identifiers to lower case);
 *   - integers come back as JS numbers on both (BIGINT and COUNT are parsed), booleans as 0/1 columns;
 *   - dialect-specific SQL (full-text search, upsert shortcuts) branches on `db.dialect`.
 */
export type SqlDialect = 'sqlite' | 'postgres';
export type SqlValue = string | number | bigint | boolean | null | Uint8Array;
export type SqlParams = readonly SqlValue[];

export interface SqlRunResult {
  /** Rows inserted, updated or deleted. */
  changes: number;
}

export interface SqlExecutor {
  readonly dialect: SqlDialect;
  run(sql: string, params?: SqlParams): Promise<SqlRunResult>;
  get<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T | undefined>;
  all<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T[]>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface SqlDatabase extends SqlExecutor {
  /** Runs `fn` in one transaction: commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
