import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { intentModelFrom, type IntentModel, type IntentModelMeta } from '../intent/intent-model.ts';
import { trainIntentModel } from '../intent/intent-training.ts';
import { TINY_PACK_SETTINGS, writeTinyIntentPack } from '../intent/testing/tiny-intent-pack.ts';
import { loadTf } from '../../inference/tf-runtime.ts';
import { TextClassifier } from '../../inference/text/text-classifier.ts';
import type { NluClient } from '../nlu-client.ts';
import { IntentTracker, type IntentBody } from './intent-tracker.ts';

// A real model trained on a tiny pack; its early threshold is set per test.
let classifier: TextClassifier<IntentModelMeta>;
let dir: string;
before(async () => {
  const runtime = await loadTf(pino({ level: 'silent' }));
  const pack = writeTinyIntentPack();
  const trained = await trainIntentModel({ data: pack, outRoot: join(pack, '..', 'models'), seed: 1, runtime, resolveAsset: () => Promise.reject(new Error('no assets')), log: () => {}, settings: TINY_PACK_SETTINGS });
  dir = trained.dir;
  classifier = await TextClassifier.load<IntentModelMeta>(runtime.tf, dir);
});
after(() => classifier?.dispose());

function trackerWith(earlyThreshold: number) {
  classifier.meta = { ...classifier.meta, earlyThreshold };
  const model: IntentModel = intentModelFrom(classifier, dir);
  const asked: Array<{ text: string; stage: string }> = [];
  const nlu: NluClient = {
    intentModelVersion: model.version,
    emotionModelVersion: undefined,
    intent: async (text, stage = 'final') => {
      asked.push({ text, stage });
      return (await model.predict([text], [stage]))[0]!;
    },
    emotion: () => Promise.reject(new Error('no emotion model')),
  };
  const events: IntentBody[] = [];
  const errors: Error[] = [];
  return { tracker: new IntentTracker(nlu, (e) => events.push(e), (e) => errors.push(e)), events, asked, errors };
}

test('an early guess once a partial has four real words, confirmed by the final; the timeline keeps finals', async () => {
  const { tracker, events, asked, errors } = trackerWith(0);
  tracker.onPartial('u1', 'i lost my');
  tracker.onPartial('u1', 'i lost [CREDIT_CARD] …');
  await tracker.drain();
  assert.equal(asked.length, 0, 'three real words, then placeholders and held-back words do not count');
  tracker.onPartial('u1', 'i have lost my card');
  await tracker.drain();
  assert.equal(events.length, 1);
  assert.deepEqual([events[0]!.stage, events[0]!.status, events[0]!.prediction.label], ['early', 'predicted', 'lost_card']);
  assert.deepEqual(asked.at(-1), { text: 'i have lost my card', stage: 'early' });
  tracker.onPartial('u1', 'i have lost my card i');
  await tracker.drain();
  assert.equal(asked.length, 1, 'asked again only when the partial grew by two words');
  tracker.onFinal('u1', 'i have lost my card i think');
  await tracker.drain();
  assert.deepEqual([events[1]!.stage, events[1]!.status, events[1]!.prediction.label], ['final', 'confirmed', 'lost_card']);
  assert.equal(events[1]!.modelVersion, classifier.meta.version);
  assert.equal(tracker.timeline.length, 1);
  assert.equal(tracker.timeline[0]!.utteranceId, 'u1');
  assert.deepEqual(errors, []);
});

test('a final that changes the guess revises it; with no guess the final is a plain prediction', async () => {
  const { tracker, events } = trackerWith(0);
  tracker.onPartial('u1', 'i have lost my card');
  await tracker.drain();
  tracker.onFinal('u1', 'what is my balance');
  tracker.onFinal('u2', 'please send money to my friend');
  await tracker.drain();
  const finals = events.filter((e) => e.stage === 'final');
  assert.deepEqual(
    finals.map((e) => [e.utteranceId, e.status, e.prediction.label]),
    [
      ['u1', 'revised', 'balance'],
      ['u2', 'predicted', 'transfer'],
    ],
  );
});

test('unsure and out-of-scope guesses are not shown; out of scope is a final answer', async () => {
  const unsure = trackerWith(1.01); // no guess is sure enough
  unsure.tracker.onPartial('u1', 'i have lost my card');
  await unsure.tracker.drain();
  assert.equal(unsure.asked.length, 1);
  assert.deepEqual(unsure.events, []);
  const { tracker, events } = trackerWith(0);
  tracker.onPartial('u2', 'tell me a joke please');
  tracker.onFinal('u2', 'tell me a joke please');
  await tracker.drain();
  assert.equal(events.length, 1);
  assert.deepEqual([events[0]!.stage, events[0]!.status, events[0]!.prediction.label, events[0]!.prediction.outOfScope], ['final', 'predicted', 'oos', true]);
});

test('a guess that comes back after its final is dropped', async () => {
  const { tracker, events, asked } = trackerWith(0);
  tracker.onPartial('u1', 'i have lost my card');
  tracker.onFinal('u1', 'i have lost my card'); // before the guess is answered
  tracker.onPartial('u1', 'i have lost my card again now');
  await tracker.drain();
  assert.equal(asked.filter((a) => a.stage === 'early').length, 1, 'no partial is looked at after the final');
  assert.deepEqual(
    events.map((e) => [e.stage, e.status]),
    [['final', 'predicted']],
  );
});
