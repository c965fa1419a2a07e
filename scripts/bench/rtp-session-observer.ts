/**
 * Benchmark instrumentation: keeps a reference to every RtpSession the bridge opens in this
 * process (by wrapping the static RtpSession.open factory, read-only: sessions are not touched),
 * so the benchmark can read each session's `stats` (received/lost/late, jitter-buffer delay
 * p50/p95) after its call ended. The sources keep their sessions private.
 */
import { RtpSession, type RtpSessionStats } from '../../telephony-bridge/src/sources/rtp/rtp-session.ts';

export interface RtpTotals {
  sessions: number;
  packetsReceived: number;
  packetsLost: number;
  packetsLate: number;
  packetsDuplicate: number;
  packetsRejected: number;
  concealedSamples: number;
  /** Per-session jitter-buffer delay percentiles, summarized over sessions. */
  jitterDelayMs: { p50Median: number | null; p95Median: number | null; p95Max: number | null };
}

export function observeRtpSessions(): { totals(): RtpTotals; stop(): void } {
  const sessions: RtpSession[] = [];
  const original = RtpSession.open;
  RtpSession.open = async (options) => {
    const session = await original.call(RtpSession, options);
    sessions.push(session);
    return session;
  };
  return {
    stop: () => void (RtpSession.open = original),
    totals: () => summarize(sessions.map((s) => s.stats)),
  };
}

function summarize(stats: RtpSessionStats[]): RtpTotals {
  const sum = (k: 'packetsReceived' | 'packetsLost' | 'packetsLate' | 'packetsDuplicate' | 'packetsRejected' | 'concealedSamples') => stats.reduce((n, s) => n + s[k], 0);
  const p50 = stats.map((s) => s.jitterDelayMs.p50).filter((v): v is number => v !== null);
  const p95 = stats.map((s) => s.jitterDelayMs.p95).filter((v): v is number => v !== null);
  return {
    sessions: stats.length,
    packetsReceived: sum('packetsReceived'),
    packetsLost: sum('packetsLost'),
    packetsLate: sum('packetsLate'),
    packetsDuplicate: sum('packetsDuplicate'),
    packetsRejected: sum('packetsRejected'),
    concealedSamples: sum('concealedSamples'),
    jitterDelayMs: { p50Median: median(p50), p95Median: median(p95), p95Max: p95.length ? round(Math.max(...p95)) : null },
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.floor(sorted.length / 2)]!);
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
