import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JitterBuffer, type JitterEntry, type JitterFrame } from './jitter-buffer.ts';

const SSRC = 0x1111;
/** A packet whose samples all hold `mark` (so the order of the output can be read back). */
const pkt = (seq: number, ts: number, mark: number, samples = 160, ssrc = SSRC): JitterEntry => ({
  ssrc, sequenceNumber: seq & 0xffff, timestamp: ts >>> 0, pcm: new Int16Array(samples).fill(mark),
});
const event = (seq: number, ts: number, ssrc = SSRC): JitterEntry => ({ ssrc, sequenceNumber: seq, timestamp: ts, pcm: null });

/** Runs frames into one timeline, checking offsets are contiguous; returns [mark, length] runs. */
function runs(frames: JitterFrame[], startOffset = 0): Array<[number, number]> {
  let at = startOffset;
  const out: Array<[number, number]> = [];
  for (const f of frames) {
    assert.equal(f.offsetSamples, at, 'frames are contiguous on the output clock');
    if (f.concealed) assert.ok(f.pcm.every((s) => s === 0), 'concealment is silence');
    at += f.pcm.length;
    const mark = f.pcm[0] ?? 0;
    assert.ok(f.pcm.every((s) => s === mark));
    const last = out.at(-1);
    if (last && last[0] === mark) last[1] += f.pcm.length;
    else out.push([mark, f.pcm.length]);
  }
  return out;
}

test('in-order packets: the first waits the jitter delay (in case it was overtaken), the rest go straight through', () => {
  const jb = new JitterBuffer({ jitterDelayMs: 60 });
  assert.deepEqual(jb.push(pkt(10, 1000, 1), 0), []);
  assert.equal(jb.nextDeadline(), 60);
  assert.deepEqual(jb.push(pkt(11, 1160, 2), 20), []);
  assert.deepEqual(jb.poll(59), []);
  const first = jb.poll(60);
  assert.deepEqual(runs(first), [[1, 160], [2, 160]]);
  assert.equal(jb.nextDeadline(), null);
  const next = jb.push(pkt(12, 1320, 3), 61);
  assert.deepEqual(next.map((f) => [f.offsetSamples, f.pcm[0]]), [[320, 3]]);
  assert.deepEqual(jb.stats, { lost: 0, late: 0, duplicate: 0, ssrcChanges: 0, resyncs: 0, timestampJumps: 0, concealedSamples: 0 });
  assert.deepEqual(jb.delayPercentiles(), { p50: 40, p95: 60 }); // 60, 40, 0 ms
});

test('a packet that overtook the first one is still put in order', () => {
  const jb = new JitterBuffer({ jitterDelayMs: 60 });
  jb.push(pkt(501, 2160, 2), 0);
  jb.push(pkt(500, 2000, 1), 5);
  assert.deepEqual(runs(jb.poll(60)), [[1, 160], [2, 160]]);
  assert.equal(jb.stats.late, 0);
});

test('reordered packets come out in order without loss', () => {
  const jb = new JitterBuffer({ jitterDelayMs: 60 });
  const frames = [...jb.push(pkt(1, 0, 1), 0), ...jb.poll(60)];
  frames.push(...jb.push(pkt(3, 320, 3), 61), ...jb.push(pkt(4, 480, 4), 62));
  assert.equal(frames.length, 1, 'held behind the missing packet 2');
  frames.push(...jb.push(pkt(2, 160, 2), 70));
  assert.deepEqual(runs(frames), [[1, 160], [2, 160], [3, 160], [4, 160]]);
  assert.equal(jb.stats.lost, 0);
  assert.equal(jb.delayPercentiles().p95, 60);
});

test('a lost packet is given up after the jitter delay and concealed with silence of its length (from timestamps)', () => {
  const jb = new JitterBuffer({ jitterDelayMs: 60 });
  const frames = [...jb.push(pkt(1, 0, 1, 240), 0), ...jb.poll(60)]; // 30 ms packets
  frames.push(...jb.push(pkt(3, 480, 3, 240), 100), ...jb.push(pkt(4, 720, 4, 240), 120));
  assert.equal(jb.nextDeadline(), 160);
  frames.push(...jb.poll(159));
  assert.equal(frames.length, 1);
  frames.push(...jb.poll(160));
  assert.deepEqual(runs(frames), [[1, 240], [0, 240], [3, 240], [4, 240]]);
  assert.equal(frames[1]!.concealed, true);
  assert.equal(jb.stats.lost, 1);
  assert.equal(jb.stats.concealedSamples, 240);
  // The lost packet turning up now is late and dropped.
  assert.deepEqual(jb.push(pkt(2, 240, 2, 240), 170), []);
  assert.equal(jb.stats.late, 1);
});

