/**
 * WarmSpeechEngine on the real PocketSphinx engine: decoders loaded ahead are handed out without a
 * load, a decoder freed mid-utterance comes back clean (the next leg hears its own words, not the
 * last leg's), the idle list is bounded, a failed decoder is not reused, and a leg cannot touch a
 * decoder after handing it back.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeSpeech } from '../../testing/speech-audio.ts';
import { PocketSphinxEngine } from '../pocketsphinx/pocketsphinx-engine.ts';
import { RecognitionStream } from '../recognition-stream.ts';
import type { DecoderOptions, EngineDecoder, SpeechEngine } from '../recognizer.ts';
import { WarmSpeechEngine } from './warm-speech-engine.ts';

const RATE = 8000;
const FRAME = RATE / 50;
const TELEPHONE: DecoderOptions = { inputSampleRateHz: RATE };

let dir: string;
let engine: PocketSphinxEngine;
let balance: Int16Array;
let stolen: Int16Array;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earpiece-warm-test-'));
  engine = await PocketSphinxEngine.load({ cacheDir: dir });
  balance = (await synthesizeSpeech('I would like to check the balance of my account', { sampleRateHz: RATE, padStartMs: 3000, padEndMs: 1500 })).pcm;
  stolen = (await synthesizeSpeech('my card was stolen yesterday', { sampleRateHz: RATE, padStartMs: 3000, padEndMs: 1500 })).pcm;
});

after(async () => {
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The real engine, counting native loads and frees (instrumentation, not a fake). */
function counted(inner: SpeechEngine) {
  const counts = { created: 0, freed: 0 };
  const wrapped: SpeechEngine = {
    name: inner.name,
    sampleRateHz: inner.sampleRateHz,
    modelDescription: inner.modelDescription,
    close: async () => undefined, // the suite's engine is closed once, in after()
    async createDecoder(options: DecoderOptions): Promise<EngineDecoder> {
      const d = await inner.createDecoder(options);
      counts.created++;
      return { accept: (pcm) => d.accept(pcm), finish: () => d.finish(), free: () => ((counts.freed += 1), d.free()) };
    },
  };
  return { wrapped, counts };
}

async function words(engineUnderTest: SpeechEngine, pcm: Int16Array, flush = true): Promise<string> {
  const stream = await RecognitionStream.open(engineUnderTest, { inputSampleRateHz: RATE });
  const heard: string[] = [];
  for (let at = 0; at < pcm.length; at += FRAME) for (const ev of await stream.write(pcm.subarray(at, at + FRAME))) if (ev.type === 'final') heard.push(ev.text);
  if (flush) for (const ev of await stream.flush()) if (ev.type === 'final') heard.push(ev.text);
  await stream.close();
  return heard.join(' ');
}

test('decoders loaded ahead are handed out without a load, and come back for the next leg', async () => {
  const { wrapped, counts } = counted(engine);
  const warm = new WarmSpeechEngine(wrapped, { keep: 2 });
  await warm.warm(TELEPHONE, 2);
  assert.equal(counts.created, 2);
  assert.equal(warm.idleDecoders, 2);

  const fresh = await words(engine, balance);
  assert.ok(fresh.split(' ').length >= 5, `PocketSphinx heard the line: ${fresh}`);
  assert.equal(await words(warm, balance), fresh, 'a warm decoder hears what a fresh one hears');
  assert.equal(counts.created, 2, 'no load: the leg took a warm decoder');
  assert.equal(warm.idleDecoders, 2, 'and gave it back when it closed');
  assert.equal(warm.reused, 1);

  await warm.drain();
  assert.equal(counts.freed, 2, 'drain frees the idle decoders');
});

test('a leg closed mid-utterance hands back a clean decoder: the next leg hears only its own words', async () => {
  const { wrapped, counts } = counted(engine);
  const warm = new WarmSpeechEngine(wrapped, { keep: 1 });
  // The first leg stops in the middle of its sentence, without a flush (a call abandoned to another node).
  const half = balance.subarray(0, Math.round(balance.length * 0.6));
  await words(warm, half, false);
  assert.equal(warm.idleDecoders, 1);
  const next = await words(warm, stolen);
  assert.equal(counts.created, 1, 'the second leg reused the first leg\'s decoder');
  assert.match(next, /stolen/);
  assert.doesNotMatch(next, /balance|check/, `nothing of the first leg's sentence: ${next}`);
  await warm.drain();
});

test('the idle list is bounded, and a decoder cannot be used after it was handed back', async () => {
  const { wrapped, counts } = counted(engine);
  const warm = new WarmSpeechEngine(wrapped, { keep: 1 });
  const a = await warm.createDecoder(TELEPHONE);
  const b = await warm.createDecoder(TELEPHONE);
  assert.equal(counts.created, 2);
  await a.free();
  await b.free();
  assert.equal(warm.idleDecoders, 1, 'one kept');
  assert.equal(counts.freed, 1, 'the other freed for real');
  await assert.rejects(a.accept(new Int16Array(1600)), /used after free/);
  await a.free(); // idempotent: not handed back twice
  assert.equal(warm.idleDecoders, 1);
  await warm.drain();
  assert.equal(counts.freed, 2);
});

test('a decoder that failed is freed, not handed to the next leg', async () => {
  let freed = 0;
  const failing: SpeechEngine = {
    name: engine.name,
    sampleRateHz: engine.sampleRateHz,
    modelDescription: engine.modelDescription,
    close: async () => undefined,
    async createDecoder(options) {
      const d = await engine.createDecoder(options);
      // The native decoder refuses a write: as a real decoder does when its process call fails.
      return { accept: async () => Promise.reject(new Error('ps_process_raw failed (-1)')), finish: () => d.finish(), free: () => ((freed += 1), d.free()) };
    },
  };
  const warm = new WarmSpeechEngine(failing, { keep: 2 });
  const decoder = await warm.createDecoder(TELEPHONE);
  await assert.rejects(decoder.accept(new Int16Array(1600)), /ps_process_raw failed/);
  await decoder.free();
  assert.equal(freed, 1);
  assert.equal(warm.idleDecoders, 0);
});
