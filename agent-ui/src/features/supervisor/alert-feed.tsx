/** Compliance warnings and escalations across all calls, newest first; new critical ones are announced. */
import type { SupervisorAlert } from '@earpiece/assist-server/protocol';
import { routeHref } from '../../shell/hash-route.ts';
import { StatusBadge } from '../../ui/status-badge.tsx';

const TONE = { critical: 'error', warning: 'warn', info: 'neutral' } as const;
const LABEL = { critical: 'Critical', warning: 'Warning', info: 'Note' } as const;

export interface AlertFeedProps {
  alerts: SupervisorAlert[];
  agentName: (agentId: string) => string;
  /** Calls still live (their alerts link to the read-only view). */
  liveCallIds: ReadonlySet<string>;
}

const time = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function AlertFeed({ alerts, agentName, liveCallIds }: AlertFeedProps) {
  const newest = [...alerts].reverse();
  return (
    <section className="wall-panel alert-feed" aria-labelledby="alert-feed-heading">
      <h2 id="alert-feed-heading" className="panel-heading">
        Alerts
      </h2>
      {newest.length === 0 ? (
        <p className="empty-state">No alerts.</p>
      ) : (
        <ol className="alert-list" aria-live="polite" aria-relevant="additions">
          {newest.map((alert) => (
            <li key={alert.alertId} className="alert-item" data-kind={alert.kind}>
              <p className="alert-title">
                <StatusBadge tone={TONE[alert.severity]}>{LABEL[alert.severity]}</StatusBadge> <strong>{alert.title}</strong>
              </p>
              <p className="small">{alert.message}</p>
              <p className="small muted">
                <time dateTime={new Date(alert.atMs).toISOString()}>{time(alert.atMs)}</time> ·{' '}
                {liveCallIds.has(alert.callId) ? (
                  <a href={routeHref({ screen: 'supervisor', callId: alert.callId })}>{agentName(alert.agentId)}</a>
                ) : (
                  <span>{agentName(alert.agentId)} (call ended)</span>
                )}
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
