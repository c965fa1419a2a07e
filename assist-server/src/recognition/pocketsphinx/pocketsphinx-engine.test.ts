import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { lstat, mkdtemp, readFile, readlink, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { readWav } from '../../audio/wav-file.ts';
import { synthesizeSpeech } from '../../testing/speech-audio.ts';
import { RecognitionStream } from '../recognition-stream.ts';
import type { RecognitionEvent } from '../recognizer.ts';
import { libpocketsphinx } from './libpocketsphinx.ts';
import { cleanWord, MAX_UTTERANCE_SECONDS } from './pocketsphinx-decoder.ts';
import { PocketSphinxEngine } from './pocketsphinx-engine.ts';
import { DEFAULT_POCKETSPHINX_MODEL_DIR, PocketSphinxModel, TELEPHONE_CMNINIT, telephoneModelDirName } from './pocketsphinx-model.ts';

const run = promisify(execFile);
const SENTENCE = 'I would like to check the balance of my account';
const KEY_WORDS = ['check', 'balance', 'account'];
const PAD_START_MS = 500;
const PAD_END_MS = 1000;

let cacheDir: string;
let engine: PocketSphinxEngine;

before(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'earpiece-ps-test-'));
  engine = await PocketSphinxEngine.load({ cacheDir });
});

after(async () => {
  await engine?.close();
  await rm(cacheDir, { recursive: true, force: true });
});

/** Streams `pcm` through a RecognitionStream in 100 ms chunks; returns write events and flush events. */
async function streamChunks(pcm: Int16Array, rateHz: number): Promise<{ written: RecognitionEvent[]; flushed: RecognitionEvent[] }> {
  const stream = await RecognitionStream.open(engine, { inputSampleRateHz: rateHz });
  try {
    const written: RecognitionEvent[] = [];
    const chunk = rateHz / 10;
    for (let at = 0; at < pcm.length; at += chunk) written.push(...(await stream.write(pcm.subarray(at, at + chunk))));
    const flushed = await stream.flush();
    return { written, flushed };
  } finally {
    await stream.close();
  }
}

function finals(events: RecognitionEvent[]) {
  return events.filter((e): e is Extract<RecognitionEvent, { type: 'final' }> => e.type === 'final');
}

test('16 kHz speech streams partials, then a final with the words, plausible times and confidences', async () => {
  const clip = await synthesizeSpeech(SENTENCE, { padStartMs: PAD_START_MS, padEndMs: PAD_END_MS });
  const { written, flushed } = await streamChunks(clip.pcm, clip.sampleRateHz);
  const events = [...written, ...flushed];
  const firstFinal = events.findIndex((e) => e.type === 'final');
  assert.ok(firstFinal > 0, 'a final arrives');
  assert.ok(events.slice(0, firstFinal).some((e) => e.type === 'partial' && e.text.length > 0), 'partials arrive before the final');
  const partials = events.filter((e) => e.type === 'partial').map((e) => e.text);
  assert.ok(partials.every((t, i) => t.length > 0 && t !== partials[i - 1]), 'partials are non-empty and change each time');

  const [final, ...rest] = finals(events);
  assert.equal(rest.length, 0, 'one sentence, one final');
  assert.equal(final!.text, final!.words.map((w) => w.word).join(' '));
  for (const key of KEY_WORDS) assert.ok(final!.words.some((w) => w.word === key), `final has "${key}": ${final!.words.length} words`);

  const speechEndMs = (clip.pcm.length / clip.sampleRateHz) * 1000 - PAD_END_MS;
  let previousEnd = 0;
  for (const w of final!.words) {
    assert.ok(w.startMs >= PAD_START_MS - 150 && w.endMs <= speechEndMs + 150, `${w.startMs}-${w.endMs} inside the speech span`);
    assert.ok(w.endMs > w.startMs && w.startMs >= previousEnd, 'times increase');
    assert.ok(w.endMs - w.startMs < 1500, 'a word lasts under 1.5 s');
    assert.ok(w.confidence >= 0 && w.confidence <= 1, 'confidence in 0..1');
    previousEnd = w.endMs;
  }
  assert.equal(final!.startMs, final!.words[0]!.startMs);
  assert.equal(final!.endMs, final!.words.at(-1)!.endMs);
});

