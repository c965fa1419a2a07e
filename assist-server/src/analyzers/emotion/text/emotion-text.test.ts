import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { loadTf } from '../../../inference/tf-runtime.ts';
import { EMOTION_LABELS } from '../acoustic/emotion-labels.ts';
import { decideLabels, evaluateEmotionModel } from './emotion-eval.ts';
import { loadEmotionTextModel, toTextEmotion } from './emotion-text-model.ts';
import { EMOTION_TRAINING, trainEmotionModel } from './emotion-training.ts';
import { AGENT_GROUPS, EKMAN_GROUPS, GOEMOTIONS_LABELS, readGoEmotionsTsv, SENTIMENT_GROUPS } from './goemotions.ts';

const id = (l: string) => GOEMOTIONS_LABELS.indexOf(l as (typeof GOEMOTIONS_LABELS)[number]);
const ROWS: [string, string[]][] = [
  ['thank you so much this is great', ['gratitude']], ['thanks a lot you helped me', ['gratitude']], ['i really appreciate it thanks', ['gratitude', 'joy']], ['great thank you', ['gratitude']],
  ['this is ridiculous i am so annoyed', ['annoyance']], ['ugh this is annoying', ['annoyance']], ['why does this keep happening so irritating', ['annoyance']], ['seriously annoying again', ['annoyance']],
  ['i am furious this is outrageous', ['anger']], ['i am so angry right now', ['anger']], ['this makes me mad', ['anger']], ['absolutely furious with you', ['anger']],
  ['i do not understand what you mean', ['confusion']], ['what does that mean i am confused', ['confusion']], ['i am lost how does it work', ['confusion']], ['confused about the fee', ['confusion']],
  ['ok i will check', ['neutral']], ['my account number is here', ['neutral']], ['i called yesterday', ['neutral']], ['the card is blue', ['neutral']],
];

function fixture() {
  const dir = mkdtempSync(join(tmpdir(), 'ep-emo-'));
  mkdirSync(join(dir, 'original'));
  mkdirSync(join(dir, 'ekman'));
  writeFileSync(join(dir, 'original/labels.txt'), GOEMOTIONS_LABELS.join('\n') + '\n');
  writeFileSync(join(dir, 'original/train.tsv'), [...ROWS, ...ROWS].map(([t, ls], i) => `${t}\t${ls.map(id).join(',')}\tc${i}`).join('\n') + '\n');
  const ekman = Object.keys(EKMAN_GROUPS);
  writeFileSync(join(dir, 'ekman/labels.txt'), ekman.join('\n') + '\n');
  writeFileSync(join(dir, 'ekman/dev.tsv'), `thank you so much\t${ekman.indexOf('joy')}\td1\nthis is so annoying\t${ekman.indexOf('anger')}\td2\nwhat do you mean\t${ekman.indexOf('surprise')},${ekman.indexOf('neutral')}\td3\n`);
  return dir;
}

test('GoEmotions groupings cover the 28 labels exactly once each', () => {
  for (const groups of [EKMAN_GROUPS, SENTIMENT_GROUPS, AGENT_GROUPS]) {
    assert.deepEqual(Object.values(groups).flat().sort(), [...GOEMOTIONS_LABELS].sort());
  }
  assert.deepEqual(Object.keys(AGENT_GROUPS).sort(), [...EMOTION_LABELS].sort());
});

test('fine probabilities fold into agent labels and into the evaluation label set', () => {
  const probs = new Float32Array(GOEMOTIONS_LABELS.length).fill(0.01);
  probs[id('annoyance')] = 0.5;
  probs[id('gratitude')] = 0.2;
  const agent = toTextEmotion(probs, GOEMOTIONS_LABELS, undefined);
  assert.equal(agent.label, 'frustrated');
  assert.ok(Math.abs(Object.values(agent.scores).reduce((a, b) => a + b, 0) - 1) < 1e-6);
  assert.equal(agent.confidence, agent.scores.frustrated);
  assert.deepEqual(decideLabels([probs], [...GOEMOTIONS_LABELS], Object.keys(EKMAN_GROUPS), undefined), ['anger']);
  assert.deepEqual(decideLabels([probs], [...GOEMOTIONS_LABELS], Object.keys(SENTIMENT_GROUPS), undefined), ['negative']);
  assert.equal(toTextEmotion(probs, GOEMOTIONS_LABELS, { satisfied: 2 }).label, 'satisfied', 'biases shift the decision');
});

test('train on a small GoEmotions file, load, predict agent labels, evaluate on ekman labels', async () => {
  const runtime = await loadTf(pino({ level: 'silent' }));
  const dir = fixture();
  const config = { ...EMOTION_TRAINING, members: [EMOTION_TRAINING.members[0]!], epochs: 20, batchSize: 8 };
  const result = await trainEmotionModel({ data: join(dir, 'original/train.tsv'), outRoot: join(dir, 'models'), seed: 1, runtime, log: () => {}, config: { ...config, members: [{ ...config.members[0]!, minCount: 1 }] } });
  assert.equal(result.skipped, false);
  for (const set of ['agent', 'ekman', 'group', 'original'] as const) assert.equal(typeof result.metrics!.heldOut[set].macroF1, 'number');
  const model = await loadEmotionTextModel(join(dir, 'models'), runtime);
  assert.equal(model.version, result.version);
  const out = await model.predict(['thank you so much you are great', 'this is so annoying']);
  assert.equal(out.length, 2);
  for (const p of out) {
    assert.ok(EMOTION_LABELS.includes(p.label));
    assert.deepEqual(Object.keys(p.scores).sort(), [...EMOTION_LABELS].sort());
  }
  assert.equal(out[0]!.label, 'satisfied');
  const dev = await readGoEmotionsTsv(join(dir, 'ekman/dev.tsv'));
  assert.deepEqual(dev.rows[2]!.labels, ['surprise', 'neutral']);
  const report = await evaluateEmotionModel(model, dev.rows, dev.labels, { latencyRuns: 3 });
  assert.equal(report.labelSet, 'ekman');
  assert.deepEqual(Object.keys(report.perLabelF1).sort(), Object.keys(EKMAN_GROUPS).sort());
  model.dispose();
});

test('bad emotion data is refused with the reason', async () => {
  const dir = fixture();
  writeFileSync(join(dir, 'original/bad.tsv'), 'fine\t27\tc1\nbroken\t99\tc2\n');
  await assert.rejects(readGoEmotionsTsv(join(dir, 'original/bad.tsv')), /bad\.tsv line 2: label id "99" is not in labels\.txt/);
  const runtime = await loadTf(pino({ level: 'silent' }));
  await assert.rejects(trainEmotionModel({ data: join(dir, 'ekman/dev.tsv'), outRoot: join(dir, 'm'), seed: 1, runtime, log: () => {} }), /train on the original 28 GoEmotions labels/);
});
