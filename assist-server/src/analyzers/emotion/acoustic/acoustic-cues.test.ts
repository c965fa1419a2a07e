import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { computeUtteranceCues, LOUDER_CUE_DB, type UtteranceCues } from './acoustic-cues.ts';
import { CallAcoustics } from './call-acoustics.ts';
import { CallerBaseline } from './caller-baseline.ts';
import { LegActivity } from './leg-activity.ts';
import { placeOnTrack, soxVariant, speak, speakStretched, type TestUtterance } from './testing/synthetic-speech.ts';

const EARLIER = ['Hi, I am calling about the bill I got this month', 'I paid it last week but it still shows as due'];
const SENTENCE = 'I have been waiting on hold for forty minutes and nobody can tell me where my refund is';
const AGENT = 'Thank you for calling. Let me pull up your account and check the last payment for you.';

/** Cues of a whole clip as one utterance (its words' span), against `baseline`. */
function cuesOf(u: TestUtterance, baseline: CallerBaseline | null, activity?: LegActivity, atMs = 0): UtteranceCues {
  return computeUtteranceCues({
    pcm: u.pcm,
    sampleRateHz: u.sampleRateHz,
    pcmStartMs: atMs,
    startMs: atMs + u.words[0]!.startMs - 100,
    endMs: atMs + u.words.at(-1)!.endMs + 100,
    words: u.words.map((w) => ({ ...w, startMs: w.startMs + atMs, endMs: w.endMs + atMs })),
    baseline: baseline?.current() ?? null,
    ...(activity ? { activity } : {}),
  });
}

