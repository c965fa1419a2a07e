/**
 * Routes a Redis client's connection errors to the node's log. Every ioredis client and BullMQ
 * queue/worker/events object the node creates goes through here: one without an 'error' listener
 * makes ioredis print "[ioredis] Unhandled error event" (and BullMQ dump the raw error) on stderr at
 * each reconnect attempt while Redis is away. Logged at warn once per outage per client: the first
 * error, then no connection error until the client is 'ready' again (logged at info), so a restart
 * costs two lines. Other errors (a BullMQ worker's own) are logged each time.
 */
import type { Logger } from 'pino';

interface Emitter {
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'ready', listener: () => void): unknown;
}

/**
 * `errors` is what emits the client's errors; `ready` what emits 'ready' after each (re)connection
 * (the same ioredis client, or a BullMQ object's `backend`: BullMQ does not forward 'ready').
 */
export function logRedisErrors(log: Logger, client: string, errors: Emitter, ready: Emitter = errors): void {
  let down = false;
  errors.on('error', (err: Error) => {
    const fields = { client, err: err.message, code: (err as NodeJS.ErrnoException).code };
    if (!isConnectionError(err)) return log.warn(fields, 'Redis client error');
    if (down) return;
    down = true;
    log.warn(fields, 'Redis unavailable (not logged again for this client until it is back)');
  });
  ready.on('ready', () => {
    if (!down) return;
    down = false;
    log.info({ client }, 'Redis back');
  });
}

/** Errors that mean "Redis cannot be reached" (refused, reset, timed out, closed), as ioredis and BullMQ report them. */
function isConnectionError(err: Error): boolean {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return /^(ECONN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE)/.test(code) || /connection is closed|stream isn't writeable|connect ETIMEDOUT|max retries per request/i.test(err.message);
}
