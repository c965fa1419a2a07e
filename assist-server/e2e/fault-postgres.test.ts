/**
 * Fault: the PostgreSQL server goes away for 10 s under a live node (testing/fault-postgres.ts: fast
 * shutdown, then started again on the same port and data). Two calls:
 *   - call A ends just before the outage: the database stops as soon as its archive job is active, so
 *     the job fails mid-pipeline, is retried by BullMQ and completes once the database is back;
 *   - call B is live through the outage: its later sentence still reaches the agent as a final (events
 *     are pushed even when they cannot be stored yet), it ends during the outage, and once the
 *     database is back every event the agent got is stored (late, in order) and the call is archived once.
 * EARPIECE_SOAK=1 (npm run test:soak): a 30 s outage.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QueueEvents } from 'bullmq';
import { replayCall } from '@earpiece/telephony-bridge';
import { POST_CALL_QUEUE } from '../src/jobs/post-call-queue.ts';
import { archiveOf, assertArchivedOnce, eventsOf, FAULT_CALL_SCRIPT, firstCustomerFinal, skipUnlessCi } from '../src/testing/fault-call.ts';
import { startRestartablePostgres, type RestartablePostgres } from '../src/testing/fault-postgres.ts';
import { PostgresUnavailableError } from '../src/testing/private-postgres.ts';
import { synthesizeCall } from '../src/testing/speech-audio.ts';
import { AgentSocketProbe, startTestStack, type TestStack } from '../src/testing/test-stack.ts';

/** Test-only switch (not node configuration): the long run of `npm run test:soak`. */
const SOAK = process.env.EARPIECE_SOAK === '1';
const OUTAGE_MS = SOAK ? 30_000 : 10_000;

test(`PostgreSQL down for ${OUTAGE_MS / 1000} s mid-pipeline: the archive job retries and completes, the live call keeps going and is stored late`, { timeout: 120_000 + OUTAGE_MS * 2 }, async (t) => {
  let pg: RestartablePostgres;
  try {
    pg = await startRestartablePostgres();
  } catch (err) {
    if (err instanceof PostgresUnavailableError) return skipUnlessCi(t, `PostgreSQL unavailable: ${err.message}`);
    throw err;
  }
  let stack: TestStack | undefined;
  let agent: AgentSocketProbe | undefined;
  t.after(async () => {
    agent?.close();
    await pg.start(); // a failed check may have left it stopped: the node's shutdown stores what it kept
    await stack?.close();
    await pg.close();
  });
  stack = await startTestStack({ DATABASE_URL: pg.url });
  agent = await AgentSocketProbe.connect(stack.wsUrl, 'agent-1');

  const [callA, callB] = await Promise.all([synthesizeCall(FAULT_CALL_SCRIPT.slice(0, 1), { sampleRateHz: 8000 }), synthesizeCall(FAULT_CALL_SCRIPT, { sampleRateHz: 8000 })]);
  const replayB = replayCall({ serverUrl: stack.wsUrl, agentId: 'agent-1', callId: 'fault-pg-b', stereoWav: callB.path, speed: 1 });
  await firstCustomerFinal(agent, 'fault-pg-b');

  // Call A, as fast as the node takes it; the database stops once A's archive job is active.
  const events = new QueueEvents(POST_CALL_QUEUE, { connection: { url: stack.node.redisUrl } });
  await events.waitUntilReady();
  const activeA = new Promise<void>((resolve) => events.on('active', ({ jobId }) => jobId === 'archive-fault-pg-a' && resolve()));
  await replayCall({ serverUrl: stack.wsUrl, agentId: 'agent-1', callId: 'fault-pg-a', stereoWav: callA.path, speed: 'max' });
  await activeA;
  await events.close();
  const down = Date.now();
  await pg.stop();
  const atOutage = agent.messages.length;

  try {
    // Call B goes on: its later customer sentence is final while the database is down, and it ends.
    await agent.waitFor((m) => m.type === 'transcript.final' && m.callId === 'fault-pg-b' && m.role === 'customer' && /card|stole/.test(m.text) && agent.messages.indexOf(m) >= atOutage, 30_000);
    await agent.waitFor((m) => m.type === 'call.ended' && m.callId === 'fault-pg-b', 30_000);
    // The outage lasts OUTAGE_MS: a fault-injection interval, not a wait for a result.
    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - down))));
  } finally {
    await pg.start(); // also when the checks above failed: the node's shutdown waits for the database
  }
  t.diagnostic(`database was down ${Date.now() - down} ms; call B's events during it: ${agent.messages.length - atOutage}`);

  await replayB;
  for (const callId of ['fault-pg-a', 'fault-pg-b']) {
    await archiveOf(stack.node, callId, 120_000);
    await assertArchivedOnce(stack.node, callId);
  }
  // Every event the agent got for call B is stored, in order (partials are never stored).
  const pushed = eventsOf(agent, 'fault-pg-b').filter((e) => e.type !== 'transcript.partial');
  const stored = await stack.node.store.events('fault-pg-b');
  assert.deepEqual(stored.map((e) => e.seq), pushed.map((e) => e.seq), 'events pushed during the outage (call.ended among them) were stored once the database was back');
  const customer = (await stack.node.store.finals('fault-pg-b')).filter((u) => u.role === 'customer').map((u) => u.text).join(' ');
  assert.match(customer, /balance/);
  assert.match(customer, /card|stole/, 'the final spoken during the outage is in the archive');
});
