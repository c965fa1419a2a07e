/**
 * API rate limit (routes/rate-limit.ts) against a real private redis-server: the count is shared by
 * two apps on the same Redis (two nodes), keyed per user or per address, answered 429 with
 * Retry-After past the limit, /api/health and non-API paths are never limited, and with Redis gone
 * the API keeps answering. Then through a whole node (test stack): per signed-in user.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { startPrivateRedis } from '../redis/private-redis.ts';
import { startTestStack } from '../testing/test-stack.ts';
import { installApiRateLimit, RATE_LIMITED_CODE } from './rate-limit.ts';

const logger = pino({ level: 'silent' });

async function apiApp(redisUrl: string, perMinute: number, keyPrefix: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  // Stands in for auth/access-control.ts: `x-user` names the signed-in user.
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (req) => {
    const user = req.headers['x-user'];
    (req as unknown as { user: unknown }).user = typeof user === 'string' ? { userId: user } : null;
  });
  await installApiRateLimit(app, { redisUrl, perMinute, logger, keyPrefix });
  app.get('/api/things', async () => ({ ok: true }));
  app.get('/api/health', async () => ({ status: 'ok' }));
  app.get('/app.js', async () => 'ui');
  await app.ready();
  return app;
}

test('two nodes share one count per user or address in Redis; 429 with Retry-After past it; health and UI files are never limited', async (t) => {
  const redis = await startPrivateRedis({ bin: 'redis-server', dataDir: mkdtempSync(join(tmpdir(), 'earpiece-rl-')) });
  t.after(() => redis.close());
  const prefix = `rl-test-${process.pid}:`;
  const a = await apiApp(redis.url, 3, prefix);
  const b = await apiApp(redis.url, 3, prefix);
  t.after(async () => {
    await a.close();
    await b.close();
  });
  const get = (app: FastifyInstance, url: string, user?: string) => app.inject({ method: 'GET', url, headers: user ? { 'x-user': user } : {} });

  assert.equal((await get(a, '/api/things', 'alice')).statusCode, 200);
  assert.equal((await get(b, '/api/things', 'alice')).statusCode, 200);
  assert.equal((await get(a, '/api/things?x=1', 'alice')).statusCode, 200);
  const refused = await get(b, '/api/things', 'alice');
  assert.equal(refused.statusCode, 429, 'the fourth request in the minute, on either node, is refused');
  const retryAfter = Number(refused.headers['retry-after']);
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After is the seconds left in the window (got ${refused.headers['retry-after']})`);
  assert.equal(refused.json().code, RATE_LIMITED_CODE);

  assert.equal((await get(a, '/api/things', 'bob')).statusCode, 200, 'another user has a count of their own');
  for (let i = 0; i < 3; i++) assert.equal((await get(a, '/api/things')).statusCode, 200, 'signed out: counted per address');
  assert.equal((await get(b, '/api/things')).statusCode, 429);
  for (let i = 0; i < 5; i++) {
    assert.equal((await get(a, '/api/health', 'alice')).statusCode, 200);
    assert.equal((await get(b, '/app.js', 'alice')).statusCode, 200);
  }

  await redis.close();
  const res = await get(a, '/api/things', 'carol');
  assert.equal(res.statusCode, 200, 'with Redis gone the API still answers (not limited)');
});

test('a whole node limits /api per signed-in user (EARPIECE_API_RATE_LIMIT_PER_MINUTE)', async (t) => {
  const stack = await startTestStack({ EARPIECE_API_RATE_LIMIT_PER_MINUTE: '4' });
  t.after(() => stack.close());
  const alice = await stack.authHeaders('rl-alice', 'agent');
  const bob = await stack.authHeaders('rl-bob', 'agent');
  const get = (headers: Record<string, string>) => fetch(`${stack.httpUrl}/api/agents`, { headers });
  for (let i = 0; i < 4; i++) assert.equal((await get(alice)).status, 200);
  const refused = await get(alice);
  assert.equal(refused.status, 429);
  assert.ok(Number(refused.headers.get('retry-after')) >= 1);
  assert.equal(((await refused.json()) as { code: string }).code, RATE_LIMITED_CODE);
  assert.equal((await get(bob)).status, 200, 'bob is not limited by alice');
  assert.equal((await fetch(`${stack.httpUrl}/api/health`)).status, 200);
});
