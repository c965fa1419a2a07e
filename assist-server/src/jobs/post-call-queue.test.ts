import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { loadConfig } from '../config.ts';
import type { SqlDatabase } from '../db/sql-database.ts';
import { openDatabase } from '../db/open-database.ts';
import { freePort } from '../net/free-port.ts';
import type { PostCallStep } from '../post-call/post-call-pipeline.ts';
import { storeTwoLegCall } from '../post-call/testing/two-leg-call.ts';
import { startPrivateRedis, type PrivateRedis } from '../redis/private-redis.ts';
import { CallStore } from '../store/call-store.ts';
import { ComplianceStore } from '../store/compliance-store.ts';
import { ReviewStore } from '../store/review-store.ts';
import { DAY_MS, type RetentionPolicy } from '../archive/retention-policy.ts';
import { Queue } from 'bullmq';
import { POST_CALL_QUEUE, startPostCallQueue, type PostCallQueue } from './post-call-queue.ts';

const logger = pino({ level: 'silent' });
const redisBin = loadConfig().redisServerBin;
let dir: string;
let db: SqlDatabase;
let store: CallStore;
let redis: PrivateRedis;
let port: number;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ep-pcq-'));
  db = await openDatabase({ sqlitePath: join(dir, 'earpiece.db') });
  store = new CallStore(db);
  port = await freePort();
  redis = await startPrivateRedis({ bin: redisBin, dataDir: join(dir, 'redis'), port });
});
after(async () => {
  await redis.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A queue whose pipeline calls `hook` after each recorded step. */
async function queueWith(
  hook: (callId: string, step: PostCallStep, attempt: number) => Promise<void> | void,
  options: { attempts?: number; retention?: { policy: RetentionPolicy; cron: string } } = {},
): Promise<PostCallQueue> {
  return startPostCallQueue({ redisUrl: `redis://127.0.0.1:${port}`, store, dataDir: dir, logger, afterStep: hook, attempts: options.attempts ?? 4, backoffMs: 20, retention: options.retention });
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function archivedOnce(callId: string): Promise<void> {
  assert.equal((await store.getCall(callId))?.status, 'archived');
  assert.equal((await new ReviewStore(db).scorecards(callId)).length, 1, 'one auto scorecard');
  for (const table of ['call_metrics', 'call_archives']) assert.equal((await db.all(`SELECT call_id FROM ${table} WHERE call_id = ?`, [callId])).length, 1, table);
  assert.equal((await db.all('SELECT step FROM post_call_steps WHERE call_id = ?', [callId])).length, 8, 'eight steps, each recorded once');
  assert.equal((await store.recordings(callId)).filter((r) => r.durationMs === 60_000).length, 2);
}

test('a job BullMQ retries after a failure archives the call once, resuming after its last done step', async () => {
  const runs: string[] = [];
  const queue = await queueWith((_c, step, attempt) => {
    runs.push(`${step}@${attempt}`);
    if (step === 'metrics' && attempt === 1) throw new Error('disk hiccup');
  });
  try {
    const call = await storeTwoLegCall({ store, hits: new ComplianceStore(db) }, { callId: 'q-retry', spoolDir: join(dir, 'spool') });
    await queue.enqueueArchive({ callId: call.callId, legs: call.legs });
    const result = await queue.waitForArchive(call.callId);
    assert.deepEqual(result.ran, ['qa', 'summary', 'analytics', 'seal']);
    assert.deepEqual(runs, ['recording@1', 'encode@1', 'transcript@1', 'metrics@1', 'qa@2', 'summary@2', 'analytics@2', 'seal@2']);
    await queue.enqueueArchive({ callId: call.callId, legs: call.legs }); // a duplicate enqueue is the same job: nothing more
    await archivedOnce(call.callId);
  } finally {
    await queue.close();
  }
});

test('Redis restarting mid-job loses nothing and archives the call once', async () => {
  let restarted!: () => void;
  const restartDone = new Promise<void>((r) => (restarted = r));
  const queue = await queueWith(async (_c, step, attempt) => {
    if (step !== 'transcript' || attempt !== 1) return;
    await redis.close(); // SIGTERM: redis writes its append-only file and exits
    redis = await startPrivateRedis({ bin: redisBin, dataDir: join(dir, 'redis'), port });
    restarted();
  });
  try {
    const call = await storeTwoLegCall({ store, hits: new ComplianceStore(db) }, { callId: 'q-restart', spoolDir: join(dir, 'spool') });
    await queue.enqueueArchive({ callId: call.callId, legs: call.legs });
    await restartDone;
    const result = await queue.waitForArchive(call.callId, 60_000);
    assert.equal(result.callId, 'q-restart');
    await archivedOnce(call.callId);
  } finally {
    await queue.close();
  }
});

test('a job that fails every attempt is dead-lettered; an admin retry finishes it from where it stopped', async () => {
  let broken = true;
  const queue = await queueWith(
    () => {
      if (broken) throw new Error('summary store unavailable');
    },
    { attempts: 2 },
  );
  try {
    const call = await storeTwoLegCall({ store, hits: new ComplianceStore(db) }, { callId: 'q-dead', spoolDir: join(dir, 'spool') });
    await queue.enqueueArchive({ callId: call.callId, legs: call.legs });
    await assert.rejects(queue.waitForArchive(call.callId), /summary store unavailable/);
    const letters = await until(async () => {
      const l = await queue.deadLetters();
      return l.length ? l : undefined;
    }, 'the dead letter');
    assert.equal(letters.length, 1);
    assert.equal(letters[0]!.callId, 'q-dead');
    assert.equal(letters[0]!.attemptsMade, 2);
    assert.match(letters[0]!.failedReason, /summary store unavailable/);
    assert.notEqual((await store.getCall('q-dead'))?.status, 'archived');

    broken = false;
    assert.equal(await queue.retryDeadLetter(letters[0]!.id), true);
    assert.equal(await queue.retryDeadLetter('no-such-job'), false);
    const result = await queue.waitForArchive(call.callId);
    assert.deepEqual(result.ran, ['transcript', 'metrics', 'qa', 'summary', 'analytics', 'seal'], 'the two attempts each got one step done; the retry did the rest');
    assert.deepEqual(await queue.deadLetters(), []);
    await archivedOnce(call.callId);
  } finally {
    await queue.close();
  }
});

test('the retention sweep is scheduled on the queue and purges an expired archived call through the worker', async () => {
  const queue = await queueWith(() => undefined, { retention: { policy: { defaultDays: 365, callTypes: { replay: 30 } }, cron: '17 3 * * *' } });
  const raw = new Queue(POST_CALL_QUEUE, { connection: { url: `redis://127.0.0.1:${port}` } });
  try {
    const scheduler = await raw.getJobScheduler('retention-sweep');
    assert.equal(scheduler?.pattern, '17 3 * * *');
    const call = await storeTwoLegCall({ store, hits: new ComplianceStore(db) }, { callId: 'q-expired', spoolDir: join(dir, 'spool'), source: 'replay', startedAtMs: Date.now() - 31 * DAY_MS });
    await queue.enqueueArchive({ callId: call.callId, legs: call.legs });
    await queue.waitForArchive(call.callId);
    const purged = await queue.sweepRetention();
    assert.deepEqual(purged.map((p) => p.callId), ['q-expired']);
    assert.equal(await store.getCall('q-expired'), undefined);
  } finally {
    await raw.close();
    await queue.close();
  }
});
