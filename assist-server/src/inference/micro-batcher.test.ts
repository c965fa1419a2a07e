import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MicroBatcher } from './micro-batcher.ts';

test('requests arriving within the window run as one batch, each caller gets its own result', async () => {
  const calls: number[][] = [];
  const b = new MicroBatcher<number, number>({ windowMs: 20, maxBatch: 64, run: async (xs) => (calls.push(xs), xs.map((x) => x * 10)) });
  const results = await Promise.all([1, 2, 3].map((x) => b.submit(x)));
  assert.deepEqual(results, [10, 20, 30]);
  assert.deepEqual(calls, [[1, 2, 3]]);
});

test('a full batch runs at once without waiting for the window; the rest form the next batch', async () => {
  const calls: number[][] = [];
  const b = new MicroBatcher<number, number>({ windowMs: 60_000, maxBatch: 2, run: async (xs) => (calls.push(xs), xs) });
  const first = Promise.all([b.submit(1), b.submit(2)]);
  assert.deepEqual(await first, [1, 2], 'resolved although the 60 s window has not passed');
  const third = b.submit(3);
  b.close();
  assert.equal(await third, 3);
  assert.deepEqual(calls, [[1, 2], [3]]);
  await assert.rejects(b.submit(4), /closed/);
});

test('a failing batch rejects every request in it, and a wrong-length result is an error, not a mix-up', async () => {
  const failing = new MicroBatcher<number, number>({ windowMs: 0, maxBatch: 8, run: async () => { throw new Error('model exploded'); } });
  const r = await Promise.allSettled([failing.submit(1), failing.submit(2)]);
  assert.deepEqual(r.map((x) => x.status), ['rejected', 'rejected']);
  const short = new MicroBatcher<number, number>({ windowMs: 0, maxBatch: 8, run: async (xs) => xs.slice(1) });
  await assert.rejects(Promise.all([short.submit(1), short.submit(2)]), /batch of 2 returned 1/);
});
