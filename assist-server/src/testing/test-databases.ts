/**
 * Runs a store test on both dialects: `testOnDatabases('name', async (t, tdb) => …)` registers
 * "name [sqlite]" (a fresh file in a temp dir) and "name [postgres]" (a fresh schema on this test
 * process's private PostgreSQL, testing/private-postgres.ts, started on first use and stopped when the
 * process's tests end). Both databases are migrated. Where PostgreSQL cannot start, the postgres
 * variant is skipped with the reason, except under CI=true, where it fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test, type TestContext } from 'node:test';
import pg from 'pg';
import { loadTestDatabaseConfig } from '../config.ts';
import { migrate } from '../db/migrate.ts';
import { PostgresDatabase } from '../db/postgres-database.ts';
import type { SqlDatabase, SqlDialect } from '../db/sql-database.ts';
import { SqliteDatabase } from '../db/sqlite-database.ts';
import { startPrivatePostgres, type PrivatePostgres } from './private-postgres.ts';

export const DIALECTS: readonly SqlDialect[] = ['sqlite', 'postgres'];

export interface TestDatabase {
  dialect: SqlDialect;
  /** Migrated, empty. Closed after the test (closing it earlier is fine). */
  db: SqlDatabase;
  /** A further migrated connection to the same database (a "restart"); closed after the test. */
  openAgain(): Promise<SqlDatabase>;
  /** The DATABASE_URL of this database (postgres only). */
  url: string | undefined;
  /** The SQLite file (sqlite only). */
  sqlitePath: string | undefined;
}

export function testOnDatabases(name: string, fn: (t: TestContext, tdb: TestDatabase) => Promise<void>, options: { timeout?: number } = {}): void {
  for (const dialect of DIALECTS) {
    test(`${name} [${dialect}]`, { timeout: options.timeout ?? 60_000 }, async (t) => {
      const tdb = await openTestDatabase(dialect, t);
      if (!tdb) return;
      await fn(t, tdb);
    });
  }
}

/**
 * A migrated, empty database of one dialect for this test, closed when the test ends; undefined when
 * the postgres one is unavailable here (the test was marked skipped; under CI this throws instead).
 */
export async function openTestDatabase(dialect: SqlDialect, t: TestContext): Promise<TestDatabase | undefined> {
  const opened: SqlDatabase[] = [];
  t.after(async () => {
    for (const db of opened) await db.close();
  });
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'ep-sqlite-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const sqlitePath = join(dir, 'earpiece.db');
    const open = async () => {
      const db = SqliteDatabase.open(sqlitePath);
      opened.push(db);
      await migrate(db);
      return db;
    };
    return { dialect, db: await open(), openAgain: open, url: undefined, sqlitePath };
  }
  const url = await testPostgresUrl(t);
  if (!url) return undefined;
  await resetSchema(url);
  const open = async () => {
    const db = new PostgresDatabase({ url, poolSize: 4 });
    opened.push(db);
    await migrate(db);
    return db;
  };
  return { dialect, db: await open(), openAgain: open, url, sqlitePath: undefined };
}

let server: Promise<PrivatePostgres> | undefined;
// Registered when this module loads (root level: a hook added from inside a test would belong to that test).
after(async () => {
  const s = await server?.catch(() => undefined);
  await s?.close();
});

/**
 * The URL of this process's test PostgreSQL database (started on first use), or undefined after
 * marking `t` skipped when PostgreSQL cannot start here (CI=true: throws). The database is shared by
 * the process's tests: call resetSchema(url) for an empty one.
 */
export async function testPostgresUrl(t: TestContext): Promise<string | undefined> {
  server ??= startPrivatePostgres();
  try {
    return (await server).url;
  } catch (err) {
    const reason = `PostgreSQL unavailable: ${(err as Error).message}`;
    if (loadTestDatabaseConfig().required) throw new Error(`${reason} (CI=true: the PostgreSQL variant must run)`);
    t.skip(reason);
    return undefined;
  }
}

/** Drops every table of the database (schema public) so the next migrate starts from nothing. */
export async function resetSchema(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  } finally {
    await client.end();
  }
}
