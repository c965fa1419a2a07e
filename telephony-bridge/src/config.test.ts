import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { BRIDGE_CONFIG_VARIABLES, bridgeConfigTableMarkdown, loadBridgeConfig } from './config.ts';

test('bridge defaults and overrides', () => {
  const d = loadBridgeConfig({});
  assert.equal(d.serverUrl, 'ws://127.0.0.1:8080');
  assert.deepEqual(d.sources, ['siprec', 'sip', 'audiosocket', 'media-streams']);
  assert.equal(d.sipDigest, undefined);
  const o = loadBridgeConfig({ EARPIECE_PORT: '9000', EARPIECE_BRIDGE_SOURCES: 'siprec', EARPIECE_SIP_DIGEST_USER: 'pbx', EARPIECE_SIP_DIGEST_PASSWORD: 's3cret', EARPIECE_AGENT_EXTENSIONS: '1001, 1002' });
  assert.equal(o.serverUrl, 'ws://127.0.0.1:9000');
  assert.deepEqual(o.sources, ['siprec']);
  assert.deepEqual(o.sipDigest, { realm: 'earpiece', users: { pbx: 's3cret' } });
  assert.deepEqual(o.agentExtensions, ['1001', '1002']);
});

test('bad bridge settings are refused with the variable named', () => {
  assert.throws(() => loadBridgeConfig({ EARPIECE_BRIDGE_SOURCES: 'siprec,pigeon' }), /EARPIECE_BRIDGE_SOURCES/);
  assert.throws(() => loadBridgeConfig({ EARPIECE_SIP_TRANSPORTS: 'sctp' }), /EARPIECE_SIP_TRANSPORTS/);
  assert.throws(() => loadBridgeConfig({ EARPIECE_SIP_DIGEST_USER: 'pbx' }), /go together/);
  assert.throws(() => loadBridgeConfig({ EARPIECE_AGENT_AOR_PATTERN: '(' }), /EARPIECE_AGENT_AOR_PATTERN/);
  assert.throws(() => loadBridgeConfig({ EARPIECE_RTP_PORT_MIN: '30000', EARPIECE_RTP_PORT_MAX: '30001' }), /EARPIECE_RTP_PORT_MAX/);
});

test('the README lists every bridge variable exactly as config.ts does', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  assert.ok(readme.includes(bridgeConfigTableMarkdown()), 'README bridge table is out of date: paste the output of `npx earpiece bridge --config`');
  const source = readFileSync(new URL('./config.ts', import.meta.url), 'utf8');
  const read = /env\.([A-Z_]+)|(?:intVar\(env, |list\()'([A-Z_]+)'/g;
  for (const name of new Set([...source.matchAll(read)].map((m) => m[1] ?? m[2]!))) {
    if (name === 'EARPIECE_PORT') continue; // assist-server's, documented in its table
    assert.ok(BRIDGE_CONFIG_VARIABLES.some((v) => v.name === name), `${name} is read but not documented`);
  }
});
