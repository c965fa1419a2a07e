/**
 * Brute-force brake on sign-in: failed attempts are counted per username and per client address in
 * a sliding window; past the limit, further attempts are refused (429 with Retry-After) until the
 * oldest failure leaves the window, whether or not the password would be right. A success clears the
 * username's count. In memory, per node; redis-sign-in-throttle.ts keeps the counts in Redis for a cluster
 * (and falls back to this class while Redis is away). Written here rather than with @fastify/rate-limit, which
 * counts every request per route: what matters is failures, per account as well as per address.
 */
export interface SignInThrottleOptions {
  /** Failures per username within the window before it is locked. */
  maxFailures: number;
  windowMs: number;
  now?: () => number;
}

/** An address may fail this many times more than one username (several users behind one NAT). */
export const ADDRESS_FACTOR = 4;
const MAX_TRACKED_KEYS = 100_000;

export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly now: () => number;

  constructor(private readonly options: SignInThrottleOptions) {
    this.now = options.now ?? Date.now;
  }

  /** 0 when an attempt may go ahead; otherwise ms until one may. */
  retryAfterMs(username: string, address: string): number {
    const now = this.now();
    const wait = (key: string, limit: number) => {
      const times = this.recent(key, now);
      return times.length >= limit ? times[times.length - limit]! + this.options.windowMs - now : 0;
    };
    return Math.max(wait(userKey(username), this.options.maxFailures), wait(`a:${address}`, this.options.maxFailures * ADDRESS_FACTOR));
  }

  failed(username: string, address: string): void {
    const now = this.now();
    if (this.failures.size >= MAX_TRACKED_KEYS) this.prune(now);
    for (const key of [userKey(username), `a:${address}`]) this.failures.set(key, [...this.recent(key, now), now]);
  }

  succeeded(username: string): void {
    this.failures.delete(userKey(username));
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > now - this.options.windowMs);
  }

  private prune(now: number): void {
    for (const key of [...this.failures.keys()]) if (this.recent(key, now).length === 0) this.failures.delete(key);
  }
}

function userKey(username: string): string {
  return `u:${username.toLowerCase()}`;
}
