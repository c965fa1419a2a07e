import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { toArticle } from '../analyzers/assist/article.ts';
import { importKnowledgeDir, seedKnowledgeBase } from '../analyzers/assist/knowledge-import.ts';
import { fixtureKnowledge } from '../analyzers/assist/testing/kb-fixture.ts';
import { CallStore } from './call-store.ts';
import { KnowledgeStore } from './knowledge-store.ts';

const quiet = pino({ level: 'silent' });

test('import: valid articles are stored, a bad entry is reported and skipped', async () => {
  const { db, kb, imported } = await fixtureKnowledge();
  assert.equal(imported.files, 2);
  assert.equal(imported.created, 5);
  assert.equal(kb.count(), 5);
  assert.equal(imported.problems.length, 1);
  assert.match(imported.problems[0]!.message, /title/);
  assert.equal(imported.problems[0]!.id, 'broken');
  const lost = kb.get('lost-card')!;
  assert.deepEqual(lost.intents, ['lost_or_stolen_card']);
  assert.equal(new Date(lost.updatedAtMs).toISOString().slice(0, 10), '2026-11-24');
  // importing again updates in place
  const again = await importKnowledgeDir(kb, join(imported.dir));
  assert.deepEqual([again.created, again.updated], [0, 5]);
  db.close();
});

test('seeding: an empty base is filled once; a missing folder leaves it empty without failing', async () => {
  const db = new CallStore(':memory:');
  const kb = new KnowledgeStore(db.database);
  const missing = await seedKnowledgeBase(kb, '/nonexistent/knowledge', quiet);
  assert.equal(missing?.created, 0);
  assert.equal(kb.count(), 0);
  const dir = mkdtempSync(join(tmpdir(), 'kb-seed-'));
  writeFileSync(join(dir, 'a.yaml'), 'articles:\n  - {id: a1, title: Fees, answer: No monthly fee., intents: [card_fees]}\n');
  writeFileSync(join(dir, 'half-written.yaml'), 'articles: [ {id: ');
  const seeded = await seedKnowledgeBase(kb, dir, quiet);
  assert.equal(seeded?.created, 1);
  assert.equal(seeded?.problems.length, 1, 'the half-written file is reported');
  assert.equal(await seedKnowledgeBase(kb, dir, quiet), undefined, 'a filled base is not seeded again');
  db.close();
});

test('full-text search follows every write at once (stemmed), and intent lookup', async () => {
  const { db, kb } = await fixtureKnowledge();
  assert.deepEqual(kb.search(['wallets']).map((h) => h.id), ['lost-card'], 'porter stemming: wallets → wallet');
  assert.deepEqual(kb.search(['sapphire']), []);
  const lost = kb.get('lost-card')!;
  kb.upsert({ ...lost, keywords: [...lost.keywords, 'sapphire'] });
  assert.deepEqual(kb.search(['sapphire']).map((h) => h.id), ['lost-card'], 'an edit is searchable immediately');
  kb.upsert({ ...lost, keywords: ['lost'] });
  assert.deepEqual(kb.search(['sapphire']), [], 'the old text is gone from the index');
  assert.deepEqual(kb.search(['wallet']).map((h) => h.id), [], 'keywords removed');
  assert.ok(kb.delete('lost-card'));
  assert.deepEqual(kb.search(['lost', 'stolen']).map((h) => h.id).includes('lost-card'), false);
  assert.equal(kb.delete('lost-card'), false);

  kb.upsert(toArticle('fx-2', { title: 'Currency conversion', answer: 'Rates update live.', body: '', intents: ['exchange_rate'], keywords: [], language: 'en', owner: null }));
  assert.deepEqual(kb.forIntents(['exchange_rate']).map((r) => r.article.id).sort(), ['exchange-rate', 'fx-2']);
  assert.deepEqual(kb.list({ intent: 'exchange_rate' }).map((a) => a.id), ['exchange-rate', 'fx-2']);
  assert.deepEqual(kb.list({ q: ['currency'] }).map((a) => a.id)[0], 'fx-2', 'title matches rank first');
  const matches = kb.termMatches(['transfer', 'euros']);
  assert.deepEqual([...matches.get('transfer')!], ['transfer-not-received']);
  assert.deepEqual([...matches.get('euros')!], ['exchange-rate']);
  db.close();
});

test('feedback totals per article and intent, and the knowledge-gap report', async () => {
  const { db, kb } = await fixtureKnowledge();
  const fb = (action: 'used' | 'not_helpful' | 'dismissed', intent: string | null, utteranceId: string | null = null) =>
    kb.recordFeedback({ callId: 'c1', agentId: 'a1', articleId: 'lost-card', utteranceId, intent, action, atMs: 1 });
  fb('used', 'lost_or_stolen_card', 'u1');
  fb('not_helpful', 'lost_or_stolen_card');
  fb('dismissed', 'compromised_card');
  const totals = kb.feedbackTotals(['lost-card', 'card-arrival']).get('lost-card')!;
  assert.deepEqual(totals.get('lost_or_stolen_card'), { positive: 1, negative: 1 });
  assert.deepEqual(totals.get('compromised_card'), { positive: 0, negative: 1 });
  assert.deepEqual(totals.get(''), { positive: 1, negative: 2 });
  assert.equal(kb.feedbackTotals(['card-arrival']).size, 0);

  const log = (utteranceId: string, text: string, intent: string | null, confidence: number | null, low: boolean, articleIds: string[], callId = 'c1') =>
    kb.logSuggestions({ callId, utteranceId, text, normalized: text.toLowerCase().replace(/[^a-z ]/g, ''), intent, intentConfidence: confidence, lowConfidence: low, articleIds, atMs: 10 });
  log('u1', 'I lost my card', 'lost_or_stolen_card', 0.9, false, ['lost-card']); // used: not a gap
  log('u2', 'Can I get a metal card?', 'oos', 0.4, true, [], 'c2');
  log('u3', 'can i get a metal card', 'oos', 0.3, true, [], 'c3');
  log('u4', 'Where is my card?', 'card_arrival', 0.8, false, ['card-arrival'], 'c4'); // suggested, never used
  assert.deepEqual(kb.loggedSuggestion('c4', null, 'card-arrival'), { utteranceId: 'u4', intent: 'card_arrival' });
  const gaps = kb.knowledgeGaps();
  assert.equal(gaps.length, 2);
  assert.deepEqual(
    { intent: gaps[0]!.intent, question: gaps[0]!.question, count: gaps[0]!.count, low: gaps[0]!.lowConfidence, none: gaps[0]!.noSuggestion, avg: gaps[0]!.avgIntentConfidence },
    { intent: 'oos', question: 'can i get a metal card', count: 2, low: 2, none: 2, avg: 0.35 },
  );
  assert.deepEqual([gaps[1]!.intent, gaps[1]!.notUsed, gaps[1]!.count], ['card_arrival', 1, 1]);
  assert.equal(kb.knowledgeGaps({ minCount: 2 }).length, 1);
  db.close();
});
