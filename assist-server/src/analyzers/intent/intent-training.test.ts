import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { loadTf } from '../../inference/tf-runtime.ts';
import { TextClassifier } from '../../inference/text/text-classifier.ts';
import { trainTextClassifier } from '../../inference/text/text-trainer.ts';
import { evaluateIntentModel } from './intent-eval.ts';
import { loadIntentModel, toIntentPrediction } from './intent-model.ts';
import { trainIntentModel } from './intent-training.ts';
import { TINY_PACK_SETTINGS, writeTinyIntentPack } from './testing/tiny-intent-pack.ts';

const SETTINGS = TINY_PACK_SETTINGS;
const logger = pino({ level: 'silent' });
const noAssets = async (id: string): Promise<string> => {
  throw new Error(`no asset ${id}`);
};

const fixture = () => dirname(writeTinyIntentPack());

test('training is deterministic, versioned and idempotent; the saved model loads and predicts in batches', async () => {
  const runtime = await loadTf(logger);
  const dir = fixture();
  const lines: string[] = [];
  const train = (outRoot: string) => trainIntentModel({ data: join(dir, 'pack.yaml'), outRoot, seed: 3, runtime, resolveAsset: noAssets, log: (l) => lines.push(l), settings: SETTINGS });
  const a = await train(join(dir, 'a'));
  const b = await train(join(dir, 'b'));
  assert.equal(a.version, b.version);
  assert.match(a.version, /^pack-[0-9a-f]{12}$/);
  assert.deepEqual(a.metrics!.heldOut, b.metrics!.heldOut, 'same data and seed, same metrics');
  assert.ok(lines.some((l) => /epoch 12\/12 loss \d\.\d+ val accuracy/.test(l)), 'progress lines name epoch, loss and val accuracy');
  const metrics = JSON.parse(readFileSync(join(a.dir, 'metrics.json'), 'utf8'));
  assert.equal(metrics.backend, runtime.backend);
  for (const k of ['accuracy', 'macroF1', 'oosRecall', 'earlyAgreement', 'earlyShownShare', 'earlyShownAgreement']) assert.equal(typeof metrics.heldOut[k], 'number', k);
  assert.ok(metrics.thresholds.early >= metrics.thresholds.oos && metrics.thresholds.early <= 1, 'an early threshold is fitted');
  assert.equal((await train(join(dir, 'a'))).skipped, true, 'the same version is not trained twice');
  const other = await trainIntentModel({ data: join(dir, 'pack.yaml'), outRoot: join(dir, 'a'), seed: 4, runtime, resolveAsset: noAssets, log: () => {}, settings: SETTINGS });
  assert.notEqual(other.version, a.version, 'another seed is another version');

  const fromA = await loadIntentModel(a.dir, runtime);
  const fromB = await loadIntentModel(join(dir, 'b'), runtime); // a root: current.json names the version
  assert.equal(fromB.version, b.version);
  assert.deepEqual(fromA.labels, ['balance', 'lost_card', 'oos', 'transfer']);
  const texts = ['i think i lost my card', 'how much money is in my account', 'please send money to my brother', 'what is the weather like'];
  const pa = await fromA.predict(texts);
  assert.deepEqual(pa, await fromB.predict(texts), 'two trainings give the same model');
  assert.deepEqual(pa.map((p) => p.label), ['lost_card', 'balance', 'transfer', 'oos']);
  for (const p of pa) {
    assert.equal(p.top.length, 3);
    assert.equal(p.top[0]!.confidence, p.confidence);
    assert.ok(p.top[0]!.confidence >= p.top[1]!.confidence && p.top[1]!.confidence >= p.top[2]!.confidence);
  }
  assert.equal(pa[3]!.outOfScope, true);

  const many = Array.from({ length: 300 }, (_, i) => texts[i % 4]!);
  const batch = await fromA.predict(many);
  assert.equal(batch.length, 300);
  assert.deepEqual(batch[297], pa[1]);
  assert.deepEqual(await fromA.predict([]), []);
  const report = await evaluateIntentModel(fromA, texts.map((text, i) => ({ text, label: ['lost_card', 'balance', 'transfer', 'oos'][i]! })), { latencyRuns: 4 });
  assert.equal(report.accuracy, 1);
  assert.equal(report.oosRecall, 1);
  fromA.dispose();
  fromB.dispose();
});

test('a trained classifier saved and loaded predicts exactly the same', async () => {
  const { tf } = await loadTf(logger);
  const examples = [['good', 'morning'], ['good', 'day'], ['bad', 'night'], ['bad', 'evening']].map((words, i) => ({ words, gold: [i < 2 ? 0 : 1] }));
  const clf = await trainTextClassifier(tf, { examples, labels: ['good', 'bad'], config: { ...SETTINGS.model, epochs: 3 }, seed: 1, meta: { kind: 'test' } });
  const dir = mkdtempSync(join(tmpdir(), 'ep-clf-'));
  await clf.save(dir, tf);
  const back = await TextClassifier.load<{ kind: string }>(tf, dir);
  assert.deepEqual(back.meta, { kind: 'test' });
  const texts = ['Good morning!', 'a bad night', 'unknown words only'];
  assert.deepEqual(await back.predictTexts(texts), await clf.predictTexts(texts));
  clf.dispose();
  back.dispose();
});

test('out of scope: the oos class, or a top confidence under the threshold', () => {
  const labels = ['a', 'b', 'oos'];
  const meta = { oosThreshold: 0.4, lowConfidenceThreshold: 0.6 };
  assert.deepEqual(toIntentPrediction([0.7, 0.2, 0.1], labels, meta), { label: 'a', confidence: 0.7, top: [{ label: 'a', confidence: 0.7 }, { label: 'b', confidence: 0.2 }, { label: 'oos', confidence: 0.1 }], outOfScope: false, lowConfidence: false });
  assert.equal(toIntentPrediction([0.5, 0.3, 0.2], labels, meta).lowConfidence, true);
  const unsure = toIntentPrediction([0.35, 0.33, 0.32], labels, meta);
  assert.equal(unsure.label, 'oos');
  assert.equal(unsure.outOfScope, true);
  assert.equal(unsure.top[0]!.label, 'a', 'top keeps the raw ranking');
  assert.equal(toIntentPrediction([0.1, 0.1, 0.8], labels, meta).outOfScope, true);
  // a partial is judged against the early threshold
  const withEarly = { ...meta, earlyThreshold: 0.8 };
  assert.equal(toIntentPrediction([0.7, 0.2, 0.1], labels, withEarly, 'early').lowConfidence, true);
  assert.equal(toIntentPrediction([0.7, 0.2, 0.1], labels, withEarly, 'final').lowConfidence, false);
  assert.equal(toIntentPrediction([0.5, 0.3, 0.2], labels, meta, 'early').lowConfidence, true, 'older models: the low-confidence threshold');
});
