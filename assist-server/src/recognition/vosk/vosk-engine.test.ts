/**
 * VoskEngine against the real libvosk, with a synthetic Vosk-format model written into a temp dir
 * (words during speech are random by design; silence, endpoints, partials, word times and
 * errors behave as with a real model) and real flite speech.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { synthesizeSpeech, type SpeechClip } from '../../testing/speech-audio.ts';
import { RecognitionStream } from '../recognition-stream.ts';
import type { RecognitionEvent } from '../recognizer.ts';
import { libvosk } from './libvosk.ts';
import { DEFAULT_SYNTHETIC_VOCABULARY, writeSyntheticVoskModel } from './testing/synthetic-vosk-model.ts';
import { VoskDecoder } from './vosk-decoder.ts';
import { VoskEngine } from './vosk-engine.ts';

const SENTENCE = 'I would like to check the balance of my account please';
const PAD_START_MS = 500;
const PAD_END_MS = 1000;
/** Slack for frame quantization (30 ms frames) and flite's soft onsets/offsets. */
const SLACK_MS = 120;

let tempDir: string;
let modelDir: string;
let engine: VoskEngine;

before(async () => {
  tempDir = await mkdtemp(join(tmpdir(), 'earpiece-vosk-test-'));
  modelDir = join(tempDir, 'model');
  await writeSyntheticVoskModel(modelDir);
  engine = await VoskEngine.load(modelDir);
});

after(async () => {
  await engine?.close();
  await rm(tempDir, { recursive: true, force: true });
});

type Final = Extract<RecognitionEvent, { type: 'final' }>;
interface Timed {
  event: RecognitionEvent;
  /** Audio written to the stream when the event came back, ms. */
  atMs: number;
  fromFlush: boolean;
}

/** Streams `pcm` in 100 ms chunks through a RecognitionStream, then flushes; every event with when it came. */
async function streamClip(pcm: Int16Array, rateHz: number): Promise<Timed[]> {
  const stream = await RecognitionStream.open(engine, { inputSampleRateHz: rateHz });
  try {
    const out: Timed[] = [];
    const chunk = rateHz / 10;
    for (let at = 0; at < pcm.length; at += chunk) {
      for (const event of await stream.write(pcm.subarray(at, at + chunk))) out.push({ event, atMs: stream.writtenMs, fromFlush: false });
    }
    for (const event of await stream.flush()) out.push({ event, atMs: stream.writtenMs, fromFlush: true });
    return out;
  } finally {
    await stream.close();
  }
}

const finals = (events: Timed[]) => events.filter((t): t is Timed & { event: Final } => t.event.type === 'final');
const speechEndMs = (clip: SpeechClip) => (clip.pcm.length / clip.sampleRateHz) * 1000 - PAD_END_MS;

function assertWordsInside(final: Final, fromMs: number, toMs: number): void {
  assert.ok(final.words.length > 0, 'the final has words');
  assert.equal(final.text, final.words.map((w) => w.word).join(' '));
  let previousEnd = -Infinity;
  for (const w of final.words) {
    assert.ok(DEFAULT_SYNTHETIC_VOCABULARY.includes(w.word), `"${w.word}" is a model word`);
    assert.ok(w.startMs >= fromMs - SLACK_MS && w.endMs <= toMs + SLACK_MS, `${w.startMs}-${w.endMs} inside ${fromMs}-${toMs}`);
    assert.ok(w.endMs >= w.startMs && w.startMs >= previousEnd - 1, 'word times increase');
    assert.ok(w.confidence >= 0 && w.confidence <= 1, `confidence ${w.confidence} in 0..1`);
    previousEnd = w.endMs;
  }
  assert.equal(final.startMs, final.words[0]!.startMs);
  assert.equal(final.endMs, final.words.at(-1)!.endMs);
}

test('engine reports the model rate and a description', () => {
  assert.equal(engine.name, 'vosk');
  assert.equal(engine.sampleRateHz, 16000);
  assert.match(engine.modelDescription, /vosk model/);
});

