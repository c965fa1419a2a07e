import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { skipUnlessCi } from '../testing/fault-call.ts';
import { mountTinyDisk } from '../testing/fault-disk.ts';
import { LegRecorder, MAX_HELD_WHILE_FAILING_MS } from './leg-recorder.ts';

const spoolIn = () => join(mkdtempSync(join(tmpdir(), 'ep-rec-')), 'leg.pcm');
const readSpool = (p: string) => {
  const b = readFileSync(p);
  return [...new Int16Array(b.buffer, b.byteOffset, b.byteLength / 2)];
};

test('audio reaches the spool only once settled, in order', () => {
  const path = spoolIn();
  const rec = new LegRecorder({ spoolPath: path, sampleRateHz: 1000 });
  rec.append(Int16Array.from([1, 2, 3, 4]));
  rec.append(Int16Array.from([5, 6, 7, 8]));
  assert.equal(existsSync(path), false, 'nothing written before settle');
  rec.settle(6); // 6 ms at 1 kHz = 6 samples
  assert.deepEqual(readSpool(path), [1, 2, 3, 4, 5, 6]);
  rec.close();
  assert.deepEqual(readSpool(path), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(rec.durationMs, 8);
});

test('a gap on the leg clock becomes silence; a resent frame is not written twice', () => {
  const path = spoolIn();
  const rec = new LegRecorder({ spoolPath: path, sampleRateHz: 1000 });
  rec.append(Int16Array.from([1, 1]), 0);
  rec.append(Int16Array.from([2, 2]), 4); // samples 2-3 missing
  rec.append(Int16Array.from([2, 2, 3]), 4); // overlaps what we have: only the new sample is kept
  rec.close();
  assert.deepEqual(readSpool(path), [1, 1, 0, 0, 2, 2, 3]);
});

test('beforeWrite sees each settled chunk with its position (the redaction hook)', () => {
  const path = spoolIn();
  const seen: Array<[number, number]> = [];
  const rec = new LegRecorder({
    spoolPath: path,
    sampleRateHz: 1000,
    beforeWrite: (pcm, start) => {
      seen.push([start, pcm.length]);
      if (start === 0) pcm.fill(0); // silence the first chunk
    },
  });
  rec.append(Int16Array.from([9, 9, 9]));
  rec.settle(2);
  rec.append(Int16Array.from([8]));
  rec.close();
  assert.deepEqual(seen, [[0, 2], [2, 1], [3, 1]]);
  assert.deepEqual(readSpool(path), [0, 0, 9, 8]);
});

test('unsettled audio is bounded: the oldest is settled past maxUnsettledMs', () => {
  const path = spoolIn();
  const reasons: string[] = [];
  const rec = new LegRecorder({ spoolPath: path, sampleRateHz: 1000, maxUnsettledMs: 5, beforeWrite: (_p, _s, reason) => reasons.push(reason) });
  rec.append(new Int16Array(8).fill(4));
  assert.equal(readSpool(path).length, 3);
  rec.settle(6);
  rec.close();
  // the session redacts overflow audio it has not decided on: the recorder must say which writes were forced
  assert.deepEqual(reasons, ['overflow', 'settle', 'settle']);
});

test('a gap longer than the unsettled bound is filled in full, so later audio stays in place', () => {
  const path = spoolIn();
  const rec = new LegRecorder({ spoolPath: path, sampleRateHz: 1000, maxUnsettledMs: 5 });
  rec.append(Int16Array.from([1]), 0);
  rec.append(Int16Array.from([2]), 2500); // 2.5 s of silence at 1 kHz, far past the 5 ms bound
  rec.close();
  const out = readSpool(path);
  assert.equal(out.length, 2501);
  assert.equal(out[0], 1);
  assert.equal(out[2500], 2);
  assert.equal(out.slice(1, 2500).every((v) => v === 0), true);
});

test('a recorder resumed over an existing spool appends after it and skips audio it already has', () => {
  const path = spoolIn();
  const first = new LegRecorder({ spoolPath: path, sampleRateHz: 1000 });
  first.append(Int16Array.from([1, 2, 3]));
  first.close();
  const settled: number[] = [];
  const resumed = new LegRecorder({ spoolPath: path, sampleRateHz: 1000, existingSamples: 3, onSettled: (n) => settled.push(n) });
  resumed.append(Int16Array.from([2, 3, 4, 5]), 1); // a resend overlapping what the spool holds
  resumed.close();
  assert.deepEqual(readSpool(path), [1, 2, 3, 4, 5]);
  assert.deepEqual(settled, [5]);
});

test('peek copies unsettled audio by leg time and reports where it starts; settled audio is gone from memory', () => {
  const path = spoolIn();
  const rec = new LegRecorder({ spoolPath: path, sampleRateHz: 1000 });
  rec.append(Int16Array.from({ length: 10 }, (_, i) => i));
  rec.append(Int16Array.from({ length: 10 }, (_, i) => 10 + i));
  const mid = rec.peek(5, 15)!;
  assert.deepEqual([...mid.pcm], [5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  assert.equal(mid.startMs, 5);
  mid.pcm[0] = 999; // a copy: the recording is untouched
  rec.settle(8);
  const rest = rec.peek(0, 100)!;
  assert.equal(rest.startMs, 8);
  assert.deepEqual([...rest.pcm], [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  assert.equal(rec.peek(0, 8), undefined);
  rec.close();
  assert.deepEqual([...readSpool(path)].slice(5, 6), [5]);
});

test('a full disk: held audio stays under the cap, the oldest is dropped to silence, later audio lands in place once space is back', async (t) => {
  const disk = await mountTinyDisk(4); // a real file system that runs out of space (testing/fault-disk.ts)
  if ('unavailable' in disk) return skipUnlessCi(t, disk.unavailable);
  t.after(() => disk.close());
  const rate = 1000;
  const cap = (MAX_HELD_WHILE_FAILING_MS / 1000) * rate;
  const errors: string[] = [];
  const lost: number[] = [];
  const path = join(disk.dir, 'leg.pcm');
  const rec = new LegRecorder({ spoolPath: path, sampleRateHz: rate, onWriteError: (e) => errors.push((e as NodeJS.ErrnoException).code ?? e.message), onAudioLost: (ms) => lost.push(ms) });
  // Second k of the call is k + 1 throughout (0 = silence), appended and settled a second at a time.
  const second = (k: number) => new Int16Array(rate).fill(k + 1);
  let k = 0;
  const feed = (seconds: number, each?: () => void) => {
    for (const end = k + seconds; k < end; k++) {
      rec.append(second(k), k * rate);
      rec.settle((k + 1) * 1000);
      each?.();
    }
  };
  feed(10);
  await disk.fill();
  const outageSeconds = cap / rate + 100; // 100 s more than the cap holds
  let maxHeld = 0;
  feed(outageSeconds, () => (maxHeld = Math.max(maxHeld, rec.heldSampleCount)));
  assert.deepEqual(errors, ['ENOSPC'], 'the full disk is told once');
  assert.ok(maxHeld <= cap, `held ${maxHeld} samples while failing, cap ${cap}`);
  assert.equal(rec.settledSampleCount, 10 * rate, 'nothing more reached the spool while full');
  assert.deepEqual(lost, [], 'the loss is told when the failure run ends');

  await disk.free();
  feed(1);
  rec.close();
  assert.deepEqual(lost, [100_000], 'the dropped 100 s are told once');
  assert.equal(rec.lostMs, 100_000);
  const out = readFileSync(path);
  const spool = new Int16Array(out.buffer, out.byteOffset, out.byteLength / 2);
  assert.equal(spool.length, (10 + outageSeconds + 1) * rate, 'the spool is as long as the call');
  const valuesOf = (from: number, to: number) => new Set(spool.subarray(from * rate, to * rate));
  for (let s = 0; s < 10; s++) assert.deepEqual(valuesOf(s, s + 1), new Set([s + 1]), `second ${s} before the disk filled`);
  assert.deepEqual(valuesOf(10, 110), new Set([0]), 'the dropped span is silence');
  for (let s = 110; s < k; s++) assert.deepEqual(valuesOf(s, s + 1), new Set([s + 1]), `second ${s} held through the outage, in place`);
});

test('a disk still full at the hang-up: the loss told is everything that never reached the spool', async (t) => {
  const disk = await mountTinyDisk(1);
  if ('unavailable' in disk) return skipUnlessCi(t, disk.unavailable);
  t.after(() => disk.close());
  const lost: number[] = [];
  const path = join(disk.dir, 'leg.pcm');
  const rec = new LegRecorder({ spoolPath: path, sampleRateHz: 1000, maxHeldWhileFailingMs: 2000, onAudioLost: (ms) => lost.push(ms) });
  rec.append(new Int16Array(2048).fill(7)); // one 4 KiB page: the full disk has no room left in the spool's last page
  rec.settle(2048);
  await disk.fill();
  for (let s = 0; s < 5; s++) {
    rec.append(new Int16Array(1000).fill(8), 2048 + s * 1000);
    rec.settle(2048 + (s + 1) * 1000);
    assert.ok(rec.heldSampleCount <= 2000);
  }
  assert.equal(rec.peek(2048, 7048)!.pcm.filter((v) => v === 8).length, 2000, 'peek reads dropped audio as silence, the held tail as it is');
  rec.close();
  assert.deepEqual(lost, [5000], 'told once, at close: 3 s dropped and 2 s held');
  assert.equal(readSpool(path).length, 2048);
});
