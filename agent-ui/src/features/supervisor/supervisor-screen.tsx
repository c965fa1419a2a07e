/**
 * The supervisor wall (`#/supervisor`, `#/supervisor/<callId>`): live calls updating in real time,
 * the alert feed, a read-only view of one call, and the analytics section (features/analytics).
 */
import { lazy, Suspense, useMemo } from 'react';
import { ConnectionStatus } from '../call-header/connection-status.tsx';
import { useHashRoute } from '../../shell/hash-route.ts';
import { AlertFeed } from './alert-feed.tsx';
import { LiveCallsTable } from './live-calls-table.tsx';
import { useAgentNames } from './use-agent-names.ts';
import { useSupervisorWall } from './use-supervisor-wall.ts';
import { WatchedCallView } from './watched-call-view.tsx';
import { liveCallRows } from './wall-state.ts';
import { formatDuration } from '../../ui/format-duration.ts';
import './supervisor.css';

// Analytics is its own chunk: the wall's live part does not wait for it.
const AnalyticsSection = lazy(() => import('../analytics/analytics-section.tsx'));

export function SupervisorScreen() {
  const route = useHashRoute();
  const watching = route.screen === 'supervisor' ? route.callId : null;
  const { state, status, clockOffsetMs } = useSupervisorWall();
  const agentName = useAgentNames();
  const calls = useMemo(() => liveCallRows(state), [state]);
  const liveIds = useMemo(() => new Set(calls.map((c) => c.callId)), [calls]);

  return (
    <div className="supervisor">
      <header className="supervisor-top">
        <h1>Supervisor wall</h1>
        <ConnectionStatus status={status} />
      </header>
      {state.lastError && (
        <p className="notice notice-error" role="alert">
          Server error {state.lastError.code}: {state.lastError.message}
        </p>
      )}
      <div className="supervisor-main">
        <div className="supervisor-primary">
          {watching ? (
            <WatchedCallView key={watching} callId={watching} agentName={agentName} />
          ) : (
            <LiveCallsTable calls={calls} agentName={agentName} clockOffsetMs={clockOffsetMs} selectedCallId={watching} />
          )}
          {state.ended.length > 0 && (
            <section className="wall-panel" aria-labelledby="ended-heading">
              <h2 id="ended-heading" className="panel-heading">
                Ended recently
              </h2>
              <ul className="ended-list">
                {state.ended.map((e) => (
                  <li key={e.callId} data-call-id={e.callId}>
                    {agentName(e.agentId)} · {formatDuration(e.durationMs)} · <span className="muted">{e.reason}</span>
                  </li>
                ))}
              </ul>
            </section>
          )}
          <Suspense fallback={<p className="muted">Loading analytics…</p>}>
            <AnalyticsSection agentName={agentName} />
          </Suspense>
        </div>
        <aside className="supervisor-side" aria-label="Alert feed">
          <AlertFeed alerts={state.alerts} agentName={agentName} liveCallIds={liveIds} />
        </aside>
      </div>
    </div>
  );
}
