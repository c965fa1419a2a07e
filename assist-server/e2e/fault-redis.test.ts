/**
 * Fault: Redis restarts under a live node (its own redis-server on a fixed port, testing/fault-redis.ts;
 * the node gets it as REDIS_URL). A call is replayed at real-time pace through the bridge:
 *   - Redis restarts once the first customer sentence is final: the later sentence still reaches the
 *     agent's socket as a final (live transcript and assist do not depend on Redis being up);
 *   - Redis is down when the call ends: the archive job is queued once Redis is back (not lost);
 *   - Redis restarts while that job runs: the call is archived exactly once (not duplicated).
 * The exact mid-step case (a restart between two recorded steps) is jobs/post-call-queue.test.ts.
 * EARPIECE_SOAK=1 (npm run test:soak): several calls in a row, each with all three restarts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { QueueEvents } from 'bullmq';
import { replayCall } from '@earpiece/telephony-bridge';
import { archiveOf, assertArchivedOnce, FAULT_CALL_SCRIPT, finalsOf, firstCustomerFinal } from '../src/testing/fault-call.ts';
import { startRestartableRedis, type RestartableRedis } from '../src/testing/fault-redis.ts';
import { synthesizeCall } from '../src/testing/speech-audio.ts';
import { AgentSocketProbe, startTestStack, type TestStack } from '../src/testing/test-stack.ts';
import { POST_CALL_QUEUE } from '../src/jobs/post-call-queue.ts';

/** Test-only switch (not node configuration): the long run of `npm run test:soak`. */
const SOAK = process.env.EARPIECE_SOAK === '1';
const CALLS = SOAK ? 5 : 1;

const dir = mkdtempSync(join(tmpdir(), 'ep-fault-redis-'));
let redis: RestartableRedis;
let stack: TestStack;
before(async () => {
  redis = await startRestartableRedis(dir);
  stack = await startTestStack({ REDIS_URL: redis.url });
});
after(async () => {
  await stack?.close();
  await redis?.close();
  rmSync(dir, { recursive: true, force: true });
});

test(`Redis restarted mid-call and mid-job: finals keep coming, the call is archived once (${CALLS} call${CALLS > 1 ? 's' : ''})`, { timeout: CALLS * 90_000 }, async () => {
  const call = await synthesizeCall(FAULT_CALL_SCRIPT, { sampleRateHz: 8000 });
  const agent = await AgentSocketProbe.connect(stack.wsUrl, 'agent-1');
  try {
    for (let i = 0; i < CALLS; i++) {
      const callId = `fault-redis-${i}`;
      const replay = replayCall({ serverUrl: stack.wsUrl, agentId: 'agent-1', callId, stereoWav: call.path, speed: 1 });

      await firstCustomerFinal(agent, callId);
      await redis.restart();
      const afterRestart = agent.messages.length;
      // The later customer sentence, spoken after the restart, reaches the agent as a final.
      await agent.waitFor((m) => m.type === 'transcript.final' && m.callId === callId && m.role === 'customer' && /card|stole/.test(m.text) && agent.messages.indexOf(m) >= afterRestart, 30_000);

      // Redis goes down before the hang-up and stays down until call.ended was pushed (the server
      // acknowledges the bridge's call.stop only once the archive job is queued: after Redis is back).
      await redis.stop();
      await agent.waitFor((m) => m.type === 'call.ended' && m.callId === callId, 30_000);
      assert.ok(finalsOf(agent, callId, afterRestart).length >= 1);

      // Back up: the archive job is queued now; restart Redis again as soon as the job is active.
      await redis.start();
      await replay;
      const events = new QueueEvents(POST_CALL_QUEUE, { connection: { url: redis.url } });
      await events.waitUntilReady();
      const active = new Promise<void>((resolve) => events.on('active', ({ jobId }) => jobId === `archive-${callId}` && resolve()));
      await Promise.race([active, archiveOf(stack.node, callId)]);
      await events.close();
      await redis.restart();

      await archiveOf(stack.node, callId);
      await assertArchivedOnce(stack.node, callId);
    }
  } finally {
    agent.close();
  }
});
