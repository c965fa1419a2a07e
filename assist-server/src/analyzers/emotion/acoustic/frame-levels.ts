/**
 * Frame-wise signal level, the building block of the loudness cue and the energy VAD.
 *
 * Level convention (used everywhere in this folder): dBFS = 20·log10(rms / 32768), so a
 * full-scale square wave is 0 dBFS and a full-scale sine −3.01 dBFS. A frame of digital silence
 * is −Infinity.
 */

/** Full scale of 16-bit PCM. */
export const FULL_SCALE = 32768;

/** Length of one analysis frame for levels and voice activity. */
export const LEVEL_FRAME_MS = 20;

/** Samples in `ms` at `sampleRateHz` (at least 1). */
export function samplesIn(ms: number, sampleRateHz: number): number {
  return Math.max(1, Math.round((ms * sampleRateHz) / 1000));
}

/** Mean power (x², in 16-bit units) → dBFS. */
export function powerToDbfs(meanSquare: number): number {
  return meanSquare > 0 ? 10 * Math.log10(meanSquare / (FULL_SCALE * FULL_SCALE)) : -Infinity;
}

/**
 * Mean power of each whole, non-overlapping frame of `frameMs` (the trailing partial frame is
 * kept when it is at least half a frame).
 */
export function framePowers(pcm: Int16Array, sampleRateHz: number, frameMs = LEVEL_FRAME_MS): Float64Array {
  const n = samplesIn(frameMs, sampleRateHz);
  const whole = Math.floor(pcm.length / n);
  const tail = pcm.length - whole * n;
  const count = whole + (tail >= n / 2 ? 1 : 0);
  const out = new Float64Array(count);
  for (let f = 0; f < count; f++) {
    const start = f * n;
    const end = Math.min(pcm.length, start + n);
    let sum = 0;
    for (let i = start; i < end; i++) {
      const x = pcm[i]!;
      sum += x * x;
    }
    out[f] = sum / (end - start);
  }
  return out;
}

/** The q-quantile (0..1, nearest rank) of finite values; NaN when there are none. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) finite.push(values[i]!);
  if (finite.length === 0) return NaN;
  finite.sort((a, b) => a - b);
  const rank = Math.min(finite.length - 1, Math.max(0, Math.round(q * (finite.length - 1))));
  return finite[rank]!;
}

/** Median of finite values; NaN when there are none. */
export function median(values: ArrayLike<number>): number {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) finite.push(values[i]!);
  if (finite.length === 0) return NaN;
  finite.sort((a, b) => a - b);
  const mid = finite.length >> 1;
  return finite.length % 2 === 1 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2;
}