test('a burst of losses: silence for every missing packet, lost counts each', () => {
  const jb = new JitterBuffer({ jitterDelayMs: 40 });
  const frames = [...jb.push(pkt(100, 0, 1), 0), ...jb.poll(40)];
  frames.push(...jb.push(pkt(104, 640, 5), 50), ...jb.poll(90));
  assert.deepEqual(runs(frames), [[1, 160], [0, 480], [5, 160]]);
  assert.equal(jb.stats.lost, 3);
});

test('sequence numbers and timestamps wrap around', () => {
  const jb = new JitterBuffer({ jitterDelayMs: 60 });
  const ts0 = 0xffffffff - 300;
  const frames = [...jb.push(pkt(65534, ts0, 1), 0), ...jb.poll(60)];
  frames.push(...jb.push(pkt(0, ts0 + 320, 3), 61)); // overtakes 65535
  frames.push(...jb.push(pkt(65535, ts0 + 160, 2), 62));
  frames.push(...jb.push(pkt(2, ts0 + 640, 5), 63)); // 1 lost
  frames.push(...jb.poll(123));
  assert.deepEqual(runs(frames), [[1, 160], [2, 160], [3, 160], [0, 160], [5, 160]]);
  assert.equal(jb.stats.lost, 1);
  assert.equal(jb.stats.late + jb.stats.duplicate, 0);
});

test('duplicates are dropped whether still waiting or already played; late ones are counted apart', () => {
  const jb = new JitterBuffer({ jitterDelayMs: 60 });
  const frames = [...jb.push(pkt(1, 0, 1), 0), ...jb.push(pkt(1, 0, 1), 1)]; // waiting
  frames.push(...jb.poll(60), ...jb.push(pkt(1, 0, 1), 61)); // played
  frames.push(...jb.push(pkt(3, 320, 3), 62), ...jb.push(pkt(3, 320, 3), 63)); // waiting behind 2
  frames.push(...jb.poll(122), ...jb.push(pkt(2, 160, 2), 130)); // 2 given up, then late
  assert.deepEqual(runs(frames), [[1, 160], [0, 160], [3, 160]]);
  assert.equal(jb.stats.duplicate, 3);
  assert.equal(jb.stats.late, 1);
  assert.equal(jb.stats.lost, 1);
});

test('an SSRC change flushes the old stream and continues the output clock; old stragglers are late', () => {
  const jb = new JitterBuffer({ jitterDelayMs: 60 });
  const frames = [...jb.push(pkt(1, 0, 1), 0), ...jb.poll(60)];
  frames.push(...jb.push(pkt(3, 320, 3), 61)); // 2 missing
  // New SSRC, random sequence and timestamp; its second packet overtakes its first.
  frames.push(...jb.push(pkt(40001, 900160, 8, 160, 0x2222), 70));
  assert.deepEqual(runs(frames), [[1, 160], [0, 160], [3, 160]], 'old stream flushed at once, gap concealed');
  frames.push(...jb.push(pkt(40000, 900000, 7, 160, 0x2222), 72));
  frames.push(...jb.push(pkt(2, 160, 2), 75)); // straggler of the old SSRC
  frames.push(...jb.poll(130));
  assert.deepEqual(runs(frames), [[1, 160], [0, 160], [3, 160], [7, 160], [8, 160]]);
  assert.equal(jb.stats.ssrcChanges, 1);
  assert.equal(jb.stats.late, 1);
  assert.equal(jb.offsetOf(0x2222, 900000), 480);
  assert.equal(jb.offsetOf(SSRC, 0), null);
  // The old SSRC coming back with newer packets is a change back, not late.
  frames.push(...jb.push(pkt(4, 480, 4), 200), ...jb.poll(260));
  assert.deepEqual(runs(frames).at(-1), [4, 160]);
  assert.equal(jb.stats.ssrcChanges, 2);
});

