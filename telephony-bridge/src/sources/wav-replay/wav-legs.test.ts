import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { synthesizeCall, synthesizeSpeech } from '../../../../assist-server/src/testing/speech-audio.ts';
import { decodeWav, loadWavLegs } from './wav-legs.ts';

const run = promisify(execFile);
let dir: string;
before(async () => (dir = await mkdtemp(join(tmpdir(), 'earpiece-wav-legs-'))));
after(async () => rm(dir, { recursive: true, force: true }));

const SCRIPT = [
  { role: 'agent' as const, text: 'thank you for calling' },
  { role: 'customer' as const, text: 'I lost my card' },
];

/** Mean absolute amplitude of a slice: speech is loud, the silent leg is zero. */
function energy(pcm: Int16Array, fromMs: number, toMs: number, rate: number): number {
  const a = Math.floor((fromMs * rate) / 1000);
  const b = Math.floor((toMs * rate) / 1000);
  let sum = 0;
  for (let i = a; i < b; i++) sum += Math.abs(pcm[i]!);
  return sum / Math.max(1, b - a);
}

test('a stereo call file: channel 0 is the agent, channel 1 the customer; swapChannels reverses them', async () => {
  const call = await synthesizeCall(SCRIPT, { sampleRateHz: 16000 });
  const [agentLine, customerLine] = call.lines as [(typeof call.lines)[0], (typeof call.lines)[0]];
  const legs = await loadWavLegs({ stereoWav: call.path });
  assert.deepEqual(legs.map((l) => [l.role, l.sampleRateHz]), [['agent', 16000], ['customer', 16000]]);
  assert.deepEqual(legs[0]!.pcm, call.audio.channels[0]);
  assert.deepEqual(legs[1]!.pcm, call.audio.channels[1]);
  assert.ok(energy(legs[0]!.pcm, agentLine.startMs, agentLine.endMs, 16000) > 100, 'agent speaks on the agent leg');
  assert.equal(energy(legs[1]!.pcm, agentLine.startMs, agentLine.endMs, 16000), 0, 'customer leg silent meanwhile');
  const swapped = await loadWavLegs({ stereoWav: call.path, swapChannels: true });
  assert.deepEqual(swapped.map((l) => l.role), ['agent', 'customer']);
  assert.deepEqual(swapped[0]!.pcm, call.audio.channels[1]);
  assert.deepEqual(swapped[1]!.pcm, call.audio.channels[0]);
  assert.ok(energy(swapped[0]!.pcm, customerLine.startMs, customerLine.endMs, 16000) > 100);
});

test('mono files are one leg each; either may be absent', async () => {
  const agent = await synthesizeSpeech('how can I help', { sampleRateHz: 16000 });
  const customer = await synthesizeSpeech('my card is gone', { sampleRateHz: 8000 });
  const both = await loadWavLegs({ agentWav: agent.path, customerWav: customer.path });
  assert.deepEqual(both.map((l) => [l.role, l.sampleRateHz, l.pcm.length]), [['agent', 16000, agent.pcm.length], ['customer', 8000, customer.pcm.length]]);
  const onlyCustomer = await loadWavLegs({ customerWav: customer.path });
  assert.deepEqual(onlyCustomer.map((l) => l.role), ['customer']);
  assert.deepEqual(onlyCustomer[0]!.pcm, customer.pcm);
});

test('other encodings and rates become 16-bit legs', async () => {
  const speech = await synthesizeSpeech('please hold the line', { sampleRateHz: 16000 });
  const cases: Array<[string, string[], number]> = [
    ['mulaw.wav', ['-r', '8000', '-e', 'mu-law', '-b', '8'], 8000],
    ['alaw.wav', ['-r', '8000', '-e', 'a-law', '-b', '8'], 8000],
    ['float.wav', ['-e', 'floating-point', '-b', '32'], 16000],
    ['pcm24-48k.wav', ['-r', '48000', '-b', '24'], 48000],
    ['u8-11k.wav', ['-r', '11025', '-e', 'unsigned-integer', '-b', '8'], 11025],
  ];
  for (const [name, args, rate] of cases) {
    const path = join(dir, name);
    await run('sox', [speech.path, ...args, path]);
    const [leg] = await loadWavLegs({ agentWav: path });
    assert.equal(leg!.sampleRateHz, rate, name);
    const expected = Math.round((speech.pcm.length * rate) / 16000);
    assert.ok(Math.abs(leg!.pcm.length - expected) <= 2, `${name}: ${leg!.pcm.length} samples, about ${expected}`);
    const peak = leg!.pcm.reduce((m, s) => Math.max(m, Math.abs(s)), 0);
    const speechPeak = speech.pcm.reduce((m, s) => Math.max(m, Math.abs(s)), 0);
    assert.ok(peak > speechPeak * 0.7 && peak < speechPeak * 1.3, `${name}: peak ${peak} is at the 16-bit scale of the source (${speechPeak})`);
  }
});

test('unusable inputs fail with a code and a fix', async () => {
  const speech = await synthesizeSpeech('one moment please', { sampleRateHz: 16000 });
  const hiRate = join(dir, 'hi-rate.wav');
  await run('sox', [speech.path, '-r', '96000', hiRate]);
  await assert.rejects(loadWavLegs({ agentWav: hiRate }), { code: 'EARPIECE_BRIDGE_WAV_RATE', message: /96000 Hz.*sox/ });
  await assert.rejects(loadWavLegs({ stereoWav: speech.path }), { code: 'EARPIECE_BRIDGE_WAV_CHANNELS', message: /--agent/ });
  const call = await synthesizeCall(SCRIPT);
  await assert.rejects(loadWavLegs({ customerWav: call.path }), { code: 'EARPIECE_BRIDGE_WAV_CHANNELS' });
  await assert.rejects(loadWavLegs({}), { code: 'EARPIECE_BRIDGE_WAV_SOURCES' });
  await assert.rejects(loadWavLegs({ stereoWav: call.path, agentWav: speech.path }), { code: 'EARPIECE_BRIDGE_WAV_SOURCES' });
  await assert.rejects(loadWavLegs({ agentWav: join(dir, 'missing.wav') }), { code: 'EARPIECE_BRIDGE_WAV_UNREADABLE' });
  const notWav = await readFile(new URL(import.meta.url));
  assert.throws(() => decodeWav(notWav, 'this-test.ts'), { code: 'EARPIECE_BRIDGE_BAD_WAV' });
});
