/**
 * Pitch cue: frame-wise F0 with YIN (de Cheveigné & Kawahara 2002), then the utterance's median F0
 * and its variability in semitones.
 *
 * The signal is analysed at {@link ANALYSIS_RATE_HZ} (4 kHz) whatever the leg's rate: 8 and 16 kHz
 * legs are low-passed and decimated by half-band stages (half-band-decimator.ts). F0 lies at
 * 60–400 Hz and its harmonics up to 1.8 kHz carry the period, 8 and 16 kHz legs of one call then
 * give the same numbers, and the tracker costs a sixteenth of running at 16 kHz. Per 10 ms hop, a
 * 25 ms window: the cumulative-mean-normalized difference function d'(τ) over lags for 60–400 Hz;
 * the first dip below {@link YIN_THRESHOLD} (else the global minimum) is the period, refined by
 * parabolic interpolation (pure tones come out within 0.5 %). A frame is voiced when it is loud
 * enough (within {@link VOICING_GATE_DB} of the utterance's loud frames, and above
 * {@link VOICING_ABSOLUTE_GATE_DBFS}) and its dip is below {@link VOICED_MAX_APERIODICITY}.
 * YIN finds the period from the harmonics, so telephone audio without its fundamental works.
 */
import { resampleAll } from '../../../audio/resampler.ts';
import { median, powerToDbfs, quantile } from './frame-levels.ts';
import { decimateByTwo } from './half-band-decimator.ts';

export const ANALYSIS_RATE_HZ = 4000;
export const MIN_F0_HZ = 60;
export const MAX_F0_HZ = 400;
/** Analysis window and hop. */
export const PITCH_WINDOW_MS = 25;
export const PITCH_HOP_MS = 10;
/** YIN's absolute threshold on d'(τ): the first dip below it is taken as the period. */
export const YIN_THRESHOLD = 0.15;
/** A frame whose best d'(τ) is at or above this is unvoiced (noise, fricatives, mixed voices). */
export const VOICED_MAX_APERIODICITY = 0.3;
/** Voiced frames must be within this many dB of the utterance's loud frames (95th percentile)… */
export const VOICING_GATE_DB = 30;
/** …and above this absolute level. */
export const VOICING_ABSOLUTE_GATE_DBFS = -55;
/** Voiced frames further than this from the utterance median are octave errors or glitches: folded by ±12 semitones when that brings them in, else dropped. */
export const OUTLIER_SEMITONES = 8;

export interface PitchTrack {
  /** F0 in Hz per hop, 0 where unvoiced. Frame i is centred at (i·hop + window/2) ms. */
  f0Hz: Float32Array;
  hopMs: number;
  windowMs: number;
}

export interface PitchSummary {
  /** Median F0 over voiced frames, Hz; null when fewer than {@link MIN_VOICED_FRAMES} are voiced. */
  medianHz: number | null;
  /** Standard deviation of voiced-frame F0 in semitones (12·log2(f0 / median)); null with medianHz. */
  variabilitySemitones: number | null;
  voicedFrames: number;
  /** Voiced share of the frames that passed the level gate (0..1). */
  voicedFraction: number;
}

/** Fewer voiced frames than this (100 ms of voicing) give no pitch summary. */
export const MIN_VOICED_FRAMES = 10;

/** Frame-wise F0 of 16-bit mono PCM at any rate (8 or 16 kHz legs; others are resampled too). */
export function trackPitch(pcm: Int16Array, sampleRateHz: number): PitchTrack & { gatedFrames: number } {
  const x = toAnalysisRate(pcm, sampleRateHz);
  const fs = ANALYSIS_RATE_HZ;
  const w = Math.round((PITCH_WINDOW_MS * fs) / 1000);
  const hop = Math.round((PITCH_HOP_MS * fs) / 1000);
  const tauMin = Math.floor(fs / MAX_F0_HZ);
  const tauMax = Math.ceil(fs / MIN_F0_HZ);
  // d(τ) is computed one lag past each end of the search range so the dip can be interpolated there.
  const lags = tauMax + 1;
  const frames = x.length >= w + lags ? Math.floor((x.length - w - lags) / hop) + 1 : 0;
  const f0Hz = new Float32Array(frames);

  // Prefix sums of x² give each window's energy in O(1).
  const sq = new Float64Array(x.length + 1);
  for (let i = 0; i < x.length; i++) sq[i + 1] = sq[i]! + x[i]! * x[i]!;
  const levels = new Float64Array(frames);
  for (let f = 0; f < frames; f++) levels[f] = powerToDbfs((sq[f * hop + w]! - sq[f * hop]!) / w);
  const reference = quantile(levels, 0.95);
  const gate = Math.max(VOICING_ABSOLUTE_GATE_DBFS, reference - VOICING_GATE_DB);

  const d = new Float64Array(lags + 1);
  let gatedFrames = 0;
  for (let f = 0; f < frames; f++) {
    if (!(levels[f]! >= gate)) continue;
    gatedFrames++;
    const s = f * hop;
    const e0 = sq[s + w]! - sq[s]!;
    // d(τ) = Σ (x[j] − x[j+τ])² = e(s) + e(s+τ) − 2·r(τ)
    for (let tau = 1; tau <= lags; tau++) {
      const o = s + tau;
      d[tau] = Math.max(0, e0 + (sq[o + w]! - sq[o]!) - 2 * dot(x, s, o, w));
    }
    // Cumulative-mean normalization, in place (d[0] stays 1 by definition).
    let running = 0;
    for (let tau = 1; tau <= lags; tau++) {
      running += d[tau]!;
      d[tau] = running > 0 ? (d[tau]! * tau) / running : 1;
    }
    let best = -1;
    for (let tau = tauMin; tau <= tauMax; tau++) {
      if (d[tau]! < YIN_THRESHOLD) {
        while (tau + 1 <= tauMax && d[tau + 1]! < d[tau]!) tau++;
        best = tau;
        break;
      }
    }
    if (best < 0) {
      best = tauMin;
      for (let tau = tauMin + 1; tau <= tauMax; tau++) if (d[tau]! < d[best]!) best = tau;
    }
    if (!(d[best]! < VOICED_MAX_APERIODICITY)) continue;
    // Parabolic interpolation of the dip (d is defined from τ = 1 to tauMax + 1).
    const before = d[best - 1]!;
    const after = d[best + 1]!;
    const curvature = before - 2 * d[best]! + after;
    const period = curvature > 0 ? best + (0.5 * (before - after)) / curvature : best;
    const hz = fs / period;
    if (hz >= MIN_F0_HZ * 0.97 && hz <= MAX_F0_HZ * 1.03) f0Hz[f] = hz;
  }
  return { f0Hz, hopMs: PITCH_HOP_MS, windowMs: PITCH_WINDOW_MS, gatedFrames };
}

