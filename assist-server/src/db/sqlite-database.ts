/**
 * SqlDatabase on SQLite (better-sqlite3, WAL). Statements run synchronously inside the driver (local
 * disk, microseconds); a transaction holds the one connection, so other callers wait until it ends
 * instead of landing inside it.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SqlDatabase, SqlExecutor, SqlParams, SqlRunResult } from './sql-database.ts';

const STATEMENT_CACHE_LIMIT = 500;

export class SqliteDatabase implements SqlDatabase {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, Database.Statement>();
  private transactionOpen = false;
  private transactionDone: Promise<void> = Promise.resolve();
  private readonly direct: SqlExecutor;

  private constructor(readonly connection: Database.Database) {
    this.direct = {
      dialect: 'sqlite',
      run: async (sql, params) => this.runNow(sql, params),
      get: async (sql, params) => this.statement(sql).get(...bind(params)) as never,
      all: async (sql, params) => this.statement(sql).all(...bind(params)) as never,
      exec: async (sql) => void this.connection.exec(sql),
    };
  }

  /** Opens (creating the directory) a database file, or ':memory:'. */
  static open(path: string): SqliteDatabase {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const connection = new Database(path);
    connection.pragma('journal_mode = WAL');
    connection.pragma('synchronous = NORMAL');
    connection.pragma('foreign_keys = ON');
    connection.pragma('busy_timeout = 5000');
    return new SqliteDatabase(connection);
  }

  /** Wraps a better-sqlite3 connection opened elsewhere (tests that build an old schema by hand). */
  static wrap(connection: Database.Database): SqliteDatabase {
    return new SqliteDatabase(connection);
  }

  async run(sql: string, params?: SqlParams): Promise<SqlRunResult> {
    while (this.transactionOpen) await this.transactionDone;
    return this.runNow(sql, params);
  }

  async get<T>(sql: string, params?: SqlParams): Promise<T | undefined> {
    while (this.transactionOpen) await this.transactionDone;
    return this.statement(sql).get(...bind(params)) as T | undefined;
  }

  async all<T>(sql: string, params?: SqlParams): Promise<T[]> {
    while (this.transactionOpen) await this.transactionDone;
    return this.statement(sql).all(...bind(params)) as T[];
  }

  async exec(sql: string): Promise<void> {
    while (this.transactionOpen) await this.transactionDone;
    this.connection.exec(sql);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    while (this.transactionOpen) await this.transactionDone;
    this.transactionOpen = true;
    let release!: () => void;
    this.transactionDone = new Promise((resolve) => (release = resolve));
    try {
      this.connection.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.direct);
        this.connection.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.connection.inTransaction) this.connection.exec('ROLLBACK');
        throw err;
      }
    } finally {
      this.transactionOpen = false;
      release();
    }
  }

  async close(): Promise<void> {
    while (this.transactionOpen) await this.transactionDone;
    this.statements.clear();
    if (this.connection.open) this.connection.close();
  }

  private runNow(sql: string, params?: SqlParams): SqlRunResult {
    return { changes: this.statement(sql).run(...bind(params)).changes };
  }

  private statement(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      if (this.statements.size >= STATEMENT_CACHE_LIMIT) this.statements.clear();
      stmt = this.connection.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }
}

/** better-sqlite3 takes no booleans: they are stored as 0/1, as on PostgreSQL's integer columns. */
function bind(params: SqlParams | undefined): unknown[] {
  if (!params) return [];
  return params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
}
