/**
 * Live calls on the wall: agent, duration (ticking), intent, emotion and warnings per call, longest
 * running first. The agent's name links to a read-only view of the call.
 */
import { useEffect, useState } from 'react';
import type { LiveCallRollup } from '@earpiece/assist-server/protocol';
import { routeHref } from '../../shell/hash-route.ts';
import { formatDuration } from '../../ui/format-duration.ts';
import { StatusBadge } from '../../ui/status-badge.tsx';
import { intentLabel } from '../customer-insight/customer-insight.tsx';

const EMOTION_TONE = { angry: 'error', frustrated: 'warn', sad: 'warn', confused: 'warn', neutral: 'neutral', satisfied: 'good' } as const;

export interface LiveCallsTableProps {
  calls: LiveCallRollup[];
  agentName: (agentId: string) => string;
  clockOffsetMs: number;
  /** The call open in the read-only view, if any. */
  selectedCallId: string | null;
}

/** Now on the server's clock, once a second. */
function useServerNow(clockOffsetMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now + clockOffsetMs;
}

export function LiveCallsTable({ calls, agentName, clockOffsetMs, selectedCallId }: LiveCallsTableProps) {
  const now = useServerNow(clockOffsetMs);
  return (
    <section className="wall-panel" aria-labelledby="live-calls-heading">
      <h2 id="live-calls-heading" className="panel-heading">
        Live calls <span className="panel-heading-note">· {calls.length}</span>
      </h2>
      {calls.length === 0 ? (
        <p className="empty-state">No calls right now.</p>
      ) : (
        <table className="live-calls">
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col">Duration</th>
              <th scope="col">Intent</th>
              <th scope="col">Customer</th>
              <th scope="col">Warnings</th>
            </tr>
          </thead>
          <tbody>
            {calls.map((call) => (
              <tr
                key={call.callId}
                data-call-id={call.callId}
                className={call.callId === selectedCallId ? 'selected' : undefined}
                aria-current={call.callId === selectedCallId ? 'true' : undefined}
                onClick={() => (window.location.hash = routeHref({ screen: 'supervisor', callId: call.callId }))}
              >
                <th scope="row">
                  <a href={routeHref({ screen: 'supervisor', callId: call.callId })} aria-label={`Watch the call of ${agentName(call.agentId)}`}>
                    {agentName(call.agentId)}
                  </a>
                  {call.held && (
                    <>
                      {' '}
                      <StatusBadge tone="warn">On hold</StatusBadge>
                    </>
                  )}
                </th>
                <td>
                  <time className="call-timer" dateTime={`PT${Math.max(0, Math.floor((now - call.startedAtMs) / 1000))}S`}>
                    {formatDuration(now - call.startedAtMs)}
                  </time>
                </td>
                <td>{call.intent ? `${intentLabel(call.intent.label)} (${Math.round(call.intent.confidence * 100)}%)` : <span className="muted">—</span>}</td>
                <td>{call.emotion ? <StatusBadge tone={EMOTION_TONE[call.emotion.label]}>{call.emotion.label}</StatusBadge> : <span className="muted">—</span>}</td>
                <td data-testid="warnings">
                  {call.warnings === 0 && call.escalations === 0 ? (
                    <span className="muted">None</span>
                  ) : (
                    <StatusBadge tone={call.criticalWarnings > 0 || call.escalations > 0 ? 'error' : 'warn'}>
                      {call.warnings} {call.warnings === 1 ? 'warning' : 'warnings'}
                      {call.criticalWarnings > 0 ? `, ${call.criticalWarnings} critical` : ''}
                      {call.escalations > 0 ? `, escalating` : ''}
                    </StatusBadge>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
