/**
 * `earpiece simulate`'s machinery against a running bridge (startBridge: every source on free
 * ports) feeding a real assist-server node (PocketSphinx, private Redis, SQLite): 2 concurrent
 * calls per transport with real packets (SIPp for sip/siprec, AudioSocket TCP, Twilio Media
 * Streams). Each call must be held, reach the agent's socket with the transport's source and
 * both legs, and be archived with audio (not silence) on every leg the transport carries.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AgentServerMessage, LegRole } from '@earpiece/assist-server/protocol';
import { readWav } from '../../../assist-server/src/audio/wav-file.ts';
import { synthesizeCall } from '../../../assist-server/src/testing/speech-audio.ts';
import { AgentSocketProbe, startTestStack, type TestStack } from '../../../assist-server/src/testing/test-stack.ts';
import type { RunningBridge } from '../bridge.ts';
import { waitFor } from '../sources/rtp/test-ports.ts';
import { startTestBridge } from '../testing/test-bridge.ts';
import { loadSimulationAudio, type SimulationAudio } from './simulation-audio.ts';
import { runSimulation } from './run-simulation.ts';
import type { SimulateVia } from './simulation-types.ts';
import { bridgeTargets } from './bridge-targets.ts';

const AGENT = '7301';
const SECRET = 'sim-secret';
let stack: TestStack;
let bridge: RunningBridge;
let audio: SimulationAudio[];

before(async () => {
  stack = await startTestStack();
  bridge = await startTestBridge({ serverUrl: stack.wsUrl, agentId: AGENT, secret: SECRET, logger: stack.node.logger });
  const call = await synthesizeCall(
    [
      { role: 'agent', text: 'thank you for calling how can I help' },
      { role: 'customer', text: 'I would like to check my balance' },
    ],
    { sampleRateHz: 8000, gapMs: 200 },
  );
  audio = await loadSimulationAudio(call.path);
});
after(async () => {
  await bridge.close();
  await stack.close();
});

async function simulateAndCheck(via: SimulateVia, source: string, legsWithAudio: LegRole[]): Promise<void> {
  const probe = await AgentSocketProbe.connect(stack.wsUrl, AGENT);
  try {
    const summary = await runSimulation({ via, target: bridgeTargets(bridge)[via], calls: 2, audio, agentId: AGENT, secret: SECRET, ratePerS: 20 });
    assert.deepEqual(summary.calls, { placed: 2, completed: 2, failed: 0 }, JSON.stringify(summary));
    assert.deepEqual(summary.legsWithAudio, legsWithAudio);
    await waitFor(() => probe.messages.filter((m) => m.type === 'call.ended').length >= 2, `2 ${via} calls ended`, 20_000);
    const started = probe.messages.filter((m): m is Extract<AgentServerMessage, { type: 'call.started' }> => m.type === 'call.started');
    assert.equal(started.length, 2, `two calls started: ${JSON.stringify(started)}`);
    for (const s of started) {
      assert.equal(s.call.source, source);
      assert.deepEqual([...s.call.legs].sort(), ['agent', 'customer'], `${via} call ${s.callId} has both legs`);
      await waitFor(async () => (await stack.node.store.getCall(s.callId))?.status === 'archived', `${s.callId} archived`, 20_000);
      const recordings = await stack.node.store.recordings(s.callId);
      for (const role of legsWithAudio) {
        const rec = recordings.find((r) => r.role === role);
        assert.ok(rec, `${via}: a ${role} recording for ${s.callId}`);
        assert.ok(rec.durationMs >= audio[0]!.durationMs * 0.8, `${via} ${role}: ${rec.durationMs} ms recorded of ${audio[0]!.durationMs}`);
        const pcm = (await readWav(rec.path)).channels[0]!;
        const peak = pcm.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        assert.ok(peak > 1000, `${via} ${role}: the recording holds speech (peak ${peak})`);
      }
    }
  } finally {
    probe.close();
  }
}

test('simulate --via sip: SIPp places two dialogs per call (agent + customer), grouped by X-Earpiece-Call-Id', () => simulateAndCheck('sip', 'sip', ['agent', 'customer']));
test('simulate --via siprec: SIPp multipart INVITE with metadata; the customer stream carries audio', () => simulateAndCheck('siprec', 'siprec', ['customer']));
test('simulate --via audiosocket: two AudioSocket connections per call paired by UUID prefix', () => simulateAndCheck('audiosocket', 'audiosocket', ['agent', 'customer']));
test('simulate --via twilio: a Media Streams WebSocket per call, inbound and outbound tracks', () => simulateAndCheck('twilio', 'twilio', ['agent', 'customer']));
