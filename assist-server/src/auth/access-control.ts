/**
 * Authorization for every route of a node, installed on the root app BEFORE any route is registered:
 *   - each /api and /ws route must declare `config: { access }` (auth/roles.ts); `app.ready()` (and so
 *     `listen()`) fails naming every route that does not, so a new route cannot forget;
 *   - every request is authenticated in onRequest, before a WebSocket upgrade (an unauthenticated socket
 *     gets HTTP 401 and never opens; a user of the wrong role or call 403): `Authorization: Bearer <token>`
 *     (scripts) or the session cookie (the UI);
 *   - a route with a `:callId` parameter, or a socket with a `callId` query, serves only a call the user
 *     may see (auth/call-access.ts).
 * `request.user` is the signed-in user (null on a public route without a session).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthService } from './auth-service.ts';
import { callAccessProblem, type CallOwner } from './call-access.ts';
import { isValidAccess, roleAllowed, type AuthUser, type RouteAccess } from './roles.ts';
import { SESSION_COOKIE, readCookie } from './session-cookie.ts';
import type { AuditLog } from '../store/audit-log.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may use this route (required on /api and /ws routes once access control is installed). */
    access?: RouteAccess;
    /**
     * Audit of a successful POST/PUT/PATCH/DELETE: 'auto' (default) records `<METHOD> <route>` with the
     * signed-in username and the route parameters; 'self' when the handler records its own entry; 'off'
     * for high-volume writes that are stored elsewhere (assist feedback).
     */
    audit?: 'auto' | 'self' | 'off';
  }
  interface FastifyRequest {
    /** The signed-in user; null when none (public routes only). */
    user: AuthUser | null;
  }
}

/** Paths under these prefixes must declare an access policy. */
export const GUARDED_PREFIXES = ['/api/', '/ws/'];

export interface AccessControlOptions {
  auth: AuthService;
  /** The agent and state of a call (live registry first, then the store); undefined: no such call (the route answers 404). */
  findCall: (callId: string) => Promise<CallOwner | undefined>;
  /** Shared secret the ingest route (telephony bridge) must present; undefined: ingest is open (loopback/private network). */
  ingestToken?: string | undefined;
  /** Records changes made through the API (see `audit` in the route config). */
  audit?: AuditLog;
}

const guarded = (url: string) => GUARDED_PREFIXES.some((p) => url.startsWith(p) || url === p.slice(0, -1));

export function bearerToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || undefined;
  return undefined;
}

/**
 * What a bridge presents on /ingest: `Authorization: Bearer <token>`, or Basic credentials whose password
 * is the token (a bridge URL like ws://ingest:<token>@host:8080 sends those).
 */
export function ingestCredential(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    return decoded.slice(decoded.indexOf(':') + 1) || undefined;
  }
  return bearerToken(req);
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function sessionToken(req: FastifyRequest): string | undefined {
  return bearerToken(req) ?? readCookie(req.headers.cookie, SESSION_COOKIE);
}

export function installAccessControl(app: FastifyInstance, options: AccessControlOptions): void {
  const undeclared: string[] = [];
  app.decorateRequest('user', null);

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.every((m) => m === 'HEAD')) return;
    const access = (route.config as { access?: unknown } | undefined)?.access;
    if (access === undefined) {
      if (guarded(route.url)) undeclared.push(`${methods.join(',')} ${route.url}`);
    } else if (!isValidAccess(access)) {
      undeclared.push(`${methods.join(',')} ${route.url} (invalid access ${JSON.stringify(access)})`);
    }
  });

  app.addHook('onResponse', async (req, reply) => {
    const config = req.routeOptions.config as { access?: RouteAccess; audit?: string } | undefined;
    if (!options.audit || !req.user || !CHANGES.has(req.method) || reply.statusCode >= 400 || (config?.audit ?? 'auto') !== 'auto') return;
    const params = req.params as Record<string, string> | undefined;
    try {
      await options.audit.record({ actor: req.user.username, action: `${req.method} ${req.routeOptions.url}`, callId: params?.callId ?? null, detail: { params: params ?? {}, status: reply.statusCode } });
    } catch (err) {
      req.log.error({ err: (err as Error).message, route: req.routeOptions.url }, 'cannot audit a change');
    }
  });

  app.addHook('onReady', async () => {
    if (undeclared.length) throw new Error(`refusing to start: routes without a declared access policy (config.access): ${undeclared.join('; ')}`);
  });

  app.addHook('onRequest', async (req, reply) => {
    const access = (req.routeOptions.config as { access?: RouteAccess } | undefined)?.access;
    if (access === 'ingest') {
      if (options.ingestToken !== undefined && !sameSecret(ingestCredential(req), options.ingestToken)) return deny(reply, 401, 'EARPIECE_INGEST_UNAUTHORIZED', 'ingest token missing or wrong');
      return;
    }
    if (access === undefined) return; // the UI's static files and 404s: no session lookup
    const token = sessionToken(req);
    req.user = token ? ((await options.auth.authenticate(token)) ?? null) : null;
    if (access === 'public') return;
    const user = req.user;
    if (!user) return deny(reply, 401, 'EARPIECE_UNAUTHENTICATED', 'sign in first');
    if (!roleAllowed(access, user.role)) return deny(reply, 403, 'EARPIECE_FORBIDDEN', `a ${user.role} may not use ${req.routeOptions.url}`);
    const callId = (req.params as Record<string, string | undefined> | undefined)?.callId ?? (req.ws ? (req.query as Record<string, string | undefined>).callId : undefined);
    if (callId !== undefined) {
      const call = await options.findCall(callId);
      if (call) {
        const problem = await callAccessProblem(user, call, options.auth);
        if (problem) return deny(reply, 403, 'EARPIECE_FORBIDDEN', problem);
      }
    }
  });
}

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function deny(reply: FastifyReply, status: 401 | 403, code: string, message: string): FastifyReply {
  return reply.code(status).send({ code, message });
}

/** The signed-in user of a request on a route that requires one (throws otherwise: a programming error). */
export function requireUser(req: FastifyRequest): AuthUser {
  if (!req.user) throw new Error(`route ${req.routeOptions.url} needs a signed-in user but declares no such access`);
  return req.user;
}
