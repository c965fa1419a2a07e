/**
 * Silero gating in front of the real PocketSphinx engine, on flite speech at 8 kHz separated by
 * 3–5 s of silence: the same words as ungated, word times within ±100 ms of the ungated times,
 * and the decoder given a fraction of the call's audio. Figures go to the test's diagnostics.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { PiiTranscriptMasker } from '../../analyzers/pii-masker/pii-transcript-masker.ts';
import { CallSession } from '../../calls/call-session.ts';
import { CallStartMessage, type CallEvent } from '../../protocol/index.ts';
import { synthesizeSpeech } from '../../testing/speech-audio.ts';
import { PocketSphinxEngine } from '../pocketsphinx/pocketsphinx-engine.ts';
import { RecognitionStream } from '../recognition-stream.ts';
import type { RecognitionEvent } from '../recognizer.ts';
import { sileroVadStats } from './silero-detector.ts';
import { DEFAULT_VAD_SETTINGS } from './vad-settings.ts';

const RATE = 8000;
const FRAME = RATE / 50; // 20 ms frames, as the bridge sends them
const LINES = ['I would like to check the balance of my account', 'my card was stolen yesterday', 'can you send me a new card please', 'thank you very much for your help'];
const SILENCES_MS = [3000, 5000, 4000, 3500];
const TRAILING_MS = 3000;

let dir: string;
let engine: PocketSphinxEngine;
let call: Int16Array;
/** Where each line's speech starts on the call clock (ms). */
const lineStartsMs: number[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earpiece-vad-test-'));
  engine = await PocketSphinxEngine.load({ cacheDir: dir });
  const clips = await Promise.all(LINES.map((t) => synthesizeSpeech(t, { sampleRateHz: RATE, padStartMs: 0, padEndMs: 0 })));
  const parts = clips.flatMap((c, i) => [new Int16Array((SILENCES_MS[i]! / 1000) * RATE), c.pcm]);
  let sample = 0;
  clips.forEach((c, i) => {
    sample += (SILENCES_MS[i]! / 1000) * RATE;
    lineStartsMs.push((sample / RATE) * 1000);
    sample += c.pcm.length;
  });
  parts.push(new Int16Array((TRAILING_MS / 1000) * RATE));
  call = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) call.set(p, (at += p.length) - p.length);
});

