import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { toArticle } from '../analyzers/assist/article.ts';
import { importKnowledgeDir, seedKnowledgeBase } from '../analyzers/assist/knowledge-import.ts';
import { fixtureKnowledge } from '../analyzers/assist/testing/kb-fixture.ts';
import { openTestDatabase, testOnDatabases } from '../testing/test-databases.ts';
import { KnowledgeStore } from './knowledge-store.ts';

const quiet = pino({ level: 'silent' });

testOnDatabases('import: valid articles are stored, a bad entry is reported and skipped', async (_t, { db }) => {
  const { kb, imported } = await fixtureKnowledge(db);
  assert.equal(imported.files, 2);
  assert.equal(imported.created, 5);
  assert.equal(await kb.count(), 5);
  assert.equal(imported.problems.length, 1);
  assert.match(imported.problems[0]!.message, /title/);
  assert.equal(imported.problems[0]!.id, 'broken');
  const lost = (await kb.get('lost-card'))!;
  assert.deepEqual(lost.intents, ['lost_or_stolen_card']);
  assert.equal(new Date(lost.updatedAtMs).toISOString().slice(0, 10), '2026-11-24');
  // importing again updates in place
  const again = await importKnowledgeDir(kb, join(imported.dir));
  assert.deepEqual([again.created, again.updated], [0, 5]);
});

testOnDatabases('seeding: an empty base is filled once; a missing folder leaves it empty without failing', async (_t, { db }) => {
  const kb = new KnowledgeStore(db);
  const missing = await seedKnowledgeBase(kb, '/nonexistent/knowledge', quiet);
  assert.equal(missing?.created, 0);
  assert.equal(await kb.count(), 0);
  const dir = mkdtempSync(join(tmpdir(), 'kb-seed-'));
  writeFileSync(join(dir, 'a.yaml'), 'articles:\n  - {id: a1, title: Fees, answer: No monthly fee., intents: [card_fees]}\n');
  writeFileSync(join(dir, 'half-written.yaml'), 'articles: [ {id: ');
  const seeded = await seedKnowledgeBase(kb, dir, quiet);
  assert.equal(seeded?.created, 1);
  assert.equal(seeded?.problems.length, 1, 'the half-written file is reported');
  assert.equal(await seedKnowledgeBase(kb, dir, quiet), undefined, 'a filled base is not seeded again');
});

testOnDatabases('full-text search follows every write at once (stemmed), and intent lookup', async (_t, { db }) => {
  const { kb } = await fixtureKnowledge(db);
  const ids = async (terms: string[]) => (await kb.search(terms)).map((h) => h.id);
  assert.deepEqual(await ids(['wallets']), ['lost-card'], 'stemming: wallets → wallet');
  assert.deepEqual(await kb.search(['sapphire']), []);
  const lost = (await kb.get('lost-card'))!;
  await kb.upsert({ ...lost, keywords: [...lost.keywords, 'sapphire'] });
  assert.deepEqual(await ids(['sapphire']), ['lost-card'], 'an edit is searchable immediately');
  await kb.upsert({ ...lost, keywords: ['lost'] });
  assert.deepEqual(await kb.search(['sapphire']), [], 'the old text is gone from the index');
  assert.deepEqual(await ids(['wallet']), [], 'keywords removed');
  assert.ok(await kb.delete('lost-card'));
  assert.equal((await ids(['lost', 'stolen'])).includes('lost-card'), false);
  assert.equal(await kb.delete('lost-card'), false);

  await kb.upsert(toArticle('fx-2', { title: 'Currency conversion', answer: 'Rates update live.', body: '', intents: ['exchange_rate'], keywords: [], language: 'en', owner: null }));
  assert.deepEqual((await kb.forIntents(['exchange_rate'])).map((r) => r.article.id).sort(), ['exchange-rate', 'fx-2']);
  assert.deepEqual((await kb.list({ intent: 'exchange_rate' })).map((a) => a.id), ['exchange-rate', 'fx-2']);
  assert.deepEqual((await kb.list({ q: ['currency'] })).map((a) => a.id)[0], 'fx-2', 'title matches rank first');
  const matches = await kb.termMatches(['transfer', 'euros']);
  assert.deepEqual([...matches.get('transfer')!], ['transfer-not-received']);
  assert.deepEqual([...matches.get('euros')!], ['exchange-rate']);
});

testOnDatabases('relevance is on one scale on both dialects: more matched words and rarer words score higher, a title or keyword more than the body', async (_t, { db }) => {
  const { kb } = await fixtureKnowledge(db);
  const score = async (terms: string[], id: string) => (await kb.search(terms)).find((h) => h.id === id)?.score ?? 0;
  const one = await score(['wallet'], 'lost-card');
  const two = await score(['wallet', 'stolen'], 'lost-card');
  assert.ok(one > 0.5 && one < 30, `one keyword match lands in bm25's range (${one})`);
  assert.ok(two > one, `two matched words score more than one (${two} > ${one})`);
  await kb.upsert(toArticle('kw', { title: 'Other', answer: 'Other.', body: '', intents: [], keywords: ['zebra'], language: 'en', owner: null }));
  await kb.upsert(toArticle('bd', { title: 'Other', answer: 'Other.', body: 'zebra', intents: [], keywords: [], language: 'en', owner: null }));
  const hits = await kb.search(['zebra']);
  assert.deepEqual(hits.map((h) => h.id), ['kw', 'bd'], 'a keyword outweighs the body');
});

