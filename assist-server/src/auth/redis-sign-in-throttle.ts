/**
 * The sign-in brake (sign-in-throttle.ts) with its counts in Redis, so every node of a cluster sees
 * the same failures: a guesser spread over several nodes is locked as fast as on one. Same rules:
 * failures per username and per client address (4× the limit) in a sliding window; past the limit,
 * attempts wait until the oldest counted failure leaves the window; a success clears the username.
 *
 * Each key is a sorted set of failure times (`earpiece:signin:u:<user>` / `…:a:<address>`), expiring
 * with the window. When Redis cannot be reached the node counts in memory meanwhile (logged), so
 * sign-in stays braked during a Redis outage, per node.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ADDRESS_FACTOR, SignInThrottle, type SignInThrottleOptions } from './sign-in-throttle.ts';

export interface RedisSignInThrottleOptions extends SignInThrottleOptions {
  redisUrl: string;
  logger?: Logger;
  /** Key prefix; default `earpiece:signin:`. */
  keyPrefix?: string;
}

export class RedisSignInThrottle {
  private readonly redis: Redis;
  private readonly fallback: SignInThrottle;
  private readonly now: () => number;
  private readonly prefix: string;
  private lastWarning = 0;
  private readonly connected: Promise<void>;

  constructor(private readonly options: RedisSignInThrottleOptions) {
    this.now = options.now ?? Date.now;
    this.prefix = options.keyPrefix ?? 'earpiece:signin:';
    this.fallback = new SignInThrottle(options);
    // No offline queue: while Redis is away a sign-in falls back to memory at once instead of waiting.
    this.redis = new Redis(options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 });
    this.redis.on('error', (err: Error) => this.warn(err));
    // The first sign-in waits for the connection (or its first failure, within connectTimeout).
    this.connected = new Promise<void>((resolve) => {
      this.redis.once('ready', resolve);
      this.redis.once('error', () => resolve());
    });
  }

  /** 0 when an attempt may go ahead; otherwise ms until one may. */
  async retryAfterMs(username: string, address: string): Promise<number> {
    await this.connected;
    try {
      const now = this.now();
      const wait = async (key: string, limit: number) => {
        // The limit-th most recent failure inside the window, if there are that many.
        const hit = await this.redis.zrevrangebyscore(this.prefix + key, '+inf', `(${now - this.options.windowMs}`, 'WITHSCORES', 'LIMIT', limit - 1, 1);
        return hit.length === 2 ? Math.max(0, Number(hit[1]) + this.options.windowMs - now) : 0;
      };
      const [user, addr] = await Promise.all([wait(userKey(username), this.options.maxFailures), wait(`a:${address}`, this.options.maxFailures * ADDRESS_FACTOR)]);
      return Math.max(user, addr, this.fallback.retryAfterMs(username, address));
    } catch (err) {
      this.warn(err as Error);
      return this.fallback.retryAfterMs(username, address);
    }
  }

  async failed(username: string, address: string): Promise<void> {
    await this.connected;
    const now = this.now();
    try {
      const multi = this.redis.multi();
      for (const key of [userKey(username), `a:${address}`]) {
        multi.zadd(this.prefix + key, now, `${now}:${randomBytes(4).toString('hex')}`);
        multi.zremrangebyscore(this.prefix + key, '-inf', now - this.options.windowMs);
        multi.pexpire(this.prefix + key, this.options.windowMs);
      }
      await multi.exec();
    } catch (err) {
      this.warn(err as Error);
      this.fallback.failed(username, address);
    }
  }

  async succeeded(username: string): Promise<void> {
    this.fallback.succeeded(username);
    await this.connected;
    try {
      await this.redis.del(this.prefix + userKey(username));
    } catch (err) {
      this.warn(err as Error);
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  private warn(err: Error): void {
    if (Date.now() - this.lastWarning < 10_000) return;
    this.lastWarning = Date.now();
    this.options.logger?.warn({ err: err.message }, 'sign-in throttle: Redis unavailable, counting failures in memory on this node meanwhile');
  }
}

function userKey(username: string): string {
  return `u:${username.toLowerCase()}`;
}
