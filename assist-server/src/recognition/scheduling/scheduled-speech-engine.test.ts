/**
 * The scheduled engine on real PocketSphinx decoders and flite speech: same words as the bare
 * engine, never more decoder calls at once than threads, a stream that floods its queue does not
 * hold back another, and the cost per leg is measured.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { synthesizeSpeech, type SpeechClip } from '../../testing/speech-audio.ts';
import { PocketSphinxEngine } from '../pocketsphinx/pocketsphinx-engine.ts';
import { RecognitionStream } from '../recognition-stream.ts';
import type { RecognitionEvent, SpeechEngine } from '../recognizer.ts';
import { ScheduledSpeechEngine } from './scheduled-speech-engine.ts';

let cacheDir: string;
let bare: PocketSphinxEngine;
let clip: SpeechClip;

before(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'earpiece-sched-test-'));
  bare = await PocketSphinxEngine.load({ cacheDir });
  clip = await synthesizeSpeech('I would like to check the balance of my account', { sampleRateHz: 8000, padStartMs: 300, padEndMs: 800 });
});

after(async () => {
  await bare?.close();
  await rm(cacheDir, { recursive: true, force: true });
});

/** Writes the clip in 100 ms chunks without waiting between them (every chunk queued at once). */
async function transcribe(engine: SpeechEngine, onFirstWrite?: () => void): Promise<{ words: string[]; writes: Array<Promise<RecognitionEvent[]>> }> {
  const stream = await RecognitionStream.open(engine, { inputSampleRateHz: clip.sampleRateHz });
  const chunk = clip.sampleRateHz / 10;
  const writes: Array<Promise<RecognitionEvent[]>> = [];
  for (let at = 0; at < clip.pcm.length; at += chunk) writes.push(stream.write(clip.pcm.subarray(at, at + chunk)));
  if (onFirstWrite) void writes[0]!.then(onFirstWrite);
  const events = [...(await Promise.all(writes)).flat(), ...(await stream.flush())];
  await stream.close();
  const words = events.flatMap((e) => (e.type === 'final' ? e.words.map((w) => w.word) : []));
  return { words, writes };
}

test('through one slot, three concurrent streams get the same words as the bare engine; one decoder call at a time; cost measured', async () => {
  const expected = (await transcribe(bare)).words;
  assert.ok(expected.includes('balance'), `the bare engine hears the sentence: ${expected.join(' ')}`);
  const scheduled = new ScheduledSpeechEngine(bare, { threads: 1, measuredAfterMs: 1000 });
  const results = await Promise.all([transcribe(scheduled), transcribe(scheduled), transcribe(scheduled)]);
  for (const r of results) assert.deepEqual(r.words, expected);
  assert.equal(scheduled.pool.peakBusySlots, 1);
  const { measured, weightMs } = scheduled.load.costPerLeg();
  assert.ok(measured !== undefined && measured > 0 && measured < 5, `busy ms per audio ms measured: ${measured} over ${weightMs} ms`);
  assert.equal(scheduled.load.liveLegs, 0, 'closed streams leave the load');
  const snap = scheduled.load.snapshot();
  assert.equal(snap.slots, 1);
  assert.ok(snap.queueWaitMs.count > 0 && snap.utilization > 0, JSON.stringify(snap));
  // Each write reports arrival → decoded; queued all at once, later chunks waited behind earlier ones.
  assert.equal(snap.decodeLagMs.count, results.reduce((n, r) => n + r.writes.length, 0), 'one decode lag per write');
  assert.ok(snap.decodeLagMs.max! > snap.decodeLagMs.p50!, `the backlog shows as growing lag: ${JSON.stringify(snap.decodeLagMs)}`);
});

test('a stream that queued its whole call does not hold back a stream that starts later', async () => {
  const scheduled = new ScheduledSpeechEngine(bare, { threads: 1 });
  const completions: string[] = [];
  const chunk = clip.sampleRateHz / 10;
  const feed = (stream: RecognitionStream, tag: string) => {
    const writes: Array<Promise<unknown>> = [];
    for (let at = 0, i = 0; at < clip.pcm.length; at += chunk, i++) writes.push(stream.write(clip.pcm.subarray(at, at + chunk)).then(() => completions.push(`${tag}${i}`)));
    return writes;
  };
  const flooding = await RecognitionStream.open(scheduled, { inputSampleRateHz: clip.sampleRateHz });
  const floodWrites = feed(flooding, 'flood');
  // Every chunk of the first stream is queued before the second stream exists.
  const late = await RecognitionStream.open(scheduled, { inputSampleRateHz: clip.sampleRateHz });
  const lateWrites = feed(late, 'late');
  await Promise.all([...floodWrites, ...lateWrites]);
  await Promise.all([flooding.close(), late.close()]);
  const lastFlood = completions.lastIndexOf(`flood${floodWrites.length - 1}`);
  const firstLate = completions.indexOf('late0');
  assert.ok(firstLate >= 0 && firstLate < lastFlood / 2, `the late stream's first chunk came early (position ${firstLate} of ${completions.length}), not after the ${floodWrites.length} queued ones`);
});
