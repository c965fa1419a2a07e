/** Cuts a byte stream of 16-bit little-endian PCM into frames of `samplesPerFrame` samples. */
export class PcmFramer {
  #pending = Buffer.alloc(0);

  constructor(readonly samplesPerFrame: number) {
    if (!Number.isInteger(samplesPerFrame) || samplesPerFrame <= 0) throw new TypeError(`samplesPerFrame must be a positive integer, got ${samplesPerFrame}`);
  }

  /** Bytes held back until the next push (less than one frame). */
  get pendingBytes(): number {
    return this.#pending.length;
  }

  /** Adds bytes; returns every whole frame now available, in order. */
  push(chunk: Uint8Array): Int16Array[] {
    const bytes = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const frameBytes = this.samplesPerFrame * 2;
    const frames: Int16Array[] = [];
    let at = 0;
    for (; at + frameBytes <= bytes.length; at += frameBytes) frames.push(readS16le(bytes, at, this.samplesPerFrame));
    this.#pending = Buffer.from(bytes.subarray(at));
    return frames;
  }

  /** The remaining whole samples as a last, short frame (undefined if none); an odd trailing byte is discarded. */
  flush(): Int16Array | undefined {
    const samples = Math.floor(this.#pending.length / 2);
    const out = samples > 0 ? readS16le(this.#pending, 0, samples) : undefined;
    this.#pending = Buffer.alloc(0);
    return out;
  }
}

function readS16le(bytes: Buffer, at: number, samples: number): Int16Array {
  const out = new Int16Array(samples);
  for (let i = 0; i < samples; i++) out[i] = bytes.readInt16LE(at + i * 2);
  return out;
}
