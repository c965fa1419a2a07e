/**
 * Opens the node's database, migrated: PostgreSQL when a `postgres://` URL is given (DATABASE_URL),
 * else the embedded SQLite file (`<dataDir>/earpiece.db` by default).
 */
import type { Logger } from 'pino';
import { migrate } from './migrate.ts';
import { PostgresDatabase } from './postgres-database.ts';
import type { SqlDatabase } from './sql-database.ts';
import { SqliteDatabase } from './sqlite-database.ts';

export interface OpenDatabaseOptions {
  /** postgres:// or postgresql:// URL; undefined → SQLite at sqlitePath. */
  databaseUrl?: string | undefined;
  /** SQLite file (or ':memory:') used when there is no databaseUrl. */
  sqlitePath: string;
  /** PostgreSQL pool size. */
  poolSize?: number | undefined;
  logger?: Logger | undefined;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<SqlDatabase> {
  const url = options.databaseUrl;
  let db: SqlDatabase;
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`DATABASE_URL must be a postgres:// URL (got "${redactUrl(url)}")`);
    db = new PostgresDatabase({ url, ...(options.poolSize !== undefined ? { poolSize: options.poolSize } : {}) });
  } else {
    db = SqliteDatabase.open(options.sqlitePath);
  }
  try {
    await migrate(db, { logger: options.logger });
  } catch (err) {
    await db.close();
    throw err;
  }
  options.logger?.info({ dialect: db.dialect, where: url ? redactUrl(url) : options.sqlitePath }, 'database open');
  return db;
}

/** The URL without its password, for logs and errors. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@]*@/, '$1:***@');
}
