import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abaValid, cnIdValid, gb11643Check, isCardNumber, luhnValid, ssnFormatValid } from './checksums.ts';

test('Luhn and card shapes (Visa 16, Amex 15 with 34/37)', () => {
  assert.equal(luhnValid('4111111111111111'), true);
  assert.equal(luhnValid('4111111111111112'), false);
  assert.equal(isCardNumber('378282246310005'), true);
  assert.equal(isCardNumber('371111111111111'), false); // Amex shape, Luhn fails
  assert.equal(isCardNumber('411111111111'), false); // 12 digits
});

test('ABA routing checksum', () => {
  assert.equal(abaValid('011000015'), true);
  assert.equal(abaValid('011000016'), false);
});

test('GB 11643 check character, including X', () => {
  assert.equal(gb11643Check('11010519491231002'), 'X');
  assert.equal(cnIdValid('11010519491231002X'), true);
  assert.equal(cnIdValid('53010219200508011X'), true);
  assert.equal(cnIdValid('530102192005080119'), false);
});

test('SSN format rules', () => {
  assert.equal(ssnFormatValid('123456789'), true);
  for (const bad of ['000123456', '666123456', '912345678', '123006789', '123450000']) assert.equal(ssnFormatValid(bad), false, bad);
});
