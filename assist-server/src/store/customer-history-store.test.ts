import assert from 'node:assert/strict';
import { testOnDatabases } from '../testing/test-databases.ts';
import { CallStore } from './call-store.ts';
import { CustomerHistoryStore } from './customer-history-store.ts';

testOnDatabases("a caller's earlier calls: newest first, outcome or the stored final intents, idempotent links and outcomes", async (_t, { db }) => {
  const history = new CustomerHistoryStore(db);
  const store = new CallStore(db);
  await history.linkCaller('c1', 'key-a', 1000);
  await history.linkCaller('c1', 'key-b', 5000); // a resumed call keeps its first link
  await history.linkCaller('c2', 'key-a', 2000);
  await history.linkCaller('c3', 'key-a', 3000);
  await history.linkCaller('other', 'key-z', 1500);
  assert.equal(await history.callerKeyOf('c1'), 'key-a');
  assert.equal(await history.callerKeyOf('nope'), undefined);
  await history.recordOutcome({ callId: 'c1', intents: ['card_arrival'], outcome: 'resolved', openIssue: null, transferTarget: null, recordedAtMs: 1100 });
  await history.recordOutcome({ callId: 'c1', intents: ['card_arrival', 'lost_or_stolen_card'], outcome: 'transferred', openIssue: 'lost_or_stolen_card', transferTarget: 'fraud', recordedAtMs: 1200.4 });
  assert.deepEqual(await history.outcome('c1'), { callId: 'c1', intents: ['card_arrival', 'lost_or_stolen_card'], outcome: 'transferred', openIssue: 'lost_or_stolen_card', transferTarget: 'fraud', recordedAtMs: 1200 });
  // c2 ended without an outcome (a crash): its confident final intents come from its stored events
  await store.callStarted({ callId: 'c2', agentId: 'a', callerNumber: null, startedAtMs: 2000, legs: ['customer'], source: 'test' });
  const prediction = (label: string, lowConfidence = false) => ({ label, confidence: 0.9, top: [{ label, confidence: 0.9 }], outOfScope: false, lowConfidence });
  await store.recordEvent({ v: 1, callId: 'c2', seq: 1, atMs: 1, type: 'intent', utteranceId: 'u1', stage: 'early', status: 'predicted', prediction: prediction('card_fees'), modelVersion: 'm' });
  await store.recordEvent({ v: 1, callId: 'c2', seq: 2, atMs: 2, type: 'intent', utteranceId: 'u1', stage: 'final', status: 'predicted', prediction: prediction('exchange_rate'), modelVersion: 'm' });
  await store.recordEvent({ v: 1, callId: 'c2', seq: 3, atMs: 3, type: 'intent', utteranceId: 'u2', stage: 'final', status: 'predicted', prediction: prediction('card_fees', true), modelVersion: 'm' });
  const previous = await history.previousCalls('key-a', { excludeCallId: 'c3', beforeMs: 3000, limit: 5 });
  assert.deepEqual(previous, [
    { callId: 'c2', startedAtMs: 2000, intents: ['exchange_rate'], outcome: null, openIssue: null },
    { callId: 'c1', startedAtMs: 1000, intents: ['card_arrival', 'lost_or_stolen_card'], outcome: 'transferred', openIssue: 'lost_or_stolen_card' },
  ]);
  assert.deepEqual((await history.previousCalls('key-a', { excludeCallId: 'c3', beforeMs: 1500, limit: 5 })).map((c) => c.callId), ['c1']);
  assert.deepEqual((await history.previousCalls('key-a', { excludeCallId: 'c3', beforeMs: 9000, limit: 1 })).map((c) => c.callId), ['c2']);
});
