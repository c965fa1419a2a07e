/**
 * Cost figures of recognition, as time-weighted EWMAs of a ratio (busy ms over some ms).
 *
 * {@link DecodeCost} keeps decayed sums of both sides; each sample decays what came before by
 * e^(-Δ/τ), Δ being the sample's own span (audio ms, or wall ms), so the figure follows the last
 * ~τ whatever the sampling rhythm.
 */
export class DecodeCost {
  private busyMs = 0;
  private baseMs = 0;

  constructor(private readonly tauMs: number) {}

  /** `busyMs` spent over `baseMs` (audio or leg time); `spanMs` (default baseMs) is how far time moved. */
  add(busyMs: number, baseMs: number, spanMs = baseMs): void {
    const keep = spanMs > 0 ? Math.exp(-spanMs / this.tauMs) : 1;
    this.busyMs = this.busyMs * keep + busyMs;
    this.baseMs = this.baseMs * keep + baseMs;
  }

  /** Busy ms per base ms; undefined before any base time. */
  get ratio(): number | undefined {
    return this.baseMs > 0 ? this.busyMs / this.baseMs : undefined;
  }

  /** The (decayed) base ms behind {@link ratio}. */
  get weightMs(): number {
    return this.baseMs;
  }
}

/** One leg's decoder, as the load model sees it: its busy time and the audio its decoder was given. */
export class LegMeter {
  /** Audio ms this leg's decoder was given, and the slot busy ms it used (totals). */
  audioFedMs = 0;
  busyMs = 0;
  private closed = false;

  constructor(private readonly sink: { legBusy(busyMs: number, audioMs: number): void; legClosed(leg: LegMeter): void }) {}

  /** A decoder call held a slot `busyMs` for `audioMs` of audio (0 for finish()). */
  record(busyMs: number, audioMs: number): void {
    this.busyMs += busyMs;
    this.audioFedMs += audioMs;
    this.sink.legBusy(busyMs, audioMs);
  }

  /** The decoder was freed. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sink.legClosed(this);
  }
}
