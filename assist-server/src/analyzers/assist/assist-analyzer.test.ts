import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import pino from 'pino';
import type { IntentPrediction } from '../../protocol/index.ts';
import type { AnalyzerEventBody } from '../live/live-analyzer.ts';
import { AssistService } from './assist-service.ts';
import { testOnDatabases, type TestDatabase } from '../../testing/test-databases.ts';
import { fixtureKnowledge } from './testing/kb-fixture.ts';

const CALL = { callId: 'c1', agentId: 'agent-1', callerNumber: null, startedAtMs: 1, legs: ['agent', 'customer'] as Array<'agent' | 'customer'>, source: 'test' };

function prediction(top: Array<[string, number]>, extra: Partial<IntentPrediction> = {}): IntentPrediction {
  return { label: top[0]![0], confidence: top[0]![1], top: top.map(([label, confidence]) => ({ label, confidence })), outOfScope: false, lowConfidence: false, ...extra };
}

async function setup(intentReadings: boolean, database: TestDatabase['db']) {
  const { db, kb } = await fixtureKnowledge(database);
  const assist = new AssistService({ store: kb, intentReadings, callAgent: (id) => (id === 'c1' ? 'agent-1' : undefined), log: pino({ level: 'silent' }) });
  const emitted: AnalyzerEventBody[] = [];
  const analyzer = assist.factory({ call: CALL, callerKey: null, log: pino({ level: 'silent' }), emit: (b) => emitted.push(b) })!;
  const suggestions = () => emitted.filter((e) => e.type === 'assist.suggestions') as Array<Extract<AnalyzerEventBody, { type: 'assist.suggestions' }>>;
  // hooks return at once; the ranking reads the database: wait for it before looking
  const settled = () => analyzer.drain!();
  return { db, kb, assist, analyzer, suggestions, settled };
}

const intent = (utteranceId: string, stage: 'early' | 'final', p: IntentPrediction) => ({ type: 'intent' as const, utteranceId, stage, status: 'predicted' as const, prediction: p, modelVersion: 'm1' });

testOnDatabases('early suggestions from a partial, confirmed on the final; repeats are not re-sent; the snapshot keeps the latest', async (_t: TestContext, tdb) => {
  const { kb, analyzer, suggestions, settled } = await setup(true, tdb.db);
  const lost = prediction([['lost_or_stolen_card', 0.8], ['compromised_card', 0.15], ['card_arrival', 0.02]]);
  analyzer.onPartial!('customer', 'u1', 'i lost my wallet with', 0);
  analyzer.onPartial!('agent', 'a1', 'my card arrived', 0);
  analyzer.onInsight!(intent('u1', 'early', lost));
  analyzer.onInsight!(intent('u1', 'early', lost)); // the same guess again
  await settled();
  assert.equal(suggestions().length, 1);
  assert.deepEqual(suggestions()[0]!.suggestions.map((s) => s.articleId), ['lost-card', 'compromised-card', 'card-arrival']);
  assert.equal(suggestions()[0]!.stage, 'early');
  assert.deepEqual(suggestions()[0]!.suggestions[0]!.why, { intent: 'lost_or_stolen_card', matchedTerms: ['lost', 'wallet'] });

  analyzer.onFinal!({ utteranceId: 'u1', role: 'customer', text: 'i lost my wallet with my card [CREDIT_CARD …1111]', startMs: 0, endMs: 2000, words: [] });
  await settled();
  assert.equal(suggestions().length, 1, 'with intent readings the final waits for its reading');
  analyzer.onInsight!(intent('u1', 'final', lost));
  await settled();
  assert.equal(suggestions().length, 2);
  assert.equal(suggestions()[1]!.stage, 'final');
  assert.deepEqual(analyzer.snapshot!().suggestions?.stage, 'final');
  assert.deepEqual(await kb.loggedSuggestion('c1', 'u1', 'lost-card'), { utteranceId: 'u1', intent: 'lost_or_stolen_card' });

  // an out-of-scope final with nothing relevant: no event, and nothing else changes
  analyzer.onFinal!({ utteranceId: 'u2', role: 'customer', text: 'okay thanks', startMs: 3000, endMs: 4000, words: [] });
  analyzer.onInsight!(intent('u2', 'final', prediction([['oos', 0.95], ['card_arrival', 0.02]], { label: 'oos', outOfScope: true })));
  await settled();
  assert.equal(suggestions().length, 2);
});

testOnDatabases('an early list withdrawn when the final finds nothing; without intent readings finals rank by text', async (_t: TestContext, tdb) => {
  const { analyzer, suggestions, settled } = await setup(true, tdb.db);
  analyzer.onPartial!('customer', 'u1', 'my card was stolen', 0);
  analyzer.onInsight!(intent('u1', 'early', prediction([['compromised_card', 0.7]])));
  analyzer.onFinal!({ utteranceId: 'u1', role: 'customer', text: 'my cat was stolen', startMs: 0, endMs: 1, words: [] });
  analyzer.onInsight!(intent('u1', 'final', prediction([['oos', 0.9], ['card_arrival', 0.01]], { label: 'oos', outOfScope: true })));
  await settled();
  assert.deepEqual(suggestions().map((s) => [s.stage, s.suggestions.length]), [['early', 1], ['final', 0]]);

  const textOnly = await setup(false, tdb.db); // the same knowledge base, imported again
  textOnly.analyzer.onFinal!({ utteranceId: 'u9', role: 'customer', text: 'the recipient says the transfer never came', startMs: 0, endMs: 1, words: [] });
  await textOnly.settled();
  const [s] = textOnly.suggestions();
  assert.equal(s?.stage, 'final');
  assert.equal(s?.suggestions[0]?.articleId, 'transfer-not-received');
  assert.deepEqual(s?.suggestions[0]?.why, { intent: null, matchedTerms: ['recipient', 'transfer'] });
});

testOnDatabases('agent feedback: tied to the suggestion intent, shifts the next ranking, checked against the call owner', async (_t: TestContext, tdb) => {
  const { kb, assist, analyzer, suggestions, settled } = await setup(true, tdb.db);
  const near = prediction([['lost_or_stolen_card', 0.5], ['compromised_card', 0.45]]);
  const ask = async (id: string) => {
    analyzer.onFinal!({ utteranceId: id, role: 'customer', text: 'something happened to my card', startMs: 0, endMs: 1, words: [] });
    analyzer.onInsight!(intent(id, 'final', near));
    await settled();
    return suggestions().at(-1)!.suggestions.map((x) => x.articleId);
  };
  assert.equal((await ask('u1'))[0], 'lost-card');
  for (let i = 0; i < 3; i++) assert.deepEqual(await assist.recordFeedback({ callId: 'c1', agentId: 'agent-1', articleId: 'lost-card', utteranceId: 'u1', action: 'not_helpful' }), { intent: 'lost_or_stolen_card', utteranceId: 'u1' });
  assert.deepEqual((await kb.feedbackTotals(['lost-card'])).get('lost-card')?.get('lost_or_stolen_card'), { positive: 0, negative: 3 });
  assert.equal((await ask('u2'))[0], 'compromised-card', 'disliked (and already seen) article drops');
  await assert.rejects(assist.recordFeedback({ callId: 'c1', agentId: 'agent-2', articleId: 'lost-card', utteranceId: null, action: 'used' }), /not on call/);
  await assert.rejects(assist.recordFeedback({ callId: 'c2', agentId: 'agent-1', articleId: 'lost-card', utteranceId: null, action: 'used' }), /no call/);
});
