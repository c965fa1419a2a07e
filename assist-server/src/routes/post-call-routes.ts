/**
 * Post-call admin API (admin only):
 *   GET  /api/admin/post-call/dead-letters          jobs that failed every attempt, newest first
 *   POST /api/admin/post-call/dead-letters/:id/retry  retry one from where it stopped (its done steps are skipped)
 */
import type { FastifyInstance } from 'fastify';
import type { PostCallQueue } from '../jobs/post-call-queue.ts';
import type { AuditLog } from '../store/audit-log.ts';

export interface PostCallRoutesOptions {
  postCall: Pick<PostCallQueue, 'deadLetters' | 'retryDeadLetter'>;
  audit?: AuditLog | undefined;
}

export async function postCallRoutes(app: FastifyInstance, options: PostCallRoutesOptions): Promise<void> {
  app.get('/api/admin/post-call/dead-letters', { config: { access: 'admin' } }, async () => ({ deadLetters: await options.postCall.deadLetters() }));

  app.post('/api/admin/post-call/dead-letters/:id/retry', { config: { access: 'admin' } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    if (!(await options.postCall.retryDeadLetter(id))) return reply.code(404).send({ code: 'EARPIECE_DEAD_LETTER_NOT_FOUND', message: `no dead-lettered job ${id}` });
    await options.audit?.record({ actor: req.user?.username ?? 'unknown', action: 'post-call.retried', detail: { jobId: id } });
    return { retried: id };
  });
}
