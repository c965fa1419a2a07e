/**
 * The sign-in brake with its counts in a real private redis-server: two throttles on the same Redis
 * (two nodes) share the failures of a username and of an address; the wait is the time until the
 * oldest counted failure leaves the window; a success clears the username; with Redis gone, failures
 * are still counted (in memory, per node).
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startPrivateRedis } from '../redis/private-redis.ts';
import { RedisSignInThrottle } from './redis-sign-in-throttle.ts';

test('two nodes share sign-in failures through Redis; a success clears them; without Redis the node counts in memory', async (t) => {
  const redis = await startPrivateRedis({ bin: 'redis-server', dataDir: mkdtempSync(join(tmpdir(), 'earpiece-signin-')) });
  t.after(() => redis.close());
  let now = 1_000_000;
  const options = { maxFailures: 3, windowMs: 60_000, now: () => now, redisUrl: redis.url, keyPrefix: `signin-test-${process.pid}:` };
  const a = new RedisSignInThrottle(options);
  const b = new RedisSignInThrottle(options);
  t.after(async () => {
    await a.close();
    await b.close();
  });

  await a.failed('alex', '10.0.0.1');
  now += 1000;
  await b.failed('Alex', '10.0.0.2');
  now += 1000;
  assert.equal(await a.retryAfterMs('alex', '10.0.0.3'), 0, 'two failures: not locked yet');
  await a.failed('ALEX', '10.0.0.1');
  now += 1000;
  // failures at 1,000,000 / 1,001,000 / 1,002,000 on two nodes; now 1,003,000: the first leaves at 1,060,000
  assert.equal(await b.retryAfterMs('alex', '10.0.0.9'), 57_000, 'the other node sees the lock');
  assert.equal(await b.retryAfterMs('sam', '10.0.0.1'), 0, 'another user is not locked');
  now += 57_000;
  assert.equal(await a.retryAfterMs('alex', '10.0.0.1'), 0, 'the oldest failure left the window');
  await b.failed('alex', '10.0.0.1');
  await a.failed('alex', '10.0.0.1');
  await b.succeeded('alex');
  assert.equal(await a.retryAfterMs('alex', '10.0.0.1'), 0, 'a success on one node clears the username everywhere');

  for (let i = 0; i < 12; i++) await (i % 2 ? a : b).failed(`user${i}`, '192.0.2.7');
  assert.ok((await a.retryAfterMs('fresh-user', '192.0.2.7')) > 0, 'an address trying many usernames is locked (4× the limit)');
  assert.equal(await a.retryAfterMs('fresh-user', '192.0.2.8'), 0);

  await redis.close();
  for (let i = 0; i < 3; i++) await a.failed('kim', '10.0.0.5');
  assert.ok((await a.retryAfterMs('kim', '10.0.0.6')) > 0, 'with Redis gone the node still counts failures');
});
