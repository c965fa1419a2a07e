import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LegActivity, type Leg } from './leg-activity.ts';
import { placeOnTrack, speak } from './testing/synthetic-speech.ts';

const AGENT = 'Thank you for calling. Let me pull up your account and check the last payment for you.';
const CUSTOMER = 'I have been waiting on hold for forty minutes and nobody can tell me where my refund is';

/** Streams both legs into a tracker in 100 ms chunks, interleaved as a live call would arrive. */
function streamCall(legs: Record<Leg, { pcm: Int16Array; rate: number }>, tracker = new LegActivity()): LegActivity {
  const totalMs = Math.max(...Object.values(legs).map((l) => (l.pcm.length / l.rate) * 1000));
  for (let ms = 0; ms < totalMs; ms += 100) {
    for (const leg of ['agent', 'customer'] as const) {
      const { pcm, rate } = legs[leg];
      tracker.pushAudio(leg, pcm.subarray((ms * rate) / 1000, ((ms + 100) * rate) / 1000), rate);
    }
  }
  return tracker;
}

/**
 * The agent speaks first (8 kHz leg); the customer (16 kHz leg) starts speaking `gapMs` after the
 * agent's last word ends (negative: before it ends). Speech spans are flite's true word times.
 */
async function call(gapMs: number, tailMs = 1000) {
  const agent = await speak(AGENT, 8000);
  const customer = await speak(CUSTOMER, 16000);
  const agentSpeech = { startMs: agent.words[0]!.startMs, endMs: agent.words.at(-1)!.endMs };
  const customerAtMs = agentSpeech.endMs + gapMs - customer.words[0]!.startMs;
  const totalMs = customerAtMs + (customer.pcm.length / 16000) * 1000 + tailMs;
  return {
    legs: {
      agent: { pcm: placeOnTrack(totalMs, 8000, [{ pcm: agent.pcm, atMs: 0 }]), rate: 8000 },
      customer: { pcm: placeOnTrack(totalMs, 16000, [{ pcm: customer.pcm, atMs: customerAtMs }]), rate: 16000 },
    },
    agentSpeech,
    customerSpeech: { startMs: customer.words[0]!.startMs + customerAtMs, endMs: customer.words.at(-1)!.endMs + customerAtMs },
  };
}

test('customer talking over the agent mid-sentence: overlap seconds and one interruption by the customer', async () => {
  const c = await call(-3000);
  const tracker = streamCall(c.legs);
  tracker.finish();
  const expectedOverlap = c.agentSpeech.endMs - c.customerSpeech.startMs;
  assert.ok(expectedOverlap > 2000, `the clips overlap by ${expectedOverlap} ms`);
  assert.ok(Math.abs(tracker.overlapMs() - expectedOverlap) <= 150, `overlap ${tracker.overlapMs()} vs ${expectedOverlap}`);
  assert.deepEqual(tracker.interruptionCounts(), { agent: 0, customer: 1 });
  const [interruption] = tracker.interruptions();
  assert.ok(Math.abs(interruption!.atMs - c.customerSpeech.startMs) <= 60, `at ${interruption!.atMs}`);
  assert.deepEqual(tracker.longSilences(), []);
  // Overlap within a window: only the customer's utterance span.
  assert.equal(tracker.overlapMs(0, c.customerSpeech.startMs), 0);
});

test('taking turns: no overlap, no interruption, no long silence', async () => {
  const c = await call(700);
  const tracker = streamCall(c.legs);
  tracker.finish();
  assert.equal(tracker.overlapMs(), 0);
  assert.deepEqual(tracker.interruptionCounts(), { agent: 0, customer: 0 });
  assert.deepEqual(tracker.longSilences(), []);
  const gap = tracker.silenceBeforeMs(c.customerSpeech.startMs);
  assert.ok(gap !== null && Math.abs(gap - 700) <= 120, `silence before the customer ${gap}`);
});

test('dead air: both legs silent for more than 5 s is a long silence; the threshold is configurable', async () => {
  const c = await call(6000, 5500);
  const tracker = streamCall(c.legs);
  const silences = tracker.longSilences();
  assert.equal(silences.length, 2, JSON.stringify(silences));
  assert.ok(Math.abs(silences[0]!.endMs - silences[0]!.startMs - 6000) < 150 && !silences[0]!.ongoing, JSON.stringify(silences[0]));
  assert.equal(silences[1]!.ongoing, true, 'the silence after the customer is still going on');
  const patient = streamCall(c.legs, new LegActivity({ longSilenceMs: 8000 }));
  assert.deepEqual(patient.longSilences(), []);
});

test('a short backchannel over the agent is overlap but not an interruption', () => {
  const t = new LegActivity();
  t.addSpeech('agent', 0, 5000);
  t.addSpeech('customer', 2000, 2400); // "mm-hmm"
  assert.equal(t.overlapMs(), 400);
  assert.deepEqual(t.interruptionCounts(), { agent: 0, customer: 0 });
});

test('cutting in during a short pause of the other side counts; starting together or after they finish does not', () => {
  const pause = new LegActivity();
  pause.addSpeech('agent', 0, 2000);
  pause.addSpeech('agent', 2300, 4000); // agent pauses 300 ms mid-turn…
  pause.addSpeech('customer', 2100, 3500); // …and the customer cuts in there
  assert.deepEqual(pause.interruptionCounts(), { agent: 0, customer: 1 });

  const together = new LegActivity();
  together.addSpeech('agent', 1000, 3000);
  together.addSpeech('customer', 1100, 3000);
  assert.deepEqual(together.interruptionCounts(), { agent: 0, customer: 0 });

  const latched = new LegActivity();
  latched.addSpeech('agent', 0, 2000);
  latched.addSpeech('customer', 1900, 4000); // agent was finishing: 100 ms overlap
  assert.deepEqual(latched.interruptionCounts(), { agent: 0, customer: 0 });

  const agentCutsIn = new LegActivity();
  agentCutsIn.addSpeech('customer', 0, 4000);
  agentCutsIn.addSpeech('agent', 1500, 3000);
  assert.deepEqual(agentCutsIn.interruptionCounts(), { agent: 1, customer: 0 });
  assert.equal(agentCutsIn.interruptions(0, 1500).length, 0, 'window excludes it');
});

test('silence before an utterance: 0 when someone was just talking, null at call start', () => {
  const t = new LegActivity();
  assert.equal(t.silenceBeforeMs(1000), null);
  t.addSpeech('agent', 0, 3000);
  t.addSpeech('customer', 2050, 4000);
  assert.equal(t.silenceBeforeMs(2100), 0, 'the agent was still talking');
  t.addSpeech('customer', 9000, 10000);
  assert.equal(t.silenceBeforeMs(9000), 5000);
  assert.deepEqual(t.longSilences(), [{ startMs: 4000, endMs: 9000, ongoing: false }]);
});
