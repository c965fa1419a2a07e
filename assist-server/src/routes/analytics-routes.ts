/**
 * Supervisor analytics API (read-only; supervisors and admins):
 *   GET /api/analytics/demand     intent counts by local hour and by interval, rising topics against the
 *                                 previous period of the same length   (from, to, interval, tzOffsetMin, agentId)
 *   GET /api/analytics/keywords   word-cloud keywords from masked utterances   (… role, limit)
 *   GET /api/analytics/agents     per-agent efficiency and K-means tiers
 *   GET /api/analytics/sentiment  sentiment start → end by interval
 *   GET /api/analytics/staffing   Erlang C agents per slot of the day   (intervalMin, serviceLevel,
 *                                 targetAnswerSec, maxOccupancy, shrinkage, weekday)
 * Data: call_metrics (post-call pipeline) and utterances. `agentScope` narrows every report to the
 * agents the caller may see (a supervisor's team); `agentId` narrows further within that.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { AgentsQuery, DemandQuery, KeywordsQuery, resolvePeriod, SentimentQuery, StaffingQuery } from '../analytics/analytics-schemas.ts';
import type { AnalyticsService } from '../analytics/analytics-service.ts';
import type { AgentsReport, DemandHeat, KeywordsReport, SentimentReport, StaffingReport } from '../protocol/index.ts';

/** Route access policy (see src/auth): analytics is for supervisors (their team) and admins. */
const SUPERVISOR_ONLY = { access: 'supervisor' } as const;

export interface AnalyticsRoutesOptions {
  analytics: AnalyticsService;
  /** The agents the caller may see; undefined: all (admin). Defaults to all until sign-in wires it. */
  agentScope?: (req: FastifyRequest) => Promise<readonly string[] | undefined> | readonly string[] | undefined;
  now?: () => number;
}

type Period = { from?: number | undefined; to?: number | undefined; agentId?: string[] | undefined };

export async function analyticsRoutes(app: FastifyInstance, options: AnalyticsRoutesOptions): Promise<void> {
  const { analytics } = options;
  const now = options.now ?? Date.now;

  /** Parses the query and the period, and works out the agents: the caller's scope ∩ agentId. */
  const prepare = async <S extends z.ZodType<Period>>(schema: S, req: FastifyRequest, reply: FastifyReply) => {
    const q = schema.safeParse(req.query);
    if (!q.success) {
      const problems = q.error.issues.map((i) => ({ path: i.path.join('.') || '(query)', message: i.message }));
      reply.code(400).send({ code: 'EARPIECE_ANALYTICS_INVALID', message: `invalid query: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems });
      return null;
    }
    const period = resolvePeriod(q.data, now());
    if (typeof period === 'string') {
      reply.code(400).send({ code: 'EARPIECE_ANALYTICS_INVALID', message: `invalid query: ${period}`, problems: [{ path: 'from', message: period }] });
      return null;
    }
    const scope = await options.agentScope?.(req);
    const asked = q.data.agentId && q.data.agentId.length > 0 ? q.data.agentId : undefined;
    const agentIds = scope && asked ? asked.filter((a) => scope.includes(a)) : (asked ?? scope);
    return { query: q.data as z.output<S>, fromMs: period.fromMs, toMs: period.toMs, agentIds };
  };

  app.get('/api/analytics/demand', { config: SUPERVISOR_ONLY }, async (req, reply) => {
    const p = await prepare(DemandQuery, req, reply);
    if (!p) return reply;
    const body: DemandHeat = await analytics.demand({ fromMs: p.fromMs, toMs: p.toMs, agentIds: p.agentIds, interval: p.query.interval, tzOffsetMin: p.query.tzOffsetMin });
    return body;
  });

  app.get('/api/analytics/keywords', { config: SUPERVISOR_ONLY }, async (req, reply) => {
    const p = await prepare(KeywordsQuery, req, reply);
    if (!p) return reply;
    const body: KeywordsReport = { fromMs: p.fromMs, toMs: p.toMs, ...(await analytics.keywords({ fromMs: p.fromMs, toMs: p.toMs, agentIds: p.agentIds, role: p.query.role, limit: p.query.limit })) };
    return body;
  });

  app.get('/api/analytics/agents', { config: SUPERVISOR_ONLY }, async (req, reply) => {
    const p = await prepare(AgentsQuery, req, reply);
    if (!p) return reply;
    const body: AgentsReport = { fromMs: p.fromMs, toMs: p.toMs, ...(await analytics.agents({ fromMs: p.fromMs, toMs: p.toMs, agentIds: p.agentIds })) };
    return body;
  });

  app.get('/api/analytics/sentiment', { config: SUPERVISOR_ONLY }, async (req, reply) => {
    const p = await prepare(SentimentQuery, req, reply);
    if (!p) return reply;
    const body: SentimentReport = { fromMs: p.fromMs, toMs: p.toMs, interval: p.query.interval, buckets: await analytics.sentiment({ fromMs: p.fromMs, toMs: p.toMs, agentIds: p.agentIds, interval: p.query.interval, tzOffsetMin: p.query.tzOffsetMin }) };
    return body;
  });

  app.get('/api/analytics/staffing', { config: SUPERVISOR_ONLY }, async (req, reply) => {
    const p = await prepare(StaffingQuery, req, reply);
    if (!p) return reply;
    const q = p.query;
    const target = { serviceLevel: q.serviceLevel, targetAnswerSec: q.targetAnswerSec, maxOccupancy: q.maxOccupancy, shrinkage: q.shrinkage };
    const forecast = await analytics.staffing({ fromMs: p.fromMs, toMs: p.toMs, agentIds: p.agentIds, intervalMin: q.intervalMin, tzOffsetMin: q.tzOffsetMin, weekday: q.weekday, ...target });
    const body: StaffingReport = { fromMs: p.fromMs, toMs: p.toMs, intervalMin: q.intervalMin, weekday: q.weekday ?? null, target, ...forecast };
    return body;
  });
}
