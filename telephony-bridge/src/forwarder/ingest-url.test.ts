import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingestUrl } from './ingest-url.ts';

test('the ingest URL is the server base plus /ingest', () => {
  assert.equal(ingestUrl('ws://127.0.0.1:8080'), 'ws://127.0.0.1:8080/ingest');
  assert.equal(ingestUrl('ws://127.0.0.1:8080/'), 'ws://127.0.0.1:8080/ingest');
  assert.equal(ingestUrl('ws://host:1/ingest'), 'ws://host:1/ingest');
  assert.equal(ingestUrl('https://assist.example/earpiece/'), 'wss://assist.example/earpiece/ingest');
  assert.throws(() => ingestUrl('127.0.0.1:8080'), { code: 'EARPIECE_BRIDGE_BAD_SERVER_URL' });
  assert.throws(() => ingestUrl('ftp://host'), { code: 'EARPIECE_BRIDGE_BAD_SERVER_URL' });
});
