/**
 * Loudness cue: the active-speech level of an utterance.
 *
 * Definition (in the spirit of ITU-T P.56, simplified): split the audio into 20 ms frames, keep the
 * frames whose level is above a noise gate, and return the RMS over those frames in dBFS
 * (20·log10(rms / 32768); a full-scale sine is −3 dBFS). The gate is the higher of an absolute
 * floor ({@link ABSOLUTE_GATE_DBFS}) and a relative one ({@link RELATIVE_GATE_DB} below the level
 * of the loudest frames, their {@link REFERENCE_QUANTILE} quantile), so pauses and line noise do
 * not dilute the level and a gain change moves the result by exactly that gain.
 */
import { framePowers, LEVEL_FRAME_MS, powerToDbfs, quantile } from './frame-levels.ts';

/** Frames quieter than this are never speech (about the noise of a quiet telephone line). */
export const ABSOLUTE_GATE_DBFS = -60;
/** Frames more than this far below the loud-frame reference are pauses, breaths or noise. */
export const RELATIVE_GATE_DB = 25;
/** Which frame-level quantile is the "loud frames" reference of the relative gate. */
export const REFERENCE_QUANTILE = 0.95;

export interface ActiveLevel {
  /** Active-speech level in dBFS; −Infinity when no frame passes the gate (silence). */
  dbfs: number;
  /** Frames that passed the gate, and their share of all frames (0..1). */
  activeFrames: number;
  activeFraction: number;
  /** The gate actually applied, dBFS. */
  gateDbfs: number;
}

/** Active-speech level with details; see the module comment for the definition. */
export function activeSpeechLevel(pcm: Int16Array, sampleRateHz = 16000, frameMs = LEVEL_FRAME_MS): ActiveLevel {
  const powers = framePowers(pcm, sampleRateHz, frameMs);
  const levels = Array.from(powers, powerToDbfs);
  const reference = quantile(levels, REFERENCE_QUANTILE);
  const gateDbfs = Number.isFinite(reference) ? Math.max(ABSOLUTE_GATE_DBFS, reference - RELATIVE_GATE_DB) : ABSOLUTE_GATE_DBFS;
  let sum = 0;
  let active = 0;
  for (let f = 0; f < powers.length; f++) {
    if (levels[f]! >= gateDbfs) {
      sum += powers[f]!;
      active++;
    }
  }
  return {
    dbfs: active > 0 ? powerToDbfs(sum / active) : -Infinity,
    activeFrames: active,
    activeFraction: powers.length > 0 ? active / powers.length : 0,
    gateDbfs,
  };
}

/**
 * Active-speech level of 16-bit mono PCM in dBFS: RMS over the 20 ms frames above the noise gate
 * (not the plain RMS of the whole clip). −Infinity for silence or audio entirely below
 * {@link ABSOLUTE_GATE_DBFS}.
 */
export function loudnessDbfs(pcm: Int16Array, sampleRateHz = 16000): number {
  return activeSpeechLevel(pcm, sampleRateHz).dbfs;
}
