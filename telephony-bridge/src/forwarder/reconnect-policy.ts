/** Capped exponential backoff with "equal jitter": attempt n waits between d/2 and d, d = min(max, initial·2^(n-1)). */
export interface ReconnectPolicy {
  /** Delay before the first retry; default 250 ms. */
  initialDelayMs?: number;
  /** Cap on any one delay; default 5000 ms. */
  maxDelayMs?: number;
  /** Retries after one drop before the client gives up (fatal error); default 30 (about two minutes at the cap). */
  maxAttempts?: number;
}

export const DEFAULT_RECONNECT_POLICY: Required<ReconnectPolicy> = { initialDelayMs: 250, maxDelayMs: 5000, maxAttempts: 30 };

export function reconnectDelayMs(attempt: number, policy: ReconnectPolicy = {}, random: () => number = Math.random): number {
  const initial = policy.initialDelayMs ?? DEFAULT_RECONNECT_POLICY.initialDelayMs;
  const max = policy.maxDelayMs ?? DEFAULT_RECONNECT_POLICY.maxDelayMs;
  const base = Math.min(max, initial * 2 ** Math.max(0, attempt - 1));
  return Math.round(base / 2 + random() * (base / 2));
}
