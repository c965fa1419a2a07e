/**
 * The post-call dead-letter queue: a job that failed its last attempt is copied here (a BullMQ queue
 * with no worker, so entries wait until an admin acts), with its error. Admins list them
 * (GET /api/admin/post-call/dead-letters) and retry one (POST …/:id/retry): the original job is
 * retried with its attempts reset and the entry removed; the pipeline skips the steps already done.
 */
import { Queue, type Job, type ConnectionOptions } from 'bullmq';
import type { Logger } from 'pino';
import type { DeadLetter } from '../protocol/index.ts';
import { logRedisErrors } from '../redis/redis-error-log.ts';

export type { DeadLetter };

export const DEAD_LETTER_QUEUE = 'earpiece-post-call-dead';


export class DeadLetterQueue {
  private readonly queue: Queue<DeadLetter>;

  constructor(connection: ConnectionOptions, logger: Logger) {
    this.queue = new Queue<DeadLetter>(DEAD_LETTER_QUEUE, { connection });
    logRedisErrors(logger, 'post-call dead-letter queue', this.queue, this.queue.backend);
  }

  waitUntilReady(): Promise<unknown> {
    return this.queue.waitUntilReady();
  }

  async add(job: Job, err: Error): Promise<void> {
    const id = job.id!;
    const entry: DeadLetter = {
      id,
      callId: typeof (job.data as { callId?: unknown }).callId === 'string' ? (job.data as { callId: string }).callId : null,
      jobName: job.name,
      failedReason: err.message,
      attemptsMade: job.attemptsMade,
      failedAtMs: Date.now(),
      data: job.data,
    };
    await this.queue.remove(id); // a job that died again after a retry replaces its old entry
    await this.queue.add('dead-letter', entry, { jobId: id, removeOnComplete: true, removeOnFail: false });
  }

  async list(limit = 200): Promise<DeadLetter[]> {
    const jobs = await this.queue.getJobs(['waiting', 'delayed', 'prioritized'], 0, limit - 1, true);
    return jobs.filter(Boolean).map((j) => j.data).sort((a, b) => b.failedAtMs - a.failedAtMs);
  }

  async get(id: string): Promise<DeadLetter | undefined> {
    return (await this.queue.getJob(id))?.data;
  }

  async remove(id: string): Promise<void> {
    await this.queue.remove(id);
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
