/**
 * The analytics reports over a generated month of calls (testing/month-of-calls.ts), through the real
 * store on both dialects; expected values follow from the generator's design (see its header) or are
 * counted here directly from the generated rows.
 */
import assert from 'node:assert/strict';
import type { SqlDatabase } from '../db/sql-database.ts';
import { CallMetricsStore } from '../store/call-metrics-store.ts';
import { testOnDatabases } from '../testing/test-databases.ts';
import { AnalyticsService } from './analytics-service.ts';
import { agentsNeeded } from './erlang-c.ts';
import { AGENT_IDS, CALLS_PER_HOUR, DAYS, FIRST_HOUR, generateMonthOfCalls, LAST_HOUR, MONTH_START_MS, profileOf } from './testing/month-of-calls.ts';

const DAY_MS = 86_400_000;
const month = generateMonthOfCalls({ seed: 8 });
const all = { fromMs: MONTH_START_MS, toMs: MONTH_START_MS + DAYS * DAY_MS };

async function service(db: SqlDatabase) {
  const store = new CallMetricsStore(db);
  await db.transaction(async (tx) => {
    const txStore = new CallMetricsStore(tx);
    for (const c of month) await txStore.upsert(c.metrics);
  });
  return new AnalyticsService(db, store);
}

testOnDatabases('demand heat over a month: counts by intent and hour, daily trend, the rising topic against the previous half', async (_t, { db }) => {
  const analytics = await service(db);
  assert.equal(month.length, DAYS * (LAST_HOUR - FIRST_HOUR + 1) * CALLS_PER_HOUR); // 960

  const whole = await analytics.demand({ ...all, interval: 'day' });
  assert.equal(whole.calls, 960);
  // fraud_report: 2 a day for 15 days + 8 a day for 15 days; the other 810 calls cycle over 4 routine intents
  assert.deepEqual(whole.intents.find((i) => i.intent === 'fraud_report')!.count, 2 * 15 + 8 * 15);
  assert.deepEqual(whole.intents.map((i) => i.count).reduce((a, b) => a + b), 960);
  assert.equal(whole.buckets.length, 30);
  assert.ok(whole.buckets.every((b) => b.total === 32));
  assert.deepEqual(whole.buckets.slice(14, 16).map((b) => b.counts['fraud_report']), [2, 8]);
  // the heat table: every call lies within business hours 09-16 UTC, 4 per hour per day → 120 per hour
  const hourTotals = new Array<number>(24).fill(0);
  for (const counts of Object.values(whole.byHour)) counts.forEach((n, h) => (hourTotals[h]! += n));
  assert.deepEqual(hourTotals, hourTotals.map((_, h) => (h >= FIRST_HOUR && h <= LAST_HOUR ? 120 : 0)));
  // Beijing time (UTC+8) moves the same calls to 17-00
  const beijing = await analytics.demand({ ...all, interval: 'day', tzOffsetMin: 480 });
  assert.equal(beijing.byHour['fraud_report']!.slice(17, 24).concat(beijing.byHour['fraud_report']![0]!).reduce((a, b) => a + b), 150);

  // second half against the first: fraud_report 120 vs 30 → growth (120 + 1) / (30 + 1); routine intents are flat
  const secondHalf = await analytics.demand({ fromMs: MONTH_START_MS + 15 * DAY_MS, toMs: all.toMs, interval: 'week' });
  assert.deepEqual(secondHalf.rising.map((r) => [r.intent, r.count, r.previousCount]), [['fraud_report', 120, 30]]);
  assert.ok(Math.abs(secondHalf.rising[0]!.growth - 121 / 31) < 1e-12);
});

