/**
 * Admission control end to end: a real node (PocketSphinx, one recognizer thread) whose capacity,
 * computed from the recognizers' cost, is one call; a real bridge in front of it. Call 1 (SIPp, two
 * SIP dialogs) is held; while it runs, one more call on each protocol is refused by the bridge on
 * that protocol's own terms (SIP 503, AudioSocket error frame, WebSocket close 1013), and call 1
 * keeps getting finals after the refusals and ends normally.
 *
 * The target is set so low (0.01 of a thread) that floor(threads × target / cost per call) is 0 for
 * any plausible cost, measured or prior, so the floor of one call decides: the capacity is one call
 * whatever this machine's speed (the figures themselves are covered by calls/admission-control.test.ts).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AgentServerMessage } from '../src/protocol/index.ts';
import { synthesizeCall } from '../src/testing/speech-audio.ts';
import { AgentSocketProbe, startTestStack, type TestStack } from '../src/testing/test-stack.ts';
import type { CapacityFigures } from '../src/calls/admission-control.ts';
import type { RunningBridge } from '../../telephony-bridge/src/bridge.ts';
import { waitFor } from '../../telephony-bridge/src/sources/rtp/test-ports.ts';
import { startTestBridge } from '../../telephony-bridge/src/testing/test-bridge.ts';
import { loadSimulationAudio, type SimulationAudio } from '../../telephony-bridge/src/simulate/simulation-audio.ts';
import { runSimulation } from '../../telephony-bridge/src/simulate/run-simulation.ts';
import { bridgeTargets } from '../../telephony-bridge/src/simulate/bridge-targets.ts';
import type { SimulateVia } from '../../telephony-bridge/src/simulate/simulation-types.ts';

const AGENT = '7401';
const SECRET = 'admission-secret';
let stack: TestStack;
let bridge: RunningBridge;
let longCall: SimulationAudio[];
let shortCall: SimulationAudio[];

before(async () => {
  stack = await startTestStack({
    EARPIECE_RECOGNIZER_THREADS: '1',
    EARPIECE_CAPACITY_TARGET: '0.01',
    EARPIECE_NLU: 'off',
    EARPIECE_ASSIST: 'off',
    EARPIECE_COMPLIANCE: 'off',
    EARPIECE_ADVICE: 'off',
  });
  bridge = await startTestBridge({ serverUrl: stack.wsUrl, agentId: AGENT, secret: SECRET, logger: stack.node.logger });
  const long = await synthesizeCall(
    [
      { role: 'agent', text: 'thank you for calling how can I help you today' },
      { role: 'customer', text: 'I would like to check the balance of my account' },
      { role: 'agent', text: 'of course can you tell me your full name please' },
      { role: 'customer', text: 'my name is john smith and I live in boston' },
      { role: 'agent', text: 'thank you I can see your account now' },
      { role: 'customer', text: 'I also want to close my credit card' },
    ],
    { sampleRateHz: 8000, gapMs: 1500 },
  );
  longCall = await loadSimulationAudio(long.path);
  const short = await synthesizeCall([{ role: 'customer', text: 'hello is anyone there' }], { sampleRateHz: 8000, gapMs: 200 });
  shortCall = await loadSimulationAudio(short.path);
});

after(async () => {
  await bridge?.close();
  await stack?.close();
});

async function health(): Promise<{ liveCalls: number; capacity: CapacityFigures }> {
  const res = await fetch(`${stack.httpUrl}/api/health`);
  return (await res.json()) as { liveCalls: number; capacity: CapacityFigures };
}

test('at capacity the bridge refuses the next call on each protocol while the call that is up keeps getting finals', async () => {
  const probe = await AgentSocketProbe.connect(stack.wsUrl, AGENT);
  try {
    const before = await health();
    assert.equal(before.capacity.capacityCalls, 1, JSON.stringify(before.capacity));
    assert.equal(before.capacity.load.slots, 1);

    const held = runSimulation({ via: 'sip', target: bridgeTargets(bridge).sip, calls: 1, audio: longCall, agentId: AGENT, secret: SECRET, runId: 'ad0000e1' });
    const started = (await probe.waitFor((m) => m.type === 'call.started', 20_000)) as Extract<AgentServerMessage, { type: 'call.started' }>;
    const callId = started.callId;
    const finalsOf = () => probe.messages.filter((m) => m.type === 'transcript.final' && m.callId === callId).length;
    await waitFor(() => finalsOf() >= 1, 'a first final of the held call', 30_000);

    const refusals: Partial<Record<SimulateVia, Record<string, number>>> = {};
    for (const via of ['sip', 'audiosocket', 'twilio'] as const) {
      const summary = await runSimulation({ via, target: bridgeTargets(bridge)[via], calls: 1, audio: shortCall, agentId: AGENT, secret: SECRET, runId: `ad0000f${['sip', 'audiosocket', 'twilio'].indexOf(via)}` });
      assert.deepEqual(summary.calls, { placed: 1, completed: 0, failed: 1 }, `${via}: ${JSON.stringify(summary)}`);
      refusals[via] = summary.failures;
    }
    const reasons = Object.fromEntries(Object.entries(refusals).map(([via, f]) => [via, Object.keys(f!)[0]]));
    assert.match(reasons.sip!, /^SIP 503\b/, JSON.stringify(reasons));
    assert.match(reasons.audiosocket!, /^audiosocket error 0x13\b/, JSON.stringify(reasons));
    assert.match(reasons.twilio!, /^websocket close 1013\b/, JSON.stringify(reasons));

    const during = await health();
    assert.equal(during.liveCalls, 1);
    assert.ok(during.capacity.refused.capacity >= 3, JSON.stringify(during.capacity.refused));
    assert.equal(probe.messages.filter((m) => m.type === 'call.started').length, 1, 'no refused call reached the agent');

    // The held call did not degrade: it goes on producing finals after the refusals, and completes.
    const finalsAtRefusal = finalsOf();
    await waitFor(() => finalsOf() > finalsAtRefusal, 'a final of the held call after the refusals', 60_000);
    const heldSummary = await held;
    assert.deepEqual(heldSummary.calls, { placed: 1, completed: 1, failed: 0 }, JSON.stringify(heldSummary));
    await probe.waitFor((m) => m.type === 'call.ended' && m.callId === callId, 30_000);

    const after = await health();
    assert.equal(after.liveCalls, 0);
    // The held call's decoding was metered: about 56 s of leg audio went through the one slot.
    assert.equal(after.capacity.costMeasured, true, JSON.stringify(after.capacity));
    assert.ok(after.capacity.costPerLeg > 0 && after.capacity.load.queueWaitMs.count > 0, JSON.stringify(after.capacity));
  } finally {
    probe.close();
  }
});
