/**
 * RTP jitter buffer for one received stream: pure logic, the clock is passed in (`nowMs`).
 *
 * - Reorders by sequence number (16-bit wraparound) and releases in order. A packet in order is
 *   released at once; when one is missing, the packets behind it wait at most `jitterDelayMs`
 *   (counted from the arrival of the oldest waiting one), then the missing ones are given up
 *   (counted lost) and concealed with silence whose length comes from the RTP timestamps (a lost
 *   20 ms G.711 packet = 160 samples). A stream's first packet is held `jitterDelayMs` too, so a
 *   packet that overtook the first one is still put in order.
 * - Duplicates are dropped (counted); packets behind the play-out point are dropped (late, or
 *   duplicate when that sequence number was already played).
 * - Output is on one continuous clock (`offsetSamples`, samples since the first packet). An SSRC
 *   change is a new stream: what the old one holds is flushed, the new one is anchored at the
 *   current end of the output. A jump of `maxDropout` sequence numbers in the same SSRC is taken as
 *   a restart only when the next packet confirms it (RFC 3550 A.1 probation).
 * - Timestamps are trusted only as far as the wall clock agrees: a gap longer than the time that
 *   passed between arrivals (+ `maxTimestampSkewMs`), or a timestamp going backwards, re-anchors
 *   instead (counted as timestampJumps). Gaps up to `maxConcealMs` are sent as zeros; longer ones
 *   (silence suppression, hold) only advance `offsetSamples` (the sink fills them).
 * - Memory is bounded: at most `maxPackets` waiting; beyond that the oldest gap is given up at once.
 */

export interface JitterEntry {
  ssrc: number;
  sequenceNumber: number;
  timestamp: number;
  /** Decoded audio; null for a packet that takes a sequence number but carries no audio (telephone-event). */
  pcm: Int16Array | null;
}

export interface JitterFrame {
  pcm: Int16Array;
  /** Position of the first sample on the output clock. */
  offsetSamples: number;
  /** True for silence standing in for lost packets. */
  concealed: boolean;
}

export interface JitterBufferOptions {
  jitterDelayMs?: number;
  clockRateHz?: number;
  maxPackets?: number;
  maxConcealMs?: number;
  maxTimestampSkewMs?: number;
  maxDropout?: number;
  maxMisorder?: number;
}

export interface JitterStats {
  lost: number;
  late: number;
  duplicate: number;
  ssrcChanges: number;
  resyncs: number;
  timestampJumps: number;
  concealedSamples: number;
}

interface Pending extends JitterEntry {
  arrivedAt: number;
}

interface Stream {
  ssrc: number;
  nextSeq: number;
  anchorTs: number;
  anchorOffset: number;
  released: number;
  startedAt: number;
  lastAudioArrival: number;
}

const int16 = (x: number): number => (x << 16) >> 16;
const int32 = (x: number): number => x | 0;
const PLAYED_RING = 128;
const DELAY_RING = 1024;
const MAX_RETIRED = 8;

export class JitterBuffer {
  readonly stats: JitterStats = { lost: 0, late: 0, duplicate: 0, ssrcChanges: 0, resyncs: 0, timestampJumps: 0, concealedSamples: 0 };
  readonly #delayMs: number;
  readonly #rate: number;
  readonly #maxPackets: number;
  readonly #maxConceal: number;
  readonly #skewMs: number;
  readonly #maxDropout: number;
  readonly #maxMisorder: number;
  #stream: Stream | null = null;
  readonly #pending = new Map<number, Pending>();
  #probation: Pending | null = null;
  /** SSRCs replaced by a newer one → their next sequence number, so their stragglers count as late. */
  readonly #retired = new Map<number, number>();
  readonly #played = new Int32Array(PLAYED_RING).fill(-1);
  #nextOffset = 0;
  #now = 0;
  readonly #delays = new Float64Array(DELAY_RING);
  #delayCount = 0;

