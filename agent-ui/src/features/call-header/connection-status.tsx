import type { ConnectionStatus as Status } from '../../connection/assist-socket.ts';
import { StatusBadge } from '../../ui/status-badge.tsx';

const VIEW = {
  connecting: { tone: 'neutral', text: 'Connecting…' },
  live: { tone: 'good', text: 'Live' },
  reconnecting: { tone: 'warn', text: 'Reconnecting…' },
} as const;

/** Connection state of the assist socket, announced politely when it changes. */
export function ConnectionStatus({ status }: { status: Status }) {
  const view = VIEW[status];
  return (
    <span role="status" className="connection-status" data-status={status}>
      <StatusBadge tone={view.tone} label={`Connection: ${view.text}`}>
        {view.text}
      </StatusBadge>
    </span>
  );
}
