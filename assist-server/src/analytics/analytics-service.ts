/**
 * The analytics read side: reads call_metrics (and masked customer utterances for keywords) for a
 * period and an optional set of agents (a supervisor's team), and computes the reports of this folder.
 */
import type { SqlDatabase, SqlValue } from '../db/sql-database.ts';
import type { CallMetricsStore } from '../store/call-metrics-store.ts';
import { agentEfficiency, type AgentEfficiencyReport } from './agent-efficiency.ts';
import { demandHeat, type DemandHeat } from './demand-heat.ts';
import type { AnalyticsInterval } from './intervals.ts';
import { keywordFrequency, type KeywordCount } from './keyword-frequency.ts';
import { sentimentTrend, type SentimentBucket } from './sentiment-trend.ts';
import { staffingForecast, type StaffingForecast, type StaffingOptions } from './staffing-forecast.ts';

export interface AnalyticsPeriod {
  fromMs: number;
  toMs: number;
  /** Only these agents; undefined: all. */
  agentIds?: readonly string[] | undefined;
}

export class AnalyticsService {
  constructor(
    private readonly db: SqlDatabase,
    private readonly metrics: CallMetricsStore,
  ) {}

  async demand(p: AnalyticsPeriod & { interval: AnalyticsInterval; tzOffsetMin?: number }): Promise<DemandHeat> {
    const length = p.toMs - p.fromMs;
    const [current, previous] = await Promise.all([
      this.metrics.list({ fromMs: p.fromMs, toMs: p.toMs, agentIds: p.agentIds }),
      this.metrics.list({ fromMs: p.fromMs - length, toMs: p.fromMs, agentIds: p.agentIds }),
    ]);
    return demandHeat(current, previous, { fromMs: p.fromMs, toMs: p.toMs, interval: p.interval, tzOffsetMin: p.tzOffsetMin ?? 0 });
  }

  /** Word cloud of what customers (or agents, or both) said in calls started in the period. */
  async keywords(p: AnalyticsPeriod & { role: 'customer' | 'agent' | 'any'; limit: number }): Promise<{ keywords: KeywordCount[]; utterances: number }> {
    if (p.agentIds && p.agentIds.length === 0) return { keywords: [], utterances: 0 };
    const where = ['c.started_at_ms >= ?', 'c.started_at_ms < ?'];
    const params: SqlValue[] = [p.fromMs, p.toMs];
    if (p.role !== 'any') (where.push('u.role = ?'), params.push(p.role));
    if (p.agentIds) (where.push(`c.agent_id IN (${p.agentIds.map(() => '?').join(', ')})`), params.push(...p.agentIds));
    const rows = await this.db.all<{ call_id: string; text: string }>(
      `SELECT u.call_id AS call_id, u.text AS text FROM utterances u JOIN calls c ON c.call_id = u.call_id WHERE ${where.join(' AND ')}`,
      params,
    );
    return { keywords: keywordFrequency(rows.map((r) => ({ callId: r.call_id, text: r.text })), p.limit), utterances: rows.length };
  }

  async agents(p: AnalyticsPeriod): Promise<AgentEfficiencyReport> {
    return agentEfficiency(await this.metrics.list({ fromMs: p.fromMs, toMs: p.toMs, agentIds: p.agentIds }));
  }

  async sentiment(p: AnalyticsPeriod & { interval: AnalyticsInterval; tzOffsetMin?: number }): Promise<SentimentBucket[]> {
    const calls = await this.metrics.list({ fromMs: p.fromMs, toMs: p.toMs, agentIds: p.agentIds });
    return sentimentTrend(calls, { fromMs: p.fromMs, toMs: p.toMs, interval: p.interval, tzOffsetMin: p.tzOffsetMin ?? 0 });
  }

  async staffing(p: AnalyticsPeriod & Omit<StaffingOptions, 'fromMs' | 'toMs'>): Promise<StaffingForecast> {
    return staffingForecast(await this.metrics.list({ fromMs: p.fromMs, toMs: p.toMs, agentIds: p.agentIds }), p);
  }
}
