/**
 * What the fault tests (e2e/fault-*.test.ts) share: a three-line call whose second customer line
 * comes well after the first (a fault injected once the first is final must not stop the second),
 * the agent-socket bookkeeping around a fault, and the check that a call's post-call job ran to
 * completion exactly once.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { Queue } from 'bullmq';
import { loadTestDatabaseConfig } from '../config.ts';
import { POST_CALL_QUEUE } from '../jobs/post-call-queue.ts';
import type { AgentServerMessage, TranscriptFinalEvent } from '../protocol/index.ts';
import type { EarpieceNode } from '../earpiece.ts';
import type { ScriptLine } from './speech-audio.ts';
import type { AgentSocketProbe } from './test-stack.ts';

export const FAULT_CALL_SCRIPT: ScriptLine[] = [
  { role: 'customer', text: 'I would like to check the balance of my account' },
  { role: 'agent', text: 'of course let me look that up for you' },
  { role: 'customer', text: 'I lost my card yesterday and I think somebody stole it' },
];

/** The call's finals the agent's socket received (in order), from message index `from` on. */
export function finalsOf(agent: AgentSocketProbe, callId: string, from = 0): TranscriptFinalEvent[] {
  return agent.messages.slice(from).filter((m): m is TranscriptFinalEvent => m.type === 'transcript.final' && m.callId === callId);
}

/** The call's sequenced events the agent's socket received. */
export function eventsOf(agent: AgentSocketProbe, callId: string): Array<Extract<AgentServerMessage, { callId: string; seq: number }>> {
  return agent.messages.filter((m): m is Extract<AgentServerMessage, { callId: string; seq: number }> => 'callId' in m && m.callId === callId && 'seq' in m);
}

/** Waits for the first customer final ("balance"): the moment a fault is injected mid-call. */
export function firstCustomerFinal(agent: AgentSocketProbe, callId: string, timeoutMs = 30_000): Promise<AgentServerMessage> {
  return agent.waitFor((m) => m.type === 'transcript.final' && m.callId === callId && m.role === 'customer' && /balance/.test(m.text), timeoutMs);
}

/**
 * Skips the test with `reason` where a fault cannot be staged here; under CI=true the fault must be
 * staged, so this throws instead.
 */
export function skipUnlessCi(t: TestContext, reason: string): void {
  if (loadTestDatabaseConfig().required) throw new Error(`${reason} (CI=true: fault tests must run)`);
  t.skip(reason);
}

/**
 * The call's archive job exists once, completed, and its effects are there once: the call is
 * archived, each of the eight pipeline steps is recorded once, one archive record, one auto scorecard.
 */
export async function assertArchivedOnce(node: EarpieceNode, callId: string): Promise<void> {
  const queue = new Queue(POST_CALL_QUEUE, { connection: { url: node.redisUrl } });
  try {
    const job = await queue.getJob(`archive-${encodeURIComponent(callId)}`);
    assert.ok(job, `the archive job of ${callId} exists`);
    assert.equal(await job.getState(), 'completed', `the archive job of ${callId} completed`);
  } finally {
    await queue.close();
  }
  assert.equal((await node.store.getCall(callId))?.status, 'archived');
  const steps = await node.db.all<{ step: string }>('SELECT step FROM post_call_steps WHERE call_id = ?', [callId]);
  assert.equal(new Set(steps.map((s) => s.step)).size, 8, 'eight distinct steps');
  assert.equal(steps.length, 8, 'each step recorded once');
  for (const table of ['call_archives', 'qa_scorecards']) {
    assert.equal((await node.db.all(`SELECT call_id FROM ${table} WHERE call_id = ?`, [callId])).length, 1, `one row in ${table}`);
  }
}

/** Waits for the call's archive job to be queued (it may be queued late, after a fault) and to complete. */
export async function archiveOf(node: EarpieceNode, callId: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await node.postCall.waitForArchive(callId, Math.max(1, deadline - Date.now()));
      return;
    } catch (err) {
      if (!/no archive job/.test((err as Error).message) || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100)); // polling for the job to appear, with a deadline
    }
  }
}
