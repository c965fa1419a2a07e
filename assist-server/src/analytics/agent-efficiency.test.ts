import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CallMetrics } from '../store/call-metrics-store.ts';
import { agentEfficiency, aggregateAgents } from './agent-efficiency.ts';

const call = (agentId: string, over: Partial<CallMetrics>): CallMetrics => ({
  callId: `${agentId}-${Math.random()}`,
  agentId,
  callType: 'pstn',
  startedAtMs: 0,
  endedAtMs: 0,
  handleMs: 300_000,
  talkAgentMs: 0,
  talkCustomerMs: 0,
  nonTalkMs: 0,
  holdMs: 0,
  interruptionsAgent: 0,
  interruptionsCustomer: 0,
  loudnessAgentDbfs: null,
  loudnessCustomerDbfs: null,
  wpmAgent: null,
  wpmCustomer: null,
  firstResponseMs: null,
  transferred: false,
  resolution: 'resolved',
  resolutionSource: 'wrap-up',
  sentimentStart: null,
  sentimentEnd: null,
  complianceScore: null,
  primaryIntent: null,
  intents: [],
  ...over,
});

test('agent aggregates by hand: unknown resolutions and missing scores stay out of their rates and means', () => {
  const [a] = aggregateAgents([
    call('x', { handleMs: 100_000, resolution: 'resolved', complianceScore: 90, sentimentStart: -0.5, sentimentEnd: 0.5 }),
    call('x', { handleMs: 200_000, resolution: 'unresolved', transferred: true, complianceScore: 70 }),
    call('x', { handleMs: 600_000, resolution: 'unknown', sentimentStart: 0, sentimentEnd: -0.5 }),
  ]);
  assert.deepEqual(a, { agentId: 'x', calls: 3, meanHandleMs: 300_000, resolutionRate: 0.5, transferRate: 1 / 3, meanComplianceScore: 80, meanSentimentChange: 0.25 });
});

test('agent tiers: two agents make two tiers named by score; one agent one middle tier; none, none', () => {
  const two = agentEfficiency([call('good', { handleMs: 200_000 }), call('slow', { handleMs: 900_000, resolution: 'unresolved', transferred: true })]);
  assert.equal(two.method.k, 2);
  assert.deepEqual(two.agents.map((a) => [a.agentId, a.tier]), [['good', 'top'], ['slow', 'support']]);
  const one = agentEfficiency([call('solo', {})]);
  assert.deepEqual([one.method.k, one.agents[0]!.tier, one.tiers[0]!.centroid.meanHandleMs], [1, 'middle', 300_000]);
  assert.deepEqual(agentEfficiency([]), { agents: [], tiers: [], method: { ...agentEfficiency([]).method, k: 0 } });
});
