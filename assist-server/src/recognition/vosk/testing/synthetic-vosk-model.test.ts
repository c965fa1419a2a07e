import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { synthesizeSpeech } from '../../../testing/speech-audio.ts';
import type { DecoderEvent } from '../../recognizer.ts';
import { VoskEngine } from '../vosk-engine.ts';
import { writeSyntheticVoskModel } from './synthetic-vosk-model.ts';

let tempDir: string;

before(async () => {
  tempDir = await mkdtemp(join(tmpdir(), 'earpiece-synthetic-vosk-'));
});

after(async () => {
  await rm(tempDir, { recursive: true, force: true });
});

async function decodeAll(engine: VoskEngine, pcm: Int16Array, chunkSamples: number): Promise<DecoderEvent[]> {
  const decoder = await engine.createDecoder({ inputSampleRateHz: engine.sampleRateHz });
  try {
    const events: DecoderEvent[] = [];
    for (let at = 0; at < pcm.length; at += chunkSamples) events.push(...(await decoder.accept(pcm.subarray(at, at + chunkSamples))));
    events.push(...(await decoder.finish()));
    return events;
  } finally {
    await decoder.free();
  }
}

test('writes the Vosk model layout, the same bytes every time', async () => {
  const a = join(tempDir, 'a');
  const b = join(tempDir, 'b');
  await writeSyntheticVoskModel(a);
  await writeSyntheticVoskModel(b);
  const files = (await readdir(a, { recursive: true })).sort();
  for (const f of ['am/final.mdl', 'conf/mfcc.conf', 'conf/model.conf', 'graph/HCLG.fst', 'graph/words.txt', 'graph/phones/word_boundary.int']) {
    assert.ok(files.includes(f), `${f} written`);
  }
  for (const f of ['am/final.mdl', 'graph/HCLG.fst']) {
    assert.deepEqual(await readFile(join(a, f)), await readFile(join(b, f)), `${f} is deterministic`);
  }
  const fst = await readFile(join(a, 'graph', 'HCLG.fst'));
  assert.equal(fst.readInt32LE(0), 2125659606, 'OpenFst magic');
});

test('a custom vocabulary is all the model can output', async () => {
  const dir = join(tempDir, 'custom');
  const vocabulary = ['alpha', 'bravo', 'charlie'];
  await writeSyntheticVoskModel(dir, { vocabulary });
  assert.equal(await readFile(join(dir, 'graph', 'words.txt'), 'utf8'), '<eps> 0\nalpha 1\nbravo 2\ncharlie 3\n');
  const engine = await VoskEngine.load(dir);
  try {
    const clip = await synthesizeSpeech('please read me my account balance', { padStartMs: 300, padEndMs: 1000 });
    const words = (await decodeAll(engine, clip.pcm, 1600)).flatMap((e) => (e.type === 'final' ? e.words : []));
    assert.ok(words.length > 0, 'speech gives words');
    assert.ok(words.every((w) => vocabulary.includes(w.word)), 'only vocabulary words');
  } finally {
    await engine.close();
  }
});

test('an 8 kHz model takes 8 kHz audio directly', async () => {
  const dir = join(tempDir, 'narrowband');
  await writeSyntheticVoskModel(dir, { sampleRateHz: 8000 });
  const engine = await VoskEngine.load(dir);
  try {
    assert.equal(engine.sampleRateHz, 8000);
    const clip = await synthesizeSpeech('thank you for calling', { sampleRateHz: 8000, padStartMs: 300, padEndMs: 1000 });
    const events = await decodeAll(engine, clip.pcm, 800);
    const finals = events.filter((e) => e.type === 'final');
    assert.equal(finals.length, 1);
    assert.ok(finals[0]!.words.every((w) => w.startS >= 0.2 && w.endS <= clip.pcm.length / 8000 - 0.9), 'words inside the speech');
  } finally {
    await engine.close();
  }
});

test('silence decodes as silence: no partials and no finals, even past the 5 s endpoint rule', async () => {
  const dir = join(tempDir, 'silence');
  await writeSyntheticVoskModel(dir);
  const engine = await VoskEngine.load(dir);
  try {
    const silence = new Int16Array(16000 * 6);
    for (let i = 0; i < silence.length; i++) silence[i] = ((i * 7919) % 9) - 4; // a faint hiss, ±4 LSB
    assert.deepEqual(await decodeAll(engine, silence, 1600), []);
  } finally {
    await engine.close();
  }
});

test('rejects a vocabulary libvosk could not use', async () => {
  for (const vocabulary of [[], ['two words'], ['dup', 'dup'], ['<eps>'], ['#0']]) {
    await assert.rejects(writeSyntheticVoskModel(join(tempDir, 'bad'), { vocabulary }), RangeError, JSON.stringify(vocabulary));
  }
});