test('16 kHz speech: partials during speech, then a final at the endpoint with words inside the speech span', async () => {
  const clip = await synthesizeSpeech(SENTENCE, { padStartMs: PAD_START_MS, padEndMs: PAD_END_MS });
  const events = await streamClip(clip.pcm, clip.sampleRateHz);
  const end = speechEndMs(clip);

  const partials = events.filter((t) => t.event.type === 'partial');
  assert.ok(partials.filter((t) => t.atMs > PAD_START_MS && t.atMs <= end).length >= 3, 'several partials arrive while speech is written');
  assert.ok(partials.every((t, i) => t.event.text.length > 0 && t.event.text !== partials[i - 1]?.event.text), 'partials are non-empty and change');
  assert.ok(partials.every((t) => t.atMs > PAD_START_MS), 'no partial during the leading silence');

  const [final, ...rest] = finals(events);
  assert.ok(final, 'a final arrives');
  assert.equal(rest.length, 0, 'one utterance, one final');
  assert.equal(final.fromFlush, false, 'the final comes from the endpoint, not from flush()');
  assert.ok(final.atMs > end + 200 && final.atMs <= end + 900, `endpoint at ${final.atMs} ms, about 0.5 s after speech ends at ${end} ms`);
  assert.ok(events.indexOf(final) > events.indexOf(partials[0]!), 'partials come before the final');
  assertWordsInside(final.event, PAD_START_MS, end);
});

test('flush() at the end of a stream cut mid-speech returns the last words', async () => {
  const clip = await synthesizeSpeech(SENTENCE, { padStartMs: PAD_START_MS, padEndMs: PAD_END_MS });
  const cutMs = PAD_START_MS + (speechEndMs(clip) - PAD_START_MS) * 0.7;
  const cut = clip.pcm.subarray(0, Math.round((cutMs / 1000) * clip.sampleRateHz));
  const events = await streamClip(cut, clip.sampleRateHz);

  const all = finals(events);
  assert.equal(all.length, 1, 'one final');
  assert.equal(all[0]!.fromFlush, true, 'no endpoint while speech goes on: the final comes from flush()');
  assertWordsInside(all[0]!.event, PAD_START_MS, cutMs);
  assert.ok(all[0]!.event.endMs >= cutMs - 400, `the last word (${all[0]!.event.endMs} ms) reaches the cut at ${cutMs} ms`);
});

test('8 kHz audio: fed directly libvosk rejects it; through RecognitionStream it is resampled and decodes', async () => {
  const clip = await synthesizeSpeech(SENTENCE, { sampleRateHz: 8000, padStartMs: PAD_START_MS, padEndMs: PAD_END_MS });
  assert.equal(clip.sampleRateHz, 8000);

  const lib = libvosk();
  const model = await lib.modelNew(modelDir);
  assert.ok(model);
  const direct = await VoskDecoder.create(lib, model, 8000, 'direct-8k');
  try {
    await assert.rejects(direct.accept(clip.pcm.subarray(0, 800)), { code: 'EARPIECE_ASR_VOSK_DECODE' });
  } finally {
    await direct.free();
    lib.modelFree(model);
  }

  const events = await streamClip(clip.pcm, 8000);
  const end = speechEndMs(clip);
  assert.ok(events.some((t) => t.event.type === 'partial' && t.atMs <= end), 'partials during speech');
  const [final, ...rest] = finals(events);
  assert.ok(final && rest.length === 0, 'one final');
  assert.equal(final.fromFlush, false, 'endpointed');
  assertWordsInside(final.event, PAD_START_MS, end);
});

test('a missing model gives EARPIECE_ASR_MODEL_MISSING with the fix', async () => {
  const missing = join(tempDir, 'no-such-model');
  await assert.rejects(VoskEngine.load(missing), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'EARPIECE_ASR_MODEL_MISSING');
    assert.match(err.message, /no-such-model.*npm run setup.*EARPIECE_VOSK_MODEL_DIR/);
    return true;
  });
  const partial = join(tempDir, 'half-model');
  await mkdir(join(partial, 'conf'), { recursive: true });
  await writeFile(join(partial, 'conf', 'model.conf'), '--beam=10\n');
  await assert.rejects(VoskEngine.load(partial), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'EARPIECE_ASR_MODEL_MISSING');
    assert.match(err.message, /am\/final\.mdl/);
    return true;
  });
});

test('a corrupt model gives EARPIECE_ASR_MODEL_UNLOADABLE and the process keeps working', async () => {
  const corrupt = join(tempDir, 'corrupt-model');
  await writeSyntheticVoskModel(corrupt);
  await writeFile(join(corrupt, 'am', 'final.mdl'), 'this is not a Kaldi model\n\u0000\u0001 garbage');
  await assert.rejects(VoskEngine.load(corrupt), { code: 'EARPIECE_ASR_MODEL_UNLOADABLE' });

  const clip = await synthesizeSpeech(SENTENCE, { padStartMs: PAD_START_MS, padEndMs: PAD_END_MS });
  const events = await streamClip(clip.pcm, clip.sampleRateHz);
  assert.equal(finals(events).length, 1, 'the loaded engine still decodes');
});

