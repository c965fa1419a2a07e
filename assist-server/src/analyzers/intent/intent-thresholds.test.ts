import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crossFittedEarly, fitEarlyThreshold, fitOosThreshold, type EarlyGuess } from './intent-thresholds.ts';

/** n guesses with confidences from 0.99 down, agreeing where `agrees(rank)` says. */
const guesses = (n: number, agrees: (rank: number) => boolean): EarlyGuess[] => Array.from({ length: n }, (_, r) => ({ confidence: 0.99 - r * (0.9 / n), agrees: agrees(r) }));

test('early threshold: the lowest confidence that keeps the shown guesses at the target agreement', () => {
  // the 40 most confident agree, then every other one does: agreement falls below 90% past rank ~47
  const g = guesses(100, (r) => r < 40 || r % 2 === 0);
  const t = fitEarlyThreshold(g, 0.9);
  const shown = g.filter((x) => x.confidence >= t);
  assert.ok(shown.filter((x) => x.agrees).length / shown.length >= 0.9);
  const oneMore = g.filter((x) => x.confidence >= g[shown.length]!.confidence);
  assert.ok(oneMore.filter((x) => x.agrees).length / oneMore.length < 0.9 || shown.length === g.length, 'a lower threshold would miss the target');
  assert.ok(shown.length >= 40 && shown.length < 60, `${shown.length} shown`);
  // a lower target shows more; an unreachable one shows nothing
  assert.ok(fitEarlyThreshold(g, 0.7) < t);
  assert.equal(fitEarlyThreshold(guesses(100, () => false), 0.9), 1);
  // too few guesses to measure: never shown
  assert.equal(fitEarlyThreshold(guesses(10, () => true), 0.9), 1);
});

test('early threshold: never cuts between equal confidences, never shows out-of-scope guesses', () => {
  const tied: EarlyGuess[] = [...Array.from({ length: 30 }, () => ({ confidence: 0.8, agrees: true })), ...Array.from({ length: 30 }, (_, i) => ({ confidence: 0.5, agrees: i < 10 }))];
  assert.equal(fitEarlyThreshold(tied, 0.9), 0.8, 'the 0.5 block as a whole is below target');
  const withOos: EarlyGuess[] = [...guesses(30, () => true), ...Array.from({ length: 30 }, () => ({ confidence: -Infinity, agrees: true }))];
  assert.ok(Number.isFinite(fitEarlyThreshold(withOos, 0.9)));
  assert.ok(fitEarlyThreshold(withOos, 0.9) > 0);
});

test('cross-fitted early report: each half is scored with the threshold fitted on the other', () => {
  const g = guesses(200, (r) => r < 80 || r % 3 === 0);
  const report = crossFittedEarly(g, 0.9);
  const even = g.filter((_, i) => i % 2 === 0);
  const odd = g.filter((_, i) => i % 2 === 1);
  const shownOdd = odd.filter((x) => x.confidence >= fitEarlyThreshold(even, 0.9));
  const shownEven = even.filter((x) => x.confidence >= fitEarlyThreshold(odd, 0.9));
  const shown = [...shownOdd, ...shownEven];
  assert.equal(report.shownShare, shown.length / g.length);
  assert.equal(report.shownAgreement, shown.filter((x) => x.agrees).length / shown.length);
  assert.deepEqual(crossFittedEarly([], 0.9), { shownShare: 0, shownAgreement: 0 });
});

test('out-of-scope threshold: the in-scope confidence quantile', () => {
  const conf = Array.from({ length: 100 }, (_, i) => (i + 1) / 100);
  assert.equal(fitOosThreshold(conf, 0.02), 0.02);
  assert.equal(fitOosThreshold(conf, 0), 0.01);
  assert.equal(fitOosThreshold([], 0.02), 0);
});
