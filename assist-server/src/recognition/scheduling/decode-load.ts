/**
 * What the node's recognizers cost and how loaded the decode pool is. The admission control
 * (calls/admission-control.ts) reads it before opening a call; the health JSON shows it.
 *
 * - **Cost per leg** (what admission uses): slot busy ms of decoder calls per ms a leg is live, an
 *   EWMA over wall time (τ 60 s). Every live leg counts for all of its time, so a leg the voice
 *   gate keeps silent costs what it really costs (nearly nothing), and a call fed faster than real
 *   time costs what it takes from the slots.
 * - **Busy per decoded audio ms**: what the decoder costs per ms of audio it is actually given
 *   (the engine's real-time factor under this load), for the health JSON.
 * - **Queue wait** of decoder calls over a recent window, the oldest call waiting now, and slot
 *   utilization: how close the pool is to saturation.
 * - **Decode lag** over a recent window: per write, from the audio's arrival until its decode
 *   finished, the stream's own backlog included. Queue wait alone misses a node that is behind:
 *   each stream offers the pool one call at a time, so its backlog waits in the stream, and the
 *   cost per leg, measured from slot time, stops growing once the slots are full.
 *
 * Busy time is wall time a decoder call held a slot, on purpose: when other threads or processes
 * compete for the cores a slot delivers less decoding per second, and capacity should follow what
 * the slots deliver on this box now, not what decoding would need on an idle one (on a shared
 * 2-core box the figure doubled between load average 4 and 11).
 */
import { performance } from 'node:perf_hooks';
import { DecodeCost, LegMeter } from './decode-cost.ts';
import type { DecodePool, TaskTiming } from './decode-pool.ts';

export interface DecodeLoadOptions {
  /** EWMA horizon of the cost figures, wall ms (per decoded audio ms: audio ms). Default 60 s. */
  tauMs?: number;
  /** Cost per leg counts as measured once this much (decayed) leg time is behind it. Default 10 s. */
  measuredAfterMs?: number;
  /** Recent window for queue wait and utilization. Default 5 s. */
  windowMs?: number;
  /** Cost samples are taken at most this often (wall ms). Default 1 s. */
  sampleEveryMs?: number;
  /** Tests: the clock (ms). Default performance.now. */
  clock?: () => number;
}

export interface CostPerLeg {
  /** Slot busy ms per ms of a live leg, or undefined before enough leg time was measured. */
  measured: number | undefined;
  /** Leg ms behind the measurement (decayed). */
  weightMs: number;
  /** Busy ms per ms of audio the decoders were given (undefined before any). */
  perDecodedAudioMs: number | undefined;
}

export interface DecodeLoadSnapshot {
  slots: number;
  busySlots: number;
  queuedTasks: number;
  liveLegs: number;
  costPerLeg: CostPerLeg;
  /** Share of slot time busy over the recent window (0..1). */
  utilization: number;
  /** Queue wait of tasks that finished in the recent window; the oldest task waiting now. */
  queueWaitMs: { count: number; p50: number | null; p90: number | null; max: number | null; oldestWaitingMs: number };
  /** Arrival → decoded per write over the recent window (streams' backlog included). */
  decodeLagMs: { count: number; p50: number | null; p90: number | null; max: number | null };
}

export class DecodeLoad {
  private readonly measuredAfterMs: number;
  private readonly windowMs: number;
  private readonly sampleEveryMs: number;
  private readonly clock: () => number;
  /** Busy per leg ms (wall decay) and busy per decoded audio ms (audio decay). */
  private readonly perLeg: DecodeCost;
  private readonly perAudio: DecodeCost;
  private readonly legs = new Set<LegMeter>();
  /** Since the last sample: decoder busy ms, and leg ms (live legs × wall ms, integrated). */
  private busyAcc = 0;
  private legMsAcc = 0;
  /** Wall ms with at least one leg live (only that time ages the cost figure: idle hours do not). */
  private activeMsAcc = 0;
  private legsCountedTo: number;
  private sampledAt: number;
  /** Finished tasks in the recent window: end time, wait, busy. */
  private readonly recent: Array<{ at: number; waitMs: number; busyMs: number }> = [];
  /** Decode lags in the recent window: time recorded, lag. */
  private readonly lags: Array<{ at: number; lagMs: number }> = [];

  constructor(
    readonly pool: DecodePool,
    options: DecodeLoadOptions = {},
  ) {
    const tauMs = options.tauMs ?? 60_000;
    this.measuredAfterMs = options.measuredAfterMs ?? 10_000;
    this.windowMs = options.windowMs ?? 5_000;
    this.sampleEveryMs = options.sampleEveryMs ?? 1000;
    this.clock = options.clock ?? (() => performance.now());
    this.perLeg = new DecodeCost(tauMs);
    this.perAudio = new DecodeCost(tauMs);
    this.legsCountedTo = this.sampledAt = this.clock();
    pool.onTask((timing) => this.onTask(timing));
  }

