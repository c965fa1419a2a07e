/**
 * Records one leg's audio for the archive. Audio stays in memory until it is *settled*: until the
 * recognizer has finalized every utterance that overlaps it (the session calls `settle(untilMs)`
 * after each final) or it is older than `maxUnsettledMs` (default 40 s, below the bridge's 60 s
 * resend buffer, so unsettled audio is always still held by the bridge). Only settled audio is appended to the
 * spool file, so the redaction step (PII issue) can silence PII word spans before any byte
 * reaches the disk. The archive job turns the spool into a WAV.
 */
import { closeSync, ftruncateSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** The longest gap filled with silence; a larger jump in offsets is clamped (a bad peer cannot make us write hours of silence). */
const MAX_GAP_MS = 10 * 60_000;

export interface LegRecorderOptions {
  spoolPath: string;
  sampleRateHz: number;
  /** Audio older than this is settled even without a final (bounds memory). Default 60 s. */
  maxUnsettledMs?: number;
  /** Transforms audio just before it is written (redaction): the chunk, its start sample, and why it is written now. */
  beforeWrite?: (pcm: Int16Array, startSample: number, reason: SettleReason) => void;
  /** Called after audio reached the spool, with the spool's total samples. */
  onSettled?: (settledSamples: number) => void;
  /** Samples already in the spool from before a restart; new audio continues after them. */
  existingSamples?: number;
  /**
   * The spool could not be written (disk full…): told once per failure run. The audio stays in memory,
   * unacknowledged, and is written by the next settle that succeeds.
   */
  onWriteError?: (err: Error) => void;
}

/** 'settle': the owner decided this audio; 'overflow': the memory bound forced it out undecided. */
export type SettleReason = 'settle' | 'overflow';

export class LegRecorder {
  private readonly chunks: Int16Array[] = [];
  private bufferedSamples = 0;
  /** Samples already written to the spool. */
  private settledSamples = 0;
  /** Samples received (written + buffered). */
  private totalSamples = 0;
  private fd: number | undefined;
  private closed = false;
  /** Samples already passed to beforeWrite (a write retried after a failure is not transformed twice). */
  private preparedSamples = 0;
  private failing = false;
  private readonly maxUnsettledSamples: number;

  constructor(private readonly options: LegRecorderOptions) {
    this.maxUnsettledSamples = Math.round(((options.maxUnsettledMs ?? 40_000) / 1000) * options.sampleRateHz);
    this.settledSamples = this.totalSamples = this.preparedSamples = options.existingSamples ?? 0;
  }

  /** Samples in the spool. */
  get settledSampleCount(): number {
    return this.settledSamples;
  }

  get durationMs(): number {
    return (this.totalSamples / this.options.sampleRateHz) * 1000;
  }

  get spoolPath(): string {
    return this.options.spoolPath;
  }

  /** Appends audio at `offsetSamples` on the leg clock; a gap is filled with silence, a repeat is ignored. */
  append(pcm: Int16Array, offsetSamples = this.totalSamples): void {
    if (this.closed) return;
    // A gap (lost packets, dropped frames) becomes silence of the same length, up to MAX_GAP_MS.
    let gap = Math.min(offsetSamples - this.totalSamples, (MAX_GAP_MS / 1000) * this.options.sampleRateHz);
    while (gap > 0) {
      const n = Math.min(gap, this.options.sampleRateHz);
      this.push(new Int16Array(n));
      gap -= n;
      this.bound();
    }
    const skip = Math.max(0, this.totalSamples - offsetSamples);
    if (skip >= pcm.length) return;
    this.push(skip ? pcm.subarray(skip) : pcm);
    this.bound();
  }

  private bound(): void {
    if (this.bufferedSamples > this.maxUnsettledSamples) this.settleSamples(this.totalSamples - this.maxUnsettledSamples, 'overflow');
  }

  /** A copy of audio still in memory (not yet settled) from `fromMs` to `toMs`, with the leg-clock time of its first sample; undefined when none of it is. */
  peek(fromMs: number, toMs: number): { pcm: Int16Array; startMs: number } | undefined {
    const rate = this.options.sampleRateHz;
    const from = Math.max(this.settledSamples, Math.floor((fromMs / 1000) * rate));
    const to = Math.min(this.totalSamples, Math.ceil((toMs / 1000) * rate));
    if (to <= from) return undefined;
    const out = new Int16Array(to - from);
    let at = this.settledSamples;
    for (const chunk of this.chunks) {
      const s = Math.max(from, at);
      const e = Math.min(to, at + chunk.length);
      if (e > s) out.set(chunk.subarray(s - at, e - at), s - from);
      at += chunk.length;
      if (at >= to) break;
    }
    return { pcm: out, startMs: (from / rate) * 1000 };
  }

  /** Writes audio up to `untilMs` (leg clock) to the spool. */
  settle(untilMs: number): void {
    this.settleSamples(Math.round((untilMs / 1000) * this.options.sampleRateHz));
  }

  /** Closes the spool without writing what is not settled yet (another node has taken the call over and continues it). */
  abandon(): void {
    this.closed = true;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /** Settles everything and closes the spool. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.settleSamples(this.totalSamples);
    this.closed = true;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private push(pcm: Int16Array): void {
    this.chunks.push(pcm.slice());
    this.bufferedSamples += pcm.length;
    this.totalSamples += pcm.length;
  }

  private settleSamples(until: number, reason: SettleReason = 'settle'): void {
    let remaining = Math.min(until, this.totalSamples) - this.settledSamples;
    if (remaining <= 0) return;
    while (remaining > 0 && this.chunks.length) {
      const head = this.chunks[0]!;
      const take = Math.min(remaining, head.length);
      const part = take === head.length ? head : head.slice(0, take);
      try {
        const fresh = this.preparedSamples - this.settledSamples; // samples of `part` already transformed
        if (fresh < take) this.options.beforeWrite?.(fresh > 0 ? part.subarray(fresh) : part, Math.max(this.settledSamples, this.preparedSamples), reason);
        this.preparedSamples = Math.max(this.preparedSamples, this.settledSamples + take);
        this.write(part);
      } catch (err) {
        // Kept in memory (transformed) and tried again by the next settle; not acknowledged meanwhile.
        if (part !== head) this.chunks[0] = concat(part, head.subarray(take)); // keep the transformed copy
        this.truncateToSettled(); // a write cut short by the full disk must not leave half a chunk behind
        if (!this.failing) this.options.onWriteError?.(err as Error);
        this.failing = true;
        break;
      }
      this.failing = false;
      if (take === head.length) this.chunks.shift();
      else this.chunks[0] = head.slice(take);
      this.settledSamples += take;
      this.bufferedSamples -= take;
      remaining -= take;
    }
    this.options.onSettled?.(this.settledSamples);
  }

  private truncateToSettled(): void {
    try {
      if (this.fd !== undefined) ftruncateSync(this.fd, this.settledSamples * 2);
    } catch {
      // the next successful write would misalign: nothing better to do than keep trying
    }
  }

  private write(pcm: Int16Array): void {
    if (this.fd === undefined) {
      mkdirSync(dirname(this.options.spoolPath), { recursive: true });
      this.fd = openSync(this.options.spoolPath, 'a');
    }
    const bytes = new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off);
  }
}

function concat(a: Int16Array, b: Int16Array): Int16Array {
  const out = new Int16Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
