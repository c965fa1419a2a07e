/**
 * `npx --no-install earpiece transcribe` from the repository root, as a user runs it. Its words
 * must equal PocketSphinx's own batch decoding of the same file (`pocketsphinx_continuous
 * -infile`): streaming loses no accuracy.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { writeWav } from '../src/audio/wav-file.ts';
import { REPO_ROOT } from '../src/config.ts';
import { DEFAULT_SYNTHETIC_VOCABULARY, writeSyntheticVoskModel } from '../src/recognition/vosk/testing/synthetic-vosk-model.ts';
import { synthesizeCall, synthesizeSpeech } from '../src/testing/speech-audio.ts';

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'ep-cli-'));
const env = { ...process.env, EARPIECE_DATA_DIR: dataDir, EARPIECE_LOG_LEVEL: 'warn' };

async function earpiece(...args: string[]) {
  return earpieceWith(env, ...args);
}

async function earpieceWith(environment: NodeJS.ProcessEnv, ...args: string[]) {
  return run('npx', ['--no-install', 'earpiece', ...args], { cwd: REPO_ROOT, env: environment, maxBuffer: 10e6 });
}

const words = (text: string) => text.toLowerCase().split(/\s+/).filter(Boolean);

test('transcribe prints the same words as pocketsphinx_continuous -infile on the same file', async () => {
  const a = await synthesizeSpeech('I would like to check the balance of my account', { padEndMs: 800 });
  const b = await synthesizeSpeech('please send a new card to my home address', { padStartMs: 200 });
  const file = join(dataDir, 'two-sentences.wav');
  const pcm = new Int16Array(a.pcm.length + b.pcm.length);
  pcm.set(a.pcm);
  pcm.set(b.pcm, a.pcm.length);
  await writeWav(file, { sampleRateHz: 16000, channels: [pcm] });

  const ours = await earpiece('transcribe', file, '--engine', 'pocketsphinx', '--raw');
  const reference = await run('pocketsphinx_continuous', ['-infile', file, '-logfn', '/dev/null']);
  assert.ok(words(reference.stdout).length >= 12, `reference decoded: "${reference.stdout}"`);
  assert.deepEqual(words(ours.stdout), words(reference.stdout));
  assert.equal(ours.stderr.includes('balance'), false, 'no transcript text in the logs');
});

test('transcribe --json gives per-word times, confidence and leg for a stereo 8 kHz call', async () => {
  const call = await synthesizeCall(
    [
      { role: 'agent', text: 'thank you for calling how can I help you' },
      { role: 'customer', text: 'I would like to check my balance' },
    ],
    { sampleRateHz: 8000 },
  );
  const { stdout } = await earpiece('transcribe', call.path, '--json', '--engine', 'pocketsphinx');
  const out = JSON.parse(stdout) as { engine: string; words: Array<{ word: string; startMs: number; endMs: number; confidence: number; leg: string }> };
  assert.equal(out.engine, 'pocketsphinx');
  const customer = out.words.filter((w) => w.leg === 'customer');
  const agent = out.words.filter((w) => w.leg === 'agent');
  assert.ok(customer.some((w) => w.word === 'balance'), JSON.stringify(customer.map((w) => w.word)));
  assert.ok(agent.some((w) => w.word === 'calling'), JSON.stringify(agent.map((w) => w.word)));
  for (const w of out.words) {
    assert.ok(w.endMs > w.startMs && w.confidence >= 0 && w.confidence <= 1);
    const line = call.lines[w.leg === 'agent' ? 0 : 1]!;
    assert.ok(w.startMs >= line.startMs - 300 && w.endMs <= line.endMs + 300, `${w.leg} word ${w.word} at ${w.startMs}`);
  }
});

test('a missing file or an unknown engine is a clear error with a non-zero exit', async () => {
  await assert.rejects(earpiece('transcribe', join(dataDir, 'nope.wav')), (e: { code: number; stderr: string }) => e.code === 1 && /nope\.wav/.test(e.stderr));
  await assert.rejects(earpiece('transcribe', 'x.wav', '--engine', 'whisper'), (e: { code: number }) => e.code === 2);
});

test('transcribe --engine vosk runs the real libvosk (synthetic model: plumbing, not accuracy)', async () => {
  const modelDir = join(dataDir, 'vosk-synthetic');
  await writeSyntheticVoskModel(modelDir);
  const call = await synthesizeCall(
    [
      { role: 'agent', text: 'thank you for calling how can I help you' },
      { role: 'customer', text: 'I would like to check my balance' },
    ],
    { sampleRateHz: 8000 },
  );
  const { stdout } = await earpieceWith({ ...env, EARPIECE_VOSK_MODEL_DIR: modelDir }, 'transcribe', call.path, '--json', '--engine', 'vosk');
  const out = JSON.parse(stdout) as { engine: string; words: Array<{ word: string; startMs: number; endMs: number; leg: string }> };
  assert.equal(out.engine, 'vosk');
  for (const leg of ['agent', 'customer'] as const) {
    const words = out.words.filter((w) => w.leg === leg);
    assert.ok(words.length > 0, `${leg} leg produced words`);
    const line = call.lines[leg === 'agent' ? 0 : 1]!;
    for (const w of words) {
      assert.ok(DEFAULT_SYNTHETIC_VOCABULARY.includes(w.word), w.word);
      assert.ok(w.startMs >= line.startMs - 300 && w.endMs <= line.endMs + 300, `${leg} word at ${w.startMs}-${w.endMs} outside ${line.startMs}-${line.endMs}`);
    }
  }
});