  get slots(): number {
    return this.pool.slots;
  }

  /** A new leg (decoder) to meter; close() it when the decoder is freed. */
  openLeg(): LegMeter {
    this.countLegTime(this.clock());
    const leg = new LegMeter({
      legBusy: (busyMs, audioMs) => {
        this.busyAcc += busyMs;
        if (audioMs > 0 || busyMs > 0) this.perAudio.add(busyMs, audioMs);
        this.sample(this.clock());
      },
      legClosed: (l) => {
        this.countLegTime(this.clock());
        this.legs.delete(l);
      },
    });
    this.legs.add(leg);
    return leg;
  }

  get liveLegs(): number {
    return this.legs.size;
  }

  costPerLeg(): CostPerLeg {
    this.sample(this.clock());
    const ratio = this.perLeg.ratio;
    const weightMs = this.perLeg.weightMs;
    return {
      measured: weightMs >= this.measuredAfterMs ? ratio : undefined,
      weightMs: Math.round(weightMs),
      perDecodedAudioMs: this.perAudio.ratio,
    };
  }

  snapshot(): DecodeLoadSnapshot {
    const now = this.clock();
    this.prune(now);
    const waits = this.recent.map((r) => r.waitMs).sort((a, b) => a - b);
    const at = (q: number) => (waits.length ? round(waits[Math.min(waits.length - 1, Math.ceil(q * waits.length) - 1)]!) : null);
    const busy = this.recent.reduce((s, r) => s + r.busyMs, 0);
    const lags = this.lags.map((l) => l.lagMs).sort((a, b) => a - b);
    const lagAt = (q: number) => (lags.length ? round(lags[Math.min(lags.length - 1, Math.ceil(q * lags.length) - 1)]!) : null);
    return {
      slots: this.pool.slots,
      busySlots: this.pool.busySlots,
      queuedTasks: this.pool.queued,
      liveLegs: this.legs.size,
      costPerLeg: this.costPerLeg(),
      utilization: round(Math.min(1, busy / (this.windowMs * this.pool.slots)), 3),
      queueWaitMs: { count: waits.length, p50: at(0.5), p90: at(0.9), max: waits.length ? round(waits[waits.length - 1]!) : null, oldestWaitingMs: round(this.pool.oldestWaitingMs()) },
      decodeLagMs: { count: lags.length, p50: lagAt(0.5), p90: lagAt(0.9), max: lags.length ? round(lags[lags.length - 1]!) : null },
    };
  }

  /** One write's arrival → decoded time (RecognitionStream, through the engine's observeDecodeLag). */
  recordLag(lagMs: number): void {
    const now = this.clock();
    this.lags.push({ at: now, lagMs });
    if (this.lags.length > 8192) this.prune(now);
  }

  private countLegTime(now: number): void {
    const elapsed = Math.max(0, now - this.legsCountedTo);
    this.legMsAcc += this.legs.size * elapsed;
    if (this.legs.size > 0) this.activeMsAcc += elapsed;
    this.legsCountedTo = now;
  }

  /** Folds what accumulated since the last sample into the EWMAs, at most every sampleEveryMs. */
  private sample(now: number): void {
    const span = now - this.sampledAt;
    if (span < this.sampleEveryMs) return;
    this.countLegTime(now);
    if (this.legMsAcc > 0 || this.busyAcc > 0) this.perLeg.add(this.busyAcc, this.legMsAcc, this.activeMsAcc);
    this.busyAcc = 0;
    this.legMsAcc = 0;
    this.activeMsAcc = 0;
    this.sampledAt = now;
  }

  private onTask(timing: TaskTiming): void {
    const now = this.clock();
    this.recent.push({ at: now, waitMs: timing.waitMs, busyMs: timing.busyMs });
    if (this.recent.length > 4096) this.prune(now);
  }

  private prune(now: number): void {
    const cutoff = now - this.windowMs;
    let drop = 0;
    while (drop < this.recent.length && this.recent[drop]!.at < cutoff) drop++;
    if (drop) this.recent.splice(0, drop);
    if (this.recent.length > 4096) this.recent.splice(0, this.recent.length - 4096);
    let dropLags = 0;
    while (dropLags < this.lags.length && this.lags[dropLags]!.at < cutoff) dropLags++;
    if (dropLags) this.lags.splice(0, dropLags);
    if (this.lags.length > 8192) this.lags.splice(0, this.lags.length - 8192);
  }
}

function round(v: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
