import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentTerms, normalizeQuestion } from './query-terms.ts';
import { shouldEmit } from './suggestion-gate.ts';
import { feedbackFactor, rankSuggestions, type Candidate, type CallContext, type IntentReading } from './suggestion-ranker.ts';

const article = (id: string, intents: string[]) => ({ id, title: id, answer: `answer of ${id}`, intents });
const cand = (id: string, intents: string[], textScore = 0, matchedTerms: string[] = []): Candidate => ({ article: article(id, intents), textScore, matchedTerms });
const reading = (top: Array<[string, number]>, outOfScope = false): IntentReading => ({
  label: outOfScope ? 'oos' : top[0]![0],
  confidence: top[0]![1],
  top: top.map(([label, confidence]) => ({ label, confidence })),
  outOfScope,
});
const none: CallContext = { suggestedBefore: new Map(), used: new Set() };
const noFeedback = () => undefined;
const ids = (r: Array<{ articleId: string }>) => r.map((x) => x.articleId);

const CANDIDATES = [
  cand('lost-card', ['lost_or_stolen_card'], 5, ['card']),
  cand('compromised', ['compromised_card'], 12, ['card', 'stolen']),
  cand('arrival', ['card_arrival'], 3, ['card']),
  cand('fx', ['exchange_rate']),
];

test('the intent reading wins over text relevance; its top three all contribute', () => {
  const r = rankSuggestions(CANDIDATES, reading([['lost_or_stolen_card', 0.8], ['compromised_card', 0.15], ['card_arrival', 0.05]]), none, noFeedback);
  assert.deepEqual(ids(r), ['lost-card', 'compromised', 'arrival']);
  assert.deepEqual(r[0]!.why, { intent: 'lost_or_stolen_card', matchedTerms: ['card'] });
  assert.ok(r[0]!.confidence > 0.6 && r[0]!.confidence <= 1);
  assert.ok(r[0]!.confidence > r[1]!.confidence && r[1]!.confidence > r[2]!.confidence);
});

test('text relevance ranks when there is no intent reading, and breaks near-ties between intents', () => {
  const byText = rankSuggestions(CANDIDATES, null, none, noFeedback, { minConfidence: 0.01 });
  assert.deepEqual(ids(byText), ['compromised', 'lost-card', 'arrival']);
  assert.equal(byText[0]!.why.intent, null);
  const tie = rankSuggestions(CANDIDATES, reading([['lost_or_stolen_card', 0.45], ['compromised_card', 0.45]]), none, noFeedback);
  assert.equal(ids(tie)[0], 'compromised', 'equal intent probability: the better text match first');
});

test('an out-of-scope reading with little text evidence suggests nothing (noise suppressed)', () => {
  const oos = reading([['oos', 0.9], ['card_arrival', 0.05], ['exchange_rate', 0.03]], true);
  assert.deepEqual(rankSuggestions([cand('arrival', ['card_arrival'], 1, ['track'])], oos, none, noFeedback), []);
  assert.deepEqual(rankSuggestions(CANDIDATES, null, none, noFeedback, { minConfidence: 0.6 }), [], 'below the threshold: empty');
});

test('call context: articles suggested for earlier utterances drop, articles the agent used rise', () => {
  const r = reading([['lost_or_stolen_card', 0.5], ['compromised_card', 0.45]]);
  assert.equal(ids(rankSuggestions(CANDIDATES, r, none, noFeedback))[0], 'lost-card');
  const seen: CallContext = { suggestedBefore: new Map([['lost-card', 2]]), used: new Set() };
  assert.equal(ids(rankSuggestions(CANDIDATES, r, seen, noFeedback))[0], 'compromised');
  const used: CallContext = { suggestedBefore: new Map([['lost-card', 2]]), used: new Set(['lost-card']) };
  assert.equal(ids(rankSuggestions(CANDIDATES, r, used, noFeedback))[0], 'lost-card');
});

test('feedback per article and intent shifts ranking, smoothed: a few clicks move, many cannot dominate', () => {
  const r = reading([['lost_or_stolen_card', 0.55], ['compromised_card', 0.4]]);
  const lookup = (n: number) => (id: string, intent: string | null) => (id === 'lost-card' && intent === 'lost_or_stolen_card' ? { positive: 0, negative: n } : undefined);
  assert.equal(ids(rankSuggestions(CANDIDATES, r, none, lookup(1)))[0], 'lost-card', 'one dislike does not flip a clear lead');
  assert.equal(ids(rankSuggestions(CANDIDATES, r, none, lookup(4)))[0], 'compromised', 'repeated dislikes do');
  const other = (id: string, intent: string | null) => (id === 'lost-card' && intent === 'card_arrival' ? { positive: 0, negative: 50 } : undefined);
  assert.equal(ids(rankSuggestions(CANDIDATES, r, none, other))[0], 'lost-card', 'feedback for another intent does not count');
  assert.equal(feedbackFactor(undefined), 1);
  assert.ok(feedbackFactor({ positive: 1, negative: 0 }) > 1 && feedbackFactor({ positive: 1, negative: 0 }) < 1.15);
  assert.ok(feedbackFactor({ positive: 0, negative: 1000 }) >= 0.5);
  const strong = reading([['lost_or_stolen_card', 0.95], ['compromised_card', 0.03]]);
  assert.equal(ids(rankSuggestions(CANDIDATES, strong, none, lookup(1000)))[0], 'lost-card', 'a confident intent survives any amount of dislikes');
});

test('repeats: the same list for the same utterance and stage is not sent again; empty lists only withdraw', () => {
  assert.equal(shouldEmit(undefined, 'early', ['a', 'b']), true);
  assert.equal(shouldEmit({ stage: 'early', articleIds: ['a', 'b'] }, 'early', ['a', 'b']), false);
  assert.equal(shouldEmit({ stage: 'early', articleIds: ['a', 'b'] }, 'early', ['b', 'a']), true, 'a new order is news');
  assert.equal(shouldEmit({ stage: 'early', articleIds: ['a', 'b'] }, 'final', ['a', 'b']), true, 'the final confirms');
  assert.equal(shouldEmit({ stage: 'final', articleIds: ['a'] }, 'final', ['a']), false);
  assert.equal(shouldEmit(undefined, 'final', []), false, 'nothing shown, nothing to withdraw');
  assert.equal(shouldEmit({ stage: 'early', articleIds: ['a'] }, 'final', []), true, 'withdraw the early list');
  assert.equal(shouldEmit({ stage: 'final', articleIds: [] }, 'final', []), false);
});

test('query words: placeholders, held-back words, function words and fillers are not searched', () => {
  assert.deepEqual(contentTerms('um my card [CREDIT_CARD …1111] was STOLEN, I think … and I need help'), ['card', 'stolen']);
  assert.deepEqual(contentTerms("I don't see the transfer [PHONE] transfer"), ['see', 'transfer']);
  assert.equal(normalizeQuestion('My card [CREDIT_CARD …1111] was stolen!'), 'my card [CREDIT_CARD] was stolen');
});
