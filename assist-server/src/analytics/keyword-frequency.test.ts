import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CallMetricsStore } from '../store/call-metrics-store.ts';
import { testOnDatabases } from '../testing/test-databases.ts';
import { AnalyticsService } from './analytics-service.ts';
import { keywordFrequency, keywordTokens } from './keyword-frequency.ts';

test('keyword tokens: stop words (English and Mandarin), PII placeholders and anything with a digit are left out', () => {
  assert.deepEqual(keywordTokens('Um, I lost my card [CREDIT_CARD …1111] and the PIN 4321, card blocked?'), ['lost', 'card', 'pin', 'card', 'blocked']);
  assert.deepEqual(keywordTokens('我的信用卡丢了，请帮我冻结 [CN_MOBILE]'), ['信用卡', '丢', '帮', '冻结']);
  assert.deepEqual(keywordTokens('call 3pm or 2nd May, account A1B2'), ['call', 'may', 'account']);
  assert.deepEqual(keywordTokens('[EMAIL] [PERSON_NAME] [CREDIT_CARD …4242]'), []);
});

test('keyword frequency: counts and calls per word, most frequent first, ties by calls then alphabet', () => {
  const ranked = keywordFrequency([
    { callId: 'a', text: 'card stolen card' },
    { callId: 'b', text: 'my card was stolen [CREDIT_CARD]' },
    { callId: 'b', text: 'refund please' },
    { callId: 'c', text: 'refund refund' },
  ]);
  // card: 3 times in 2 calls; refund: 3 times in 2 calls; stolen: 2 in 2
  assert.deepEqual(ranked, [
    { word: 'card', count: 3, calls: 2 },
    { word: 'refund', count: 3, calls: 2 },
    { word: 'stolen', count: 2, calls: 2 },
  ]);
  assert.deepEqual(keywordFrequency([{ callId: 'a', text: 'card stolen card' }], 1), [{ word: 'card', count: 2, calls: 1 }]);
});

testOnDatabases('keywords from stored masked utterances: the period, the role and the agents select them', async (_t, { db }) => {
  const insertCall = (callId: string, agentId: string, startedAtMs: number) =>
    db.run("INSERT INTO calls (call_id, agent_id, caller_number, source, started_at_ms, status, legs_json) VALUES (?, ?, NULL, 'pstn', ?, 'ended', '[]')", [callId, agentId, startedAtMs]);
  let n = 0;
  const say = (callId: string, role: 'agent' | 'customer', text: string) =>
    db.run("INSERT INTO utterances (utterance_id, call_id, role, start_ms, end_ms, text, words_json) VALUES (?, ?, ?, ?, ?, ?, '[]')", [`u${++n}`, callId, role, n * 1000, n * 1000 + 500, text]);
  await insertCall('c1', 'a1', 1000);
  await insertCall('c2', 'a2', 2000);
  await insertCall('outside', 'a1', 5000);
  await say('c1', 'customer', 'my card was stolen, card number [CREDIT_CARD …1111]');
  await say('c1', 'agent', 'I will block the card now');
  await say('c2', 'customer', '我的信用卡被盗了 stolen');
  await say('outside', 'customer', 'mortgage mortgage mortgage');
  const analytics = new AnalyticsService(db, new CallMetricsStore(db));

  const customers = await analytics.keywords({ fromMs: 0, toMs: 5000, role: 'customer', limit: 10 });
  assert.equal(customers.utterances, 2);
  assert.deepEqual(customers.keywords.slice(0, 3), [
    { word: 'stolen', count: 2, calls: 2 }, // a tie on count: more calls first
    { word: 'card', count: 2, calls: 1 },
    { word: 'number', count: 1, calls: 1 },
  ]);
  assert.ok(customers.keywords.some((k) => k.word === '信用卡'));
  assert.ok(!customers.keywords.some((k) => k.word === 'mortgage' || k.word === 'block'));
  const both = await analytics.keywords({ fromMs: 0, toMs: 5000, role: 'any', limit: 1 });
  assert.deepEqual(both.keywords, [{ word: 'card', count: 3, calls: 1 }]);
  const team = await analytics.keywords({ fromMs: 0, toMs: 10_000, role: 'customer', limit: 10, agentIds: ['a2'] });
  assert.deepEqual(team.utterances, 1);
  assert.equal((await analytics.keywords({ fromMs: 0, toMs: 10_000, role: 'customer', limit: 10, agentIds: [] })).utterances, 0);
});
