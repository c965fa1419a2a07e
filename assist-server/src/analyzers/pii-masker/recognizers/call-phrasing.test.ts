/** Recognizer behaviours for how callers actually say things (pii-eval.calls.*.jsonl), through detectPii. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectPii } from '../pii-detector.ts';
import { isCounting, labelledId } from './context.ts';
import { normalizeDoc } from '../normalize/normalize-doc.ts';

const found = (s: string, lang: 'en' | 'zh' = 'en') => detectPii(s.split(' '), { lang }).map((e) => `${e.type}:${e.start}-${e.end}`);

test('CREDIT_CARD / CN_ID read in pieces with connectors: one entity, only when the whole is valid', () => {
  assert.deepEqual(found("it's four one four seven one oh four nine and then seven four six five oh seven five two"), ['CREDIT_CARD:1-19']);
  assert.deepEqual(found('four one four seven one oh four nine and then seven four six five oh seven five three'), []);
  assert.deepEqual(found('身份证 三 两 零 幺 零 两 幺 九 八 八 零 五 幺 两 然后 是 三 四 幺 幺', 'zh'), ['CN_ID:1-21']);
});

test('an ID noun labels the number: no SSN or PHONE for a reference/order number', () => {
  assert.equal(labelledId(normalizeDoc('the reference number for this call is five'.split(' '), 'en'), 6), true);
  assert.equal(labelledId(normalizeDoc('my phone number is five'.split(' '), 'en'), 4), false);
  assert.deepEqual(found('the reference number for this call is five five two nine three eight one'), []);
  assert.deepEqual(found("i'm calling about an order i placed last week the number on it is four four nine eight two seven one five five"), []);
  assert.deepEqual(found('yeah it is four six four double six eight seven three eight'), ['SSN:3-12']);
});

test('counting out loud is no phone number; four digits are an account only as its last four', () => {
  assert.equal(isCounting('12345678910'), true);
  assert.equal(isCounting('4155551234'), false);
  assert.equal(isCounting('12345678'), false); // a made-up account number, not counting
  assert.deepEqual(found('can you hear me one two three four five six seven eight nine ten'), []);
  assert.deepEqual(found('my savings account only has like three thousand two hundred in it'), []);
  assert.deepEqual(found('the account ending in four four one two'), ['BANK_ACCOUNT:4-8']);
});

test('contracted cues ("pin\'s", "security code\'s") and passcodes', () => {
  assert.deepEqual(found("pin's four three two one"), ['PIN:1-5']);
  assert.deepEqual(found("security code's four four oh"), ['CVV:2-5']);
  assert.deepEqual(found('my passcode is kitty cat'), ['PASSWORD:3-5']);
});

test('DATE_OF_BIRTH: numeric month/day without zeros, Mandarin context after the date, 十月 一号', () => {
  assert.deepEqual(found('i was born three twelve eighty'), ['DATE_OF_BIRTH:3-6']);
  assert.deepEqual(found('我 是 一 九 八 五 年 三 月 十二 号 出生 的', 'zh'), ['DATE_OF_BIRTH:2-11']);
  assert.deepEqual(found('生日 是 十月 一号', 'zh'), ['DATE_OF_BIRTH:2-4']);
  assert.deepEqual(found('我 是 三 月 五 号 下 的 单', 'zh'), []);
});

test('ADDRESS units ("apartment five b", "unit b", "二 单元 六零幺"), ZIP after a state, split Mandarin cue', () => {
  assert.deepEqual(found('i live at one two three four elm street apartment five b'), ['ADDRESS:3-12']);
  assert.deepEqual(found('four oh four brookside court unit b'), ['ADDRESS:0-7']);
  assert.deepEqual(found('austin texas seven eight seven oh one'), ['ZIP:2-7']);
  assert.deepEqual(found('寄到 广州市 天河区 体育西路 五十 号 二 单元 六零幺', 'zh'), ['ADDRESS:1-9']);
  assert.deepEqual(found('我 家 在 南京市 鼓楼区 中山路 一百二十八 号', 'zh'), ['ADDRESS:3-8']);
});

test('PERSON_NAME: the name on the card; 我 姓 李 木子 李', () => {
  assert.deepEqual(found('the name on the card is maria gonzalez'), ['PERSON_NAME:6-8']);
  assert.deepEqual(found('我 姓 李 木子 李', 'zh'), ['PERSON_NAME:2-5']);
  assert.deepEqual(found('免贵 姓 陈', 'zh'), ['PERSON_NAME:2-3']);
});

test('CN_MOBILE: "订单 号码" is the order\'s number, 手机 still wins', () => {
  assert.deepEqual(found('您 的 订单 号码 是 幺 五 九 二 三 四 五 六 七 八 九', 'zh'), []);
  assert.deepEqual(found('订单 的 联系 手机 是 幺 五 九 二 三 四 五 六 七 八 九', 'zh'), ['CN_MOBILE:5-16']);
});
