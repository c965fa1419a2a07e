/**
 * End to end, compliance: a synthesized call without the recording disclosure, in which the agent
 * promises guaranteed returns, is replayed by the bridge into a whole node with the default banking
 * rules. The agent's socket must get the forbidden-phrase warning, and the missed-disclosure
 * warning exactly when the call clock passes the 15 s deadline (never before); both are stored
 * with the call for reviewers.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { replayCall } from '@earpiece/telephony-bridge';
import type { AgentServerMessage, ComplianceChecklistEvent, ComplianceWarningEvent } from '../src/protocol/index.ts';
import { synthesizeCall, type ScriptLine } from '../src/testing/speech-audio.ts';
import { AgentSocketProbe, startTestStack, type TestStack } from '../src/testing/test-stack.ts';

const DISCLOSURE_DEADLINE_MS = 15_000; // models/packs/banking/compliance-rules.yaml
const SCRIPT: ScriptLine[] = [
  { role: 'agent', text: 'thank you for calling how can I help you today' },
  { role: 'customer', text: 'I want to put my savings into an investment' },
  { role: 'agent', text: 'this fund gives you guaranteed returns every year' },
];

let stack: TestStack;
before(async () => {
  stack = await startTestStack();
});
after(async () => stack?.close());

test('a forbidden phrase and a missing disclosure reach the agent as warnings, the disclosure at its deadline', async () => {
  const callId = 'e2e-compliance';
  // gaps stretch the call past the disclosure deadline (silence is cheap to recognize)
  const call = await synthesizeCall(SCRIPT, { sampleRateHz: 16000, gapMs: 3000 });
  const durationMs = (call.audio.channels[0]!.length / call.audio.sampleRateHz) * 1000;
  assert.ok(durationMs > DISCLOSURE_DEADLINE_MS + 1000, `the call (${durationMs} ms) runs past the deadline`);
  const agent = await AgentSocketProbe.connect(stack.wsUrl, 'agent-1');
  // full speed: the call clock is audio time, so the deadline falls at the same point of the call as at speed 1
  await replayCall({ serverUrl: stack.wsUrl, agentId: 'agent-1', callId, stereoWav: call.path, speed: 'max' });
  await agent.waitFor((m) => m.type === 'call.ended' && m.callId === callId, 30_000);
  const events = agent.messages.filter((m): m is Extract<AgentServerMessage, { callId: string; seq: number }> => 'callId' in m && m.callId === callId && 'seq' in m);
  const warnings = events.filter((e): e is ComplianceWarningEvent => e.type === 'compliance.warning');
  const finals = events.filter((e) => e.type === 'transcript.final').map((e) => ('text' in e ? e.text : ''));

  const promise = warnings.find((w) => w.ruleId === 'no-promised-returns');
  assert.ok(promise, `a forbidden-phrase warning; finals ${JSON.stringify(finals)}, warnings ${JSON.stringify(warnings)}`);
  assert.equal(promise.role, 'agent');
  assert.equal(promise.severity, 'critical');
  assert.match(promise.evidence ?? '', /guarantee/);
  const promiseLine = call.lines[2]!;
  assert.ok(promise.offsetMs >= promiseLine.startMs - 500 && promise.offsetMs <= promiseLine.endMs, `offset ${promise.offsetMs} within the line ${promiseLine.startMs}..${promiseLine.endMs}`);

  const disclosure = warnings.filter((w) => w.ruleId === 'recording-disclosure');
  assert.equal(disclosure.length, 1, 'one missed-disclosure warning');
  assert.ok(disclosure[0]!.offsetMs >= DISCLOSURE_DEADLINE_MS, `not before the deadline: ${disclosure[0]!.offsetMs}`);
  assert.ok(disclosure[0]!.offsetMs < DISCLOSURE_DEADLINE_MS + 40, `on the first frames past the deadline: ${disclosure[0]!.offsetMs}`);
  assert.equal(disclosure[0]!.rulesVersion, stack.node.compliance.rules.current.version);

  const checklists = events.filter((e): e is ComplianceChecklistEvent => e.type === 'compliance.checklist');
  const statusOf = (c: ComplianceChecklistEvent) => c.items.find((i) => i.ruleId === 'recording-disclosure')?.status;
  assert.equal(statusOf(checklists[0]!), 'owed', 'the first checklist shows the disclosure owed');
  assert.equal(statusOf(checklists.at(-1)!), 'missed');
  const missedAt = checklists.find((c) => statusOf(c) === 'missed')!;
  assert.ok(missedAt.seq > checklists[0]!.seq);

  // stored with the call for reviewers
  const res = await fetch(`${stack.httpUrl}/api/calls/${callId}/compliance`, { headers: await stack.authHeaders('agent-1', 'agent') });
  const stored = (await res.json()) as { hits: Array<{ ruleId: string; offsetMs: number; rulesVersion: string }> };
  assert.deepEqual(
    stored.hits.filter((h) => ['recording-disclosure', 'no-promised-returns'].includes(h.ruleId)).map((h) => h.ruleId).sort(),
    ['no-promised-returns', 'recording-disclosure'],
  );
  agent.close();
});
