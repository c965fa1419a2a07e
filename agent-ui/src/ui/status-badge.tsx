import type { ReactNode } from 'react';

export type StatusTone = 'good' | 'warn' | 'neutral' | 'error';

/** A small pill with a text label; the colour only repeats what the text says. */
export function StatusBadge({ tone, children, label }: { tone: StatusTone; children: ReactNode; label?: string }) {
  return (
    <span className={`status-badge status-${tone}`} aria-label={label}>
      <span className="status-dot" aria-hidden="true" />
      {children}
    </span>
  );
}
