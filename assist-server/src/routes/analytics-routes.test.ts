/** The analytics REST API on a Fastify app over a real migrated database holding a generated month. */
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { AnalyticsService } from '../analytics/analytics-service.ts';
import { generateMonthOfCalls, MONTH_START_MS } from '../analytics/testing/month-of-calls.ts';
import type { SqlDatabase } from '../db/sql-database.ts';
import { CallMetricsStore } from '../store/call-metrics-store.ts';
import { testOnDatabases } from '../testing/test-databases.ts';
import { analyticsRoutes } from './analytics-routes.ts';

const DAY_MS = 86_400_000;
const declaredAccess = new Map<string, string | undefined>();
const NOW = MONTH_START_MS + 30 * DAY_MS; // 2026-12-01T00:00Z: the default period is the generated month

async function appOver(db: SqlDatabase, t: { after: (fn: () => Promise<void>) => void }, agentScope?: () => readonly string[] | undefined): Promise<FastifyInstance> {
  const store = new CallMetricsStore(db);
  await db.transaction(async (tx) => {
    const txStore = new CallMetricsStore(tx);
    for (const c of generateMonthOfCalls()) await txStore.upsert(c.metrics);
  });
  const app = Fastify();
  app.addHook('onRoute', (route) => {
    declaredAccess.set(route.url, (route.config as { access?: string } | undefined)?.access);
  });
  await app.register(analyticsRoutes, { analytics: new AnalyticsService(db, store), now: () => NOW, agentScope });
  await app.ready();
  t.after(() => app.close());
  return app;
}

testOnDatabases('analytics API: each report answers over the default period, every route declares supervisor access', async (t, { db }) => {
  const app = await appOver(db, t);
  const demand = await app.inject({ method: 'GET', url: '/api/analytics/demand' });
  assert.equal(demand.statusCode, 200, demand.body);
  assert.equal(demand.json().calls, 960);
  assert.equal(demand.json().buckets.length, 30);

  const weekly = await app.inject({ method: 'GET', url: '/api/analytics/demand?from=2026-11-16&to=2026-11-30&interval=week' });
  assert.deepEqual(weekly.json().rising.map((r: { intent: string }) => r.intent), ['fraud_report']);

  const agents = (await app.inject({ method: 'GET', url: '/api/analytics/agents' })).json();
  assert.deepEqual(agents.tiers.map((x: { tier: string; agents: string[] }) => [x.tier, x.agents.length]), [['top', 3], ['middle', 3], ['support', 3]]);

  const staffing = (await app.inject({ method: 'GET', url: '/api/analytics/staffing?intervalMin=60&serviceLevel=0.8&targetAnswerSec=20&shrinkage=0.3' })).json();
  assert.equal(staffing.slots.length, 24);
  assert.equal(staffing.slots[9].agents, 2);
  assert.equal(staffing.slots[9].scheduledAgents, 3); // ceil(2 / 0.7)
  assert.equal(staffing.peakAgents, 3);
  assert.deepEqual(staffing.target, { serviceLevel: 0.8, targetAnswerSec: 20, shrinkage: 0.3 });

  const sentiment = (await app.inject({ method: 'GET', url: '/api/analytics/sentiment?interval=week&tzOffsetMin=480' })).json();
  assert.equal(sentiment.buckets.reduce((s: number, b: { calls: number }) => s + b.calls, 0), 960);

  const keywords = await app.inject({ method: 'GET', url: '/api/analytics/keywords?role=customer&limit=5' });
  assert.equal(keywords.statusCode, 200);
  assert.deepEqual(keywords.json().keywords, []); // no utterances stored in this test

  assert.deepEqual(
    [...declaredAccess].filter(([url]) => url.startsWith('/api/analytics/')),
    ['demand', 'keywords', 'agents', 'sentiment', 'staffing'].map((n) => [`/api/analytics/${n}`, 'supervisor']),
  );
});

testOnDatabases('analytics API: bad queries are 400 with the problems; the caller scope narrows the agents', async (t, { db }) => {
  const app = await appOver(db, t, () => ['a1', 'a2', 'a7']);
  for (const url of [
    '/api/analytics/demand?interval=month',
    '/api/analytics/staffing?intervalMin=20',
    '/api/analytics/staffing?serviceLevel=80',
    '/api/analytics/keywords?limit=0',
    '/api/analytics/agents?from=2026-11-20&to=2026-11-10',
    '/api/analytics/agents?from=yesterday',
    '/api/analytics/sentiment?from=2020-01-01&to=2026-01-01',
  ]) {
    const res = await app.inject({ method: 'GET', url });
    assert.equal(res.statusCode, 400, url);
    assert.equal(res.json().code, 'EARPIECE_ANALYTICS_INVALID', url);
    assert.ok(res.json().problems.length > 0, url);
  }
  const scoped = (await app.inject({ method: 'GET', url: '/api/analytics/agents' })).json();
  assert.deepEqual(scoped.agents.map((a: { agentId: string }) => a.agentId), ['a1', 'a2', 'a7']);
  // agentId narrows within the scope; an agent outside it is dropped, not added
  const narrowed = (await app.inject({ method: 'GET', url: '/api/analytics/agents?agentId=a2,a9' })).json();
  assert.deepEqual(narrowed.agents.map((a: { agentId: string }) => a.agentId), ['a2']);
  const outside = (await app.inject({ method: 'GET', url: '/api/analytics/demand?agentId=a9' })).json();
  assert.equal(outside.calls, 0);
});
