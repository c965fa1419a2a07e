import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NgramFeaturizer, textFeatures, wordFeatures, type FeaturizerConfig } from './ngram-featurizer.ts';

const CONFIG: FeaturizerConfig = { wordNgrams: 2, charMin: 3, charMax: 4, minCount: 1, maxFeatures: 0, skipGap: 1 };

test('a word gives itself and its character n-grams (with boundary marks); placeholders stay whole', () => {
  assert.deepEqual(wordFeatures('card', CONFIG), ['w card', 'c <ca', 'c car', 'c ard', 'c rd>', 'c <car', 'c card', 'c ard>']);
  assert.deepEqual(wordFeatures('pii_credit_card', CONFIG), ['w pii_credit_card']);
  assert.deepEqual(wordFeatures('a', CONFIG), ['w a']); // "<a>" is the word itself
});

test('word bigrams and skip pairs carry word order', () => {
  const f = textFeatures(['lost', 'my', 'card'], CONFIG);
  assert.ok(f.includes('2 lost my') && f.includes('2 my card'));
  assert.ok(f.includes('s lost card'));
  assert.ok(!f.includes('2 lost card'));
});

test('vocabulary: rare features are dropped, unknown ones skipped, ids stable through JSON', () => {
  const texts = ['lost my card', 'lost my phone', 'card arrived'];
  const fz = NgramFeaturizer.fit(texts, { ...CONFIG, minCount: 2 });
  assert.ok(fz.vocab.includes('w lost') && fz.vocab.includes('2 lost my') && !fz.vocab.includes('w phone'));
  const again = new NgramFeaturizer(JSON.parse(JSON.stringify(fz.toJSON())));
  assert.deepEqual([...again.featurize(['lost', 'my', 'card'])], [...fz.featurize(['lost', 'my', 'card'])]);
  assert.deepEqual([...fz.featurize(['zebra'])], []);
  assert.ok([...fz.featurize(['lost', 'my'])].every((id) => id >= 1 && id < fz.size));
});