test('telephone-event packets hold sequence numbers: no loss, and the audio gap they leave is silence', () => {
  const jb = new JitterBuffer({ jitterDelayMs: 60 });
  const frames = [...jb.push(pkt(1, 0, 1), 0), ...jb.poll(60)];
  for (let i = 0; i < 4; i++) frames.push(...jb.push(event(2 + i, 160), 61 + i)); // one 100 ms event at ts 160
  assert.equal(jb.offsetOf(SSRC, 160), 160);
  frames.push(...jb.push(pkt(6, 960, 6), 70)); // audio resumes after 800 samples
  assert.deepEqual(runs(frames), [[1, 160], [0, 800], [6, 160]]);
  assert.equal(jb.stats.lost, 0);
});

test('memory is bounded: past maxPackets waiting, the gap is given up without waiting', () => {
  const jb = new JitterBuffer({ jitterDelayMs: 60_000, maxPackets: 10 });
  const frames = [...jb.push(pkt(0, 0, 1), 0), ...jb.poll(60_000)];
  for (let i = 2; i < 30; i++) {
    frames.push(...jb.push(pkt(i, i * 160, i), 60_001));
    assert.ok(jb.waiting <= 10);
  }
  const r = runs(frames);
  assert.deepEqual(r.slice(0, 3), [[1, 160], [0, 160], [2, 160]]);
  assert.equal(jb.stats.lost, 1);
});

test('a sequence jump is believed only when the next packet confirms it (RFC 3550 probation)', () => {
  const jb = new JitterBuffer({ jitterDelayMs: 60 });
  const frames = [...jb.push(pkt(10, 1600, 1), 0), ...jb.poll(60)];
  frames.push(...jb.push(pkt(30000, 5000, 9), 61)); // a stray
  frames.push(...jb.push(pkt(11, 1760, 2), 62));
  assert.deepEqual(runs(frames), [[1, 160], [2, 160]]);
  frames.push(...jb.push(pkt(20000, 777, 3), 63), ...jb.push(pkt(20001, 937, 4), 64)); // the sender restarted
  frames.push(...jb.poll(124));
  assert.deepEqual(runs(frames), [[1, 160], [2, 160], [3, 160], [4, 160]]);
  assert.equal(jb.stats.resyncs, 1);
  assert.equal(jb.stats.late, 1);
  assert.equal(jb.stats.lost, 0);
});

test('timestamps are trusted only as far as the arrival clock agrees', () => {
  const jb = new JitterBuffer({ jitterDelayMs: 60, maxConcealMs: 1000, maxTimestampSkewMs: 1000 });
  const frames = [...jb.push(pkt(1, 0, 1), 0), ...jb.poll(60)];
  // Contiguous sequence, timestamp jumps 3 hours, 20 ms later: a bogus jump, no silence.
  frames.push(...jb.push(pkt(2, 8000 * 3600 * 3, 2), 80));
  // Timestamp going backwards: re-anchored too.
  frames.push(...jb.push(pkt(3, 5, 3), 100));
  assert.deepEqual(runs(frames), [[1, 160], [2, 160], [3, 160]]);
  assert.equal(jb.stats.timestampJumps, 2);
  // Silence suppression for 5 s (the arrival clock agrees): the offset advances, no 5 s of zeros sent.
  const later = jb.push(pkt(4, 5 + 160 + 40000, 4), 5100);
  assert.deepEqual(later.map((f) => [f.offsetSamples, f.pcm.length, f.concealed]), [[480 + 40000, 160, false]]);
  // A 500 ms gap (under maxConcealMs) is sent as zeros.
  const gap = jb.push(pkt(5, 5 + 160 + 40000 + 160 + 4000, 5), 5700);
  assert.deepEqual(gap.map((f) => [f.offsetSamples, f.pcm.length, f.concealed]), [[40640, 4000, true], [44640, 160, false]]);
  assert.equal(jb.stats.timestampJumps, 2);
});

test('flush releases everything held, in order, with the gaps concealed', () => {
  const jb = new JitterBuffer({ jitterDelayMs: 60 });
  const frames: JitterFrame[] = [...jb.push(pkt(1, 0, 1), 0), ...jb.push(pkt(4, 480, 4), 1), ...jb.push(pkt(2, 160, 2), 2)];
  assert.equal(frames.length, 0, 'all held');
  frames.push(...jb.flush());
  assert.deepEqual(runs(frames), [[1, 160], [2, 160], [0, 160], [4, 160]]);
  assert.equal(jb.endOffset, 640);
  assert.equal(jb.nextDeadline(), null);
  assert.deepEqual(jb.flush(), []);
});
