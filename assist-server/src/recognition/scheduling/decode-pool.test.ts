import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DecodePool } from './decode-pool.ts';

/** A task the test finishes by hand, recording when it started. */
function gate(log: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  return {
    fn: async () => {
      log.push(name);
      await done;
      return name;
    },
    release: () => release(),
  };
}

test('never runs more tasks than slots, and a flooding lane cannot starve another (round-robin)', async () => {
  const pool = new DecodePool(1);
  const flood = pool.lane();
  const quiet = pool.lane();
  const log: string[] = [];
  const a = Array.from({ length: 5 }, (_, i) => gate(log, `a${i}`));
  const results = a.map((t) => flood.run(t.fn));
  // The quiet lane asks after the flooding lane queued five tasks.
  const b = gate(log, 'b0');
  const quietResult = quiet.run(b.fn);
  assert.deepEqual(log, ['a0']);
  a[0]!.release();
  await results[0];
  // Its turn comes right after the running task, not after the flood.
  assert.deepEqual(log, ['a0', 'b0']);
  assert.equal(pool.queued, 4);
  b.release();
  assert.equal(await quietResult, 'b0');
  for (const t of a.slice(1)) t.release();
  assert.deepEqual(await Promise.all(results), ['a0', 'a1', 'a2', 'a3', 'a4']);
  assert.equal(pool.peakBusySlots, 1);
});

test('with N slots, N lanes run at once; a lane never runs two of its own tasks at once, and keeps their order', async () => {
  const pool = new DecodePool(2);
  const lanes = [pool.lane(), pool.lane(), pool.lane()];
  let inFlight = 0;
  let peak = 0;
  const perLane = lanes.map(() => ({ running: 0, order: [] as number[] }));
  const all: Array<Promise<unknown>> = [];
  for (let i = 0; i < 12; i++) {
    const l = i % 3;
    all.push(
      lanes[l]!.run(async () => {
        inFlight++;
        perLane[l]!.running++;
        peak = Math.max(peak, inFlight);
        assert.equal(perLane[l]!.running, 1, 'one task per lane at a time');
        perLane[l]!.order.push(i);
        await new Promise((r) => setImmediate(r));
        perLane[l]!.running--;
        inFlight--;
      }),
    );
  }
  await Promise.all(all);
  assert.equal(peak, 2);
  assert.equal(pool.peakBusySlots, 2);
  assert.deepEqual(perLane[0]!.order, [0, 3, 6, 9]);
  assert.deepEqual(perLane[2]!.order, [2, 5, 8, 11]);
});

test('a failing task rejects its own promise only; the lane and pool go on, and timings are reported', async () => {
  const pool = new DecodePool(1);
  const timings: number[] = [];
  pool.onTask((t) => timings.push(t.busyMs));
  const lane = pool.lane();
  const failed = lane.run(async () => {
    throw new Error('decoder broke');
  });
  const next = lane.run(async () => 42);
  await assert.rejects(failed, /decoder broke/);
  assert.equal(await next, 42);
  assert.equal(timings.length, 2);
  assert.equal(pool.busySlots, 0);
  assert.equal(pool.oldestWaitingMs(), 0);
  assert.throws(() => new DecodePool(0), RangeError);
});
