/**
 * `npm run bench:postcall [-- --minutes 10] [--single 3] [--calls 12] [--concurrency 2]`
 *
 * The post-call pipeline (BullMQ worker on a private redis-server, SQLite store in a temp dir) on
 * synthesized ended two-leg calls (post-call/testing/two-leg-call.ts: 16 kHz legs, talk on both, holds,
 * emotions, intents, compliance hits), `--minutes` long each:
 * - single: one call at a time, enqueue → archived (recordings, transcript, metrics with loudness,
 *   QA auto-score, summary, call_metrics row, integrity manifest); median and max of `--single` runs,
 *   and the median time of each step;
 * - throughput: `--calls` calls enqueued at once, worker concurrency `--concurrency`: calls per minute.
 * Preparing the calls (storing events, writing spools) is not timed. Prints JSON on stdout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadConfig } from '../assist-server/src/config.ts';
import { openDatabase } from '../assist-server/src/db/open-database.ts';
import { startPostCallQueue } from '../assist-server/src/jobs/post-call-queue.ts';
import type { PostCallStep } from '../assist-server/src/post-call/post-call-pipeline.ts';
import { storeTwoLegCall } from '../assist-server/src/post-call/testing/two-leg-call.ts';
import { startPrivateRedis } from '../assist-server/src/redis/private-redis.ts';
import { CallStore } from '../assist-server/src/store/call-store.ts';
import { ComplianceStore } from '../assist-server/src/store/compliance-store.ts';

const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '10' }, single: { type: 'string', default: '3' }, calls: { type: 'string', default: '12' }, concurrency: { type: 'string', default: '2' } },
});
const minutes = Number(values.minutes);
const singleRuns = Number(values.single);
const throughputCalls = Number(values.calls);
const concurrency = Number(values.concurrency);

const log = pino({ level: 'warn' }, pino.destination(2));
const dir = mkdtempSync(join(tmpdir(), 'ep-bench-postcall-'));
const config = loadConfig();
const redis = await startPrivateRedis({ bin: config.redisServerBin, dataDir: join(dir, 'redis') });
const db = await openDatabase({ sqlitePath: join(dir, 'earpiece.db') });
const store = new CallStore(db);
const hits = new ComplianceStore(db);
const stepStarted = new Map<string, number>();
const stepMs = new Map<PostCallStep, number[]>();
const queue = await startPostCallQueue({
  redisUrl: redis.url,
  store,
  dataDir: dir,
  logger: log,
  concurrency,
  afterStep: (callId, step) => {
    const now = performance.now();
    (stepMs.get(step) ?? stepMs.set(step, []).get(step)!).push(now - (stepStarted.get(callId) ?? now));
    stepStarted.set(callId, now);
  },
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const round = (x: number) => Math.round(x);
let n = 0;
const prepare = (count: number) =>
  Promise.all(Array.from({ length: count }, () => storeTwoLegCall({ store, hits }, { callId: `bench-${++n}`, spoolDir: join(dir, 'spool'), minutes, agentId: `agent-${n % 5}` })));

try {
  const singleMs: number[] = [];
  for (let i = 0; i < singleRuns; i++) {
    const [call] = await prepare(1);
    const t0 = performance.now();
    stepStarted.set(call!.callId, t0);
    await queue.enqueueArchive({ callId: call!.callId, legs: call!.legs });
    await queue.waitForArchive(call!.callId, 120_000);
    singleMs.push(performance.now() - t0);
  }
  const steps = Object.fromEntries([...stepMs].map(([s, xs]) => [s, round(median(xs))]));

  const calls = await prepare(throughputCalls);
  const t0 = performance.now();
  for (const c of calls) stepStarted.set(c.callId, performance.now());
  await Promise.all(calls.map((c) => queue.enqueueArchive({ callId: c.callId, legs: c.legs })));
  await Promise.all(calls.map((c) => queue.waitForArchive(c.callId, 600_000)));
  const elapsedMs = performance.now() - t0;

  process.stdout.write(
    JSON.stringify(
      {
        machine: { cpus: availableParallelism(), node: process.version },
        call: { minutes, legs: 2, sampleRateHz: 16_000, database: 'sqlite' },
        single: { runs: singleRuns, medianMs: round(median(singleMs)), maxMs: round(Math.max(...singleMs)), targetMs: 3000, medianStepMs: steps },
        throughput: { calls: throughputCalls, concurrency, elapsedMs: round(elapsedMs), callsPerMinute: Math.round((throughputCalls / (elapsedMs / 60_000)) * 10) / 10 },
      },
      null,
      2,
    ) + '\n',
  );
} finally {
  await queue.close();
  await db.close();
  await redis.close();
  rmSync(dir, { recursive: true, force: true });
}