after(async () => {
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

type Final = Extract<RecognitionEvent, { type: 'final' }>;

async function recognize(pcm: Int16Array, gated: boolean): Promise<{ finals: Final[]; writtenMs: number; decodedMs: number }> {
  const stream = await RecognitionStream.open(engine, { inputSampleRateHz: RATE, vad: gated ? DEFAULT_VAD_SETTINGS : undefined });
  assert.equal(stream.gated, gated);
  const events: RecognitionEvent[] = [];
  try {
    for (let at = 0; at < pcm.length; at += FRAME) events.push(...(await stream.write(pcm.subarray(at, at + FRAME))));
    events.push(...(await stream.flush()));
  } finally {
    await stream.close();
  }
  return { finals: events.filter((e): e is Final => e.type === 'final'), writtenMs: stream.writtenMs, decodedMs: stream.decodedMs };
}

test('gated: the same words at the same call times, from a fraction of the audio', async (t) => {
  const callMs = (call.length / RATE) * 1000;
  const plain = await recognize(call, false);
  const before = sileroVadStats();
  const gated = await recognize(call, true);
  const vad = sileroVadStats();
  const windows = vad.windows - before.windows;

  const words = (r: { finals: Final[] }) => r.finals.flatMap((f) => f.words);
  assert.ok(words(plain).length >= 20, `ungated PocketSphinx heard the lines (${plain.finals.map((f) => f.text).join(' | ')})`);
  assert.deepEqual(words(gated).map((w) => w.word), words(plain).map((w) => w.word), 'same words with and without gating');
  let worst = 0;
  words(gated).forEach((w, i) => {
    const p = words(plain)[i]!;
    worst = Math.max(worst, Math.abs(w.startMs - p.startMs), Math.abs(w.endMs - p.endMs));
    assert.ok(Math.abs(w.startMs - p.startMs) <= 100 && Math.abs(w.endMs - p.endMs) <= 100, `"${w.word}" ${w.startMs}-${w.endMs} ms gated, ${p.startMs}-${p.endMs} ms ungated`);
  });
  assert.equal(gated.finals.length, LINES.length, 'one final per line: the gap after each line ends its utterance');

  assert.equal(gated.writtenMs, callMs, 'writtenMs counts every sample, gated or not');
  assert.ok(plain.decodedMs >= callMs, 'ungated, the decoder gets the whole call');
  assert.ok(gated.decodedMs < 0.5 * callMs, `gated, the decoder gets ${Math.round(gated.decodedMs)} ms of ${callMs} ms`);
  assert.ok(windows > 0 && windows < callMs / 32, 'the model scored the speech; the digital silence between lines was skipped without it');

  t.diagnostic(
    JSON.stringify({
      callMs,
      decodedMsUngated: plain.decodedMs,
      decodedMsGated: Math.round(gated.decodedMs),
      decodedShare: +(gated.decodedMs / callMs).toFixed(3),
      words: words(gated).length,
      worstWordTimeDiffMs: worst,
      vadWindows: windows,
      vadModelMsPerWindow: +((vad.inferenceMs - before.inferenceMs) / windows).toFixed(4),
    }),
  );
});

test('gated on a line-noise floor (no digital silence): Silero itself skips the noise, one final per line at its time', async (t) => {
  // brown-ish noise about 45 dB below the speech: the model, not the digital-silence shortcut, decides
  const noisy = Int16Array.from(call);
  let seed = 7;
  let low = 0;
  for (let i = 0; i < noisy.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const white = ((seed % 2001) - 1000) / 1000;
    low = 0.9 * low + 0.1 * white;
    noisy[i] = Math.max(-32768, Math.min(32767, noisy[i]! + Math.round((white * 0.5 + low * 3) * 100)));
  }
  const before = sileroVadStats();
  const gated = await recognize(noisy, true);
  const windows = sileroVadStats().windows - before.windows;
  const callMs = (noisy.length / RATE) * 1000;
  assert.ok(windows >= Math.floor(callMs / 32) - 1, 'every window went through the model');
  assert.ok(gated.decodedMs < 0.5 * callMs, `the decoder got ${Math.round(gated.decodedMs)} ms of ${callMs} ms`);
  assert.equal(gated.finals.length, LINES.length);
  gated.finals.forEach((f, i) => assert.ok(Math.abs(f.startMs - lineStartsMs[i]!) <= 300, `line ${i + 1}: final from ${f.startMs} ms, spoken from ${lineStartsMs[i]} ms`));
  t.diagnostic(JSON.stringify({ noisyDecodedMs: Math.round(gated.decodedMs), callMs, finals: gated.finals.map((f) => f.text) }));
});

test('gated: a silent leg costs the decoder nothing and still advances writtenMs', async () => {
  const silent = await recognize(new Int16Array(20 * RATE), true);
  assert.deepEqual(silent.finals, []);
  assert.equal(silent.decodedMs, 0);
  assert.equal(silent.writtenMs, 20_000);
});

test('gated CallSession: finals at call times, and the silence after them is settled and acknowledged', async () => {
  const events: CallEvent[] = [];
  const durable: number[] = [];
  const session = await CallSession.open({
    start: CallStartMessage.parse({ type: 'call.start', v: 1, callId: 'vad-call', agentId: 'agent-1', source: 'test', startedAtMs: Date.now(), legs: [{ role: 'customer', sampleRateHz: RATE }] }),
    engine,
    vad: DEFAULT_VAD_SETTINGS,
    masker: new PiiTranscriptMasker({ lang: 'en' }),
    sink: { onCallEvent: (e) => events.push(e) },
    spoolDir: join(dir, 'spool'),
    redaction: { marginMs: 0, fill: 'silence' },
    logger: pino({ level: 'silent' }),
  });
  session.onDurable((_role, seq) => durable.push(seq));
  const frames = Math.ceil(call.length / FRAME);
  for (let seq = 0; seq < frames; seq++) {
    assert.equal(session.acceptFrame({ role: 'customer', seq, offsetSamples: seq * FRAME, pcm: call.subarray(seq * FRAME, (seq + 1) * FRAME) }), 'accepted');
  }
  // Before the hang-up: audio up to 2 s before the newest, which is silence, must already be durable.
  await waitFor(() => (durable.at(-1) ?? -1) >= frames - 1 - (2000 + 600) / 20, 30_000, () => `durable up to seq ${durable.at(-1)} of ${frames - 1}`);
  await session.stop('test');
  const finals = events.flatMap((e) => (e.type === 'transcript.final' ? [e] : []));
  assert.equal(finals.length, LINES.length);
  finals.forEach((f, i) => {
    assert.ok(Math.abs(f.startMs - lineStartsMs[i]!) <= 300, `line ${i + 1} starts at ${f.startMs} ms on the call clock (spoken from ${lineStartsMs[i]} ms)`);
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out: ${describe()}`);
    await new Promise((r) => setImmediate(r));
  }
}
