import assert from 'node:assert/strict';
import { storeFinishedCall } from '../analyzers/summary/stored-call-fixture.ts';
import { testOnDatabases } from '../testing/test-databases.ts';
import { CallStore } from './call-store.ts';
import { CustomerHistoryStore } from './customer-history-store.ts';
import { ReviewStore, ftsQuery, tsQuery } from './review-store.ts';

async function twoCalls(db: ConstructorParameters<typeof CallStore>[0]) {
  const store = new CallStore(db);
  await storeFinishedCall(store, new CustomerHistoryStore(db), 'card-call');
  await store.callStarted({ callId: 'balance-call', agentId: 'agent-2', callerNumber: null, startedAtMs: 2_000_000_000_000, legs: ['customer'], source: 'test' });
  await store.recordEvent({ v: 1, callId: 'balance-call', seq: 1, atMs: 1, type: 'transcript.final', utteranceId: 'b-u1', role: 'customer', text: 'what is the balance of my savings account', startMs: 0, endMs: 2000, words: [] });
  await store.recordEvent({ v: 1, callId: 'balance-call', seq: 2, atMs: 2, type: 'call.ended', reason: 'hangup', durationMs: 60_000 });
  await store.callStarted({ callId: 'live-call', agentId: 'agent-1', callerNumber: null, startedAtMs: 3_000_000_000_000, legs: ['customer'], source: 'test' });
  return { store, review: new ReviewStore(db) };
}

testOnDatabases('review call list: filters and full-text search with snippets, the same on both dialects', async (_t, { db }) => {
  const { review } = await twoCalls(db);
  const ids = async (q: Parameters<ReviewStore['listCalls']>[0]) => (await review.listCalls(q)).calls.map((c) => c.callId);
  assert.deepEqual(await ids({}), ['balance-call', 'card-call'], 'newest first; live calls left out');
  const [balance, card] = (await review.listCalls({})).calls;
  assert.deepEqual([card!.intents, card!.emotions, card!.complianceWarnings, card!.escalations, card!.hasRecording], [['lost_or_stolen_card', 'oos'], ['angry'], 1, 1, false]);
  assert.deepEqual([balance!.intents, balance!.durationMs], [[], 60_000]);
  assert.deepEqual(await ids({ intent: 'lost_or_stolen_card' }), ['card-call']);
  assert.deepEqual(await ids({ emotion: 'angry' }), ['card-call']);
  assert.deepEqual(await ids({ compliance: true }), ['card-call']);
  assert.deepEqual(await ids({ compliance: false }), ['balance-call']);
  assert.deepEqual(await ids({ minDurationMs: 20_000 }), ['balance-call']);
  assert.deepEqual(await ids({ agentId: 'agent-1' }), ['card-call']);
  assert.deepEqual(await ids({ limit: 1 }), ['balance-call']);
  assert.equal((await review.listCalls({ limit: 1 })).more, true);

  const savings = await review.listCalls({ q: 'savings' });
  assert.deepEqual(savings.calls.map((c) => c.callId), ['balance-call']);
  assert.match(savings.calls[0]!.matches![0]!.snippet, /«savings»/);
  assert.equal(savings.calls[0]!.matches![0]!.utteranceId, 'b-u1');
  assert.deepEqual(await ids({ q: 'manag' }), ['card-call'], 'the last word matches as a prefix');
  assert.deepEqual(await ids({ q: 'cards lost' }), ['card-call'], 'stemmed (the last word, a prefix, is not)');
  assert.deepEqual(await ids({ q: 'lost savings' }), [], 'every word must appear in one utterance');
  assert.deepEqual(await ids({ q: '"card" ( & | ! :*' }), ['card-call'], 'query syntax of either dialect is harmless');
  assert.deepEqual(await ids({ q: '***' }), []);
  assert.equal(ftsQuery('Lost "card" NEAR('), '"lost" "card" "near"*');
  assert.equal(tsQuery('Lost "card" & NEAR('), 'lost & card & near:*');
});

testOnDatabases('QA scorecards: one per call and reviewer, replaced on save', async (_t, { db }) => {
  const { review } = await twoCalls(db);
  assert.equal(await review.scorecard('card-call', 'rita'), null);
  await review.saveScorecard({ callId: 'card-call', reviewer: 'rita', scores: { greeting: 4 } as never, comment: 'ok', updatedAtMs: 10 });
  await review.saveScorecard({ callId: 'card-call', reviewer: 'sam', scores: { greeting: 2 } as never, comment: '', updatedAtMs: 20 });
  await review.saveScorecard({ callId: 'card-call', reviewer: 'rita', scores: { greeting: 5 } as never, comment: 'better', updatedAtMs: 30 });
  assert.deepEqual(await review.scorecard('card-call', 'rita'), { callId: 'card-call', reviewer: 'rita', scores: { greeting: 5 }, comment: 'better', updatedAtMs: 30 });
  assert.deepEqual((await review.scorecards('card-call')).map((c) => c.reviewer), ['sam', 'rita']);
  assert.deepEqual((await review.listCalls({ agentId: 'agent-1' })).calls[0]!.scoredBy, ['sam', 'rita']);
});
