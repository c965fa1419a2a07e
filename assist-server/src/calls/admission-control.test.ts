import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DecodeLoad } from '../recognition/scheduling/decode-load.ts';
import { DecodePool } from '../recognition/scheduling/decode-pool.ts';
import { AdmissionControl, DEFAULT_PRIOR_COST_PER_LEG } from './admission-control.ts';

test('before any audio is measured, capacity comes from the conservative prior', () => {
  const load = new DecodeLoad(new DecodePool(2));
  const admission = new AdmissionControl(load, { target: 0.8, maxCalls: 16 });
  const f = admission.figures(0);
  assert.equal(f.costMeasured, false);
  assert.equal(f.costPerLeg, DEFAULT_PRIOR_COST_PER_LEG);
  // floor(2 slots × 0.8 / (2 legs × 0.25)) = 3
  assert.equal(f.capacityCalls, 3);
  assert.equal(admission.refusal(2), undefined);
  assert.match(admission.refusal(3) ?? '', /at capacity: 3 of 3 calls .*assumed/);
  assert.equal(admission.figures(3).refused.capacity, 1);
});

test('once measured, capacity = floor(slots × target / measured cost per call), within [1, EARPIECE_MAX_CALLS]', () => {
  let now = 0;
  const load = new DecodeLoad(new DecodePool(2), { measuredAfterMs: 5000, clock: () => now });
  const admission = new AdmissionControl(load, { target: 0.8, maxCalls: 16 });
  const legs = [load.openLeg(), load.openLeg()];
  // 20 s of a two-leg call, each leg's decoder busy 95 ms per second: about 0.095 of a thread per leg.
  for (let i = 0; i < 20; i++) {
    now += 1000;
    for (const leg of legs) leg.record(95, 1000);
  }
  const f = admission.figures(1);
  assert.equal(f.costMeasured, true);
  assert.ok(f.costPerLeg > 0.09 && f.costPerLeg <= 0.095, String(f.costPerLeg));
  assert.equal(f.capacityCalls, 8, 'floor(2 × 0.8 / (2 × 0.095))');
  assert.equal(admission.refusal(7), undefined);
  assert.match(admission.refusal(8) ?? '', /8 of 8 calls .*measured/);

  // Legs per call: at least two, more when the live calls have more decoders (here 3 legs on 1 call).
  const third = load.openLeg();
  assert.equal(admission.figures(1).legsPerCall, 3);
  assert.equal(admission.figures(1).capacityCalls, 5, 'floor(1.6 / (3 × 0.095))');
  third.close();

  const capped = new AdmissionControl(load, { target: 0.8, maxCalls: 5 });
  assert.equal(capped.figures(0).capacityCalls, 5);
  // Legs that cost more than the whole pool still leave room for one call (the node keeps measuring).
  for (let i = 0; i < 200; i++) {
    now += 1000;
    for (const leg of legs) leg.record(3000, 1000);
  }
  assert.equal(admission.figures(1).capacityCalls, 1);
  for (const leg of legs) leg.close();
  assert.equal(load.liveLegs, 0);
});

test('a leg kept silent (no audio reaches its decoder) costs nothing: cost is per live leg time, not per decoded audio', () => {
  let now = 0;
  const load = new DecodeLoad(new DecodePool(1), { measuredAfterMs: 1000, clock: () => now });
  const speaking = load.openLeg();
  const silent = load.openLeg(); // gated: its decoder gets nothing
  for (let i = 0; i < 10; i++) {
    now += 1000;
    speaking.record(100, 1000);
  }
  const cost = load.costPerLeg();
  assert.ok(cost.measured! > 0.045 && cost.measured! <= 0.05, `100 ms busy per 2 leg-seconds: ${cost.measured}`);
  assert.ok(Math.abs(cost.perDecodedAudioMs! - 0.1) < 1e-9, `the decoder itself: 100 ms per 1000 ms decoded (${cost.perDecodedAudioMs})`);
  // An idle stretch with no leg live does not wash out what was measured.
  now += 500; // leg time after the last sample
  speaking.close();
  silent.close();
  now += 3_600_000;
  const later = load.openLeg();
  now += 1000;
  assert.ok(load.costPerLeg().measured! > 0.04, JSON.stringify(load.costPerLeg()));
  later.close();
});

test('while the pool is saturated a new call is refused even below capacity; the first call is always admitted', async () => {
  const pool = new DecodePool(1);
  const load = new DecodeLoad(pool);
  const admission = new AdmissionControl(load, { target: 1, maxCalls: 16, saturationWaitMs: 0 });
  let release!: () => void;
  const running = pool.lane().run(() => new Promise<void>((r) => (release = r)));
  const waiting = pool.lane().run(async () => 'ran');
  await new Promise((r) => setImmediate(r));
  assert.ok(pool.oldestWaitingMs() > 0);
  const f = admission.figures(1);
  assert.equal(f.saturated, true);
  assert.ok(f.capacityCalls > 1);
  assert.match(admission.refusal(1) ?? '', /saturated/);
  assert.equal(admission.refusal(0), undefined);
  release();
  await running;
  assert.equal(await waiting, 'ran');
  assert.equal(admission.figures(1).refused.saturated, 1);
});

test('with the target off (EARPIECE_CAPACITY_TARGET=off) the figures are computed at target 1 and nothing is refused', () => {
  const admission = new AdmissionControl(new DecodeLoad(new DecodePool(2)), { target: undefined, maxCalls: 16 });
  const f = admission.figures(10);
  assert.equal(f.enforced, false);
  assert.equal(f.capacityCalls, 4, 'floor(2 × 1 / 0.5)');
  assert.equal(admission.refusal(10), undefined);
});

test('streams falling behind (decode lag) saturate the node even while queue wait and measured cost look fine', () => {
  let now = 0;
  const load = new DecodeLoad(new DecodePool(2), { measuredAfterMs: 1000, windowMs: 5000, clock: () => now });
  const admission = new AdmissionControl(load, { target: 0.8, maxCalls: 16 });
  const legs = [load.openLeg(), load.openLeg()];
  for (let i = 0; i < 10; i++) {
    now += 1000;
    for (const leg of legs) leg.record(100, 1000);
    load.recordLag(40);
  }
  assert.equal(admission.figures(1).saturated, false);
  assert.equal(admission.refusal(1), undefined);
  // The slots are full: each write now waits seconds in its stream; no task waits long in the pool.
  for (let i = 0; i < 50; i++) load.recordLag(1000 + i * 100);
  const f = admission.figures(1);
  assert.equal(f.saturated, true);
  assert.equal(f.load.queueWaitMs.count, 0);
  assert.match(admission.refusal(1) ?? '', /saturated \(decode lag p90 \d+/);
  // Once the lagging writes age out of the window and new ones are on time, calls are admitted again.
  now += 6000;
  load.recordLag(30);
  assert.equal(admission.figures(1).saturated, false);
});