/** Σ x[a+j]·x[b+j] for j < n; four accumulators break the add dependency chain (≈3× faster in V8). */
function dot(x: Float64Array, a: number, b: number, n: number): number {
  let r0 = 0;
  let r1 = 0;
  let r2 = 0;
  let r3 = 0;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    r0 += x[a + j]! * x[b + j]!;
    r1 += x[a + j + 1]! * x[b + j + 1]!;
    r2 += x[a + j + 2]! * x[b + j + 2]!;
    r3 += x[a + j + 3]! * x[b + j + 3]!;
  }
  for (; j < n; j++) r0 += x[a + j]! * x[b + j]!;
  return r0 + r1 + r2 + r3;
}

/** Brings a leg to {@link ANALYSIS_RATE_HZ}: half-band decimation for 8/16/32 kHz, the shared resampler otherwise. */
function toAnalysisRate(pcm: Int16Array, sampleRateHz: number): Float64Array {
  let rate = sampleRateHz;
  let x = pcm;
  if (rate % ANALYSIS_RATE_HZ !== 0 || !isPowerOfTwo(rate / ANALYSIS_RATE_HZ)) {
    x = resampleAll(pcm, sampleRateHz, 2 * ANALYSIS_RATE_HZ);
    rate = 2 * ANALYSIS_RATE_HZ;
  }
  let out: Float64Array = new Float64Array(x);
  for (; rate > ANALYSIS_RATE_HZ; rate /= 2) out = decimateByTwo(out);
  return out;
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}

/** Median F0 and variability (semitone std) of a track; octave jumps are folded or dropped first. */
export function summarizePitch(track: PitchTrack & { gatedFrames?: number }): PitchSummary {
  const voiced: number[] = [];
  for (const hz of track.f0Hz) if (hz > 0) voiced.push(hz);
  const gated = track.gatedFrames ?? track.f0Hz.length;
  if (voiced.length < MIN_VOICED_FRAMES) {
    return { medianHz: null, variabilitySemitones: null, voicedFrames: voiced.length, voicedFraction: gated > 0 ? voiced.length / gated : 0 };
  }
  const roughMedian = median(voiced);
  const semis: number[] = [];
  for (const hz of voiced) {
    let st = 12 * Math.log2(hz / roughMedian);
    if (Math.abs(st) > OUTLIER_SEMITONES) {
      const folded = st - 12 * Math.sign(st);
      if (Math.abs(folded) > OUTLIER_SEMITONES) continue;
      st = folded;
    }
    semis.push(st);
  }
  if (semis.length < MIN_VOICED_FRAMES) {
    return { medianHz: null, variabilitySemitones: null, voicedFrames: semis.length, voicedFraction: gated > 0 ? semis.length / gated : 0 };
  }
  const centre = median(semis);
  let ss = 0;
  for (const st of semis) ss += (st - centre) ** 2;
  return {
    medianHz: roughMedian * 2 ** (centre / 12),
    variabilitySemitones: Math.sqrt(ss / semis.length),
    voicedFrames: semis.length,
    voicedFraction: gated > 0 ? semis.length / gated : 0,
  };
}

/** Median F0 (Hz) and semitone variability of an utterance; nulls when it has too little voicing. */
export function pitchOf(pcm: Int16Array, sampleRateHz: number): PitchSummary {
  return summarizePitch(trackPitch(pcm, sampleRateHz));
}

/** Semitones from `fromHz` to `toHz`. */
export function semitones(fromHz: number, toHz: number): number {
  return 12 * Math.log2(toHz / fromHz);
}

