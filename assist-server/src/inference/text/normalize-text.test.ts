import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeText, numberToWords, words } from './normalize-text.ts';

test('written text becomes what a recognizer would output: lowercase, no punctuation, numbers as words', () => {
  assert.equal(normalizeText('What can I do if my card still hasn\'t arrived after 2 weeks?'), 'what can i do if my card still hasnt arrived after two weeks');
  assert.equal(normalizeText('I was charged £20.50, not $1,000!'), 'i was charged twenty pounds fifty not one thousand dollars');
  assert.equal(normalizeText('It arrived on the 21st; 3.5% fee'), 'it arrived on the twenty first three point five percent fee');
  assert.equal(normalizeText('I\u2019m   at  Tesco & co'), 'im at tesco and co');
});

test('PII placeholders become one token each; long digit runs are not spelled out', () => {
  assert.equal(normalizeText('my card [CREDIT_CARD …1111] and [PERSON_NAME]'), 'my card pii_credit_card and pii_person_name');
  assert.equal(normalizeText('account 12345678901234'), 'account num_long');
});

test('live recognizer text is left as it is', () => {
  const live = 'i lost my card yesterday can you block it';
  assert.equal(normalizeText(live), live);
  assert.deepEqual(words(''), []);
});

test('numberToWords', () => {
  assert.equal(numberToWords(0), 'zero');
  assert.equal(numberToWords(15), 'fifteen');
  assert.equal(numberToWords(40), 'forty');
  assert.equal(numberToWords(1999), 'one thousand nine hundred ninety nine');
  assert.equal(numberToWords(2_000_005), 'two million five');
});

test('emoji stay as words (written emotion data)', () => {
  assert.equal(normalizeText('LOVE it😂'), 'love it 😂');
});
