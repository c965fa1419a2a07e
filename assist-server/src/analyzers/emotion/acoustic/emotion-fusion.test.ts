import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CueKind } from './acoustic-cues.ts';
import { fuseEmotion, MIN_TEXT_SUPPORT, type AcousticEvidence } from './emotion-fusion.ts';
import { EMOTION_LABELS, type EmotionLabel, type TextEmotion } from './emotion-labels.ts';

const aroused: AcousticEvidence = {
  arousal: 1,
  cues: ['talking over the agent (2.1 s of overlap)', 'speaking louder than earlier in the call (+9 dB)', 'speaking faster than earlier (4.6 words/s)'],
  cueKinds: ['talking-over', 'louder', 'faster'],
};
const calm: AcousticEvidence = { arousal: 0.05, cues: [], cueKinds: [] };
const subdued = (kinds: CueKind[]): AcousticEvidence => ({ arousal: 0, cues: kinds.map((k) => k), cueKinds: kinds });

const text = (label: EmotionLabel, scores: Partial<Record<EmotionLabel, number>>): TextEmotion => ({ label, confidence: scores[label] ?? 0, scores });

test('acoustics never turn a satisfied text result into angry or frustrated', () => {
  const cases: TextEmotion[] = [
    text('satisfied', { satisfied: 0.4, angry: 0.35, frustrated: 0.25 }), // a close call
    text('satisfied', { satisfied: 0.9, angry: 0.05, neutral: 0.05 }),
    { label: 'satisfied', confidence: 0.3 }, // no scores
  ];
  for (const t of cases) {
    const f = fuseEmotion(t, aroused);
    assert.equal(f.label, 'satisfied', JSON.stringify(t));
    assert.equal(f.changedByAcoustics, false);
    assert.deepEqual(f.cues, aroused.cues, 'the cues are still shown');
  }
});

test('high arousal lifts a supported frustrated or angry reading over neutral', () => {
  const t = text('neutral', { neutral: 0.55, frustrated: 0.3, angry: 0.1, confused: 0.05 });
  const f = fuseEmotion(t, aroused);
  assert.equal(f.label, 'frustrated');
  assert.equal(f.changedByAcoustics, true);
  assert.ok(f.scores.neutral < 0.55 && f.scores.frustrated > 0.3);
  const sum = EMOTION_LABELS.reduce((s, l) => s + f.scores[l], 0);
  assert.ok(Math.abs(sum - 1) < 1e-9, 'scores stay a distribution');
  // The same text with a calm voice stays neutral, unchanged.
  const same = fuseEmotion(t, calm);
  assert.equal(same.label, 'neutral');
  assert.ok(Math.abs(same.confidence - 0.55) < 1e-9);
});

test('acoustics do not invent an emotion the text gives no support', () => {
  const t = text('neutral', { neutral: 0.9, angry: MIN_TEXT_SUPPORT / 2, satisfied: 0.05 });
  assert.equal(fuseEmotion(t, aroused).label, 'neutral');
  // Frustrated raised to angry only when the words allow anger.
  const frustrated = text('frustrated', { frustrated: 0.48, angry: 0.42, neutral: 0.1 });
  assert.equal(fuseEmotion(frustrated, aroused).label, 'angry');
  assert.equal(fuseEmotion(text('frustrated', { frustrated: 0.9, angry: 0.05, neutral: 0.05 }), aroused).label, 'frustrated');
});

test('high arousal raises the confidence of an angry reading; a calm voice changes nothing', () => {
  const t = text('angry', { angry: 0.6, frustrated: 0.3, neutral: 0.1 });
  assert.ok(fuseEmotion(t, aroused).confidence > 0.6);
  assert.ok(Math.abs(fuseEmotion(t, calm).confidence - 0.6) < 1e-9);
});

test('a subdued voice tips a sad-or-neutral reading toward sad', () => {
  const t = text('neutral', { neutral: 0.5, sad: 0.42, confused: 0.08 });
  assert.equal(fuseEmotion(t, subdued([])).label, 'neutral');
  assert.equal(fuseEmotion(t, subdued(['quieter', 'monotone', 'slower'])).label, 'sad');
});

test('no acoustic evidence returns the text result; confidence-only text gets a full distribution', () => {
  const f = fuseEmotion({ label: 'confused', confidence: 0.7 }, null);
  assert.equal(f.label, 'confused');
  assert.ok(Math.abs(f.confidence - 0.7) < 1e-9);
  assert.deepEqual(f.cues, []);
  assert.ok(Math.abs(EMOTION_LABELS.reduce((s, l) => s + f.scores[l], 0) - 1) < 1e-9);
});
