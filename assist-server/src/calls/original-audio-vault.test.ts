import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OriginalAudioVault, parseOriginalAudioKey, readOriginalAudio } from './original-audio-vault.ts';

const KEY = parseOriginalAudioKey('11'.repeat(32));

test('originals round-trip through the vault and are not readable without the key', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'vault-')), 'customer.original.enc');
  const vault = new OriginalAudioVault(path, KEY);
  const a = Int16Array.from({ length: 800 }, (_, i) => 1000 + i);
  const b = Int16Array.from({ length: 500 }, (_, i) => -2000 - i);
  vault.append(a, 0);
  vault.append(b, 800);
  vault.close();
  assert.deepEqual(readOriginalAudio(path, KEY), Int16Array.from([...a, ...b]));
  // the plaintext samples do not occur in the file
  const file = readFileSync(path);
  assert.equal(file.indexOf(Buffer.from(a.buffer, 0, 64)), -1);
  assert.throws(() => readOriginalAudio(path, parseOriginalAudioKey('22'.repeat(32))));
});

test('a malformed key is refused with a clear message', () => {
  assert.throws(() => parseOriginalAudioKey('secret'), /64 hex characters/);
});
