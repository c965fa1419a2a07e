/**
 * SqlDatabase on PostgreSQL (npm `pg`, a connection pool). `?` placeholders are numbered `$1…` (the
 * rewrite is cached per statement text); BIGINT (int8) and NUMERIC come back as JS numbers, as on
 * SQLite (epoch ms and counts fit well inside 2^53); booleans are sent as 0/1 (boolean-ish columns
 * are INTEGER on both dialects). A transaction runs on one pooled client from BEGIN to COMMIT.
 */
import pg from 'pg';
import type { SqlDatabase, SqlExecutor, SqlParams, SqlRunResult, SqlValue } from './sql-database.ts';

const INT8_OID = 20;
const NUMERIC_OID = 1700;
const PLACEHOLDER_CACHE_LIMIT = 1000;

/** Per-pool type parsers (pg's global ones are left alone). */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => (value === null ? null : Number(value));
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as unknown as pg.CustomTypesConfig;

export interface PostgresOptions {
  /** postgres://user:pass@host:port/db */
  url: string;
  /** Most connections the pool opens (default 10). */
  poolSize?: number;
}

type Queryable = Pick<pg.PoolClient, 'query'>;

export class PostgresDatabase implements SqlDatabase {
  readonly dialect = 'postgres' as const;
  private readonly pool: pg.Pool;
  private closed = false;

  constructor(options: PostgresOptions) {
    this.pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10, types });
    // An idle client losing its connection (server restart) must not crash the process; the pool drops it.
    this.pool.on('error', () => undefined);
  }

  run(sql: string, params?: SqlParams): Promise<SqlRunResult> {
    return run(this.pool, sql, params);
  }

  get<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return get<T>(this.pool, sql, params);
  }

  all<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T[]> {
    return all<T>(this.pool, sql, params);
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out client has no pool listener: the server going away between two statements must
    // fail the transaction (its next query rejects), not crash the process with an unhandled 'error'.
    let broken: Error | undefined;
    const onError = (err: Error) => (broken ??= err);
    client.on('error', onError);
    const tx: SqlExecutor = {
      dialect: 'postgres',
      run: (sql, params) => run(client, sql, params),
      get: (sql, params) => get(client, sql, params),
      all: (sql, params) => all(client, sql, params),
      exec: async (sql) => void (await client.query(sql)),
    };
    try {
      await client.query('BEGIN');
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackErr) {
        broken = rollbackErr as Error; // the connection is unusable: destroy it instead of returning it
      }
      throw err;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

async function run(q: Queryable, sql: string, params?: SqlParams): Promise<SqlRunResult> {
  const result = await q.query(numbered(sql), bind(params));
  return { changes: result.rowCount ?? 0 };
}

async function get<T>(q: Queryable, sql: string, params?: SqlParams): Promise<T | undefined> {
  const result = await q.query(numbered(sql), bind(params));
  return result.rows[0] as T | undefined;
}

async function all<T>(q: Queryable, sql: string, params?: SqlParams): Promise<T[]> {
  const result = await q.query(numbered(sql), bind(params));
  return result.rows as T[];
}

const numberedCache = new Map<string, string>();

/** `?` → `$1, $2…`, skipping quoted strings, quoted identifiers and comments. */
export function numbered(sql: string): string {
  const cached = numberedCache.get(sql);
  if (cached !== undefined) return cached;
  let out = '';
  let n = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      const stop = end < 0 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (c === '?') {
      out += `$${++n}`;
    } else {
      out += c;
    }
  }
  if (numberedCache.size >= PLACEHOLDER_CACHE_LIMIT) numberedCache.clear();
  numberedCache.set(sql, out);
  return out;
}

function bind(params: SqlParams | undefined): unknown[] {
  if (!params) return [];
  return params.map((p: SqlValue) => {
    if (typeof p === 'boolean') return p ? 1 : 0;
    if (typeof p === 'bigint') return p.toString();
    if (p instanceof Uint8Array && !Buffer.isBuffer(p)) return Buffer.from(p.buffer, p.byteOffset, p.byteLength);
    return p;
  });
}
