/**
 * Fault: Redis goes away under an idle node and comes back. Every Redis client the node made (cluster
 * connections, the post-call queue, its events, worker and dead-letter queue) reports the outage once
 * through the node's logger (redis/redis-error-log.ts) and its return once, and nothing reaches
 * stderr raw: a client without an 'error' listener makes ioredis print "[ioredis] Unhandled error
 * event" and BullMQ dump the error at every reconnect attempt, which this test would see.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import pino from 'pino';
import { startRestartableRedis } from '../src/testing/fault-redis.ts';
import { startTestStack } from '../src/testing/test-stack.ts';

/** The clients that log through logRedisErrors, by the name they log with. */
const CLIENTS = ['cluster', 'cluster subscriber', 'post-call queue', 'post-call queue events', 'post-call worker', 'post-call dead-letter queue'];

interface Line {
  level: number;
  msg: string;
  client?: string;
}

test('Redis down and back: each client logs the outage once and its return, nothing raw on stderr', { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ep-fault-redis-quiet-'));
  const redis = await startRestartableRedis(dir);
  const lines: Line[] = [];
  let waiting: { until: () => boolean; resolve: () => void } | undefined;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Line);
      if (waiting?.until()) waiting.resolve();
      done();
    },
  });
  const logged = (until: () => boolean) => (until() ? Promise.resolve() : new Promise<void>((resolve) => (waiting = { until, resolve })));
  const stack = await startTestStack({ REDIS_URL: redis.url }, { logger: pino({ level: 'info' }, sink) });

  const stderr: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    stderr.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    return write(chunk, ...rest);
  }) as typeof process.stderr.write;
  t.after(async () => {
    process.stderr.write = write;
    await stack.close();
    await redis.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const unavailable = (client: string) => lines.filter((l) => l.level === 40 && l.client === client && /unavailable/.test(l.msg)).length;
  const back = (client: string) => lines.filter((l) => l.level === 30 && l.client === client && /back/.test(l.msg)).length;
  const from = lines.length;

  await redis.stop();
  await logged(() => CLIENTS.every((c) => unavailable(c) >= 1));
  await redis.start();
  await logged(() => CLIENTS.every((c) => back(c) >= 1));

  for (const c of CLIENTS) assert.equal(unavailable(c), 1, `${c}: the outage logged once (reconnect attempts are not logged again)`);
  const raw = stderr.filter((s) => /ECONNREFUSED|Unhandled error event|ECONNRESET/.test(s));
  assert.deepEqual(raw, [], 'no Redis error reached stderr outside the logger');
  t.diagnostic(`log lines during the outage and return: ${lines.length - from}`);
});