  constructor(options: JitterBufferOptions = {}) {
    this.#delayMs = options.jitterDelayMs ?? 60;
    this.#rate = options.clockRateHz ?? 8000;
    this.#maxPackets = Math.max(1, options.maxPackets ?? 500);
    this.#maxConceal = Math.round(((options.maxConcealMs ?? 1000) * this.#rate) / 1000);
    this.#skewMs = options.maxTimestampSkewMs ?? 1000;
    this.#maxDropout = options.maxDropout ?? 3000;
    this.#maxMisorder = Math.min(options.maxMisorder ?? 100, PLAYED_RING - 1);
  }

  /** Samples emitted so far (the end of the output clock). */
  get endOffset(): number {
    return this.#nextOffset;
  }

  /** Packets waiting for a missing one. */
  get waiting(): number {
    return this.#pending.size;
  }

  /** Takes one packet; returns the frames it lets out, in order. */
  push(entry: JitterEntry, nowMs: number): JitterFrame[] {
    this.#now = nowMs;
    const out: JitterFrame[] = [];
    const p: Pending = { ...entry, arrivedAt: nowMs };
    const s = this.#stream;
    if (!s) {
      this.#anchor(p);
    } else if (p.ssrc !== s.ssrc) {
      const retiredNext = this.#retired.get(p.ssrc);
      if (retiredNext !== undefined) {
        const d = int16(p.sequenceNumber - retiredNext);
        if (d < 0 && d >= -this.#maxMisorder) {
          this.stats.late++;
          return out;
        }
        this.#retired.delete(p.ssrc);
      }
      this.#drain(out, true);
      this.#retire(s);
      this.stats.ssrcChanges++;
      this.#anchor(p);
    } else {
      const d = int16(p.sequenceNumber - s.nextSeq);
      if (d < 0 && d >= -this.#maxMisorder) {
        if (s.released > 0) {
          if (this.#played[p.sequenceNumber % PLAYED_RING] === p.sequenceNumber) this.stats.duplicate++;
          else this.stats.late++;
          return out;
        }
        // Overtook by the stream's first packet, which is still held: start the stream here.
        s.nextSeq = p.sequenceNumber;
        s.anchorTs = p.timestamp;
      } else if (d >= this.#maxDropout || d < -this.#maxMisorder) {
        const prev = this.#probation;
        if (!prev || prev.ssrc !== p.ssrc || ((prev.sequenceNumber + 1) & 0xffff) !== p.sequenceNumber) {
          if (prev) this.stats.late++;
          this.#probation = p;
          return out;
        }
        // Two packets in a row confirm the jump: the sender restarted its sequence.
        this.#probation = null;
        this.#drain(out, true);
        this.stats.resyncs++;
        this.#anchor(prev);
        this.#pending.set(prev.sequenceNumber, prev);
      }
    }
    if (this.#pending.has(p.sequenceNumber)) this.stats.duplicate++;
    else this.#pending.set(p.sequenceNumber, p);
    this.#drain(out, false);
    return out;
  }

  /** Releases what has waited long enough by `nowMs`. */
  poll(nowMs: number): JitterFrame[] {
    this.#now = nowMs;
    const out: JitterFrame[] = [];
    this.#drain(out, false);
    return out;
  }

  /** Releases everything held, in order (end of call). */
  flush(): JitterFrame[] {
    const out: JitterFrame[] = [];
    this.#drain(out, true);
    if (this.#probation) {
      this.stats.late++;
      this.#probation = null;
    }
    return out;
  }

  /** When `poll` should next be called (ms on the caller's clock), or null when nothing waits. */
  nextDeadline(): number | null {
    const s = this.#stream;
    if (!s || this.#pending.size === 0) return null;
    if (s.released === 0) return s.startedAt + this.#delayMs;
    let oldest = Infinity;
    for (const q of this.#pending.values()) oldest = Math.min(oldest, q.arrivedAt);
    return oldest + this.#delayMs;
  }

  /** Output-clock position (samples) of an RTP timestamp of the current stream; null for another SSRC. */
  offsetOf(ssrc: number, timestamp: number): number | null {
    const s = this.#stream;
    if (!s || s.ssrc !== ssrc) return null;
    return Math.max(0, s.anchorOffset + int32(timestamp - s.anchorTs));
  }

  /** Time packets spent waiting in the buffer (last 1024 audio packets), ms. */
  delayPercentiles(): { p50: number | null; p95: number | null } {
    const n = Math.min(this.#delayCount, DELAY_RING);
    if (n === 0) return { p50: null, p95: null };
    const sorted = Array.from(this.#delays.subarray(0, n)).sort((a, b) => a - b);
    const at = (q: number): number => sorted[Math.min(n - 1, Math.ceil(q * n) - 1)]!;
    return { p50: at(0.5), p95: at(0.95) };
  }

  #anchor(p: Pending): void {
    this.#stream = {
      ssrc: p.ssrc,
      nextSeq: p.sequenceNumber,
      anchorTs: p.timestamp,
      anchorOffset: this.#nextOffset,
      released: 0,
      startedAt: p.arrivedAt,
      lastAudioArrival: p.arrivedAt,
    };
    this.#played.fill(-1);
  }

  #retire(s: Stream): void {
    this.#retired.set(s.ssrc, s.nextSeq);
    if (this.#retired.size > MAX_RETIRED) this.#retired.delete(this.#retired.keys().next().value!);
  }

  #drain(out: JitterFrame[], force: boolean): void {
    const s = this.#stream;
    if (!s) return;
    const full = (): boolean => this.#pending.size >= this.#maxPackets;
    if (!force && !full() && s.released === 0 && this.#now < s.startedAt + this.#delayMs) return;
    for (;;) {
      const head = this.#pending.get(s.nextSeq);
      if (head) {
        this.#pending.delete(s.nextSeq);
        this.#release(s, head, out);
        continue;
      }
      if (this.#pending.size === 0) return;
      if (!force && !full()) {
        const deadline = this.nextDeadline();
        if (deadline !== null && this.#now < deadline) return;
      }
      // Give up on the missing packets before the lowest one waiting.
      let lowest = Infinity;
      for (const q of this.#pending.values()) lowest = Math.min(lowest, int16(q.sequenceNumber - s.nextSeq));
      this.stats.lost += lowest;
      s.nextSeq = (s.nextSeq + lowest) & 0xffff;
    }
  }

  #release(s: Stream, p: Pending, out: JitterFrame[]): void {
    s.released++;
    s.nextSeq = (p.sequenceNumber + 1) & 0xffff;
    this.#played[p.sequenceNumber % PLAYED_RING] = p.sequenceNumber;
    if (!p.pcm || p.pcm.length === 0) return;
    let gap = s.anchorOffset + int32(p.timestamp - s.anchorTs) - this.#nextOffset;
    const plausible = ((p.arrivedAt - s.lastAudioArrival + this.#skewMs) * this.#rate) / 1000;
    if (gap < 0 || gap > plausible) {
      this.stats.timestampJumps++;
      gap = 0;
    }
    if (gap > 0) {
      if (gap <= this.#maxConceal) {
        out.push({ pcm: new Int16Array(gap), offsetSamples: this.#nextOffset, concealed: true });
        this.stats.concealedSamples += gap;
      }
      this.#nextOffset += gap;
    }
    out.push({ pcm: p.pcm, offsetSamples: this.#nextOffset, concealed: false });
    s.anchorTs = p.timestamp;
    s.anchorOffset = this.#nextOffset;
    s.lastAudioArrival = p.arrivedAt;
    this.#nextOffset += p.pcm.length;
    this.#delays[this.#delayCount++ % DELAY_RING] = this.#now - p.arrivedAt;
  }
}
