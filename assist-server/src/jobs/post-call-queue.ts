/**
 * BullMQ queue and worker for post-call jobs (Redis). Jobs carry only ids and spool locations;
 * workers read masked data from the store. Retries with exponential backoff.
 */
import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { CallStore } from '../store/call-store.ts';
import { archiveCall, type ArchiveCallJobData, type ArchiveResult } from './archive-call-job.ts';

export const POST_CALL_QUEUE = 'earpiece-post-call';

export interface PostCallQueue {
  enqueueArchive(data: ArchiveCallJobData): Promise<void>;
  /** Resolves when the call's archive job has completed (tests, CLI). */
  waitForArchive(callId: string, timeoutMs?: number): Promise<ArchiveResult>;
  close(): Promise<void>;
}

export async function startPostCallQueue(options: { redisUrl: string; store: CallStore; dataDir: string; logger: Logger }): Promise<PostCallQueue> {
  const connection = { url: options.redisUrl, maxRetriesPerRequest: null };
  const queue = new Queue<ArchiveCallJobData, ArchiveResult>(POST_CALL_QUEUE, { connection });
  const events = new QueueEvents(POST_CALL_QUEUE, { connection });
  const worker = new Worker<ArchiveCallJobData, ArchiveResult>(
    POST_CALL_QUEUE,
    async (job: Job<ArchiveCallJobData, ArchiveResult>) => {
      const result = await archiveCall(job.data, { store: options.store, dataDir: options.dataDir });
      options.logger.info({ callId: job.data.callId, recordings: result.recordings.length, skipped: result.skipped }, 'call archived');
      return result;
    },
    { connection, concurrency: 2 },
  );
  worker.on('failed', (job, err) => options.logger.error({ callId: job?.data.callId, attempt: job?.attemptsMade, err: err.message }, 'archive job failed'));
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady(), worker.waitUntilReady()]);

  // BullMQ ids may not contain ':'; call ids may, so they are URL-encoded (':' → %3A).
  const jobId = (callId: string) => `archive-${encodeURIComponent(callId)}`;
  return {
    async enqueueArchive(data) {
      await queue.add('archive-call', data, {
        jobId: jobId(data.callId),
        attempts: 8,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { age: 24 * 3600, count: 10_000 },
        removeOnFail: false,
      });
    },
    async waitForArchive(callId, timeoutMs = 30_000) {
      const job = await queue.getJob(jobId(callId));
      if (!job) throw new Error(`no archive job for call ${callId}`);
      return (await job.waitUntilFinished(events, timeoutMs)) as ArchiveResult;
    },
    async close() {
      await worker.close();
      await events.close();
      await queue.close();
    },
  };
}
