import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SqliteDatabase } from './sqlite-database.ts';

test('a transaction keeps other callers out until it commits, and rolls back when it throws', async () => {
  const db = SqliteDatabase.open(':memory:');
  await db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)');
  const seen: number[] = [];
  const inTx = db.transaction(async (tx) => {
    await tx.run('INSERT INTO t (k, v) VALUES (?, ?)', ['a', 1]);
    await new Promise<void>((resolve) => setImmediate(resolve));
    await tx.run('UPDATE t SET v = ? WHERE k = ?', [2, 'a']);
  });
  // Issued while the transaction is open: must see its committed end state, never the middle.
  const outside = db.get<{ v: number }>('SELECT v FROM t WHERE k = ?', ['a']).then((r) => seen.push(r?.v ?? -1));
  await Promise.all([inTx, outside]);
  assert.deepEqual(seen, [2]);

  await assert.rejects(
    db.transaction(async (tx) => {
      await tx.run('INSERT INTO t (k, v) VALUES (?, ?)', ['b', 1]);
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.equal((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM t'))?.n, 1);
  assert.equal((await db.run('UPDATE t SET v = ?', [true])).changes, 1);
  assert.equal((await db.get<{ v: number }>('SELECT v FROM t'))?.v, 1);
  await db.close();
});
