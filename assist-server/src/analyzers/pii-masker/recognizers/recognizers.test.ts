/** Each recognizer through detectPii: positives, validation failures, harmless negatives. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectPii } from '../pii-detector.ts';

const found = (s: string, lang: 'en' | 'zh' = 'en') => detectPii(s.split(' '), { lang }).map((e) => `${e.type}:${e.start}-${e.end}`);
const VISA = 'four one one one one one one one one one one one one one one one';
const BAD_VISA = 'four one one one one one one one one one one one one one one two';

test('CREDIT_CARD: Luhn-valid with or without context, Amex, misheard digit only with card context', () => {
  assert.deepEqual(found(`it is ${VISA}`), ['CREDIT_CARD:2-18']);
  assert.deepEqual(found('amex three seven eight two eight two two four six three one oh oh oh five'), ['CREDIT_CARD:1-16']);
  assert.deepEqual(found(`my card number is ${BAD_VISA}`), ['CREDIT_CARD:4-20']);
  assert.deepEqual(found(`the thing is ${BAD_VISA}`), []);
  assert.deepEqual(found(`your order number is ${VISA}`), []);
});

test('CVV and CARD_EXPIRY only in card context', () => {
  assert.deepEqual(found('the cvv is one two three'), ['CVV:3-6']);
  assert.deepEqual(found('it expires oh four twenty seven'), ['CARD_EXPIRY:2-6']);
  assert.deepEqual(found('expiration april twenty twenty seven'), ['CARD_EXPIRY:1-5']);
  assert.deepEqual(found('i have one two three of them'), []);
});

test('SSN: context, format validation, last four', () => {
  assert.deepEqual(found('my social is one two three four five six seven eight nine'), ['SSN:3-12']);
  assert.deepEqual(found('the last four of my social are six seven eight nine'), ['SSN:7-11']);
  assert.deepEqual(found('it is nine one two three four five six seven eight ok'), []); // 9xx area, no context
  assert.deepEqual(found('ticket one two three four five six seven eight nine'), []);
});

test('PHONE: US, with leading one, international, 7 digits in context; not order numbers', () => {
  assert.deepEqual(found('reach me at four one five five five five one two three four'), ['PHONE:3-13']);
  assert.deepEqual(found('call one eight hundred five five five one two one two'), ['PHONE:1-11']);
  assert.deepEqual(found('my number is plus four four seven nine one one one two three four five six'), ['PHONE:3-16']);
  assert.deepEqual(found('my cell is five five five one two one two'), ['PHONE:3-10']);
  assert.deepEqual(found('order number four one five five five five one two three four'), []);
});

test('CN_MOBILE and CN_ID and CN_BANK_CARD in Mandarin', () => {
  assert.deepEqual(found('我 的 手机 号 是 幺 三 八 零 零 两 三 四 五 六 七', 'zh'), ['CN_MOBILE:5-16']);
  assert.deepEqual(found('身份证 幺 幺 零 幺 零 五 幺 九 四 九 幺 两 三 幺 零 零 两 叉', 'zh'), ['CN_ID:1-19']);
  assert.deepEqual(found('号码 五 三 零 幺 零 两 幺 九 两 零 零 五 零 八 零 幺 幺 九', 'zh'), []); // fails GB 11643, no ID context
  assert.deepEqual(found('卡号 六 两 两 两 零 两 零 二 零 零 零 零 零 零 零 零', 'zh').length, 1);
  assert.deepEqual(found('快递 单号 幺 三 八 零 零 两 三 四 五 六 七', 'zh'), []);
});

test('EMAIL, DATE_OF_BIRTH only with birth context', () => {
  assert.deepEqual(found('my email is john dot smith at gmail dot com'), ['EMAIL:3-10']);
  assert.deepEqual(found('i was born on march fifth nineteen eighty four'), ['DATE_OF_BIRTH:4-9']);
  assert.deepEqual(found('it shipped on march fifth twenty twenty four'), []);
  assert.deepEqual(found('back in nineteen eighty four'), []);
});

test('BANK_ACCOUNT and ROUTING_NUMBER (ABA checksum)', () => {
  assert.deepEqual(found('my account number is one two three four five six seven eight'), ['BANK_ACCOUNT:4-12']);
  assert.deepEqual(found('the routing number is oh one one oh oh oh oh one five'), ['ROUTING_NUMBER:4-13']);
  assert.deepEqual(found('the bank said oh one one oh oh oh oh one six'), []); // checksum fails, no routing word
});

test('ADDRESS and ZIP', () => {
  assert.deepEqual(found('i live at one twenty three main street apartment four'), ['ADDRESS:3-10']);
  assert.deepEqual(found('my zip code is nine oh two one oh'), ['ZIP:4-9']);
  assert.deepEqual(found('room four twelve on main street'), []);
});

test('PERSON_NAME: my name is, spelled names; not "my name is on the account"', () => {
  assert.deepEqual(found('hi my name is sarah connor and i need help'), ['PERSON_NAME:4-6']);
  assert.deepEqual(found('last name is smith s m i t h'), ['PERSON_NAME:3-9']);
  assert.deepEqual(found('my name is on the account'), []);
  assert.deepEqual(found('我 叫 王小明 ， 谢谢', 'zh'), ['PERSON_NAME:2-3']);
});

test('PIN and PASSWORD; "forgot my password" is not one', () => {
  assert.deepEqual(found('my pin is one two three four'), ['PIN:3-7']);
  assert.deepEqual(found('my password is blue tiger seven seven'), ['PASSWORD:3-7']);
  assert.deepEqual(found('i forgot my password can you reset it'), []);
  assert.deepEqual(found('密码 是 六 五 四 三 二 一', 'zh'), ['PIN:2-8']);
});

test('harmless numbers stay: prices, times, press two, twenty four seven, years', () => {
  for (const s of [
    'that will be forty nine ninety nine dollars',
    'press two for billing',
    'we are open twenty four seven',
    'the appointment is at three thirty pm',
    'i bought it in twenty twenty two',
    'i ordered twelve of them',
  ]) assert.deepEqual(found(s), [], s);
  for (const s of ['这个 价格 是 九十九 元', '请 按 二', '我 是 二 零 二 三 年 买 的']) assert.deepEqual(found(s, 'zh'), [], s);
});