const near = (a: number | null, b: number | null, tol: number, what: string) => {
  assert.ok(a !== null && b !== null && Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (±${tol})`);
};

for (const rate of [8000, 16000]) {
  const clips: Record<string, TestUtterance> = {};
  const baseline = new CallerBaseline();

  before(async () => {
    for (const text of EARLIER) {
      const u = await speak(text, rate);
      const c = cuesOf(u, null);
      baseline.add({ loudnessDbfs: c.loudnessDbfs, pitchHz: c.pitchHz, pitchVariabilitySemitones: c.pitchVariabilitySemitones, wordsPerSecond: c.wordsPerSecond });
    }
    const plain = await speak(SENTENCE, rate);
    clips.plain = plain;
    clips.louder = await soxVariant(plain, ['gain', '6']);
    clips.tempo = await soxVariant(plain, ['tempo', '1.4'], 1.4);
    clips.stretched = await speakStretched(SENTENCE, rate, 0.7);
    clips.higher = await soxVariant(plain, ['pitch', '400']);
  });

  test(`${rate} Hz: the caller's usual voice gives no cues and low arousal`, () => {
    const c = cuesOf(clips.plain!, baseline);
    assert.deepEqual(c.cues, []);
    assert.ok(c.arousal < 0.2, `arousal ${c.arousal}`);
    near(c.loudnessDeltaDb, 0, 2, 'loudness vs baseline');
    near(c.pitchDeltaSemitones, 0, 1, 'pitch vs baseline');
    assert.ok(c.rateReliable && c.wordCount === 18);
  });

  test(`${rate} Hz: +6 dB gain → "louder" cue of +6 dB, higher arousal, pitch and rate unchanged`, () => {
    const plain = cuesOf(clips.plain!, baseline);
    const c = cuesOf(clips.louder!, baseline);
    near(c.loudnessDbfs! - plain.loudnessDbfs!, 6, 0.5, 'loudness change');
    near(c.pitchHz, plain.pitchHz, plain.pitchHz! * 0.02, 'pitch');
    near(c.pitchVariabilitySemitones, plain.pitchVariabilitySemitones, 0.3, 'variability');
    assert.equal(c.wordsPerSecond, plain.wordsPerSecond);
    assert.ok(c.loudnessDeltaDb! >= LOUDER_CUE_DB);
    assert.deepEqual(c.cueKinds, ['louder']);
    assert.match(c.cues[0]!, /^speaking louder than earlier in the call \(\+\d dB\)$/);
    assert.ok(c.arousal >= plain.arousal + 0.3, `arousal ${plain.arousal} → ${c.arousal}`);
  });

  test(`${rate} Hz: sox tempo 1.4 and flite at 0.7 duration → "faster" cue; pitch within a semitone, loudness within 1 dB`, () => {
    const plain = cuesOf(clips.plain!, baseline);
    for (const name of ['tempo', 'stretched']) {
      const c = cuesOf(clips[name]!, baseline);
      assert.ok(c.wordsPerSecond! / plain.wordsPerSecond! > 1.3, `${name}: ${plain.wordsPerSecond} → ${c.wordsPerSecond} words/s`);
      near(12 * Math.log2(c.pitchHz! / plain.pitchHz!), 0, 1, `${name} pitch change (st)`);
      near(c.loudnessDbfs, plain.loudnessDbfs, 1, `${name} loudness`);
      assert.ok(c.cueKinds.includes('faster') && !c.cueKinds.includes('louder') && !c.cueKinds.includes('higher-pitch'), `${name}: ${c.cues}`);
      assert.match(c.cues[c.cueKinds.indexOf('faster')]!, /^speaking faster than earlier \(\d\.\d words\/s\)$/);
      assert.ok(c.arousal > plain.arousal + 0.2, `${name} arousal ${plain.arousal} → ${c.arousal}`);
    }
  });

  test(`${rate} Hz: sox pitch +400 cents → "higher-pitch" cue; loudness and rate unchanged`, () => {
    const plain = cuesOf(clips.plain!, baseline);
    const c = cuesOf(clips.higher!, baseline);
    near(c.pitchDeltaSemitones! - plain.pitchDeltaSemitones!, 4, 0.5, 'pitch change (st)');
    near(c.loudnessDbfs, plain.loudnessDbfs, 1, 'loudness');
    assert.equal(c.wordsPerSecond, plain.wordsPerSecond);
    assert.deepEqual(c.cueKinds, ['higher-pitch']);
    assert.match(c.cues[0]!, /^voice pitched higher than earlier \(\+[34]\.\d semitones\)$/);
    assert.ok(c.arousal > plain.arousal + 0.2);
  });

  test(`${rate} Hz: without a baseline only absolute cues fire (fast speech), never "louder"`, () => {
    const plain = cuesOf(clips.plain!, null);
    const louder = cuesOf(clips.louder!, null);
    const fast = cuesOf(clips.tempo!, null);
    assert.equal(louder.loudnessDeltaDb, null);
    assert.deepEqual(louder.cueKinds, plain.cueKinds);
    assert.ok(fast.cueKinds.includes('faster'), `${fast.cues}`);
    assert.match(fast.cues[fast.cueKinds.indexOf('faster')]!, /^speaking fast \(\d\.\d words\/s\)$/);
  });
}

test('talking over the agent: overlap, an interruption and the "talking over" cue, through CallAcoustics', async () => {
  const agent = await speak(AGENT, 8000);
  const customer = await speak(SENTENCE, 8000);
  const run = async (customerAtMs: number) => {
    const acoustics = new CallAcoustics();
    const totalMs = customerAtMs + 8000;
    const legs = {
      agent: placeOnTrack(totalMs, 8000, [{ pcm: agent.pcm, atMs: 0 }]),
      customer: placeOnTrack(totalMs, 8000, [{ pcm: customer.pcm, atMs: customerAtMs }]),
    };
    for (let at = 0; at < legs.agent.length; at += 800) {
      acoustics.pushAudio('agent', legs.agent.subarray(at, at + 800), 8000);
      acoustics.pushAudio('customer', legs.customer.subarray(at, at + 800), 8000);
    }
    const words = customer.words.map((w) => ({ ...w, startMs: w.startMs + customerAtMs, endMs: w.endMs + customerAtMs }));
    return acoustics.customerUtterance({ pcm: legs.customer, sampleRateHz: 8000, pcmStartMs: 0, startMs: words[0]!.startMs, endMs: words.at(-1)!.endMs, words });
  };
  const agentEndMs = agent.words.at(-1)!.endMs;
  const overTalk = await run(2500); // customer starts while the agent is mid-sentence
  const turnTaking = await run(agentEndMs + 500);

  assert.ok(overTalk.overlapMs > 2000, `overlap ${overTalk.overlapMs}`);
  assert.deepEqual(overTalk.interruptions, { made: 1, received: 0 });
  assert.equal(overTalk.cueKinds[0], 'talking-over');
  assert.match(overTalk.cues[0]!, /^talking over the agent \(\d\.\d s of overlap\)$/);
  assert.equal(turnTaking.overlapMs, 0);
  assert.deepEqual(turnTaking.interruptions, { made: 0, received: 0 });
  assert.ok(!turnTaking.cueKinds.includes('talking-over'));
  assert.ok(overTalk.arousal > turnTaking.arousal + 0.3, `arousal ${turnTaking.arousal} → ${overTalk.arousal}`);
  // Same audio otherwise: loudness and pitch agree.
  near(overTalk.loudnessDbfs, turnTaking.loudnessDbfs, 0.5, 'loudness');
  near(overTalk.pitchHz, turnTaking.pitchHz, 1, 'pitch');
});