test('two recognizers on one model decode concurrently', async () => {
  const clip = await synthesizeSpeech(SENTENCE, { padStartMs: PAD_START_MS, padEndMs: PAD_END_MS });
  const streams = await Promise.all([0, 1].map(() => RecognitionStream.open(engine, { inputSampleRateHz: 16000 })));
  const collected: RecognitionEvent[][] = [[], []];
  let maxInFlight = 0;
  let inFlight = 0;
  try {
    for (let at = 0; at < clip.pcm.length; at += 1600) {
      const chunk = clip.pcm.subarray(at, at + 1600);
      await Promise.all(
        streams.map(async (stream, i) => {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          try {
            collected[i]!.push(...(await stream.write(chunk)));
          } finally {
            inFlight--;
          }
        }),
      );
    }
    for (const [i, stream] of streams.entries()) collected[i]!.push(...(await stream.flush()));
  } finally {
    await Promise.all(streams.map((s) => s.close()));
  }
  assert.equal(maxInFlight, 2, 'both recognizers had audio in flight at once');
  for (const events of collected) {
    const f = events.filter((e): e is Final => e.type === 'final');
    assert.equal(f.length, 1, 'each stream gets its final');
    assertWordsInside(f[0]!, PAD_START_MS, speechEndMs(clip));
  }
});

test('the event loop keeps turning while a decoder works through a long write', async () => {
  const clip = await synthesizeSpeech(SENTENCE, { padStartMs: PAD_START_MS, padEndMs: PAD_END_MS });
  const decoder = await engine.createDecoder({ inputSampleRateHz: 16000 });
  let ticks = 0;
  let done = false;
  const spin = () => {
    ticks++;
    if (!done) setImmediate(spin);
  };
  try {
    setImmediate(spin);
    const ticksBefore = ticks;
    const events = await decoder.accept(clip.pcm); // the whole clip in one call
    done = true;
    assert.ok(ticks - ticksBefore >= 10, `setImmediate callbacks ran while decoding (${ticks - ticksBefore})`);
    assert.ok(events.some((e) => e.type === 'final'), 'and the write still produced its final');
  } finally {
    done = true;
    await decoder.free();
  }
});

test('one large write holding two utterances gives two finals, each at its own endpoint', async () => {
  const first = await synthesizeSpeech('hello I need help with my order', { padStartMs: PAD_START_MS, padEndMs: PAD_END_MS });
  const second = await synthesizeSpeech('the card number is four five six', { padStartMs: 0, padEndMs: PAD_END_MS });
  const pcm = new Int16Array(first.pcm.length + second.pcm.length);
  pcm.set(first.pcm);
  pcm.set(second.pcm, first.pcm.length);
  const decoder = await engine.createDecoder({ inputSampleRateHz: 16000 });
  try {
    const events = await decoder.accept(pcm);
    const got = events.filter((e) => e.type === 'final');
    assert.equal(got.length, 2, 'two finals from one write');
    const boundaryS = first.pcm.length / 16000;
    assert.ok(got[0]!.words.every((w) => w.endS <= boundaryS - PAD_END_MS / 1000 + 0.15), 'the first final holds only the first utterance');
    assert.ok(got[1]!.words.every((w) => w.startS >= boundaryS - 0.15), 'the second final holds only the second, on the same clock');
    assert.deepEqual(await decoder.finish(), [], 'nothing left after the second endpoint');
  } finally {
    await decoder.free();
  }
});

test('decoder and engine lifecycle: free is idempotent, use after free and after close are errors', async () => {
  const own = await VoskEngine.load(modelDir);
  const decoder = await own.createDecoder({ inputSampleRateHz: 16000 });
  await own.close(); // the recognizer keeps its model alive
  const clip = await synthesizeSpeech(SENTENCE, { padStartMs: PAD_START_MS, padEndMs: PAD_END_MS });
  const events = await decoder.accept(clip.pcm);
  assert.ok(events.some((e) => e.type === 'final'), 'an open recognizer still decodes after close()');
  await decoder.free();
  await decoder.free();
  await assert.rejects(decoder.accept(clip.pcm.subarray(0, 160)), { code: 'EARPIECE_ASR_DECODER_FREED' });
  await assert.rejects(own.createDecoder({ inputSampleRateHz: 16000 }), { code: 'EARPIECE_ASR_ENGINE_CLOSED' });
  await own.close();
});
