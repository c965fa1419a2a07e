/**
 * Agent efficiency: per agent, calls, mean handle time, resolution rate (resolved ÷ calls whose
 * resolution is known), transfer rate, mean compliance score and mean sentiment change (end − start),
 * then K-means tiers (npm ml-kmeans) over those five features standardized to z-scores (a missing
 * value is the column mean, z = 0).
 *
 * k = 3 (fewer when there are fewer distinct agents): supervisors act on three tiers (coach, watch,
 * recognise) and a fixed k keeps tier names stable from month to month, which silhouette-chosen k
 * would not. Tiers are named by their centroid's composite z-score: resolution + compliance +
 * sentiment change − handle time − transfer rate (equal weights), highest 'top', lowest 'support'.
 * Deterministic: k-means++ from seeds 1..RESTARTS, the lowest within-cluster error kept.
 */
import { kmeans } from 'ml-kmeans';
import type { AgentEfficiency, AgentEfficiencyReport, AgentTier, AgentTierSummary } from '../protocol/analytics.ts';
import type { CallMetrics } from '../store/call-metrics-store.ts';

export type { AgentEfficiency, AgentEfficiencyReport, AgentTier, AgentTierSummary };

export const EFFICIENCY_FEATURES = ['meanHandleMs', 'resolutionRate', 'transferRate', 'meanComplianceScore', 'meanSentimentChange'] as const;
/** Direction of each feature in the composite score: shorter handle, more resolution, fewer transfers, more compliance, better sentiment. */
export const EFFICIENCY_WEIGHTS = [-1, 1, -1, 1, 1] as const;
const RESTARTS = 10;

type Aggregate = Omit<AgentEfficiency, 'tier' | 'score'>;

export function aggregateAgents(calls: readonly CallMetrics[]): Aggregate[] {
  const by = new Map<string, CallMetrics[]>();
  for (const m of calls) (by.get(m.agentId) ?? by.set(m.agentId, []).get(m.agentId)!).push(m);
  return [...by]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([agentId, ms]) => {
      const known = ms.filter((m) => m.resolution !== 'unknown');
      const compliance = ms.filter((m) => m.complianceScore !== null);
      const sentiment = ms.filter((m) => m.sentimentStart !== null && m.sentimentEnd !== null);
      return {
        agentId,
        calls: ms.length,
        meanHandleMs: mean(ms.map((m) => m.handleMs))!,
        resolutionRate: known.length ? known.filter((m) => m.resolution === 'resolved').length / known.length : null,
        transferRate: ms.filter((m) => m.transferred).length / ms.length,
        meanComplianceScore: mean(compliance.map((m) => m.complianceScore!)),
        meanSentimentChange: mean(sentiment.map((m) => m.sentimentEnd! - m.sentimentStart!)),
      };
    });
}

export function agentEfficiency(calls: readonly CallMetrics[]): AgentEfficiencyReport {
  const aggregates = aggregateAgents(calls);
  const raw = aggregates.map((a) => EFFICIENCY_FEATURES.map((f) => a[f]));
  const columns = EFFICIENCY_FEATURES.map((_, j) => {
    const values = raw.map((r) => r[j]).filter((v): v is number => v !== null);
    const mu = mean(values) ?? 0;
    const sd = Math.sqrt(mean(values.map((v) => (v - mu) ** 2)) ?? 0);
    return { mu, sd };
  });
  const z = raw.map((r) => r.map((v, j) => (v === null || columns[j]!.sd === 0 ? 0 : (v - columns[j]!.mu) / columns[j]!.sd)));
  const composite = (point: readonly number[]) => point.reduce((s, v, j) => s + v * EFFICIENCY_WEIGHTS[j]!, 0);
  const distinct = new Set(z.map((p) => p.join(','))).size;
  const k = Math.min(3, distinct);
  const method = { k, features: EFFICIENCY_FEATURES, weights: EFFICIENCY_WEIGHTS, restarts: RESTARTS };
  if (k === 0) return { agents: [], tiers: [], method };

  let best: { clusters: number[]; centroids: number[][]; error: number } | null = null;
  for (let seed = 1; seed <= RESTARTS; seed++) {
    const r = k === 1 ? { clusters: z.map(() => 0), centroids: [meanPoint(z)] } : kmeans(z, k, { seed, initialization: 'kmeans++' });
    const error = z.reduce((s, p, i) => s + sq(p, r.centroids[r.clusters[i]!]!), 0);
    if (!best || error < best.error - 1e-12) best = { clusters: r.clusters, centroids: r.centroids, error };
    if (k === 1) break;
  }
  const names: AgentTier[] = k === 3 ? ['top', 'middle', 'support'] : k === 2 ? ['top', 'support'] : ['middle'];
  const order = best!.centroids.map((c, i) => ({ i, score: composite(c) })).sort((a, b) => b.score - a.score);
  const tierOf = new Map(order.map((o, rank) => [o.i, names[rank]!]));
  const agents = aggregates.map((a, i) => ({ ...a, tier: tierOf.get(best!.clusters[i]!)!, score: composite(z[i]!) }));
  const tiers = order.map(({ i, score }) => {
    const c = best!.centroids[i]!;
    const unz = (j: number) => columns[j]!.mu + c[j]! * columns[j]!.sd;
    return {
      tier: tierOf.get(i)!,
      agents: agents.filter((_, a) => best!.clusters[a] === i).map((a) => a.agentId),
      centroid: { meanHandleMs: unz(0), resolutionRate: unz(1), transferRate: unz(2), meanComplianceScore: unz(3), meanSentimentChange: unz(4) },
      score,
    };
  });
  return { agents, tiers, method };
}

function mean(values: readonly number[]): number | null {
  return values.length ? values.reduce((s, v) => s + v, 0) / values.length : null;
}

function meanPoint(points: readonly number[][]): number[] {
  return points[0]!.map((_, j) => mean(points.map((p) => p[j]!))!);
}

function sq(a: readonly number[], b: readonly number[]): number {
  return a.reduce((s, v, j) => s + (v - b[j]!) ** 2, 0);
}
