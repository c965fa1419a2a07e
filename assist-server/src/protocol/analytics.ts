/** Answers of the supervisor analytics API (`GET /api/analytics/*`, routes/analytics-routes.ts). Times are epoch ms. */

export type AnalyticsInterval = 'hour' | 'day' | 'week';

export interface DemandHeat {
  fromMs: number;
  toMs: number;
  interval: AnalyticsInterval;
  calls: number;
  /** Intents by count in the period, most first. */
  intents: Array<{ intent: string; count: number; previousCount: number }>;
  /** Count per intent per local hour of day: byHour[intent][hour]. */
  byHour: Record<string, number[]>;
  /** The trend: per bucket, count per intent. */
  buckets: Array<{ startMs: number; total: number; counts: Record<string, number> }>;
  /** Intents growing against the previous period, fastest first: growth = (count + 1) / (previousCount + 1). */
  rising: Array<{ intent: string; count: number; previousCount: number; growth: number }>;
}

export interface KeywordCount {
  word: string;
  /** Occurrences. */
  count: number;
  /** Calls it occurred in. */
  calls: number;
}

export interface KeywordsReport {
  fromMs: number;
  toMs: number;
  keywords: KeywordCount[];
  utterances: number;
}

export type AgentTier = 'top' | 'middle' | 'support';

export interface AgentEfficiency {
  agentId: string;
  calls: number;
  meanHandleMs: number;
  resolutionRate: number | null;
  transferRate: number;
  meanComplianceScore: number | null;
  meanSentimentChange: number | null;
  tier: AgentTier;
  /** Composite z-score of the agent (same weights as the tiers). */
  score: number;
}

export interface AgentTierSummary {
  tier: AgentTier;
  agents: string[];
  /** Centroid back in feature units. */
  centroid: { meanHandleMs: number; resolutionRate: number; transferRate: number; meanComplianceScore: number; meanSentimentChange: number };
  score: number;
}

export interface AgentEfficiencyReport {
  agents: AgentEfficiency[];
  tiers: AgentTierSummary[];
  method: { k: number; features: readonly string[]; weights: readonly number[]; restarts: number };
}

export interface AgentsReport extends AgentEfficiencyReport {
  fromMs: number;
  toMs: number;
}

export interface SentimentBucket {
  startMs: number;
  calls: number;
  /** Calls with both a start and an end sentiment. */
  scored: number;
  meanStart: number | null;
  meanEnd: number | null;
  meanChange: number | null;
  /** Share of scored calls that ended better than they started. */
  improvedShare: number | null;
}

export interface SentimentReport {
  fromMs: number;
  toMs: number;
  interval: AnalyticsInterval;
  buckets: SentimentBucket[];
}

export interface StaffingSlot {
  /** Minutes since local midnight. */
  slotStartMin: number;
  /** Calls in this slot over the whole history. */
  historyCalls: number;
  /** Expected calls in the slot on one day. */
  callsPerInterval: number;
  ahtSec: number;
  erlangs: number;
  agents: number;
  scheduledAgents: number;
  serviceLevel: number;
  asaSec: number;
  occupancy: number;
}

export interface StaffingForecast {
  days: number;
  slots: StaffingSlot[];
  peakAgents: number;
}

export interface StaffingReport extends StaffingForecast {
  fromMs: number;
  toMs: number;
  intervalMin: number;
  weekday: number | null;
  target: { serviceLevel: number; targetAnswerSec: number; maxOccupancy?: number | undefined; shrinkage: number };
}
