import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CONFIG_VARIABLES, REPO_ROOT, configTableMarkdown, loadConfig } from './config.ts';

test('defaults are sane and overrides are parsed', () => {
  const d = loadConfig({});
  assert.equal(d.port, 8080);
  assert.equal(d.engine, 'auto');
  assert.equal(d.redisUrl, undefined);
  assert.deepEqual(d.agents[0], { agentId: 'agent-1', displayName: 'Alex Morgan' });
  const o = loadConfig({ EARPIECE_PORT: '9000', EARPIECE_ASR_ENGINE: 'pocketsphinx', EARPIECE_AGENTS: 'a7:Jo: Smith, b8', REDIS_URL: 'redis://h:1' });
  assert.equal(o.port, 9000);
  assert.equal(o.engine, 'pocketsphinx');
  assert.equal(o.redisUrl, 'redis://h:1');
  assert.deepEqual(o.agents, [{ agentId: 'a7', displayName: 'Jo: Smith' }, { agentId: 'b8', displayName: 'b8' }]);
});

test('bad values are refused with the variable named', () => {
  assert.throws(() => loadConfig({ EARPIECE_PORT: 'eighty' }), /EARPIECE_PORT/);
  assert.throws(() => loadConfig({ EARPIECE_ASR_ENGINE: 'whisper' }), /EARPIECE_ASR_ENGINE/);
  assert.throws(() => loadConfig({ EARPIECE_MAX_CALLS: '0' }), /EARPIECE_MAX_CALLS/);
});

test('the README configuration table lists every variable exactly as config.ts does', () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  assert.ok(readme.includes(configTableMarkdown()), 'README table is out of date: paste the output of `npx earpiece config`');
  const source = readFileSync(join(REPO_ROOT, 'assist-server/src/config.ts'), 'utf8');
  for (const name of new Set([...source.matchAll(/env\.([A-Z_]+)/g)].map((m) => m[1]!))) {
    assert.ok(CONFIG_VARIABLES.some((v) => v.name === name), `${name} is read but not documented`);
  }
});

test('PII settings: defaults mask everything with silence; bad values are refused with the variable named', () => {
  const pii = loadConfig({}).pii;
  assert.deepEqual({ lang: pii.lang, policy: pii.policy, fill: pii.redactFill, margin: pii.redactMarginMs, key: pii.originalAudioKey }, { lang: 'en', policy: {}, fill: 'silence', margin: 150, key: undefined });
  assert.deepEqual(loadConfig({ EARPIECE_PII_POLICY: 'CREDIT_CARD=last4' }).pii.policy, { CREDIT_CARD: 'last4' });
  assert.equal(loadConfig({ EARPIECE_ORIGINAL_AUDIO_KEY: 'ab'.repeat(32) }).pii.originalAudioKey?.length, 32);
  assert.throws(() => loadConfig({ EARPIECE_PII_LANG: 'fr' }), /EARPIECE_PII_LANG/);
  assert.throws(() => loadConfig({ EARPIECE_PII_REDACT_FILL: 'beep' }), /EARPIECE_PII_REDACT_FILL/);
  assert.throws(() => loadConfig({ EARPIECE_PII_POLICY: 'SSN=show' }), /TYPE=mask or TYPE=last4/);
  assert.throws(() => loadConfig({ EARPIECE_ORIGINAL_AUDIO_KEY: 'secret' }), /64 hex characters/);
});
