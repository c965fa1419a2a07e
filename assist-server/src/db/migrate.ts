/**
 * Applies the schema migrations (store/migrations.ts) not yet recorded in schema_migrations, in
 * order, each for the database's dialect. SQLite: one transaction per migration (BEGIN IMMEDIATE
 * serialises processes sharing the file). PostgreSQL: all pending ones in one transaction under a
 * transaction-scoped advisory lock, so several nodes starting at once migrate once: the others wait
 * for the lock, then find everything applied.
 */
import type { Logger } from 'pino';
import { MIGRATIONS, type Migration } from '../store/migrations.ts';
import type { SqlDatabase, SqlExecutor } from './sql-database.ts';

/** pg_advisory_xact_lock key: any constant the site's other applications do not use ("EARPIECE" in ASCII, truncated). */
const MIGRATION_LOCK_KEY = 0x45415250;

const CREATE_TABLE = {
  sqlite: 'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at_ms INTEGER NOT NULL)',
  postgres: 'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at_ms BIGINT NOT NULL)',
};

/** Returns the versions applied by this call (empty when the schema was current). */
export async function migrate(db: SqlDatabase, options: { migrations?: Migration[]; logger?: Logger | undefined } = {}): Promise<number[]> {
  const migrations = [...(options.migrations ?? MIGRATIONS)].sort((a, b) => a.version - b.version);
  const log = options.logger;
  const applied: number[] = [];

  const pendingIn = async (tx: SqlExecutor) => {
    const done = new Set((await tx.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version));
    return migrations.filter((m) => !done.has(m.version));
  };
  const sqlFor = (m: Migration) => (db.dialect === 'postgres' ? m.postgres : m.sqlite).trim();
  const apply = async (tx: SqlExecutor, m: Migration) => {
    const sql = sqlFor(m);
    if (sql === '') {
      // A reserved number, or one written for the other dialect only: not recorded, so it applies once written.
      if ((db.dialect === 'postgres' ? m.sqlite : m.postgres).trim() !== '') log?.warn({ version: m.version, dialect: db.dialect }, 'migration has no SQL for this dialect: skipped');
      return;
    }
    await tx.exec(sql);
    await tx.run('INSERT INTO schema_migrations (version, applied_at_ms) VALUES (?, ?)', [m.version, Date.now()]);
    applied.push(m.version);
  };

  if (db.dialect === 'postgres') {
    await db.transaction(async (tx) => {
      await tx.get('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK_KEY]);
      await tx.exec(CREATE_TABLE.postgres);
      for (const m of await pendingIn(tx)) await apply(tx, m);
    });
  } else {
    await db.exec(CREATE_TABLE.sqlite);
    for (const m of await pendingIn(db)) {
      await db.transaction(async (tx) => {
        const stillPending = (await pendingIn(tx)).some((p) => p.version === m.version); // another process may have applied it
        if (stillPending) await apply(tx, m);
      });
    }
  }
  if (applied.length > 0) log?.info({ dialect: db.dialect, versions: applied }, 'database migrated');
  return applied;
}
