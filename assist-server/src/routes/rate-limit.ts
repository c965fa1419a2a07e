/**
 * Rate limit on the REST API (@fastify/rate-limit): at most `perMinute` requests to /api routes per
 * signed-in user, or per client address for requests without a user (sign-in and other public
 * routes), counted in Redis so every node of a cluster shares one count per key. Past the limit the
 * request gets 429 `EARPIECE_RATE_LIMITED` with Retry-After (seconds until the window resets).
 *
 * Not limited: /api/health (load balancers and monitors poll it), WebSocket upgrades (/ws, /ingest),
 * the UI's static files. The limit runs after authentication (route-level hooks run after the
 * app-level onRequest hook of auth/access-control.ts), so a request without a valid session to a
 * signed-in route is refused 401 before it is counted. When Redis cannot be reached the limit is
 * skipped (logged), never the API: live assist must not depend on the limiter.
 *
 * Register on the root app before any /api route (the plugin adds its hook to routes as they are
 * added).
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface ApiRateLimitOptions {
  redisUrl: string;
  /** Requests per minute per user (or address); 0 turns the limit off. */
  perMinute: number;
  logger: Logger;
  /** Window length; default one minute (tests may shorten it). */
  windowMs?: number;
  /** Redis key prefix; default `earpiece:api-rate:`. */
  keyPrefix?: string;
}

export const RATE_LIMITED_CODE = 'EARPIECE_RATE_LIMITED';

/** The key a request is counted under: the user when signed in, else the client address. */
export function rateLimitKey(req: FastifyRequest): string {
  const user = (req as FastifyRequest & { user?: { userId: string } | null }).user;
  return user ? `u:${user.userId}` : `a:${req.ip}`;
}

function limited(url: string): boolean {
  const path = url.split('?', 1)[0]!;
  return (path === '/api' || path.startsWith('/api/')) && path !== '/api/health';
}

export async function installApiRateLimit(app: FastifyInstance, options: ApiRateLimitOptions): Promise<void> {
  if (options.perMinute <= 0) return;
  const log = options.logger.child({ component: 'api-rate-limit' });
  // No offline queue: while Redis is away a request fails over to "not limited" at once instead of waiting.
  const redis = new Redis(options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 });
  let lastError = 0;
  let lastRefusalLog = 0;
  let refused = 0;
  redis.on('error', (err: Error) => {
    if (Date.now() - lastError > 10_000) log.warn({ err: err.message }, 'rate-limit Redis unavailable: /api requests are not limited meanwhile');
    lastError = Date.now();
  });
  // Start counting with the first request: wait for the connection (or its first failure, within connectTimeout).
  await new Promise<void>((resolve) => {
    redis.once('ready', resolve);
    redis.once('error', () => resolve());
  });
  app.addHook('onClose', async () => {
    redis.disconnect();
  });
  await app.register(rateLimit, {
    global: true,
    max: options.perMinute,
    timeWindow: options.windowMs ?? 60_000,
    redis,
    nameSpace: options.keyPrefix ?? 'earpiece:api-rate:',
    skipOnError: true,
    keyGenerator: rateLimitKey,
    allowList: (req) => !limited(req.url),
    onExceeded: (req, key) => {
      // One line per 10 s at most: a flood must not become a flood of log lines.
      refused++;
      if (Date.now() - lastRefusalLog < 10_000) return;
      lastRefusalLog = Date.now();
      req.log.warn({ key, url: req.url, refusedSinceLastLine: refused }, 'API rate limit reached: 429');
      refused = 0;
    },
    errorResponseBuilder: (_req, ctx) =>
      Object.assign(new Error(`too many requests: at most ${ctx.max} per minute; retry in ${ctx.after}`), { statusCode: ctx.statusCode, code: RATE_LIMITED_CODE }),
  });
}
