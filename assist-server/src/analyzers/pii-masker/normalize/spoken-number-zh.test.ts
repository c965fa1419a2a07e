import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNumberRunsZh, wordDigitsZh } from './spoken-number-zh.ts';

test('幺 is 1, 两 is 2, digits may be one word or many', () => {
  assert.equal(wordDigitsZh('幺三八'), '138');
  assert.equal(wordDigitsZh('两'), '2');
  assert.equal(wordDigitsZh('手机'), null);
  const [r] = parseNumberRunsZh('手机 幺 三 八 零 零 两 三 四 五 六 七'.split(' '));
  assert.deepEqual([r!.start, r!.end, r!.digits], [1, 12, '13800234567']);
});

test('cardinals with 十 and 百', () => {
  assert.equal(wordDigitsZh('十五'), '15');
  assert.equal(wordDigitsZh('二十三'), '23');
  assert.equal(wordDigitsZh('三十'), '30');
  assert.equal(wordDigitsZh('一百零五'), '105');
});

test('an 18-character ID ends in X when the last word is 叉', () => {
  const words = '幺 幺 零 幺 零 五 幺 九 四 九 幺 两 三 幺 零 零 两 叉'.split(' ');
  assert.equal(parseNumberRunsZh(words)[0]!.digits, '11010519491231002X');
});

test('叉 is not a digit outside an ID position', () => {
  assert.deepEqual(parseNumberRunsZh('三 叉'.split(' ')).map((r) => r.digits), ['3']);
});

test('hesitations and corrections inside a number', () => {
  assert.equal(parseNumberRunsZh('幺 三 八 嗯 零 零'.split(' '))[0]!.digits, '13800');
  assert.equal(parseNumberRunsZh('幺 三 九 不对 八'.split(' '))[0]!.digits, '138');
});

test('要 (written for its homophone 幺) is 1 only between digits; 叉 may follow a hesitation', () => {
  assert.equal(parseNumberRunsZh('幺 五 九 幺 三 要 六 七 七 两 三'.split(' '))[0]!.digits, '15913167723');
  assert.deepEqual(parseNumberRunsZh('我 要 两 张 卡'.split(' ')).map((r) => r.digits), ['2']);
  const id = '五 零 零 幺 零 三 一 九 五 九 零 四 幺 六 九 九 三 嗯 叉'.split(' ');
  assert.deepEqual(parseNumberRunsZh(id).map((r) => [r.digits, r.end]), [['50010319590416993X', 19]]);
});
