import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectPii, maskWords } from './pii-detector.ts';

const VISA = 'four one one one one one one one one one one one one one one one';

test('maskWords puts one placeholder per entity and lists masked word indices', () => {
  const words = `my card is ${VISA} and my email is john dot smith at gmail dot com`.split(' ');
  const entities = detectPii(words, { lang: 'en' });
  assert.deepEqual(entities.map((e) => e.type), ['CREDIT_CARD', 'EMAIL']);
  const { text, masked } = maskWords(words, entities);
  assert.equal(text, 'my card is [CREDIT_CARD] and my email is [EMAIL]');
  assert.equal(masked.length, 16 + 7);
  assert.deepEqual(masked.slice(0, 2), [3, 4]);
});

test('last-4 policy keeps the last four digits of a card; other types stay fully masked', () => {
  const words = `card ${VISA} social one two three four five six seven eight nine`.split(' ');
  const { text } = maskWords(words, detectPii(words, { lang: 'en' }), { CREDIT_CARD: 'last4' });
  assert.equal(text, 'card [CREDIT_CARD …1111] social [SSN]');
});

test('last-4 works on Mandarin digits', () => {
  const words = '卡号 六 两 两 两 零 两 零 二 零 零 零 零 零 零 零 零'.split(' ');
  const { text } = maskWords(words, detectPii(words, { lang: 'zh' }), { CN_BANK_CARD: 'last4' }, 'zh');
  assert.equal(text, '卡号 [CN_BANK_CARD …0000]');
});

test('entities never overlap and are sorted; every entity word is inside the input', () => {
  const words = 'my name is john smith my phone is five five five two three four five six seven eight and zip code nine oh two one oh'.split(' ');
  const es = detectPii(words, { lang: 'en' });
  for (let i = 1; i < es.length; i++) assert.ok(es[i]!.start >= es[i - 1]!.end);
  assert.ok(es.every((e) => e.start >= 0 && e.end <= words.length && e.confidence > 0 && e.confidence <= 1));
  assert.deepEqual(es.map((e) => e.type), ['PERSON_NAME', 'PHONE', 'ZIP']);
});

test('minConfidence drops weak entities (a Luhn-valid run with no card context is 0.9)', () => {
  const words = `it is ${VISA}`.split(' ');
  assert.equal(detectPii(words, { lang: 'en', minConfidence: 0.95 }).length, 0);
  assert.equal(detectPii(words, { lang: 'en' }).length, 1);
});

test('empty and PII-free input', () => {
  assert.deepEqual(detectPii([''], { lang: 'en' }), []);
  assert.deepEqual(maskWords(['hello', 'there'], []), { text: 'hello there', masked: [] });
});
