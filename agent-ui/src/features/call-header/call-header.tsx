import type { ReactNode } from 'react';
import type { ConnectionStatus as Status } from '../../connection/assist-socket.ts';
import type { CallState } from '../../state/call-reducer.ts';
import { StatusBadge } from '../../ui/status-badge.tsx';
import { CallTimer } from './call-timer.tsx';
import { ConnectionStatus } from './connection-status.tsx';

export interface CallHeaderProps {
  call: CallState | null;
  status: Status;
  clockOffsetMs: number;
  /** Extra controls at the end of the bar (e.g. switch agent). */
  actions?: ReactNode;
}

/** Caller (masked by the server), call timer and connection state. */
export function CallHeader({ call, status, clockOffsetMs, actions }: CallHeaderProps) {
  const caller = call?.summary?.callerNumber ?? (call ? 'Unknown caller' : null);
  return (
    <header className="call-header">
      <div className="call-identity">
        {call ? (
          <>
            <span className="caller" data-testid="caller">
              {caller}
            </span>
            {call.summary && (
              <CallTimer
                startedAtMs={call.summary.startedAtMs}
                clockOffsetMs={clockOffsetMs}
                endedDurationMs={call.ended ? (call.end?.durationMs ?? call.lastEventAtMs - call.summary.startedAtMs) : null}
              />
            )}
            {call.ended ? (
              <StatusBadge tone="neutral">Call ended</StatusBadge>
            ) : call.held ? (
              <StatusBadge tone="warn">On hold</StatusBadge>
            ) : (
              <StatusBadge tone="good">On call</StatusBadge>
            )}
          </>
        ) : (
          <span className="caller muted">No active call</span>
        )}
      </div>
      <div className="call-header-actions">
        <ConnectionStatus status={status} />
        {actions}
      </div>
    </header>
  );
}
