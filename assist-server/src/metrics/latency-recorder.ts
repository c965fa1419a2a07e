/** Keeps the most recent latency samples (bounded) and summarizes them as percentiles. */
export interface LatencySummary {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

export class LatencyRecorder {
  private readonly samples: number[] = [];
  private total = 0;

  constructor(private readonly capacity = 100_000) {}

  record(ms: number): void {
    if (!Number.isFinite(ms)) return;
    if (this.samples.length >= this.capacity) this.samples[this.total % this.capacity] = ms;
    else this.samples.push(ms);
    this.total++;
  }

  reset(): void {
    this.samples.length = 0;
    this.total = 0;
  }

  summary(): LatencySummary {
    if (this.samples.length === 0) return { count: 0, p50: null, p95: null, p99: null, max: null };
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
    return { count: this.total, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: round(sorted[sorted.length - 1]!) };
  }
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
