/**
 * Batching in RecognitionStream (EARPIECE_RECOGNIZER_BATCH_MS) on the real PocketSphinx engine:
 * 20 ms frames gathered into 100 ms decoder calls give the same words at the same times as frame-by-
 * frame decoding, with a third of the decoder calls or fewer, and `processedMs` never runs ahead of the audio
 * the decoder has actually returned from (the session settles recordings behind it). A stream whose
 * audio arrives faster than its decoder returns catches up in bigger batches, with the same words.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeSpeech } from '../testing/speech-audio.ts';
import { PocketSphinxEngine } from './pocketsphinx/pocketsphinx-engine.ts';
import { RecognitionStream } from './recognition-stream.ts';
import type { DecoderOptions, EngineDecoder, RecognitionEvent, SpeechEngine } from './recognizer.ts';
import { DEFAULT_VAD_SETTINGS } from './vad/vad-settings.ts';

const RATE = 8000;
const FRAME = RATE / 50; // 20 ms, as the bridge sends them

let dir: string;
let engine: PocketSphinxEngine;
let call: Int16Array;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earpiece-batch-test-'));
  engine = await PocketSphinxEngine.load({ cacheDir: dir });
  const lines = await Promise.all(
    ['I would like to check the balance of my account', 'my card was stolen yesterday'].map((t) => synthesizeSpeech(t, { sampleRateHz: RATE, padStartMs: 3000, padEndMs: 1500 })),
  );
  // An odd length, so the last batch is partial and only flush() decodes it.
  call = new Int16Array(lines.reduce((n, l) => n + l.pcm.length, 0) + 37);
  lines.reduce((at, l) => (call.set(l.pcm, at), at + l.pcm.length), 0);
});

after(async () => {
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The real engine, counting the decoder calls that carry audio (instrumentation, not a fake). */
function counting(inner: SpeechEngine): { engine: SpeechEngine; accepts: () => number } {
  let accepts = 0;
  return {
    accepts: () => accepts,
    engine: {
      name: inner.name,
      sampleRateHz: inner.sampleRateHz,
      modelDescription: inner.modelDescription,
      close: () => inner.close(),
      async createDecoder(options: DecoderOptions): Promise<EngineDecoder> {
        const decoder = await inner.createDecoder(options);
        return {
          accept: (pcm) => ((accepts += 1), decoder.accept(pcm)),
          finish: () => decoder.finish(),
          free: () => decoder.free(),
        };
      },
    },
  };
}

type Final = Extract<RecognitionEvent, { type: 'final' }>;

async function recognize(batchMs: number, gated: boolean) {
  const { engine: counted, accepts } = counting(engine);
  const stream = await RecognitionStream.open(counted, { inputSampleRateHz: RATE, batchMs, vad: gated ? DEFAULT_VAD_SETTINGS : undefined });
  const events: RecognitionEvent[] = [];
  let worstBehindMs = 0;
  try {
    for (let at = 0; at < call.length; at += FRAME) {
      events.push(...(await stream.write(call.subarray(at, at + FRAME))));
      assert.ok(stream.processedMs <= stream.writtenMs, 'processed never runs ahead of written');
      worstBehindMs = Math.max(worstBehindMs, stream.writtenMs - stream.processedMs);
    }
    events.push(...(await stream.flush()));
    assert.equal(stream.processedMs, stream.writtenMs, 'after flush() the recognizer has dealt with every sample');
  } finally {
    await stream.close();
  }
  const finals = events.filter((e): e is Final => e.type === 'final');
  return { words: finals.flatMap((f) => f.words), accepts: accepts(), worstBehindMs, partials: events.length - finals.length };
}

for (const gated of [false, true]) {
  test(`${gated ? 'gated' : 'ungated'}: 100 ms batches hear the same words at the same times as 20 ms frames, with a third of the decoder calls or fewer`, async (t) => {
    const frames = await recognize(0, gated);
    const batched = await recognize(100, gated);
    assert.ok(frames.words.length >= 8, `PocketSphinx heard the lines (${frames.words.map((w) => w.word).join(' ')})`);
    assert.deepEqual(
      batched.words.map((w) => w.word),
      frames.words.map((w) => w.word),
    );
    batched.words.forEach((w, i) => {
      const f = frames.words[i]!;
      assert.ok(Math.abs(w.startMs - f.startMs) <= 30 && Math.abs(w.endMs - f.endMs) <= 30, `"${w.word}" at ${w.startMs}-${w.endMs} ms batched, ${f.startMs}-${f.endMs} ms frame by frame`);
    });
    // Gated, frame by frame already waits for whole 32 ms VAD windows: so a third, not a fifth.
    assert.ok(batched.accepts * 2.5 <= frames.accepts, `decoder calls: ${batched.accepts} batched, ${frames.accepts} frame by frame`);
    assert.ok(batched.partials > 0, 'partials still come while speech is heard');
    // Between writes, at most one batch waits undecoded (100 ms, plus a frame where the resampler's
    // filter delay left the batch a few samples short): frame by frame, nothing does.
    assert.ok(batched.worstBehindMs < 120 && batched.worstBehindMs >= 80, `processed lagged written by ${batched.worstBehindMs} ms`);
    assert.equal(frames.worstBehindMs, 0);
    t.diagnostic(JSON.stringify({ gated, acceptsFrameByFrame: frames.accepts, acceptsBatched: batched.accepts, partials: { frames: frames.partials, batched: batched.partials } }));
  });
}

test('a stream behind real time catches up in bigger batches: fewer decoder calls, the same words, each batch timed from its first frame', async () => {
  const sequential = await recognize(100, true);
  const { engine: counted, accepts } = counting(engine);
  const stream = await RecognitionStream.open(counted, { inputSampleRateHz: RATE, batchMs: 100, vad: DEFAULT_VAD_SETTINGS });
  // Every frame written at once, without waiting (as the session does when frames come in faster
  // than the decoder returns); frame i "arrives" at i ms on the writer's clock.
  const writes: Array<{ receivedAt: number; batchFrom: number; events: Promise<RecognitionEvent[]> }> = [];
  for (let at = 0, i = 0; at < call.length; at += FRAME, i++) {
    const events = stream.write(call.subarray(at, at + FRAME), i);
    writes.push({ receivedAt: i, batchFrom: stream.lastBatchReceivedAtMs!, events });
  }
  const results = await Promise.all(writes.map((w) => w.events));
  const last = await stream.flush();
  await stream.close();
  const events = [...results.flat(), ...last];
  const words = events.filter((e): e is Final => e.type === 'final').flatMap((f) => f.words);
  assert.deepEqual(
    words.map((w) => w.word),
    sequential.words.map((w) => w.word),
  );
  const batches = Math.ceil(call.length / (RATE / 10));
  assert.ok(accepts() * 3 <= batches, `decoder calls: ${accepts()} for ${batches} batches of 100 ms`);
  // Each write joins the batch being gathered: its first frame came at or before the write, and a
  // held batch stops growing at 5 batches (25 frames of 20 ms) or a frame more.
  for (const w of writes) assert.ok(w.batchFrom <= w.receivedAt && w.receivedAt - w.batchFrom <= 26, `frame ${w.receivedAt} joined the batch begun at frame ${w.batchFrom}`);
  assert.ok(new Set(writes.map((w) => w.batchFrom)).size * 3 <= batches, 'frames were gathered into bigger batches');
});
