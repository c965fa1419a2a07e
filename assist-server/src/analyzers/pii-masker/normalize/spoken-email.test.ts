import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findSpelledRuns } from './spelled-letters.ts';
import { findSpokenDatesEn } from './spoken-date-en.ts';
import { findSpokenEmails } from './spoken-email.ts';

const w = (s: string) => s.split(' ');

test('spoken e-mails with dot, underscore, dash, spelled letters and numbers', () => {
  assert.deepEqual(findSpokenEmails(w('my email is john dot smith at gmail dot com thanks')), [{ start: 3, end: 10, value: 'john.smith@gmail.com' }]);
  assert.equal(findSpokenEmails(w('it is j o h n underscore doe at yahoo dot co dot uk'))[0]!.value, 'john_doe@yahoo.co.uk');
  assert.equal(findSpokenEmails(w('mary dash ann at example dot org'))[0]!.value, 'mary-ann@example.org');
  assert.equal(findSpokenEmails(w('send it to kevin eighty two at outlook dot com'))[0]!.value, 'kevin82@outlook.com');
});

test('"at" without a domain and tld is not an e-mail', () => {
  assert.deepEqual(findSpokenEmails(w('call me at five')), []);
  assert.deepEqual(findSpokenEmails(w('i am at the store dot')), []);
});

test('spelled letters, double letters, and lone "a"/"i" words', () => {
  assert.deepEqual(findSpelledRuns(w('that is j o h n')), [{ start: 2, end: 6, value: 'john' }]);
  assert.equal(findSpelledRuns(w('b i double l'))[0]!.value, 'bill');
  assert.deepEqual(findSpelledRuns(w('i have a card')), []);
});

test('dates: month-day-year, day-of-month, month-year', () => {
  assert.deepEqual(findSpokenDatesEn(w('born march fifth nineteen eighty four')), [{ start: 1, end: 6, month: 3, day: 5, year: 1984 }]);
  assert.deepEqual(findSpokenDatesEn(w('on the twenty first of june two thousand one')), [{ start: 1, end: 9, month: 6, day: 21, year: 2001 }]);
  assert.deepEqual(findSpokenDatesEn(w('expires april twenty twenty seven')), [{ start: 1, end: 5, month: 4, year: 2027 }]);
  assert.deepEqual(findSpokenDatesEn(w('may i help you')), []);
});

test('Mandarin e-mails: digits as the local part, 艾特 for "at" and 点 for "dot"; the cue words stay out', () => {
  assert.deepEqual(findSpokenEmails(w('我 的 邮箱 是 幺 二 三 四 五 六 七 八 at qq dot com'), 3), [{ start: 4, end: 16, value: '12345678@qq.com' }]);
  assert.equal(findSpokenEmails(w('邮箱 是 xiaoli 九 九 艾特 qq 点 com'), 3)[0]!.value, 'xiaoli99@qq.com');
  assert.deepEqual(findSpokenEmails(w('三 点 半 到'), 3), []);
});

test('a domain label the recognizer split in two ("g mail") before its dot', () => {
  assert.equal(findSpokenEmails(w('it is peter pan twenty at g mail dot com'))[0]!.value, 'peterpan20@gmail.com');
});

test('month of year ("march of eighty seven"); a hesitation after the month ("june uh the fifteenth")', () => {
  assert.deepEqual(findSpokenDatesEn(w('born in march of eighty seven')), [{ start: 2, end: 6, month: 3, year: 87 }]);
  assert.deepEqual(findSpokenDatesEn(w('june uh the fifteenth nineteen eighty eight')), [{ start: 0, end: 7, month: 6, day: 15, year: 1988 }]);
  assert.deepEqual(findSpokenDatesEn(w('in june um')), []);
});
