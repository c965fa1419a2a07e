/** The gate's decisions on given speech probabilities: pre-roll, hangover, when a gap is declared. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpeechGate, type GateAction } from './speech-gate.ts';

const W = 256; // 32 ms at 8 kHz
const PAD = 3 * W; // 96 ms

/** Runs windows with these probabilities; returns fed window indexes and after which window each gap came. */
function run(probabilities: number[]): { fed: number[]; gapsAfter: number[] } {
  const gate = new SpeechGate({ windowSamples: W, paddingSamples: PAD, threshold: 0.5 });
  const fed: number[] = [];
  const gapsAfter: number[] = [];
  probabilities.forEach((p, i) => {
    const window = new Int16Array(W).fill(i);
    for (const a of gate.push(window, p) as GateAction[]) {
      if (a.type === 'gap') gapsAfter.push(i);
      else {
        assert.equal(a.startSample, a.pcm[0]! * W, 'a fed window carries its own stream position');
        fed.push(a.pcm[0]!);
      }
    }
  });
  return { fed, gapsAfter };
}

test('silence only: nothing is fed and no gap is declared', () => {
  assert.deepEqual(run(Array(40).fill(0.01)), { fed: [], gapsAfter: [] });
});

test('speech is fed with the padding before it and after it; the utterance ends when the gate closes', () => {
  //           0    1    2    3    4    5    6    7    8    9   10   11   12   13   14   15
  const p = [0.0, 0.0, 0.0, 0.0, 0.0, 0.9, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1];
  const { fed, gapsAfter } = run(p);
  // pre-roll: windows 2-4 (PAD = 3 windows), speech 5-7, hangover 8-10 (3 quiet windows close the gate)
  assert.deepEqual(fed, [2, 3, 4, 5, 6, 7, 8, 9, 10]);
  // closed again at 10 (one gap); windows 11-13 are held as the next pre-roll, and later ones push them out
  assert.deepEqual(gapsAfter, [10]);
});

test('a pause shorter than twice the padding is fed whole: nothing is skipped, though the utterance ends at the close', () => {
  const p = [0.9, 0.9, 0.1, 0.1, 0.1, 0.1, 0.1, 0.9, 0.9, 0.1, 0.1, 0.1];
  const { fed, gapsAfter } = run(p);
  assert.deepEqual(fed, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  assert.deepEqual(gapsAfter, [4, 11]);
});

test('a pause no longer than the padding keeps the gate open: one utterance', () => {
  const { fed, gapsAfter } = run([0.9, 0.1, 0.1, 0.9, 0.9]);
  assert.deepEqual(fed, [0, 1, 2, 3, 4]);
  assert.deepEqual(gapsAfter, []);
});

test('padding 0: speech and the window that ends it, each stretch its own utterance', () => {
  const gate = new SpeechGate({ windowSamples: W, paddingSamples: 0, threshold: 0.5 });
  const kinds = [0.1, 0.9, 0.9, 0.1, 0.1, 0.9].map((p, i) => gate.push(new Int16Array(W).fill(i), p).map((a) => (a.type === 'gap' ? 'gap' : a.pcm[0]!)));
  assert.deepEqual(kinds.flat(), [1, 2, 3, 'gap', 5]);
});

test('probabilities between threshold − 0.15 and threshold neither open the gate nor count as quiet', () => {
  const { fed } = run([0.4, 0.4, 0.4, 0.4, 0.9, 0.4, 0.4, 0.4, 0.4, 0.4, 0.1, 0.1, 0.1, 0.1]);
  assert.deepEqual(fed, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 'held open through the 0.4 windows, closed 3 quiet windows later');
});

test('each later stretch of speech after a long silence gets its own gap', () => {
  const speech = [0.9, 0.9];
  const silence = Array(10).fill(0.0);
  const { gapsAfter } = run([...speech, ...silence, ...speech, ...silence, ...speech]);
  assert.equal(gapsAfter.length, 2);
});

test('flush feeds a trailing part-window only while speech is open', () => {
  const open = new SpeechGate({ windowSamples: W, paddingSamples: PAD, threshold: 0.5 });
  open.push(new Int16Array(W), 0.9);
  assert.deepEqual(open.flush(new Int16Array(100)).map((a) => a.type === 'feed' && [a.startSample, a.pcm.length]), [[W, 100]]);
  const closed = new SpeechGate({ windowSamples: W, paddingSamples: PAD, threshold: 0.5 });
  closed.push(new Int16Array(W), 0.0);
  assert.deepEqual(closed.flush(new Int16Array(100)), []);
});
