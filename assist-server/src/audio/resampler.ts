/**
 * Streaming sample-rate converter for 16-bit mono PCM: a windowed-sinc (Kaiser) low-pass
 * interpolator with a precomputed polyphase table, state kept across chunks so chunk boundaries
 * are seamless.
 *
 * Why our own rather than a library: recognizers need a stateful converter that takes
 * arbitrarily sized chunks synchronously and cheaply (8 kHz → 16 kHz telephone legs, 44.1/48 kHz
 * WAV files). The npm options are either stateless per call (wave-resampler, wavefile's
 * toSampleRate: clicks at every chunk edge) or async WASM builds of libsamplerate/speex that add
 * an init step per stream. This is ~100 lines, deterministic, and tested for pass-band gain and
 * stop-band (alias) rejection in resampler.test.ts.
 */

const PHASES = 512;

export interface ResamplerOptions {
  /** Zero crossings of the sinc on each side (filter half-length in input samples at ratio 1). Default 16. */
  halfTaps?: number;
  /** Kaiser window beta. Default 8.6 (about 90 dB side-lobe suppression). */
  kaiserBeta?: number;
  /** Cut-off as a fraction of the lower Nyquist frequency. Default 0.92. */
  cutoff?: number;
}

export class Resampler {
  readonly inputRateHz: number;
  readonly outputRateHz: number;
  private readonly step: number; // input samples per output sample
  private readonly scale: number; // filter bandwidth scale (≤ 1 when downsampling)
  private readonly half: number; // half-length of the filter in input samples
  private readonly table: Float32Array; // (PHASES + 1) × (2·half) taps
  private readonly width: number;
  /** Input history: the last samples not yet fully consumed, as floats. */
  private history: Float32Array;
  /** Position of the next output sample, in input samples, relative to history[0]. */
  private pos: number;
  private readonly passthrough: boolean;

  constructor(inputRateHz: number, outputRateHz: number, options: ResamplerOptions = {}) {
    if (!(inputRateHz > 0 && outputRateHz > 0)) throw new RangeError('sample rates must be positive');
    this.inputRateHz = inputRateHz;
    this.outputRateHz = outputRateHz;
    this.passthrough = inputRateHz === outputRateHz;
    this.step = inputRateHz / outputRateHz;
    this.scale = Math.min(1, outputRateHz / inputRateHz) * (options.cutoff ?? 0.92);
    const halfTaps = options.halfTaps ?? 16;
    this.half = Math.ceil(halfTaps / this.scale);
    this.width = 2 * this.half;
    this.table = buildTable(this.half, this.scale, options.kaiserBeta ?? 8.6);
    // Start with `half` zeros of history so the first output sample is centred on input sample 0.
    this.history = new Float32Array(this.half);
    this.pos = this.half;
  }

  /** Converts one chunk; output length varies by a sample from chunk to chunk as the phase advances. */
  process(input: Int16Array): Int16Array {
    if (this.passthrough) return input.slice();
    const buf = new Float32Array(this.history.length + input.length);
    buf.set(this.history);
    for (let i = 0; i < input.length; i++) buf[this.history.length + i] = input[i]!;

    const out: number[] = [];
    // Output sample at position p needs input samples floor(p) - half + 1 … floor(p) + half.
    while (this.pos + this.half < buf.length) {
      out.push(this.sampleAt(buf, this.pos));
      this.pos += this.step;
    }
    // Keep what the next outputs still need.
    const keepFrom = Math.max(0, Math.floor(this.pos) - this.half + 1);
    this.history = buf.slice(keepFrom);
    this.pos -= keepFrom;
    return toInt16(out);
  }

  /** Drains the filter's delay line (call once at end of stream). */
  flush(): Int16Array {
    if (this.passthrough) return new Int16Array(0);
    return this.process(new Int16Array(this.half + 1));
  }

  private sampleAt(buf: Float32Array, p: number): number {
    const base = Math.floor(p);
    const frac = p - base;
    const phaseF = frac * PHASES;
    const phase = Math.floor(phaseF);
    const t = phaseF - phase;
    const rowA = phase * this.width;
    const rowB = rowA + this.width;
    const table = this.table;
    let acc = 0;
    const first = base - this.half + 1;
    for (let k = 0; k < this.width; k++) {
      const x = buf[first + k]!;
      const h = table[rowA + k]! + (table[rowB + k]! - table[rowA + k]!) * t;
      acc += x * h;
    }
    return acc;
  }
}

/** Converts a whole buffer at once (files, tests). */
export function resampleAll(input: Int16Array, inputRateHz: number, outputRateHz: number): Int16Array {
  const r = new Resampler(inputRateHz, outputRateHz);
  const a = r.process(input);
  const b = r.flush();
  const expected = Math.round((input.length * outputRateHz) / inputRateHz);
  const out = new Int16Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out.subarray(0, Math.min(out.length, expected));
}

function buildTable(half: number, scale: number, beta: number): Float32Array {
  const width = 2 * half;
  const table = new Float32Array((PHASES + 1) * width);
  const i0Beta = besselI0(beta);
  for (let phase = 0; phase <= PHASES; phase++) {
    const frac = phase / PHASES;
    for (let k = 0; k < width; k++) {
      // Distance from the output position to input tap k: taps run from -half+1 … half.
      const d = k - half + 1 - frac;
      const x = d * scale;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const r = d / half;
      const w = Math.abs(r) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
      table[phase * width + k] = scale * sinc * w;
    }
  }
  return table;
}

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

function toInt16(values: number[]): Int16Array {
  const out = new Int16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Math.round(values[i]!);
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}
