import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EmotionLabel } from './emotion-labels.ts';
import { EmotionTrend, negativityOf, type EscalationAlert } from './emotion-trend.ts';

/** Feeds labels 10 s apart (confidence 0.9); returns the alerts. */
function run(labels: EmotionLabel[], trend = new EmotionTrend(), stepMs = 10_000): EscalationAlert[] {
  const alerts: EscalationAlert[] = [];
  labels.forEach((label, i) => {
    const u = trend.push({ atMs: i * stepMs, label, confidence: 0.9 });
    if (u.alert) alerts.push(u.alert);
  });
  return alerts;
}

test('an escalating call raises exactly one alert', () => {
  const alerts = run(['neutral', 'neutral', 'confused', 'frustrated', 'angry', 'angry', 'angry', 'angry', 'angry', 'frustrated']);
  assert.equal(alerts.length, 1, JSON.stringify(alerts));
  assert.equal(alerts[0]!.reason, 'rising');
  assert.ok(alerts[0]!.negativity - alerts[0]!.fromNegativity >= 0.35);
});

test('steady calls raise none: calm, mildly mixed, or steadily frustrated', () => {
  assert.deepEqual(run(Array<EmotionLabel>(12).fill('neutral')), []);
  assert.deepEqual(run(['neutral', 'confused', 'neutral', 'confused', 'satisfied', 'neutral', 'confused', 'neutral']), []);
  assert.deepEqual(run(Array<EmotionLabel>(12).fill('frustrated')), []);
});

test('anger persisting for N utterances alerts even without a rise, once', () => {
  const alerts = run(['frustrated', 'frustrated', 'angry', 'angry', 'angry', 'angry', 'angry']);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]!.reason, 'persistent-anger');
  assert.equal(alerts[0]!.angryUtterances, 3);
  assert.equal(run(['frustrated', 'angry', 'angry', 'angry'], new EmotionTrend({ angryRun: 4 })).length, 0, 'N is configurable');
});

test('a second escalation after the caller calmed down alerts again', () => {
  const calm: EmotionLabel[] = ['neutral', 'neutral', 'neutral'];
  const escalation: EmotionLabel[] = ['frustrated', 'angry', 'angry', 'angry'];
  const alerts = run([...calm, ...escalation, 'satisfied', 'neutral', 'neutral', 'neutral', ...escalation]);
  assert.equal(alerts.length, 2);
});

test('a rise slower than the window does not count as one', () => {
  const slow: EmotionLabel[] = ['neutral', 'neutral', 'confused', 'confused', 'sad', 'sad', 'frustrated', 'frustrated'];
  assert.equal(run(slow, new EmotionTrend({ windowMs: 15_000 }), 30_000).length, 0, '30 s apart, 15 s window');
  assert.equal(run(slow, new EmotionTrend({ windowMs: 600_000 }), 30_000).length, 1, 'same sequence, 10 min window');
});

test('negativity: label weights, blended by confidence, or expected over scores', () => {
  assert.equal(negativityOf({ label: 'angry', confidence: 1 }), 1);
  assert.equal(negativityOf({ label: 'satisfied', confidence: 1 }), 0);
  assert.ok(negativityOf({ label: 'angry', confidence: 0.5 }) < negativityOf({ label: 'angry', confidence: 0.9 }));
  assert.ok(Math.abs(negativityOf({ label: 'angry', confidence: 0.5, scores: { angry: 0.5, satisfied: 0.5 } }) - 0.5) < 1e-9);
});
