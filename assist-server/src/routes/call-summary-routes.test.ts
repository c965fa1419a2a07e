import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Fastify from 'fastify';
import { storeFinishedCall } from '../analyzers/summary/stored-call-fixture.ts';
import { CallStore } from '../store/call-store.ts';
import { CustomerHistoryStore } from '../store/customer-history-store.ts';
import { callSummaryRoutes } from './call-summary-routes.ts';

const dir = mkdtempSync(join(tmpdir(), 'earpiece-summary-routes-'));
const store = await CallStore.openSqlite(join(dir, 'earpiece.db'));
const history = new CustomerHistoryStore(store.database);
const app = Fastify();
after(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('GET /api/calls/:callId/summary: JSON, the handover note as text, 404 and 400', async () => {
  await app.register(callSummaryRoutes, { store, history });
  await storeFinishedCall(store, history, 'route-1');
  const json = await app.inject({ method: 'GET', url: '/api/calls/route-1/summary' });
  assert.equal(json.statusCode, 200);
  const { summary } = json.json() as { summary: { intentTimeline: Array<{ label: string }>; text: string } };
  assert.deepEqual(summary.intentTimeline.map((i) => i.label), ['lost_or_stolen_card', 'oos']);
  const text = await app.inject({ method: 'GET', url: '/api/calls/route-1/summary?format=text' });
  assert.equal(text.statusCode, 200);
  assert.match(text.headers['content-type'] as string, /^text\/plain/);
  assert.equal(text.body, summary.text);
  assert.equal((await app.inject({ method: 'GET', url: '/api/calls/none/summary' })).statusCode, 404);
  assert.equal((await app.inject({ method: 'GET', url: '/api/calls/route-1/summary?format=pdf' })).statusCode, 400);
});
