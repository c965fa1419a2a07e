export interface BackoffOptions {
  /** First retry delay. */
  initialMs: number;
  /** Upper bound on any delay. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 15_000 };

/**
 * Capped exponential backoff with "equal jitter": attempt 0 waits in [initial/2, initial],
 * each later attempt doubles, never beyond `maxMs`. `random` is injectable for tests.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
