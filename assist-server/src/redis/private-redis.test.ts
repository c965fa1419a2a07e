import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { startPrivateRedis } from './private-redis.ts';

test('starts a real redis-server on a free loopback port with noeviction, and stops it', async () => {
  const redis = await startPrivateRedis({ bin: 'redis-server', dataDir: mkdtempSync(join(tmpdir(), 'ep-redis-')) });
  assert.match(redis.url, /^redis:\/\/127\.0\.0\.1:\d+$/);
  const client = new Redis(redis.url);
  assert.equal(await client.ping(), 'PONG');
  assert.deepEqual(await client.config('GET', 'maxmemory-policy'), ['maxmemory-policy', 'noeviction']);
  client.disconnect();
  await redis.close();
  const after = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  after.on('error', () => undefined); // the refusal is asserted below
  await assert.rejects(after.connect());
  after.disconnect();
});

test('a missing redis-server binary is a clear error', async () => {
  await assert.rejects(
    startPrivateRedis({ bin: '/nonexistent/redis-server', dataDir: mkdtempSync(join(tmpdir(), 'ep-redis-')) }),
    (err: Error & { code?: string }) => err.code === 'EARPIECE_REDIS_START' && /REDIS_URL|apt-get/.test(err.message),
  );
});

test('a redis-server left running by a killed Earpiece is adopted, not doubled', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ep-redis-'));
  const first = await startPrivateRedis({ bin: 'redis-server', dataDir }); // never closed: as if Earpiece was SIGKILLed
  const client = new Redis(first.url);
  await client.set('kept', 'yes');
  client.disconnect();
  const second = await startPrivateRedis({ bin: 'redis-server', dataDir });
  assert.equal(second.url, first.url, 'the same server, adopted');
  const again = new Redis(second.url);
  assert.equal(await again.get('kept'), 'yes');
  again.disconnect();
  await second.close();
  const gone = new Redis(first.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  gone.on('error', () => undefined);
  await assert.rejects(gone.connect(), 'closing the adopted server stops it');
  gone.disconnect();
});
