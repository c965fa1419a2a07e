import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reconnectDelayMs } from './reconnect-policy.ts';

test('reconnect delays double from the initial delay up to the cap, jittered within [d/2, d]', () => {
  const policy = { initialDelayMs: 100, maxDelayMs: 1000 };
  assert.deepEqual([1, 2, 3, 4, 5, 9].map((n) => reconnectDelayMs(n, policy, () => 1)), [100, 200, 400, 800, 1000, 1000]);
  assert.deepEqual([1, 2, 3, 4, 5, 9].map((n) => reconnectDelayMs(n, policy, () => 0)), [50, 100, 200, 400, 500, 500]);
});
