/**
 * BullMQ queue and worker for post-call work (Redis). Jobs carry only ids and spool locations;
 * workers read masked data from the store.
 *   archive-call      the post-call pipeline (post-call/post-call-pipeline.ts): idempotent steps,
 *                     8 attempts with exponential backoff (1 s, 2 s, 4 s …), then the dead-letter queue
 *   retention-sweep   the retention purge (archive/retention-purge.ts), on a BullMQ job scheduler
 *                     (EARPIECE_RETENTION_SWEEP_CRON), when a retention policy is configured
 * A job whose worker died (node crash, Redis restart) is picked up again by BullMQ's stalled-job
 * check and resumes after its last recorded step.
 */
import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { purgeExpiredCalls, type PurgedCall } from '../archive/retention-purge.ts';
import type { RetentionPolicy } from '../archive/retention-policy.ts';
import { PostCallPipeline, type PostCallJobData, type PostCallPipelineOptions, type PostCallResult } from '../post-call/post-call-pipeline.ts';
import { logRedisErrors } from '../redis/redis-error-log.ts';
import { AuditLog } from '../store/audit-log.ts';
import type { CallStore } from '../store/call-store.ts';
import { DeadLetterQueue, type DeadLetter } from './dead-letter-queue.ts';

export const POST_CALL_QUEUE = 'earpiece-post-call';
export type ArchiveCallJobData = PostCallJobData;
export type ArchiveResult = PostCallResult;

export interface PostCallQueue {
  enqueueArchive(data: ArchiveCallJobData): Promise<void>;
  /** Resolves when the call's archive job has completed (tests, CLI). */
  waitForArchive(callId: string, timeoutMs?: number): Promise<ArchiveResult>;
  readonly pipeline: PostCallPipeline;
  deadLetters(): Promise<DeadLetter[]>;
  /** Retries a dead-lettered job from where it stopped; false when there is no such entry. */
  retryDeadLetter(id: string): Promise<boolean>;
  /** Runs a retention sweep now, through the queue; resolves with what it purged. */
  sweepRetention(timeoutMs?: number): Promise<PurgedCall[]>;
  close(): Promise<void>;
}

export interface PostCallQueueOptions extends Omit<PostCallPipelineOptions, 'store'> {
  redisUrl: string;
  store: CallStore;
  attempts?: number;
  backoffMs?: number;
  concurrency?: number;
  retention?: { policy: RetentionPolicy; cron: string } | undefined;
  /** BullMQ lock duration / stalled check interval (ms): how soon a job of a dead worker is taken up again. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

type JobData = ArchiveCallJobData | { sweep: true };

export async function startPostCallQueue(options: PostCallQueueOptions): Promise<PostCallQueue> {
  const connection = { url: options.redisUrl, maxRetriesPerRequest: null };
  const { logger } = options;
  const pipeline = new PostCallPipeline(options);
  const audit = new AuditLog(options.store.database);
  const queue = new Queue<JobData, ArchiveResult | PurgedCall[]>(POST_CALL_QUEUE, { connection });
  const events = new QueueEvents(POST_CALL_QUEUE, { connection });
  const dead = new DeadLetterQueue(connection, logger);
  const attempts = options.attempts ?? 8;
  const worker = new Worker<JobData, ArchiveResult | PurgedCall[]>(
    POST_CALL_QUEUE,
    async (job: Job<JobData>) => {
      if ('sweep' in job.data) {
        if (!options.retention) return [];
        return purgeExpiredCalls({ policy: options.retention.policy, calls: pipeline.steps, audit, logger });
      }
      return pipeline.run(job.data, job.attemptsMade + 1);
    },
    {
      connection,
      concurrency: options.concurrency ?? 2,
      ...(options.lockDurationMs ? { lockDuration: options.lockDurationMs } : {}),
      ...(options.stalledIntervalMs ? { stalledInterval: options.stalledIntervalMs } : {}),
    },
  );
  worker.on('failed', (job, err) => {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    logger.error({ jobId: job.id, job: job.name, callId: (job.data as { callId?: string }).callId, attempt: job.attemptsMade, final, err: err.message }, final ? 'post-call job failed for good: dead-lettered' : 'post-call job failed; will retry');
    if (final) void dead.add(job, err).catch((e: Error) => logger.error({ jobId: job.id, err: e.message }, 'cannot dead-letter a job'));
  });
  logRedisErrors(logger, 'post-call queue', queue, queue.backend);
  logRedisErrors(logger, 'post-call queue events', events, events.backend);
  // The worker's errors are its Redis connections' (both) and its own loop's, which end once Redis is back.
  logRedisErrors(logger, 'post-call worker', worker, worker.backend);
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady(), worker.waitUntilReady(), dead.waitUntilReady()]);
  // Every waitForArchive (tests, bench, CLI) listens until its job ends: many may wait at once.
  queue.setMaxListeners(0);
  events.setMaxListeners(0);
  if (options.retention) {
    await queue.upsertJobScheduler('retention-sweep', { pattern: options.retention.cron }, { name: 'retention-sweep', data: { sweep: true }, opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 } } });
  } else {
    await queue.removeJobScheduler('retention-sweep');
  }

  // BullMQ ids may not contain ':'; call ids may, so they are URL-encoded (':' → %3A).
  const jobId = (callId: string) => `archive-${encodeURIComponent(callId)}`;
  return {
    pipeline,
    async enqueueArchive(data) {
      await queue.add('archive-call', data, {
        jobId: jobId(data.callId),
        attempts,
        backoff: { type: 'exponential', delay: options.backoffMs ?? 1000 },
        removeOnComplete: { age: 24 * 3600, count: 10_000 },
        removeOnFail: false,
      });
    },
    async waitForArchive(callId, timeoutMs = 30_000) {
      const job = await queue.getJob(jobId(callId));
      if (!job) throw new Error(`no archive job for call ${callId}`);
      return (await job.waitUntilFinished(events, timeoutMs)) as ArchiveResult;
    },
    deadLetters: () => dead.list(),
    async retryDeadLetter(id) {
      const entry = await dead.get(id);
      if (!entry) return false;
      const job = await queue.getJob(id);
      if (job && (await job.getState()) === 'failed') await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      else if (!job) await queue.add(entry.jobName, entry.data as JobData, { jobId: id, attempts, backoff: { type: 'exponential', delay: options.backoffMs ?? 1000 }, removeOnFail: false });
      await dead.remove(id);
      logger.info({ jobId: id, callId: entry.callId }, 'dead-lettered post-call job retried');
      return true;
    },
    async sweepRetention(timeoutMs = 60_000) {
      const job = await queue.add('retention-sweep', { sweep: true }, { removeOnComplete: true, removeOnFail: 100 });
      return (await job.waitUntilFinished(events, timeoutMs)) as PurgedCall[];
    },
    async close() {
      await worker.close();
      await events.close();
      await dead.close();
      await queue.close();
    },
  };
}
