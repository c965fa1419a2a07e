/**
 * Sign-in (auth/auth-service.ts):
 *   POST /api/auth/sign-in    { username, password, issueToken? } → the user; sets the HttpOnly,
 *                             SameSite=Strict session cookie (the UI), and returns the token itself
 *                             when issueToken is true (scripts: `Authorization: Bearer <token>`)
 *   POST /api/auth/sign-out   ends this session (cookie or bearer token) and clears the cookie
 *   GET  /api/auth/me         the signed-in user (401 when none)
 */
import type { FastifyInstance } from 'fastify';
import { requireUser, sessionToken } from '../auth/access-control.ts';
import { SignInBody } from '../auth/auth-schemas.ts';
import type { AuthService } from '../auth/auth-service.ts';
import type { RedisSignInThrottle } from '../auth/redis-sign-in-throttle.ts';
import type { SignInThrottle } from '../auth/sign-in-throttle.ts';
import { clearedSessionCookie, sessionCookie } from '../auth/session-cookie.ts';
import type { SignedInUser, SignInResponse } from '../protocol/index.ts';
import type { AuditLog } from '../store/audit-log.ts';

export interface AuthRoutesOptions {
  auth: AuthService;
  audit: AuditLog;
  secureCookie: boolean;
  /** In memory (one node) or in Redis (a cluster); closed with the app. */
  throttle: SignInThrottle | RedisSignInThrottle;
}

export async function authRoutes(app: FastifyInstance, options: AuthRoutesOptions): Promise<void> {
  const { auth, audit, secureCookie } = options;
  const { throttle } = options;
  if ('close' in throttle) app.addHook('onClose', () => throttle.close());

  app.post('/api/auth/sign-in', { config: { access: 'public', audit: 'self' } }, async (req, reply) => {
    const body = SignInBody.safeParse(req.body ?? {});
    if (!body.success) return reply.code(400).send({ code: 'EARPIECE_SIGN_IN_INVALID', message: 'username and password are required' });
    const wait = await options.throttle.retryAfterMs(body.data.username, req.ip);
    if (wait > 0) {
      req.log.warn({ username: body.data.username, ip: req.ip }, 'sign-in throttled after repeated failures');
      void reply.header('retry-after', String(Math.ceil(wait / 1000)));
      return reply.code(429).send({ code: 'EARPIECE_SIGN_IN_THROTTLED', message: 'too many failed sign-ins: try again later' });
    }
    const session = await auth.signIn(body.data.username, body.data.password);
    if (!session) {
      await options.throttle.failed(body.data.username, req.ip);
      req.log.warn({ username: body.data.username }, 'sign-in refused');
      return reply.code(401).send({ code: 'EARPIECE_SIGN_IN_FAILED', message: 'wrong username or password' });
    }
    await options.throttle.succeeded(body.data.username);
    await audit.record({ actor: session.user.username, action: 'user.signed-in' });
    void reply.header('set-cookie', sessionCookie(session.token, (session.expiresAtMs - Date.now()) / 1000, secureCookie));
    const response: SignInResponse = { user: session.user as SignedInUser, expiresAtMs: session.expiresAtMs, ...(body.data.issueToken ? { token: session.token } : {}) };
    return response;
  });

  app.post('/api/auth/sign-out', { config: { access: 'public', audit: 'self' } }, async (req, reply) => {
    const token = sessionToken(req);
    if (token) await auth.signOut(token);
    if (req.user) await audit.record({ actor: req.user.username, action: 'user.signed-out' });
    return reply.header('set-cookie', clearedSessionCookie(secureCookie)).code(204).send();
  });

  app.get('/api/auth/me', { config: { access: 'signed-in' } }, async (req) => ({ user: requireUser(req) as SignedInUser }));
}
