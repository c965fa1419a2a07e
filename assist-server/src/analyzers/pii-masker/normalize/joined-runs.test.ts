import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinRuns } from './joined-runs.ts';
import { parseNumberRunsEn } from './spoken-number-en.ts';
import { parseNumberRunsZh } from './spoken-number-zh.ts';

const en = (s: string) => {
  const w = s.split(' ');
  return joinRuns(w, parseNumberRunsEn(w), 'en').map((r) => [r.start, r.end, r.digits]);
};

test('pieces of one number across connectors: every chain of neighbouring runs', () => {
  assert.deepEqual(en('it is four one four seven and then seven four six five'), [[2, 12, '41477465']]);
  assert.deepEqual(en('one two okay three four okay five six'), [[0, 5, '1234'], [0, 8, '123456'], [3, 8, '3456']]);
  const w = '三 两 零 幺 然后 是 三 四'.split(' ');
  assert.deepEqual(joinRuns(w, parseNumberRunsZh(w), 'zh').map((r) => r.digits), ['320134']);
});

test('no chain across other words, long gaps or beyond 19 digits', () => {
  assert.deepEqual(en('four one four seven is my card and seven four six five'), []);
  assert.deepEqual(en('one two and then um okay three four'), []);
  assert.deepEqual(en(`${'one '.repeat(16)}and then two two two two`.trim()), []);
});
