import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openTestDatabase, testOnDatabases } from '../testing/test-databases.ts';
import { migrate } from './migrate.ts';
import { numbered } from './postgres-database.ts';

test('? placeholders are numbered outside quoted strings, identifiers and comments', () => {
  assert.equal(numbered(`SELECT '?' AS q, "a?" FROM t WHERE a = ? AND b = ? -- what?\n AND c = ?`), `SELECT '?' AS q, "a?" FROM t WHERE a = $1 AND b = $2 -- what?\n AND c = $3`);
});

testOnDatabases('the driver returns numbers for BIGINT, counts and sums; booleans bind as 0/1; run counts changes', async (_t, { db }) => {
  await db.exec('CREATE TABLE probe (id TEXT PRIMARY KEY, at_ms BIGINT NOT NULL, flag INTEGER NOT NULL, score REAL)');
  const big = 1_790_000_000_123;
  assert.deepEqual(await db.run('INSERT INTO probe (id, at_ms, flag, score) VALUES (?, ?, ?, ?)', ['a', big, true, 0.25]), { changes: 1 });
  await db.run('INSERT INTO probe (id, at_ms, flag, score) VALUES (?, ?, ?, ?)', ['b', 5, false, null]);
  const row = await db.get<{ at_ms: unknown; flag: unknown }>('SELECT at_ms, flag FROM probe WHERE id = ?', ['a']);
  assert.deepEqual(row, { at_ms: big, flag: 1 });
  const agg = await db.get<{ n: unknown; total: unknown }>('SELECT COUNT(*) AS n, SUM(at_ms) AS total FROM probe');
  assert.deepEqual(agg, { n: 2, total: big + 5 });
  assert.equal((await db.run('UPDATE probe SET flag = ? WHERE flag = ?', [1, 0])).changes, 1);
  assert.equal(await db.get('SELECT * FROM probe WHERE id = ?', ['none']), undefined);
});

testOnDatabases('a transaction commits when it resolves and rolls back when it throws', async (_t, { db }) => {
  await db.exec('CREATE TABLE probe (id TEXT PRIMARY KEY)');
  await db.transaction(async (tx) => {
    await tx.run('INSERT INTO probe (id) VALUES (?)', ['kept']);
  });
  await assert.rejects(
    db.transaction(async (tx) => {
      await tx.run('INSERT INTO probe (id) VALUES (?)', ['dropped']);
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.deepEqual(await db.all('SELECT id FROM probe ORDER BY id'), [{ id: 'kept' }]);
});

testOnDatabases('migrations apply once; running again (another node starting) applies nothing', async (_t, tdb) => {
  assert.deepEqual(await migrate(tdb.db), [], 'the test database arrives migrated');
  const second = await tdb.openAgain();
  assert.deepEqual(await migrate(second), []);
  const versions = (await second.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).map((r) => r.version);
  assert.deepEqual(versions.slice(0, 6), [1, 2, 3, 4, 5, 6]);
});

test('PostgreSQL: nodes starting at once migrate the database exactly once (advisory lock)', async (t) => {
  const tdb = await openTestDatabase('postgres', t);
  if (!tdb) return;
  await tdb.db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  const nodes = await Promise.all([1, 2, 3, 4].map(async () => {
    const { PostgresDatabase } = await import('./postgres-database.ts');
    const db = new PostgresDatabase({ url: tdb.url!, poolSize: 2 });
    t.after(() => db.close());
    return db;
  }));
  const applied = await Promise.all(nodes.map((db) => migrate(db)));
  const all = applied.flat().sort((a, b) => a - b);
  assert.deepEqual(all, [...new Set(all)], 'no version applied twice');
  assert.ok(all.includes(6));
  const kb = await nodes[0]!.get<{ n: number }>(`SELECT COUNT(*) AS n FROM kb_articles WHERE search_tsv @@ plainto_tsquery('english', ?)`, ['card']);
  assert.deepEqual(kb, { n: 0 });
});
