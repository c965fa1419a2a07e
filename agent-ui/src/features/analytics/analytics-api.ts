/** The supervisor analytics REST calls (`/api/analytics/*`, assist-server routes/analytics-routes.ts). */
import type { AgentsReport, DemandHeat, KeywordsReport, SentimentReport, StaffingReport } from '@earpiece/assist-server/protocol';

export interface AnalyticsPeriod {
  /** The last `days` days up to now. */
  days: number;
  /** Viewer's offset from UTC in minutes (east positive). */
  tzOffsetMin: number;
}

export interface AnalyticsData {
  demand: DemandHeat;
  keywords: KeywordsReport;
  agents: AgentsReport;
  sentiment: SentimentReport;
  staffing: StaffingReport;
}

export const localTzOffsetMin = (): number => -new Date().getTimezoneOffset();

/** The query string shared by the reports: from/to as ms, the viewer's offset. */
export function periodQuery(period: AnalyticsPeriod, nowMs: number): URLSearchParams {
  return new URLSearchParams({ from: String(nowMs - period.days * 86_400_000), to: String(nowMs), tzOffsetMin: String(period.tzOffsetMin) });
}

async function getJson<T>(fetchImpl: typeof fetch, url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetchImpl(url, { signal });
  if (!response.ok) {
    let message = `the server answered ${response.status}`;
    try {
      message = ((await response.json()) as { message?: string }).message ?? message;
    } catch {
      // not JSON: keep the status
    }
    throw new Error(message);
  }
  return (await response.json()) as T;
}

/** All five reports for the period (in parallel). */
export async function fetchAnalytics(period: AnalyticsPeriod, options: { nowMs: number; fetchImpl?: typeof fetch; signal?: AbortSignal }): Promise<AnalyticsData> {
  const f = options.fetchImpl ?? fetch;
  const q = periodQuery(period, options.nowMs).toString();
  const interval = period.days <= 2 ? 'hour' : period.days <= 60 ? 'day' : 'week';
  const [demand, keywords, agents, sentiment, staffing] = await Promise.all([
    getJson<DemandHeat>(f, `/api/analytics/demand?${q}&interval=${interval}`, options.signal),
    getJson<KeywordsReport>(f, `/api/analytics/keywords?${q}&role=customer&limit=40`, options.signal),
    getJson<AgentsReport>(f, `/api/analytics/agents?${q}`, options.signal),
    getJson<SentimentReport>(f, `/api/analytics/sentiment?${q}&interval=${interval}`, options.signal),
    getJson<StaffingReport>(f, `/api/analytics/staffing?${q}&intervalMin=60&serviceLevel=0.8&targetAnswerSec=20`, options.signal),
  ]);
  return { demand, keywords, agents, sentiment, staffing };
}
