import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { AssistService } from '../analyzers/assist/assist-service.ts';
import { fixtureKnowledge } from '../analyzers/assist/testing/kb-fixture.ts';
import { CallStore } from '../store/call-store.ts';
import type { KnowledgeStore } from '../store/knowledge-store.ts';
import { knowledgeRoutes } from './knowledge-routes.ts';

let app: FastifyInstance;
let db: CallStore;
let kb: KnowledgeStore;
let assist: AssistService;

before(async () => {
  const fixture = await fixtureKnowledge();
  kb = fixture.kb;
  db = new CallStore(fixture.db, { ownsDatabase: true });
  await db.callStarted({ callId: 'call-1', agentId: 'agent-1', callerNumber: null, startedAtMs: 1, legs: ['agent', 'customer'], source: 'test' });
  assist = new AssistService({ store: kb, intentReadings: false, callAgent: async (id) => (await db.getCall(id))?.agentId, log: pino({ level: 'silent' }) });
  app = Fastify();
  await app.register(knowledgeRoutes, { knowledge: kb, assist });
  await app.ready();
});
after(async () => {
  await app?.close();
  await db?.close();
});

const NEW = { title: 'Premium metal card', answer: 'The metal card costs 10 a month.', intents: ['order_physical_card'], keywords: ['metal', 'premium'] };

test('create, read, replace, delete an article; bad input gets 400 with every problem', async () => {
  const bad = await app.inject({ method: 'POST', url: '/api/kb/articles', payload: { title: '', answer: 5, intents: 'x', language: 'English!' } });
  assert.equal(bad.statusCode, 400);
  const err = bad.json();
  assert.equal(err.code, 'EARPIECE_KB_INVALID');
  assert.deepEqual(err.issues.map((i: { path: string }) => i.path).sort(), ['answer', 'intents', 'language', 'title']);

  const created = await app.inject({ method: 'POST', url: '/api/kb/articles', payload: NEW });
  assert.equal(created.statusCode, 201);
  const article = created.json().article;
  assert.equal(article.id, 'premium-metal-card', 'id from the title');
  assert.equal(article.language, 'en');
  assert.match(article.updatedAt, /^\d{4}-\d\d-\d\dT/);
  const dup = await app.inject({ method: 'POST', url: '/api/kb/articles', payload: { ...NEW, id: 'premium-metal-card' } });
  assert.equal(dup.statusCode, 409);

  const got = await app.inject({ method: 'GET', url: '/api/kb/articles/premium-metal-card' });
  assert.deepEqual(got.json().article, article);
  const put = await app.inject({ method: 'PUT', url: '/api/kb/articles/premium-metal-card', payload: { ...NEW, answer: 'Now 12 a month.' } });
  assert.equal(put.statusCode, 200);
  assert.equal(put.json().created, false);
  assert.equal((await kb.get('premium-metal-card'))!.answer, 'Now 12 a month.');
  const mismatch = await app.inject({ method: 'PUT', url: '/api/kb/articles/premium-metal-card', payload: { ...NEW, id: 'other' } });
  assert.equal(mismatch.statusCode, 400);
  const badId = await app.inject({ method: 'PUT', url: '/api/kb/articles/%20bad%20id', payload: NEW });
  assert.equal(badId.statusCode, 400);

  assert.equal((await app.inject({ method: 'DELETE', url: '/api/kb/articles/premium-metal-card' })).statusCode, 204);
  assert.equal((await app.inject({ method: 'GET', url: '/api/kb/articles/premium-metal-card' })).statusCode, 404);
  assert.equal((await app.inject({ method: 'DELETE', url: '/api/kb/articles/premium-metal-card' })).statusCode, 404);
});

test('search (?q=) sees an edit at once; ?intent= filters; bad query values get 400', async () => {
  const search = async (q: string) => (await app.inject({ method: 'GET', url: `/api/kb/articles?q=${encodeURIComponent(q)}` })).json().articles.map((a: { id: string }) => a.id);
  assert.deepEqual(await search('my wallet was stolen'), ['lost-card', 'compromised-card']);
  assert.deepEqual(await search('chargeback'), []);
  const transfer = (await kb.get('transfer-not-received'))!;
  const put = await app.inject({ method: 'PUT', url: '/api/kb/articles/transfer-not-received', payload: { ...transfer, keywords: [...transfer.keywords, 'chargeback'], updatedAt: undefined } });
  assert.equal(put.statusCode, 200);
  assert.deepEqual(await search('chargebacks'), ['transfer-not-received']);
  const byIntent = await app.inject({ method: 'GET', url: '/api/kb/articles?intent=card_arrival' });
  assert.deepEqual(byIntent.json().articles.map((a: { id: string }) => a.id), ['card-arrival']);
  assert.equal((await app.inject({ method: 'GET', url: '/api/kb/articles?limit=0' })).statusCode, 400);
  assert.equal((await app.inject({ method: 'GET', url: '/api/kb/gaps?minCount=x' })).statusCode, 400);
});

test('feedback over REST: recorded for a known call and article, refused otherwise; the gap report lists unserved questions', async () => {
  // a customer final the live analyzer ranked (text only here) and logged
  const analyzer = assist.factory({ call: { callId: 'call-1', agentId: 'agent-1', callerNumber: null, startedAtMs: 1, legs: ['agent', 'customer'], source: 'test' }, callerKey: null, log: pino({ level: 'silent' }), emit: () => {} })!;
  analyzer.onFinal!({ utteranceId: 'u1', role: 'customer', text: 'my wallet was stolen', startMs: 0, endMs: 1000, words: [] });
  analyzer.onFinal!({ utteranceId: 'u2', role: 'customer', text: 'do you sell gift vouchers', startMs: 2000, endMs: 3000, words: [] });
  await analyzer.drain!();

  const post = (callId: string, payload: object) => app.inject({ method: 'POST', url: `/api/calls/${callId}/feedback`, payload });
  const ok = await post('call-1', { articleId: 'lost-card', action: 'used', agentId: 'agent-1' });
  assert.equal(ok.statusCode, 201);
  assert.equal(ok.json().utteranceId, 'u1', 'tied to the utterance it was suggested for');
  assert.equal((await post('call-1', { articleId: 'lost-card', action: 'liked' })).statusCode, 400);
  assert.equal((await post('nope', { articleId: 'lost-card', action: 'used' })).statusCode, 404);
  assert.equal((await post('call-1', { articleId: 'nope', action: 'used' })).statusCode, 404);
  assert.equal((await post('call-1', { articleId: 'lost-card', action: 'used', agentId: 'agent-2' })).statusCode, 403);
  assert.deepEqual((await kb.feedbackTotals(['lost-card'])).get('lost-card')?.get(''), { positive: 1, negative: 0 });

  const gaps = (await app.inject({ method: 'GET', url: '/api/kb/gaps' })).json().gaps;
  assert.deepEqual(gaps.map((g: { question: string }) => g.question), ['do you sell gift vouchers'], 'the used suggestion is not a gap');
  assert.equal(gaps[0].noSuggestion, 1);
  assert.equal(gaps[0].intent, null);
});