testOnDatabases('feedback totals per article and intent, and the knowledge-gap report', async (_t, { db }) => {
  const { kb } = await fixtureKnowledge(db);
  const fb = (action: 'used' | 'not_helpful' | 'dismissed', intent: string | null, utteranceId: string | null = null) =>
    kb.recordFeedback({ callId: 'c1', agentId: 'a1', articleId: 'lost-card', utteranceId, intent, action, atMs: 1 });
  await fb('used', 'lost_or_stolen_card', 'u1');
  await fb('not_helpful', 'lost_or_stolen_card');
  await fb('dismissed', 'compromised_card');
  const totals = (await kb.feedbackTotals(['lost-card', 'card-arrival'])).get('lost-card')!;
  assert.deepEqual(totals.get('lost_or_stolen_card'), { positive: 1, negative: 1 });
  assert.deepEqual(totals.get('compromised_card'), { positive: 0, negative: 1 });
  assert.deepEqual(totals.get(''), { positive: 1, negative: 2 });
  assert.equal((await kb.feedbackTotals(['card-arrival'])).size, 0);

  const log = (utteranceId: string, text: string, intent: string | null, confidence: number | null, low: boolean, articleIds: string[], callId = 'c1') =>
    kb.logSuggestions({ callId, utteranceId, text, normalized: text.toLowerCase().replace(/[^a-z ]/g, ''), intent, intentConfidence: confidence, lowConfidence: low, articleIds, atMs: 10 });
  await log('u1', 'I lost my card', 'lost_or_stolen_card', 0.9, false, ['lost-card']); // used: not a gap
  await log('u2', 'Can I get a metal card?', 'oos', 0.4, true, [], 'c2');
  await log('u3', 'can i get a metal card', 'oos', 0.3, true, [], 'c3');
  await log('u4', 'Where is my card?', 'card_arrival', 0.8, false, ['card-arrival'], 'c4'); // suggested, never used
  await log('u4', 'Where is my card?', 'card_arrival', 0.8, false, ['card-arrival'], 'c4'); // logged again: replaces
  assert.deepEqual(await kb.loggedSuggestion('c4', null, 'card-arrival'), { utteranceId: 'u4', intent: 'card_arrival' });
  assert.deepEqual(await kb.loggedSuggestion('c1', 'u1', 'lost-card'), { utteranceId: 'u1', intent: 'lost_or_stolen_card' });
  const gaps = await kb.knowledgeGaps();
  assert.equal(gaps.length, 2);
  assert.deepEqual(
    { intent: gaps[0]!.intent, question: gaps[0]!.question, count: gaps[0]!.count, low: gaps[0]!.lowConfidence, none: gaps[0]!.noSuggestion, avg: gaps[0]!.avgIntentConfidence },
    { intent: 'oos', question: 'can i get a metal card', count: 2, low: 2, none: 2, avg: 0.35 },
  );
  assert.deepEqual([gaps[1]!.intent, gaps[1]!.notUsed, gaps[1]!.count, gaps[1]!.lastAtMs], ['card_arrival', 1, 1, 10]);
  assert.equal((await kb.knowledgeGaps({ minCount: 2 })).length, 1);
});

test('PostgreSQL computes the same bm25 relevance as SQLite FTS5 (same ranking, same scores)', async (t) => {
  const sqlite = await openTestDatabase('sqlite', t);
  const postgres = await openTestDatabase('postgres', t);
  if (!sqlite || !postgres) return;
  const a = (await fixtureKnowledge(sqlite.db)).kb;
  const b = (await fixtureKnowledge(postgres.db)).kb;
  for (const terms of [['wallet'], ['wallet', 'stolen'], ['card'], ['transfer', 'money', 'received'], ['exchange', 'rate', 'euros'], ['lost', 'card', 'stolen', 'wallet']]) {
    const [x, y] = [await a.search(terms), await b.search(terms)];
    assert.deepEqual(y.map((h) => h.id), x.map((h) => h.id), terms.join(' '));
    y.forEach((h, i) => assert.ok(Math.abs(h.score - x[i]!.score) <= 1e-9 * Math.max(1, x[i]!.score), `${terms.join(' ')}: ${h.id} ${h.score} vs ${x[i]!.score}`));
    assert.deepEqual((await b.list({ q: terms })).map((r) => r.id), (await a.list({ q: terms })).map((r) => r.id));
  }
});
