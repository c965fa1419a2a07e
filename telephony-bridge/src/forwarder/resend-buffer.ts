/**
 * One leg's unacknowledged audio frames, oldest first, kept for resending after a reconnect.
 * Bounded by audio duration: past `maxSamples` the oldest frames are dropped (they were sent
 * once already; they are lost only if the connection then drops before the server has them)
 * and counted in `dropped`.
 */
export interface BufferedFrame {
  seq: number;
  offsetSamples: number;
  samples: number;
  /** The encoded binary frame, header included. */
  bytes: Uint8Array;
}

export class ResendBuffer {
  readonly maxSamples: number;
  #frames: BufferedFrame[] = [];
  #head = 0;
  #samples = 0;
  /** Frames dropped past the bound before the server acknowledged them. */
  dropped = 0;

  constructor(maxSamples: number) {
    if (!Number.isInteger(maxSamples) || maxSamples <= 0) throw new TypeError(`maxSamples must be a positive integer, got ${maxSamples}`);
    this.maxSamples = maxSamples;
  }

  get size(): number {
    return this.#frames.length - this.#head;
  }

  /** Audio held, in samples. */
  get samples(): number {
    return this.#samples;
  }

  /** Lowest seq still held, or undefined when empty. */
  get firstSeq(): number | undefined {
    return this.#frames[this.#head]?.seq;
  }

  /** Appends a frame (seq must rise); returns how many old frames were dropped to make room. */
  push(frame: BufferedFrame): number {
    const last = this.#frames[this.#frames.length - 1];
    if (this.size > 0 && last && frame.seq <= last.seq) throw new RangeError(`seq ${frame.seq} is not after ${last.seq}`);
    this.#frames.push(frame);
    this.#samples += frame.samples;
    let dropped = 0;
    while (this.#samples > this.maxSamples && this.size > 1) {
      this.#shift();
      dropped++;
    }
    this.dropped += dropped;
    return dropped;
  }

  /** Forgets every frame with seq ≤ `seq` (the server has them). Returns how many were released. */
  ack(seq: number): number {
    let released = 0;
    while (this.size > 0 && this.#frames[this.#head]!.seq <= seq) {
      this.#shift();
      released++;
    }
    return released;
  }

  /** Frames with seq ≥ `seq`, oldest first. */
  from(seq: number): BufferedFrame[] {
    const out: BufferedFrame[] = [];
    for (let i = this.#head; i < this.#frames.length; i++) if (this.#frames[i]!.seq >= seq) out.push(this.#frames[i]!);
    return out;
  }

  clear(): void {
    this.#frames = [];
    this.#head = 0;
    this.#samples = 0;
  }

  #shift(): void {
    const frame = this.#frames[this.#head]!;
    this.#frames[this.#head] = undefined as unknown as BufferedFrame;
    this.#head++;
    this.#samples -= frame.samples;
    // Compact now and then so the array does not grow without bound.
    if (this.#head > 1024 && this.#head * 2 > this.#frames.length) {
      this.#frames = this.#frames.slice(this.#head);
      this.#head = 0;
    }
  }
}
