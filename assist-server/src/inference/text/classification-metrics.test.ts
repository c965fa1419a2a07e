import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classificationReport, percentile } from './classification-metrics.ts';
import { decide, fitBiases } from './decision-biases.ts';

test('multi-label rows: a prediction among the gold labels is right; otherwise FP for it and FN for each gold label', () => {
  const r = classificationReport(['joy', 'anger', 'joy'], [['joy', 'surprise'], ['joy', 'sadness'], ['joy']], ['joy', 'anger', 'sadness', 'surprise']);
  assert.equal(r.accuracy, 2 / 3);
  // joy: TP 2, FN 1 (row 2) → F1 4/5; anger: FP 1 → 0; sadness: FN 1 → 0; surprise: no TP, FP or FN (row 1 was right) → 0
  assert.equal(r.perLabel.joy!.f1, 0.8);
  assert.equal(r.perLabel.anger!.f1, 0);
  assert.equal(r.perLabel.sadness!.support, 1);
  assert.equal(r.perLabel.surprise!.support, 1);
  assert.equal(r.perLabel.surprise!.f1, 0);
  assert.equal(r.macroF1, 0.8 / 4);
});

test('macro-F1 spans the given labels, including ones never predicted', () => {
  const r = classificationReport(['a', 'a'], [['a'], ['b']]);
  assert.deepEqual(Object.keys(r.perLabel), ['a', 'b']);
  assert.equal(r.perLabel.a!.f1, 2 / 3);
  assert.equal(r.macroF1, 1 / 3);
});

test('percentile is nearest-rank', () => {
  assert.equal(percentile([5, 1, 4, 2, 3], 0.5), 3);
  assert.equal(percentile([1, 2, 3, 4], 0.95), 4);
  assert.ok(Number.isNaN(percentile([], 0.5)));
});

test('decision biases raise a rare label that argmax never picks, improving macro-F1', () => {
  // The rare label is always second best with 0.4 against 0.6.
  const scores = [...Array(20)].map((_, i) => (i < 4 ? { common: 0.6, rare: 0.4 } : { common: 0.9, rare: 0.1 }));
  const gold = scores.map((_, i) => [i < 4 ? 'rare' : 'common']);
  const plain = classificationReport(scores.map((s) => decide(s)), gold, ['common', 'rare']).macroF1;
  const { biases, macroF1 } = fitBiases(scores, gold, ['common', 'rare']);
  assert.ok(plain < 0.5 && macroF1 === 1, `${plain} → ${macroF1}`);
  assert.equal(decide({ common: 0.6, rare: 0.4 }, biases), 'rare');
});
