/**
 * Cheap 2:1 decimation for the pitch tracker: a 23-tap half-band low-pass (Hamming-windowed sinc,
 * cut-off at a quarter of the input rate, unit DC gain) evaluated at every second input sample.
 * Half its taps are zero, so it costs 7 multiply-adds per output sample. Its transition band is
 * wide (about ±15 % of the new Nyquist frequency), which is harmless for F0 (60–400 Hz) and far
 * cheaper than the high-quality resampler in audio/resampler.ts.
 */

const HALF = 11;

function design(): { centre: number; odd: Float64Array } {
  const len = 2 * HALF + 1;
  const taps: number[] = [];
  for (let n = -HALF; n <= HALF; n++) {
    const sinc = n === 0 ? 1 : Math.sin((Math.PI * n) / 2) / ((Math.PI * n) / 2);
    const window = 0.54 + 0.46 * Math.cos((2 * Math.PI * n) / (len - 1));
    taps.push(0.5 * sinc * window);
  }
  const sum = taps.reduce((a, b) => a + b, 0);
  const odd: number[] = [];
  for (let k = 1; k <= HALF; k += 2) odd.push(taps[HALF + k]! / sum);
  return { centre: taps[HALF]! / sum, odd: Float64Array.from(odd) };
}

const { centre: CENTRE, odd: ODD_TAPS } = design();

/** Low-passes and keeps every second sample (output length ⌈n/2⌉); the edges are zero-padded. */
export function decimateByTwo(x: Float64Array): Float64Array {
  const n = x.length;
  const out = new Float64Array(Math.ceil(n / 2));
  const [c1, c3, c5, c7, c9, c11] = ODD_TAPS as unknown as [number, number, number, number, number, number];
  const c0 = CENTRE;
  const at = (i: number): number => (i >= 0 && i < n ? x[i]! : 0);
  let o = 0;
  let i = 0;
  // Edges (taps reach outside the signal): the general form.
  for (; i < HALF && i < n; i += 2, o++) out[o] = edgeSample(at, i);
  // Interior: unrolled, no bounds checks.
  for (; i + HALF < n; i += 2, o++) {
    out[o] =
      c0 * x[i]! +
      c1 * (x[i - 1]! + x[i + 1]!) +
      c3 * (x[i - 3]! + x[i + 3]!) +
      c5 * (x[i - 5]! + x[i + 5]!) +
      c7 * (x[i - 7]! + x[i + 7]!) +
      c9 * (x[i - 9]! + x[i + 9]!) +
      c11 * (x[i - 11]! + x[i + 11]!);
  }
  for (; i < n; i += 2, o++) out[o] = edgeSample(at, i);
  return out;
}

function edgeSample(at: (i: number) => number, i: number): number {
  let acc = CENTRE * at(i);
  for (let t = 0, k = 1; t < ODD_TAPS.length; t++, k += 2) acc += ODD_TAPS[t]! * (at(i - k) + at(i + k));
  return acc;
}
