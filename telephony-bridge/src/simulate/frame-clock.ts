/**
 * Real-time pacing on an absolute clock: frame k is due at start + k × frameMs. A late wake-up
 * (busy event loop) sends every frame already due at once, so the stream never drifts behind
 * real time and its average rate stays exact.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** Calls `send(k)` for k = 0 … count-1 on time; stops early (returning frames sent) when `send` returns false or `signal` aborts. */
export async function paceFrames(count: number, frameMs: number, send: (k: number) => boolean, signal?: AbortSignal): Promise<number> {
  const start = performance.now();
  for (let k = 0; k < count; k++) {
    const wait = start + k * frameMs - performance.now();
    if (wait > 1) await sleep(wait, undefined, signal ? { signal } : undefined).catch(() => undefined);
    if (signal?.aborted) return k;
    if (!send(k)) return k;
  }
  return count;
}
