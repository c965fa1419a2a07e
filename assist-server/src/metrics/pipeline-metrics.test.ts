import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PipelineMetrics } from './pipeline-metrics.ts';

function blockLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

/** Blocks the loop for 120 ms, lets it turn (the histogram samples on a timer), until `check()` holds; fails after `ms`. */
async function blockUntil(check: () => boolean, ms: number): Promise<void> {
  const by = Date.now() + ms;
  while (!check()) {
    if (Date.now() > by) throw new Error(`condition not met within ${ms} ms`);
    blockLoop(120);
    await new Promise((r) => setTimeout(r, 15));
  }
}

test('a blocked event loop shows in eventLoopDelayMs, and reset() clears it', async () => {
  const metrics = new PipelineMetrics();
  metrics.reset();
  await blockUntil(() => metrics.eventLoopDelayMs().max >= 100, 5000);
  const d = metrics.eventLoopDelayMs();
  assert.ok(d.p50 >= 0 && d.p50 <= d.p99 && d.p99 <= d.max, JSON.stringify(d));

  metrics.reset();
  assert.ok(metrics.eventLoopDelayMs().max < 100, 'reset() forgets the block');
});
