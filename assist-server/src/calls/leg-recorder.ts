/**
 * Records one leg's audio for the archive. Audio stays in memory until it is *settled*: until the
 * recognizer has finalized every utterance that overlaps it (the session calls `settle(untilMs)`
 * after each final) or it is older than `maxUnsettledMs` (default 40 s, below the bridge's 60 s
 * resend buffer, so unsettled audio is always still held by the bridge). Only settled audio is appended to the
 * spool file, so the redaction step (PII issue) can silence PII word spans before any byte
 * reaches the disk. The archive job turns the spool into a WAV. While the spool cannot be written (disk
 * full) audio stays in memory, unacknowledged, up to MAX_HELD_WHILE_FAILING_MS a leg; older audio is
 * then dropped to a length only and written as silence once the disk is back.
 */
import { closeSync, ftruncateSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** The longest gap filled with silence; a larger jump in offsets is clamped (a bad peer cannot make us write hours of silence). */
const MAX_GAP_MS = 10 * 60_000;

/**
 * While the spool cannot be written (disk full), at most this much of a leg's audio is held in memory
 * (16 KB/s at 8 kHz: 4.8 MB a leg). Past it the oldest held audio loses its content but keeps its
 * length: it is written as silence once the disk is back, so later audio stays at its place on the call clock.
 */
export const MAX_HELD_WHILE_FAILING_MS = 5 * 60_000;

/** Zeros written for audio dropped while the spool was failing (shared, never written to). */
const SILENCE = new Int16Array(1 << 15);

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
   * unacknowledged, and is written by the next settle that succeeds (up to `maxHeldWhileFailingMs`).
   */
  onWriteError?: (err: Error) => void;
  /** While failing, audio held in memory beyond this is dropped to silence (oldest first). Default MAX_HELD_WHILE_FAILING_MS. */
  maxHeldWhileFailingMs?: number;
  /**
   * Audio was lost in a failure run: told once per run, when the run ends (the silence standing in for
   * it reached the spool, or the recorder closed while still failing), with how much. Without this
   * callback it is told to `onWriteError`, as an error with code 'EAUDIOLOST'.
   */
  onAudioLost?: (lostMs: number) => void;
}

/** 'settle': the owner decided this audio; 'overflow': the memory bound forced it out undecided. */
export type SettleReason = 'settle' | 'overflow';

export class LegRecorder {
  private readonly chunks: Int16Array[] = [];
  /** Samples held ahead of `chunks` whose content was dropped while failing: silence, held as a count only. */
  private droppedSamples = 0;
  /** Samples in memory (not yet settled): droppedSamples + the chunks' lengths. */
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
  private readonly maxHeldSamples: number;
  /** Samples whose content was lost (dropped while failing, or never written), in all and in the current failure run. */
  private lostSamples = 0;
  private runLostSamples = 0;

  constructor(private readonly options: LegRecorderOptions) {
    this.maxUnsettledSamples = Math.round(((options.maxUnsettledMs ?? 40_000) / 1000) * options.sampleRateHz);
    this.maxHeldSamples = Math.round(((options.maxHeldWhileFailingMs ?? MAX_HELD_WHILE_FAILING_MS) / 1000) * options.sampleRateHz);
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

  /** Audio content held in memory, in samples (dropped audio, held as a length only, not counted). */
  get heldSampleCount(): number {
    return this.bufferedSamples - this.droppedSamples;
  }

  /** Audio of this recorder whose content was lost to a failing spool (recorded as silence, or not at all). */
  get lostMs(): number {
    return (this.lostSamples / this.options.sampleRateHz) * 1000;
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
    if (this.failing) this.dropOverCap();
  }

  /** While failing: the oldest held audio past the cap keeps its length but not its content. */
  private dropOverCap(): void {
    let excess = this.heldSampleCount - this.maxHeldSamples;
    while (excess > 0 && this.chunks.length) {
      const head = this.chunks[0]!;
      const n = Math.min(excess, head.length);
      if (n === head.length) this.chunks.shift();
      else this.chunks[0] = head.slice(n); // a copy: the dropped part's memory goes
      this.droppedSamples += n;
      this.runLostSamples += n;
      this.lostSamples += n;
      excess -= n;
    }
  }

  /** A copy of audio still in memory (not yet settled) from `fromMs` to `toMs`, with the leg-clock time of its first sample; undefined when none of it is. */
  peek(fromMs: number, toMs: number): { pcm: Int16Array; startMs: number } | undefined {
    const rate = this.options.sampleRateHz;
    const from = Math.max(this.settledSamples, Math.floor((fromMs / 1000) * rate));
    const to = Math.min(this.totalSamples, Math.ceil((toMs / 1000) * rate));
    if (to <= from) return undefined;
    const out = new Int16Array(to - from); // dropped audio reads as the silence it will be written as
    let at = this.settledSamples + this.droppedSamples;
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
    if (this.failing && this.bufferedSamples > this.droppedSamples) {
      // still failing: what is held now is lost too (dropped audio is already counted)
      const unwritten = this.bufferedSamples - this.droppedSamples;
      this.runLostSamples += unwritten;
      this.lostSamples += unwritten;
    }
    if (this.failing) this.reportLost('missing from the end of the recording');
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
    while (remaining > 0 && this.droppedSamples > 0) {
      const take = Math.min(remaining, this.droppedSamples);
      try {
        this.writeSilence(take);
      } catch (err) {
        this.failed(err as Error);
        break;
      }
      this.succeeded();
      this.droppedSamples -= take;
      this.settledSamples += take;
      this.bufferedSamples -= take;
      this.preparedSamples = Math.max(this.preparedSamples, this.settledSamples);
      remaining -= take;
    }
    while (remaining > 0 && this.droppedSamples === 0 && this.chunks.length) {
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
        this.failed(err as Error);
        break;
      }
      this.succeeded();
      if (take === head.length) this.chunks.shift();
      else this.chunks[0] = head.slice(take);
      this.settledSamples += take;
      this.bufferedSamples -= take;
      remaining -= take;
    }
    if (this.failing) this.dropOverCap();
    this.options.onSettled?.(this.settledSamples);
  }

  private failed(err: Error): void {
    this.truncateToSettled(); // a write cut short by the full disk must not leave half a chunk behind
    if (!this.failing) this.options.onWriteError?.(err);
    this.failing = true;
  }

  private succeeded(): void {
    if (!this.failing) return;
    this.failing = false;
    this.reportLost('recorded as silence');
  }

  /** Tells (once per failure run) how much audio the run lost. */
  private reportLost(how: string): void {
    const lost = this.runLostSamples;
    this.runLostSamples = 0;
    if (lost <= 0) return;
    const lostMs = Math.round((lost / this.options.sampleRateHz) * 1000);
    if (this.options.onAudioLost) return this.options.onAudioLost(lostMs);
    const err: NodeJS.ErrnoException = new Error(`${lostMs} ms of call audio lost while the recording could not be written (memory held is capped at ${this.maxHeldSamples / this.options.sampleRateHz} s a leg): ${how}`);
    err.code = 'EAUDIOLOST';
    this.options.onWriteError?.(err);
  }

  private writeSilence(samples: number): void {
    for (let left = samples; left > 0; left -= SILENCE.length) this.write(left >= SILENCE.length ? SILENCE : SILENCE.subarray(0, left));
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
