import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectPii, maskWords } from '../pii-detector.ts';

const mask = (t: string) => {
  const words = t.split(' ');
  return maskWords(words, detectPii(words, { lang: 'en' })).text;
};

test('after an explicit cue, a garbled e-mail or birth date is still masked, up to its natural end', () => {
  // what PocketSphinx made of flite saying "john dot smith at example dot com" and "march fourth nineteen eighty five"
  assert.equal(mask('my email is john dogs with that example dot com'), 'my email is [EMAIL]');
  assert.equal(mask('my email is john dogs with that example dot com and my phone is new'), 'my email is [EMAIL] and my phone is new');
  assert.equal(mask('my date of birth is marsha force nineteen eighty five'), 'my date of birth is [DATE_OF_BIRTH]');
  assert.equal(mask('date of birth is the fourth of marsh eighty five thanks'), 'date of birth is [DATE_OF_BIRTH] thanks');
});

test('a cue followed by words that are no e-mail or date masks nothing', () => {
  for (const t of ['what is my email address', 'my email is wrong on file', 'my date of birth is wrong in your system', 'i was born on a farm', 'can you confirm your date of birth please']) {
    assert.equal(mask(t), t);
  }
});
