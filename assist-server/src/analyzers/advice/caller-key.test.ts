import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CALLER_KEY_SECRET_FILE, callerKeyer, loadCallerKeySecret, normalizeCallerDigits } from './caller-key.ts';

const dir = mkdtempSync(join(tmpdir(), 'earpiece-caller-key-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('one number in different spellings gets one key; other numbers and withheld ones do not', () => {
  const key = callerKeyer(Buffer.from('a site secret of some length'));
  const k = key('+44 20 7123 4567');
  assert.match(k ?? '', /^[0-9a-f]{64}$/);
  assert.equal(key('0044 (20) 7123-4567'), k);
  assert.equal(key('+442071234567'), k);
  assert.notEqual(key('+442071234568'), k);
  for (const withheld of ['anonymous', 'Restricted', '', '1234']) assert.equal(key(withheld), null, withheld);
  assert.equal(normalizeCallerDigits('+1 (415) 555-0142'), '14155550142');
});

test('a key cannot be turned back into the number without the site secret', () => {
  const number = '+14155550142';
  const k = callerKeyer(Buffer.from('the real site secret!'))(number)!;
  assert.ok(!k.includes('4155550142'), 'the key does not carry the digits');
  // what an attacker without the secret can do: hash every candidate number; none gives the key
  const guesses = ['14155550142', '+14155550142', '4155550142'];
  for (const g of guesses) {
    assert.notEqual(createHash('sha256').update(g).digest('hex'), k, 'not a plain hash of the number');
    assert.notEqual(callerKeyer(Buffer.from('a guessed secret value'))(g), k, 'another secret gives another key');
  }
  assert.throws(() => callerKeyer(Buffer.from('short')), /16 bytes/);
});

test('per-install secret: made once in the data dir (private), the same on every later start', () => {
  const data = join(dir, 'install');
  const first = loadCallerKeySecret(undefined, data);
  assert.equal(first.length, 32);
  const path = join(data, CALLER_KEY_SECRET_FILE);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const again = loadCallerKeySecret(undefined, data);
  assert.deepEqual(again, first, 'stable across restarts: callers keep their history');
  assert.equal(callerKeyer(again)('+14155550142'), callerKeyer(first)('+14155550142'));
  assert.notDeepEqual(loadCallerKeySecret(undefined, join(dir, 'other-install')), first, 'each install its own');
  assert.deepEqual(loadCallerKeySecret('configured site secret value', data), Buffer.from('configured site secret value'), 'a configured secret wins');
  assert.throws(() => loadCallerKeySecret('too short', data), /16 characters/);
  writeFileSync(path, 'garbage\n');
  assert.throws(() => loadCallerKeySecret(undefined, data), /not a caller key secret/);
  assert.equal(readFileSync(path, 'utf8'), 'garbage\n', 'a bad secret file is reported, never replaced silently');
});
