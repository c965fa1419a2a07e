import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { testOnDatabases } from '../testing/test-databases.ts';
import { CallMetricsStore } from '../store/call-metrics-store.ts';
import { CallStore } from '../store/call-store.ts';
import { ComplianceStore } from '../store/compliance-store.ts';
import { ReviewStore } from '../store/review-store.ts';
import { PostCallPipeline, POST_CALL_STEPS, type PostCallStep } from './post-call-pipeline.ts';
import type { RuleKind } from './qa-auto-score.ts';
import { storeTwoLegCall } from './testing/two-leg-call.ts';

const logger = pino({ level: 'silent' });
const RULE_KINDS = new Map<string, RuleKind>([
  ['no-promised-returns', 'phrase'],
  ['long-silence', 'silence'],
  ['identity-before-account-details', 'ordered'],
]);

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'ep-postcall-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

testOnDatabases('metrics of a synthesized two-leg call match the hand-computed values', async (t, { db }) => {
  const dataDir = tempDir(t);
  const store = new CallStore(db);
  const call = await storeTwoLegCall({ store, hits: new ComplianceStore(db) }, { callId: 'metrics-1', spoolDir: join(dataDir, 'spool') });
  const pipeline = new PostCallPipeline({ store, dataDir, logger, ruleKinds: () => RULE_KINDS });
  const result = await pipeline.run({ callId: call.callId, legs: call.legs });
  assert.deepEqual(result.ran, [...POST_CALL_STEPS]);

  const m = await new CallMetricsStore(db).get('metrics-1');
  assert.ok(m);
  // Worked out by hand from the minute in testing/two-leg-call.ts:
  assert.equal(m.handleMs, 60_000);
  assert.equal(m.talkAgentMs, 4500 + 7000 + 6000);
  assert.equal(m.talkCustomerMs, 3000 + 4000 + 4000);
  assert.equal(m.nonTalkMs, 60_000 - (3000 + 7500 + 7000 + 9000), 'speech union: 1–4 s, 4.5–12 s, 13–20 s, 21–30 s');
  assert.equal(m.interruptionsAgent, 1, 'the agent cut in at 24 s');
  assert.equal(m.interruptionsCustomer, 1, 'the customer cut in at 8 s');
  assert.equal(m.wpmAgent, 120, '35 words in 17.5 s');
  assert.equal(m.wpmCustomer, 98.18, '18 words in 11 s');
  assert.equal(m.firstResponseMs, 500, 'customer stopped at 4 s, agent began at 4.5 s');
  assert.equal(m.holdMs, 10_000 + 5_000, 'one released hold and one open until the end');
  assert.equal(m.transferred, false);
  assert.equal(m.resolution, 'resolved');
  assert.equal(m.resolutionSource, 'inferred', 'no wrap-up outcome; end sentiment ≥ 0');
  assert.equal(m.sentimentStart, -1, 'angry, angry');
  assert.equal(m.sentimentEnd, 0.5, 'satisfied, neutral');
  assert.equal(m.complianceScore, 80, 'one warning (−15), one info (−5)');
  assert.deepEqual(m.intents, ['card_arrival', 'lost_or_stolen_card'], 'out-of-scope left out');
  assert.equal(m.primaryIntent, 'card_arrival');
  assert.equal(m.callType, 'sip');
  // A 400 Hz tone of amplitude A: RMS A/√2 → 20·log10(A/√2/32768): agent A = 8192, customer A = 16384.
  assert.ok(Math.abs(m.loudnessAgentDbfs! - -15.05) < 0.02, `agent loudness ${m.loudnessAgentDbfs}`);
  assert.ok(Math.abs(m.loudnessCustomerDbfs! - -9.03) < 0.02, `customer loudness ${m.loudnessCustomerDbfs}`);

  const cards = await new ReviewStore(db).scorecards('metrics-1');
  assert.equal(cards.length, 1);
  assert.equal(cards[0]!.reviewer, 'auto');
  assert.deepEqual(cards[0]!.scores, { greeting: 'n/a', verification: 5, accuracy: 3, empathy: 5, compliance: 4, resolution: 5 });

  const files = readdirSync(result.archiveDir).sort();
  assert.deepEqual(files, ['agent.flac', 'agent.wav', 'customer.flac', 'customer.wav', 'events.jsonl', 'manifest.json', 'manifest.sha256', 'metadata.json', 'summary.json', 'transcript.json']);
  assert.equal((await store.getCall('metrics-1'))?.status, 'archived');
  assert.ok(call.legs.every((l) => !existsSync(l.spoolPath)), 'spools removed once the recordings are archived');
});

testOnDatabases('a pipeline cut off after a step resumes there: every step done once, nothing written twice', async (t, { db }) => {
  const dataDir = tempDir(t);
  const store = new CallStore(db);
  const call = await storeTwoLegCall({ store, hits: new ComplianceStore(db) }, { callId: 'retry-1', spoolDir: join(dataDir, 'spool') });
  const runs: Array<[PostCallStep, number]> = [];
  const pipeline = new PostCallPipeline({
    store,
    dataDir,
    logger,
    afterStep: (_id, step, attempt) => {
      runs.push([step, attempt]);
      if (step === 'qa' && attempt === 1) throw new Error('worker died after qa');
    },
  });
  await assert.rejects(pipeline.run({ callId: call.callId, legs: call.legs }, 1), /worker died/);
  const first = await pipeline.steps.steps('retry-1');
  assert.deepEqual(first.map((s) => s.step).sort(), ['encode', 'metrics', 'qa', 'recording', 'transcript']);
  const second = await pipeline.run({ callId: call.callId, legs: call.legs }, 2);
  assert.deepEqual(second.ran, ['summary', 'analytics', 'seal'], 'the retry skipped the recorded steps');
  const third = await pipeline.run({ callId: call.callId, legs: call.legs }, 3);
  assert.equal(third.skipped, 'already-archived');
  assert.deepEqual(runs.map(([s]) => s), [...POST_CALL_STEPS], 'each step ran exactly once');
  const steps = await pipeline.steps.steps('retry-1');
  assert.deepEqual(Object.fromEntries(steps.map((s) => [s.step, s.attempt])), { recording: 1, encode: 1, transcript: 1, metrics: 1, qa: 1, summary: 2, analytics: 2, seal: 2 });
  assert.equal((await new ReviewStore(db).scorecards('retry-1')).length, 1);
  assert.equal((await db.all('SELECT call_id FROM call_metrics WHERE call_id = ?', ['retry-1'])).length, 1);
  assert.equal((await db.all('SELECT call_id FROM call_archives WHERE call_id = ?', ['retry-1'])).length, 1);
  const recordings = await store.recordings('retry-1');
  assert.equal(recordings.length, 2);
  assert.ok(recordings.every((r) => r.durationMs === 60_000), 'recordings came from the spools of the first attempt (deleted after it)');
});
