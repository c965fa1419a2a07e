import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashPassword, needsRehash, verifyPassword } from './password-hash.ts';

test('scrypt hashes carry their parameters, verify only the right password, and ask for a re-hash when weaker than today', async () => {
  const weak = { log2N: 10, r: 8, p: 1 };
  const hash = await hashPassword('correct horse battery', weak);
  assert.match(hash, /^scrypt\$10\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
  assert.equal(await verifyPassword('correct horse battery', hash), true);
  assert.equal(await verifyPassword('correct horse batterY', hash), false);
  assert.notEqual(await hashPassword('correct horse battery', weak), hash, 'salted');
  assert.equal(needsRehash(hash), true);
  const strong = await hashPassword('correct horse battery');
  assert.equal(needsRehash(strong), false);
  assert.equal(await verifyPassword('correct horse battery', strong), true);
  assert.equal(await verifyPassword('x', 'plain-text-password'), false, 'a malformed stored hash never verifies');
});
