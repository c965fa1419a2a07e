import { useEffect, useState } from 'react';
import { formatDuration } from '../../ui/format-duration.ts';

export interface CallTimerProps {
  startedAtMs: number;
  /** Server clock minus browser clock, so the timer matches the server's call start. */
  clockOffsetMs: number;
  /** Set once the call ended: the timer stops at this duration. */
  endedDurationMs: number | null;
}

/** Elapsed call time, ticking once a second while the call is live. */
export function CallTimer({ startedAtMs, clockOffsetMs, endedDurationMs }: CallTimerProps) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (endedDurationMs !== null) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [endedDurationMs]);
  const elapsedMs = endedDurationMs ?? now + clockOffsetMs - startedAtMs;
  return (
    <time className="call-timer" dateTime={`PT${Math.max(0, Math.floor(elapsedMs / 1000))}S`} aria-label="Call duration">
      {formatDuration(elapsedMs)}
    </time>
  );
}
