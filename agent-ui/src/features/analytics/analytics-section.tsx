/**
 * The supervisor wall's analytics: demand heat, keywords, agent tiers, sentiment and staffing over the
 * last 7, 30 or 90 days. Loaded lazily by the wall (its own chunk), fetched when shown.
 */
import { useEffect, useState } from 'react';
import { AgentTiersTable } from './agent-tiers-table.tsx';
import { fetchAnalytics, localTzOffsetMin, type AnalyticsData } from './analytics-api.ts';
import { DemandHeatTable } from './demand-heat-table.tsx';
import { SentimentTrendList } from './sentiment-trend-list.tsx';
import { StaffingTable } from './staffing-table.tsx';
import { WordCloud } from './word-cloud.tsx';
import './analytics.css';

const PERIODS = [7, 30, 90] as const;

export interface AnalyticsSectionProps {
  agentName: (agentId: string) => string;
  fetchImpl?: typeof fetch;
  now?: () => number;
  tzOffsetMin?: number;
}

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; data: AnalyticsData };

export default function AnalyticsSection({ agentName, fetchImpl, now = Date.now, tzOffsetMin = localTzOffsetMin() }: AnalyticsSectionProps) {
  const [days, setDays] = useState<number>(30);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  useEffect(() => {
    const abort = new AbortController();
    setLoad({ state: 'loading' });
    fetchAnalytics({ days, tzOffsetMin }, { nowMs: now(), fetchImpl, signal: abort.signal }).then(
      (data) => setLoad({ state: 'ready', data }),
      (err: Error) => !abort.signal.aborted && setLoad({ state: 'error', message: err.message }),
    );
    return () => abort.abort();
    // now and fetchImpl are fixed for the life of the wall
  }, [days, tzOffsetMin]);

  return (
    <section className="wall-panel analytics" aria-labelledby="analytics-heading">
      <div className="analytics-top">
        <h2 id="analytics-heading" className="panel-heading">
          Analytics
        </h2>
        <label>
          Period{' '}
          <select value={days} onChange={(e) => setDays(Number(e.target.value))} aria-label="Analytics period">
            {PERIODS.map((d) => (
              <option key={d} value={d}>
                last {d} days
              </option>
            ))}
          </select>
        </label>
      </div>
      {load.state === 'loading' && <p className="muted">Loading analytics…</p>}
      {load.state === 'error' && (
        <p className="notice notice-error" role="alert">
          Analytics unavailable: {load.message}
        </p>
      )}
      {load.state === 'ready' &&
        (load.data.demand.calls === 0 ? (
          <p className="muted" data-testid="analytics-empty">
            No analysed calls in the last {days} days: figures appear once calls have been through post-call processing.
          </p>
        ) : (
          <div className="analytics-grid">
            <DemandHeatTable demand={load.data.demand} />
            <WordCloud keywords={load.data.keywords.keywords} />
            <AgentTiersTable report={load.data.agents} agentName={agentName} />
            <SentimentTrendList sentiment={load.data.sentiment} />
            <StaffingTable staffing={load.data.staffing} />
          </div>
        ))}
    </section>
  );
}
