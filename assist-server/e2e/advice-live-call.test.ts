/**
 * End to end, customer context and call summary: two short synthesized calls from one caller
 * number go through a whole node (bridge replay, recognition, masking, intent model, analyzers,
 * store). The first call is about a lost card; the second call's agent must get the caller's
 * history with that intent at call start, and the summary endpoint must give the first call's
 * intent timeline. No number reaches the agent or the database.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { replayCall } from '@earpiece/telephony-bridge';
import type { AgentServerMessage, AssistAdviceEvent, CustomerContextEvent } from '../src/protocol/index.ts';
import type { TransferSummary } from '../src/analyzers/summary/call-summary-builder.ts';
import { RoutingTable } from '../src/analyzers/advice/routing-table.ts';
import { REPO_ROOT } from '../src/config.ts';
import { synthesizeCall } from '../src/testing/speech-audio.ts';
import { AgentSocketProbe, startTestStack, type TestStack } from '../src/testing/test-stack.ts';

const CALLER = '+1 415 555 0142';
const LOST_CARD = 'lost_or_stolen_card|card_swallowed|compromised_card';

let stack: TestStack;
before(async () => {
  stack = await startTestStack();
  assert.ok(stack.node.nlu?.intentModelVersion, 'the default intent model is installed (npm run setup trains it)');
});
after(async () => stack?.close());

async function runCall(callId: string, agent: AgentSocketProbe, lines: Array<{ role: 'agent' | 'customer'; text: string }>): Promise<Array<Extract<AgentServerMessage, { seq: number; callId: string }>>> {
  const call = await synthesizeCall(lines, { sampleRateHz: 16000 });
  await replayCall({ serverUrl: stack.wsUrl, agentId: 'agent-1', callId, callerNumber: CALLER, stereoWav: call.path, speed: 1 });
  await agent.waitFor((m) => m.type === 'call.ended' && m.callId === callId, 20_000);
  return agent.messages.filter((m): m is Extract<AgentServerMessage, { seq: number; callId: string }> => 'callId' in m && m.callId === callId && 'seq' in m);
}

test('a caller\'s second call shows the first call\'s intent; the summary gives the intent timeline', async (t) => {
  const agent = await AgentSocketProbe.connect(stack.wsUrl, 'agent-1');
  const first = await runCall('e2e-advice-1', agent, [{ role: 'customer', text: 'I lost my card yesterday and I think somebody stole it' }]);
  const firstContext = first.find((e): e is CustomerContextEvent => e.type === 'customer.context');
  assert.deepEqual(firstContext?.context, { previousCalls: [] }, 'a first-time caller');
  const intent = first.find((e) => e.type === 'intent' && e.stage === 'final');
  assert.ok(intent && intent.type === 'intent', 'the first call got a final intent');
  assert.match(intent.prediction.label, new RegExp(LOST_CARD));

  const second = await runCall('e2e-advice-2', agent, [{ role: 'customer', text: 'hello I am calling again about my card' }]);
  const context = second.find((e): e is CustomerContextEvent => e.type === 'customer.context');
  assert.ok(context, 'customer.context on the second call');
  const started = second.find((e) => e.type === 'call.started')!;
  assert.ok(context.seq > started.seq && context.seq < second.find((e) => e.type === 'transcript.final')!.seq, 'sent at call start, before any transcript');
  const [previous] = context.context.previousCalls;
  assert.equal(previous?.callId, 'e2e-advice-1');
  assert.ok(previous.intents.includes(intent.prediction.label), `the first call's intent: ${JSON.stringify(previous)}`);
  assert.ok(previous.outcome, 'the first call\'s outcome was recorded');
  // lost or compromised cards go to the fraud team (default routing table): transfer advice, and the issue stays open
  t.diagnostic(`first call: ${intent.prediction.label} (${intent.prediction.confidence.toFixed(2)}), outcome ${previous.outcome}, open issue ${previous.openIssue}`);
  const transfer = first.find((e): e is AssistAdviceEvent => e.type === 'assist.advice' && e.kind === 'transfer');
  const routing = RoutingTable.parse(readFileSync(join(REPO_ROOT, 'models/packs/banking/routing.yaml'), 'utf8'));
  if (routing.transferFor(intent.prediction.label)?.queue === 'fraud' && intent.prediction.confidence >= routing.file.transferMinConfidence) {
    assert.equal(transfer?.target, 'fraud', 'transfer advice to the fraud team');
    assert.deepEqual([previous.outcome, previous.openIssue], ['transferred', intent.prediction.label]);
    const nudge = second.find((e): e is AssistAdviceEvent => e.type === 'assist.advice' && e.kind === 'open-issue');
    assert.ok(nudge, 'the open issue from the first call nudges the agent');
  }
  assert.ok(!JSON.stringify([...first, ...second]).includes('4155550142'), 'the number never reaches the agent');
  const callers = JSON.stringify(await stack.node.db.all('SELECT * FROM call_callers'));
  assert.ok(!/415\D?555\D?0142/.test(callers), 'nor the database');

  const res = await fetch(`${stack.httpUrl}/api/calls/e2e-advice-1/summary`, { headers: await stack.authHeaders('agent-1', 'agent') });
  assert.equal(res.status, 200);
  const { summary } = (await res.json()) as { summary: TransferSummary };
  assert.notEqual(summary.status, 'live', 'the call has ended (and may be archived by now)');
  assert.ok(summary.intentTimeline.some((i) => i.label === intent.prediction.label && i.utteranceId === intent.utteranceId), JSON.stringify(summary.intentTimeline));
  assert.equal(summary.open.lastIntent, intent.prediction.label);
  assert.match(summary.text, /Customer asked about: .*(lost or stolen card|card swallowed|compromised card)/);
  agent.close();
});
