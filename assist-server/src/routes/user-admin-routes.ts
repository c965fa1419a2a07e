/**
 * Administration (admin only):
 *   GET   /api/admin/users            every user (never password hashes)
 *   POST  /api/admin/users            { username, password, role, displayName?, teamId? }   audited user.created
 *   PATCH /api/admin/users/:userId    { displayName?, role?, teamId?, password?, disabled? } audited user.updated
 *                                     (a new password or disabling signs the user out everywhere)
 *   GET   /api/admin/audit            audit entries, newest first (callId, actor, action, limit). Read only:
 *                                     no route edits or deletes audit rows.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { z } from 'zod';
import { requireUser } from '../auth/access-control.ts';
import { AdminAuditQuery, NewUserBody, UserChangesBody } from '../auth/auth-schemas.ts';
import { publicUser, WeakPasswordError, type AuthService } from '../auth/auth-service.ts';
import type { UserSummary } from '../protocol/index.ts';
import type { AuditLog } from '../store/audit-log.ts';
import { UserExistsError } from '../store/user-store.ts';

export interface UserAdminRoutesOptions {
  auth: AuthService;
  audit: AuditLog;
}

const ADMIN = { access: 'admin', audit: 'self' } as const;

export async function userAdminRoutes(app: FastifyInstance, options: UserAdminRoutesOptions): Promise<void> {
  const { auth, audit } = options;

  app.get('/api/admin/users', { config: ADMIN }, async () => ({ users: (await auth.users.list()).map(publicUser) satisfies UserSummary[] }));

  app.post('/api/admin/users', { config: ADMIN }, async (req, reply) => {
    const body = NewUserBody.safeParse(req.body ?? {});
    if (!body.success) return invalid(reply, body.error);
    try {
      const user = await auth.createUser(body.data);
      await audit.record({ actor: requireUser(req).username, action: 'user.created', detail: { userId: user.userId, role: user.role, teamId: user.teamId } });
      return reply.code(201).send({ user: publicUser(user) });
    } catch (err) {
      if (err instanceof UserExistsError) return reply.code(409).send({ code: 'EARPIECE_USER_EXISTS', message: err.message });
      if (err instanceof WeakPasswordError) return reply.code(400).send({ code: 'EARPIECE_USER_INVALID', message: err.message });
      throw err;
    }
  });

  app.patch('/api/admin/users/:userId', { config: ADMIN }, async (req, reply) => {
    const { userId } = req.params as { userId: string };
    const body = UserChangesBody.safeParse(req.body ?? {});
    if (!body.success) return invalid(reply, body.error);
    const { password, ...changes } = body.data;
    if (!(await auth.users.byId(userId))) return reply.code(404).send({ code: 'EARPIECE_USER_NOT_FOUND', message: `no user ${userId}` });
    try {
      if (password !== undefined) await auth.setPassword(userId, password);
    } catch (err) {
      if (err instanceof WeakPasswordError) return reply.code(400).send({ code: 'EARPIECE_USER_INVALID', message: err.message });
      throw err;
    }
    const user = (await auth.users.update(userId, changes))!;
    if (changes.disabled) await auth.sessions.revokeUser(userId);
    await audit.record({ actor: requireUser(req).username, action: 'user.updated', detail: { userId, ...changes, ...(password !== undefined ? { passwordChanged: true } : {}) } });
    return { user: publicUser(user) };
  });

  app.get('/api/admin/audit', { config: ADMIN }, async (req, reply) => {
    const q = AdminAuditQuery.safeParse(req.query);
    if (!q.success) return invalid(reply, q.error);
    return { entries: await audit.recent(q.data) };
  });
}

function invalid(reply: FastifyReply, error: z.ZodError) {
  const problems = error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
  return reply.code(400).send({ code: 'EARPIECE_USER_INVALID', message: problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems });
}