test('8 kHz legs decode with the telephone model copy and get the key words', async () => {
  const clip = await synthesizeSpeech(SENTENCE, { sampleRateHz: 8000, padStartMs: PAD_START_MS, padEndMs: PAD_END_MS });
  assert.equal(clip.sampleRateHz, 8000);
  const { written, flushed } = await streamChunks(clip.pcm, 8000);
  const words = finals([...written, ...flushed]).flatMap((f) => f.words.map((w) => w.word));
  for (const key of KEY_WORDS) assert.ok(words.includes(key), `telephone final has "${key}" (${words.length} words)`);

  const copy = join(cacheDir, telephoneModelDirName(join(DEFAULT_POCKETSPHINX_MODEL_DIR, 'en-us')));
  const featParams = await readFile(join(copy, 'feat.params'), 'utf8');
  assert.match(featParams, new RegExp(`^-cmninit ${TELEPHONE_CMNINIT}$`, 'm'));
  assert.ok((await lstat(join(copy, 'mdef'))).isSymbolicLink());
});

test('the telephone copy is built once, and concurrent builders agree', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'earpiece-ps-copy-'));
  try {
    const builds = await Promise.all([1, 2, 3].map(() => PocketSphinxModel.resolve().telephone(dir)));
    assert.ok(builds.every((b) => b.hmmDir === builds[0]!.hmmDir));
    const original = await readFile(join(DEFAULT_POCKETSPHINX_MODEL_DIR, 'en-us', 'feat.params'), 'utf8');
    const copied = await readFile(join(builds[0]!.hmmDir, 'feat.params'), 'utf8');
    const strip = (s: string) => s.split('\n').filter((l) => !l.startsWith('-cmninit'));
    assert.deepEqual(strip(copied), strip(original), 'feat.params is the original but for -cmninit');
    assert.equal(await readlink(join(builds[0]!.hmmDir, 'means')), join(DEFAULT_POCKETSPHINX_MODEL_DIR, 'en-us', 'means'));
    assert.deepEqual(await readdir(dir), [telephoneModelDirName(join(DEFAULT_POCKETSPHINX_MODEL_DIR, 'en-us'))], 'no temp dirs left');
    const again = await PocketSphinxModel.resolve().telephone(dir);
    assert.equal(again.hmmDir, builds[0]!.hmmDir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('flush() returns the last words when audio ends mid-speech', async () => {
  const clip = await synthesizeSpeech(SENTENCE, { padStartMs: PAD_START_MS, padEndMs: PAD_END_MS });
  // Cut at 70 % of the speech: the VAD is still in speech when the audio stops.
  const speechSamples = clip.pcm.length - ((PAD_START_MS + PAD_END_MS) / 1000) * clip.sampleRateHz;
  const cut = clip.pcm.subarray(0, Math.round((PAD_START_MS / 1000) * clip.sampleRateHz + 0.7 * speechSamples));
  const { written, flushed } = await streamChunks(cut, clip.sampleRateHz);
  assert.equal(finals(written).length, 0, 'no endpoint before the audio ends');
  const [final] = finals(flushed);
  assert.ok(final, 'flush returns a final');
  assert.ok(final.words.some((w) => w.word === 'check'), `flushed final has "check" (${final.words.length} words)`);
  assert.ok(!final.words.some((w) => w.word === 'account'), 'the cut-off word is not invented');
  assert.equal(final.text, final.words.map((w) => w.word).join(' '));
});

/** `pocketsphinx_continuous -infile f.wav -logfn /dev/null -time yes`: hypothesis words and word start times. */
async function decodeWithCli(path: string): Promise<{ words: string[]; startsMs: number[] }> {
  const { stdout } = await run('pocketsphinx_continuous', ['-infile', path, '-logfn', '/dev/null', '-time', 'yes']);
  const words: string[] = [];
  const startsMs: number[] = [];
  for (const line of stdout.split('\n').filter(Boolean)) {
    const seg = /^(\S+) (\d+\.\d+) (\d+\.\d+) (\d+\.\d+)$/.exec(line);
    if (!seg) words.push(...line.split(/\s+/).filter(Boolean));
    else if (cleanWord(seg[1]!)) startsMs.push(Math.round(Number(seg[2]) * 1000));
  }
  return { words, startsMs };
}

test('streamed transcript equals pocketsphinx_continuous on the same WAV', async () => {
  const first = await synthesizeSpeech('please update my billing address', { padStartMs: PAD_START_MS, padEndMs: PAD_END_MS });
  const second = await synthesizeSpeech('thank you for calling how can I help you today', { padStartMs: PAD_START_MS, padEndMs: PAD_END_MS });
  const single = await synthesizeSpeech(SENTENCE, { padStartMs: PAD_START_MS, padEndMs: PAD_END_MS });
  const dir = await mkdtemp(join(tmpdir(), 'earpiece-ps-parity-'));
  try {
    // A two-utterance file too (sox writes the canonical 44-byte header the CLI needs).
    const both = join(dir, 'both.wav');
    await run('sox', [first.path, second.path, both]);
    for (const path of [single.path, first.path, both]) {
      const cli = await decodeWithCli(path);
      const audio = await readWav(path);
      assert.equal(audio.sampleRateHz, 16000);
      const { written, flushed } = await streamChunks(audio.channels[0]!, audio.sampleRateHz);
      const streamed = finals([...written, ...flushed]);
      const words = streamed.flatMap((f) => f.words);
      assert.ok(cli.words.length > 0, 'the CLI recognized words');
      assert.deepEqual(words.map((w) => w.word), cli.words, `streamed and CLI words match for ${path}`);
      // Times match up to the VAD's block-size jitter (1600- vs 2048-sample blocks).
      assert.equal(cli.startsMs.length, words.length);
      words.forEach((w, i) => assert.ok(Math.abs(w.startMs - cli.startsMs[i]!) <= 50, `"${w.word}" starts at ${w.startMs} ms, CLI ${cli.startsMs[i]} ms`));
      if (path === both) assert.equal(streamed.length, 2, 'two utterances, two finals');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test(`an utterance is cut at ${MAX_UTTERANCE_SECONDS} s of speech`, async () => {
  const clip = await synthesizeSpeech(SENTENCE, { padStartMs: 0, padEndMs: 0 });
  // ~32 s of speech without a pause long enough for the VAD's endpoint, then 1 s of silence.
  const repeats = Math.ceil(((MAX_UTTERANCE_SECONDS + 1.5) * 16000) / clip.pcm.length);
  const lead = 8000;
  const pcm = new Int16Array(lead + repeats * clip.pcm.length + 16000);
  for (let i = 0; i < repeats; i++) pcm.set(clip.pcm, lead + i * clip.pcm.length);
  const stream = await RecognitionStream.open(engine, { inputSampleRateHz: 16000 });
  try {
    const arrivals: Array<{ atMs: number; final: Extract<RecognitionEvent, { type: 'final' }> }> = [];
    for (let at = 0; at < pcm.length; at += 1600) {
      for (const final of finals(await stream.write(pcm.subarray(at, at + 1600)))) arrivals.push({ atMs: stream.writtenMs, final });
    }
    for (const final of finals(await stream.flush())) arrivals.push({ atMs: stream.writtenMs, final });
    assert.ok(arrivals.length >= 2, `the long utterance was split (${arrivals.length} finals)`);
    const cut = arrivals[0]!;
    const limitMs = MAX_UTTERANCE_SECONDS * 1000;
    assert.ok(cut.atMs >= limitMs && cut.atMs <= (lead / 16) + limitMs + 500, `first final at ${cut.atMs} ms of audio`);
    assert.ok(cut.final.endMs <= cut.atMs && cut.final.words.length > 50, 'the cut final holds the words so far');
    assert.ok(arrivals[1]!.final.startMs >= cut.final.endMs, 'the next utterance continues after the cut');
  } finally {
    await stream.close();
  }
});

test('a missing model dir fails with EARPIECE_ASR_MODEL_MISSING naming the package', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'earpiece-ps-nomodel-'));
  try {
    await assert.rejects(PocketSphinxEngine.load({ modelDir: join(dir, 'absent'), cacheDir: dir }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'EARPIECE_ASR_MODEL_MISSING');
      assert.match(err.message, /apt-get install pocketsphinx-en-us/);
      return true;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('missing native libraries fail with EARPIECE_ASR_POCKETSPHINX_MISSING and the apt command', () => {
  assert.throws(
    () => libpocketsphinx({ sphinxbase: '/nonexistent/libsphinxbase.so.3', pocketsphinx: '/nonexistent/libpocketsphinx.so.3' }),
    (err: Error & { code?: string }) => {
      assert.equal(err.code, 'EARPIECE_ASR_POCKETSPHINX_MISSING');
      assert.match(err.message, /apt-get install libpocketsphinx3 pocketsphinx-en-us/);
      return true;
    },
  );
});

test('segment words lose pronunciation markers and fillers', () => {
  assert.equal(cleanWord('for(2)'), 'for');
  assert.equal(cleanWord("i'm"), "i'm");
  for (const filler of ['<s>', '</s>', '<sil>', '[NOISE]', '[BREATH]', '++GARBAGE++']) assert.equal(cleanWord(filler), '');
});

test('a freed decoder refuses work and free() is idempotent', async () => {
  const decoder = await engine.createDecoder({ inputSampleRateHz: 16000 });
  await decoder.free();
  await decoder.free();
  await assert.rejects(decoder.accept(new Int16Array(1600)), (err: Error & { code?: string }) => err.code === 'EARPIECE_ASR_DECODER_FREED');
});
