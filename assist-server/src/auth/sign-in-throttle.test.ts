import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SignInThrottle } from './sign-in-throttle.ts';

test('a username is locked after its failures until the oldest leaves the window; success clears it', () => {
  let now = 1_000_000;
  const throttle = new SignInThrottle({ maxFailures: 3, windowMs: 60_000, now: () => now });
  for (let i = 0; i < 3; i++) {
    assert.equal(throttle.retryAfterMs('Alex', '10.0.0.1'), 0);
    throttle.failed('alex', '10.0.0.1');
    now += 1000;
  }
  // failures at 1,000,000 / 1,001,000 / 1,002,000; now 1,003,000: the first leaves at 1,060,000
  assert.equal(throttle.retryAfterMs('ALEX', '10.0.0.9'), 57_000);
  assert.equal(throttle.retryAfterMs('sam', '10.0.0.1'), 0, 'another user on the same address is not locked');
  now += 57_000;
  assert.equal(throttle.retryAfterMs('alex', '10.0.0.1'), 0);
  throttle.failed('alex', '10.0.0.1');
  throttle.failed('alex', '10.0.0.1');
  throttle.succeeded('alex');
  assert.equal(throttle.retryAfterMs('alex', '10.0.0.1'), 0);
});

test('one address trying many usernames is locked after four times the per-user limit', () => {
  const now = 5000;
  const throttle = new SignInThrottle({ maxFailures: 2, windowMs: 10_000, now: () => now });
  for (let i = 0; i < 8; i++) throttle.failed(`user${i}`, '192.0.2.7');
  assert.ok(throttle.retryAfterMs('fresh-user', '192.0.2.7') > 0);
  assert.equal(throttle.retryAfterMs('fresh-user', '192.0.2.8'), 0);
});
