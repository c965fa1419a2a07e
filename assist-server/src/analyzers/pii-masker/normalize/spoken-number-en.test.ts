import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readings } from './digit-run.ts';
import { parseNumberRunsEn } from './spoken-number-en.ts';

const runs = (s: string) => parseNumberRunsEn(s.split(' ')).map((r) => ({ start: r.start, end: r.end, digits: r.digits }));

test('digit strings with oh, zero, double and triple keep their word range', () => {
  assert.deepEqual(runs('it is four oh double five triple zero one thanks'), [{ start: 2, end: 9, digits: '40550001' }]);
});

test('cardinals: hundreds, thousands, tens and teens', () => {
  assert.deepEqual(runs('one hundred and twenty three'), [{ start: 0, end: 5, digits: '123' }]);
  assert.equal(runs('two thousand twenty four')[0]!.digits, '2024');
  assert.equal(runs('eight hundred five five five')[0]!.digits, '800555');
  assert.equal(runs('twenty-four')[0]!.digits, '24');
});

test('years are read as pairs: nineteen eighty four, nineteen oh five, twenty twenty', () => {
  assert.equal(runs('nineteen eighty four')[0]!.digits, '1984');
  assert.equal(runs('nineteen oh five')[0]!.digits, '1905');
  assert.equal(runs('twenty twenty')[0]!.digits, '2020');
});

test('a lone "oh" is an interjection, not a zero', () => {
  assert.deepEqual(runs('oh okay thanks'), []);
});

test('a hesitation that restarts the tail collapses it and keeps the raw reading as an alternative', () => {
  const [r] = parseNumberRunsEn('four one um four one one'.split(' '));
  assert.equal(r!.digits, '411');
  assert.ok(readings(r!).includes('41411'));
  assert.equal(r!.end, 6);
});

test('self-corrections replace the wrong digit: "six sorry five not six"', () => {
  assert.equal(runs('five five five six sorry five not six one')[0]!.digits, '55551');
  assert.equal(runs('four one two sorry three')[0]!.digits, '413');
  const [r] = parseNumberRunsEn('five two three sorry five two four four five six seven eight nine'.split(' '));
  assert.equal(r!.digits, '524456789');
  assert.equal(r!.end, 13);
});

test('separators (dash) stay inside one run', () => {
  assert.deepEqual(runs('five five five dash one two one two'), [{ start: 0, end: 8, digits: '5551212' }]);
});

test('"plus" opens an international number', () => {
  const [r] = parseNumberRunsEn('call plus four four seven'.split(' '));
  assert.equal(r!.plus, true);
  assert.equal(r!.start, 1);
});

test('a correction may open with several words: "no sorry", "no wait", "wait i mean"', () => {
  assert.equal(runs('four two nine three five no sorry three four')[0]!.digits, '42934');
  assert.equal(runs('eight nine eight one six nine no wait one six eight')[0]!.digits, '898168');
  assert.equal(runs('five one two wait i mean five one three')[0]!.digits, '513');
  assert.deepEqual(runs('two no i said no').map((r) => r.digits), ['2']);
});