test('an utterance after long dead air says so', async () => {
  const agent = await speak(AGENT, 8000);
  const customer = await speak(SENTENCE, 8000);
  const atMs = agent.words.at(-1)!.endMs + 7000 - customer.words[0]!.startMs;
  const activity = new LegActivity();
  activity.pushAudio('agent', placeOnTrack(atMs + 8000, 8000, [{ pcm: agent.pcm, atMs: 0 }]), 8000);
  activity.pushAudio('customer', placeOnTrack(atMs + 8000, 8000, [{ pcm: customer.pcm, atMs }]), 8000);
  const c = cuesOf(customer, null, activity, atMs);
  near(c.silenceBeforeMs, 7000, 250, 'silence before'); // the utterance window opens 100 ms before its first word
  assert.ok(c.cueKinds.includes('after-silence'));
  assert.match(c.cues[c.cueKinds.indexOf('after-silence')]!, /^after 7 s of silence on the line$/);
  const patient = new LegActivity({ longSilenceMs: 10_000 });
  patient.addSpeech('agent', agent.words[0]!.startMs, agent.words.at(-1)!.endMs);
  assert.ok(!cuesOf(customer, null, patient, atMs).cueKinds.includes('after-silence'), 'threshold is configurable');
});

test('silence as an utterance: no loudness, no pitch, no cues, zero arousal, JSON-safe', () => {
  for (const rate of [8000, 16000]) {
    const c = computeUtteranceCues({ pcm: new Int16Array(rate * 2), sampleRateHz: rate, startMs: 0, endMs: 2000, words: [] });
    assert.equal(c.loudnessDbfs, null);
    assert.equal(c.pitchHz, null);
    assert.equal(c.pitchVariabilitySemitones, null);
    assert.equal(c.wordsPerSecond, null);
    assert.equal(c.arousal, 0);
    assert.deepEqual(c.cues, []);
    assert.deepEqual(JSON.parse(JSON.stringify(c)), c);
  }
});

test('the utterance window selects its part of a longer leg buffer', async () => {
  const quiet = await soxVariant(await speak(SENTENCE, 16000), ['gain', '-12']);
  const loud = await speak(SENTENCE, 16000);
  const lenMs = (loud.pcm.length / 16000) * 1000;
  const leg = placeOnTrack(2 * lenMs, 16000, [{ pcm: loud.pcm, atMs: 0 }, { pcm: quiet.pcm, atMs: lenMs }]);
  const whole = (pcm: Int16Array, startMs: number) => computeUtteranceCues({ pcm, sampleRateHz: 16000, pcmStartMs: 10_000, startMs, endMs: startMs + lenMs, words: [] });
  const first = whole(leg, 10_000);
  const second = whole(leg, 10_000 + lenMs);
  near(first.loudnessDbfs! - second.loudnessDbfs!, 12, 0.5, 'first minus second');
});