testOnDatabases('agent efficiency over a month: per-agent figures as counted, K-means tiers recover the three designed profiles', async (_t, { db }) => {
  const analytics = await service(db);
  const report = await analytics.agents(all);
  assert.equal(report.method.k, 3);
  assert.deepEqual(report.agents.map((a) => a.agentId), [...AGENT_IDS]);
  for (const a of report.agents) {
    const mine = month.map((c) => c.metrics).filter((m) => m.agentId === a.agentId);
    const known = mine.filter((m) => m.resolution !== 'unknown');
    assert.equal(a.calls, mine.length);
    assert.ok(Math.abs(a.meanHandleMs - mine.reduce((s, m) => s + m.handleMs, 0) / mine.length) < 1e-6);
    assert.ok(Math.abs(a.resolutionRate! - known.filter((m) => m.resolution === 'resolved').length / known.length) < 1e-12);
    assert.ok(Math.abs(a.transferRate - mine.filter((m) => m.transferred).length / mine.length) < 1e-12);
    assert.ok(Math.abs(a.meanSentimentChange! - mine.reduce((s, m) => s + m.sentimentEnd! - m.sentimentStart!, 0) / mine.length) < 1e-9);
    assert.equal(a.tier, profileOf(a.agentId), `${a.agentId} tier`);
  }
  assert.deepEqual(report.tiers.map((t) => [t.tier, t.agents]), [['top', ['a1', 'a2', 'a3']], ['middle', ['a4', 'a5', 'a6']], ['support', ['a7', 'a8', 'a9']]]);
  // centroids back in feature units: the top tier handles calls faster and resolves more
  assert.ok(report.tiers[0]!.centroid.meanHandleMs < report.tiers[2]!.centroid.meanHandleMs);
  assert.ok(report.tiers[0]!.centroid.resolutionRate > report.tiers[2]!.centroid.resolutionRate);
  // deterministic: the same answer twice; a team filter clusters only that team
  assert.deepEqual(await analytics.agents(all), report);
  const team = await analytics.agents({ ...all, agentIds: ['a1', 'a9'] });
  assert.deepEqual(team.agents.map((a) => [a.agentId, a.tier]), [['a1', 'top'], ['a9', 'support']]);
});

testOnDatabases('staffing over a month: 4 calls an hour on an average day, agents by Erlang C from the slot AHT', async (_t, { db }) => {
  const analytics = await service(db);
  const target = { serviceLevel: 0.8, targetAnswerSec: 20 };
  const f = await analytics.staffing({ ...all, intervalMin: 60, ...target });
  assert.equal(f.days, 30);
  assert.equal(f.slots.length, 24);
  for (const s of f.slots) {
    const hour = s.slotStartMin / 60;
    const inSlot = month.map((c) => c.metrics).filter((m) => new Date(m.startedAtMs).getUTCHours() === hour);
    if (hour < FIRST_HOUR || hour > LAST_HOUR) {
      assert.deepEqual([s.historyCalls, s.agents], [0, 0]);
      continue;
    }
    assert.equal(s.historyCalls, 120);
    assert.equal(s.callsPerInterval, 4);
    const aht = inSlot.reduce((sum, m) => sum + m.handleMs, 0) / inSlot.length / 1000;
    assert.ok(Math.abs(s.ahtSec - aht) < 1e-9);
    assert.equal(s.agents, agentsNeeded(4, 3600, aht, target).agents);
    // ~380 s AHT × 4 calls/hour ≈ 0.42 erlangs: one agent misses 80/20 (SL ≈ 60%), two meet it
    assert.equal(s.agents, 2, `slot ${hour}: A=${s.erlangs}`);
  }
  // Mondays only: 2, 9, 16, 23, 30 November 2026
  const mondays = await analytics.staffing({ ...all, intervalMin: 30, weekday: 0, ...target });
  assert.equal(mondays.days, 5);
  assert.equal(mondays.slots.length, 48);
  assert.equal(mondays.slots[FIRST_HOUR * 2]!.historyCalls, 5 * 2);
  assert.equal(mondays.slots[FIRST_HOUR * 2]!.callsPerInterval, 2);
});

testOnDatabases('sentiment trend over a month: daily means of start, end and change as counted', async (_t, { db }) => {
  const analytics = await service(db);
  const trend = await analytics.sentiment({ ...all, interval: 'day' });
  assert.equal(trend.length, 30);
  for (const [day, b] of trend.entries()) {
    const mine = month.map((c) => c.metrics).filter((m) => Math.floor((m.startedAtMs - MONTH_START_MS) / DAY_MS) === day);
    assert.equal(b.calls, 32);
    assert.equal(b.scored, 32);
    assert.ok(Math.abs(b.meanStart! - mine.reduce((s, m) => s + m.sentimentStart!, 0) / 32) < 1e-9);
    assert.ok(Math.abs(b.meanEnd! - mine.reduce((s, m) => s + m.sentimentEnd!, 0) / 32) < 1e-9);
    assert.ok(Math.abs(b.meanChange! - (b.meanEnd! - b.meanStart!)) < 1e-9);
  }
});
