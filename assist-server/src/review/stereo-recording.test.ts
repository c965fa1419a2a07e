import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Resampler } from '../audio/resampler.ts';
import { readWav, writeWav } from '../audio/wav-file.ts';
import type { RecordingRecord } from '../store/call-store.ts';
import { STEREO_RECORDING_FILE, stereoRecording } from './stereo-recording.ts';

const dir = mkdtempSync(join(tmpdir(), 'earpiece-stereo-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const rec = (role: 'agent' | 'customer', sampleRateHz: number): RecordingRecord => ({ callId: 'c', role, path: join(dir, `${role}.wav`), sampleRateHz, durationMs: 0, bytes: 0, sha256: '' });

test('both legs interleaved across many chunks: the 16 kHz leg sample-exact, the 8 kHz leg resampled in step, the shorter padded', async () => {
  const customer = Int16Array.from({ length: 100_003 }, (_, i) => ((i * 7919) % 20_000) - 10_000);
  const agent = Int16Array.from({ length: 40_001 }, (_, i) => Math.round(9000 * Math.sin(i / 7)));
  await writeWav(join(dir, 'customer.wav'), { sampleRateHz: 16000, channels: [customer] });
  await writeWav(join(dir, 'agent.wav'), { sampleRateHz: 8000, channels: [agent] });
  const path = await stereoRecording(dir, [rec('agent', 8000), rec('customer', 16000)]);
  assert.equal(path, join(dir, STEREO_RECORDING_FILE));
  const stereo = await readWav(path!);
  assert.equal(stereo.sampleRateHz, 16000);
  assert.equal(stereo.channels[1]!.length, 100_003);
  assert.deepEqual(stereo.channels[1], customer);
  // The agent leg equals a one-shot resample of the whole leg, then silence.
  const oneShot = new Resampler(8000, 16000);
  const expected = new Int16Array(80_002);
  const head = oneShot.process(agent);
  expected.set(head.subarray(0, expected.length));
  if (head.length < expected.length) expected.set(oneShot.flush().subarray(0, expected.length - head.length), head.length);
  assert.deepEqual(stereo.channels[0]!.subarray(0, 80_002), expected);
  assert.ok(stereo.channels[0]!.subarray(80_002).every((s) => s === 0));
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temp file left');
  assert.equal(await stereoRecording(dir, []), path, 'built once, then served as is');
});

test('no agent or customer recording: nothing to build', async () => {
  const empty = mkdtempSync(join(dir, 'none-'));
  assert.equal(await stereoRecording(empty, []), null);
  assert.equal(existsSync(join(empty, STEREO_RECORDING_FILE)), false);
});
