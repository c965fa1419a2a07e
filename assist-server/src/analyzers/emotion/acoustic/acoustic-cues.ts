/**
 * Acoustic cues of one utterance, for fusing with the text emotion model and for showing the agent
 * why ("speaking louder than earlier in the call (+7 dB)"). Pure functions; no model.
 *
 * Features (see each module for the exact definition):
 * - loudnessDbfs: active-speech level, dBFS (loudness.ts);
 * - pitchHz, pitchVariabilitySemitones: median F0 and semitone std over voiced frames (pitch-tracker.ts);
 * - wordsPerSecond, syllablesPerSecond: over speaking time, pauses > 300 ms excluded (speaking-rate.ts);
 * - overlapMs, interruptions, silenceBeforeMs: from the call's {@link LegActivity} when given.
 *
 * "Louder / higher / faster" are relative to the caller's own {@link Baseline} (running median of
 * their earlier utterances, caller-baseline.ts). Without a baseline only the cues that mean
 * something on an absolute scale fire (very fast or slow speech, wide intonation, overtalk,
 * silence). All thresholds are the named constants below.
 *
 * arousal (0..1) says how far this utterance is above the caller's usual activation: each
 * available component is scaled to 0..1 (0 = at the baseline, 1 = at the "full" constant) and
 * arousal = ½·(largest component) + ½·(weighted mean of components), so one strong cue alone
 * reaches about 0.6 and several together approach 1. 0 means calm or subdued.
 */
import { activeSpeechLevel } from './loudness.ts';
import type { Baseline } from './caller-baseline.ts';
import type { Leg, LegActivity } from './leg-activity.ts';
import { summarizePitch, trackPitch } from './pitch-tracker.ts';
import { speakingRate, type TimedWord } from './speaking-rate.ts';

// Cue thresholds, relative to the caller's baseline.
/** "speaking louder than earlier": at least this many dB above the baseline level. */
export const LOUDER_CUE_DB = 6;
/** "speaking more quietly than earlier": at least this many dB below. */
export const QUIETER_CUE_DB = 6;
/** "voice pitched higher than earlier": median F0 this many semitones above the baseline. */
export const PITCH_RAISED_CUE_SEMITONES = 2.5;
/** "more animated intonation": pitch variability at least this multiple of the baseline's. */
export const ANIMATED_CUE_RATIO = 1.5;
/** "flatter, more monotone voice": pitch variability at most this fraction of the baseline's. */
export const MONOTONE_CUE_RATIO = 0.6;
/** "speaking faster than earlier": words/s at least this multiple of the baseline's. */
export const FASTER_CUE_RATIO = 1.25;
/** "speaking more slowly than earlier": words/s at most this fraction of the baseline's. */
export const SLOWER_CUE_RATIO = 0.75;

// Absolute cue thresholds (used without a baseline for that feature).
/** Conversational English runs at about 2.5–3 words/s; this is fast on any line. */
export const FAST_ABSOLUTE_WPS = 4.0;
export const SLOW_ABSOLUTE_WPS = 1.5;
/** Semitone std of intonation that is wide for anyone (typical conversation: 2–4). */
export const ANIMATED_ABSOLUTE_SEMITONES = 5;

// Reliability floors.
/** Rate cues need at least this many words… */
export const MIN_WORDS_FOR_RATE = 4;
/** …and this much speaking time. */
export const MIN_SPEAKING_MS_FOR_RATE = 1000;

// Turn-taking cues.
/** "talking over the agent" also fires on this much overlap without a counted interruption. */
export const OVERTALK_CUE_MS = 1000;

// Arousal scaling: the value of each component's input that maps to 1.
export const AROUSAL_FULL_LOUDNESS_DB = 10;
export const AROUSAL_FULL_PITCH_SEMITONES = 4;
/** Variability ratio to baseline mapping to 1 (1 = at baseline maps to 0). */
export const AROUSAL_FULL_VARIABILITY_RATIO = 2;
/** Absolute variability range mapped to 0..1 without a baseline. */
export const AROUSAL_ABSOLUTE_VARIABILITY_SEMITONES: readonly [number, number] = [3, 6];
/** Rate ratio to baseline mapping to 1. */
export const AROUSAL_FULL_RATE_RATIO = 1.5;
/** Absolute words/s range mapped to 0..1 without a baseline. */
export const AROUSAL_ABSOLUTE_WPS: readonly [number, number] = [3, 4.5];
/** Overtalk: each interruption made adds this, each second of overlap this. */
export const AROUSAL_PER_INTERRUPTION = 0.6;
export const AROUSAL_PER_OVERLAP_SECOND = 0.2;
/** Component weights in the weighted mean. */
export const AROUSAL_WEIGHTS = { loudness: 0.3, pitch: 0.2, variability: 0.15, rate: 0.15, overtalk: 0.2 } as const;

export type CueKind =
  | 'louder'
  | 'quieter'
  | 'higher-pitch'
  | 'animated'
  | 'monotone'
  | 'faster'
  | 'slower'
  | 'talking-over'
  | 'interrupted'
  | 'after-silence';

export interface UtteranceCueInput {
  /** The leg's audio holding the utterance; its first sample is at `pcmStartMs` on the leg clock. */
  pcm: Int16Array;
  sampleRateHz: number;
  /** Utterance span on the leg clock, ms (e.g. the recognizer final's startMs/endMs). */
  startMs: number;
  endMs: number;
  /** Leg-clock time of pcm[0]. Default `startMs` (pcm is exactly the utterance). */
  pcmStartMs?: number;
  /** Recognizer words of the utterance (leg-clock ms). */
  words: readonly TimedWord[];
  /** The caller's baseline from their earlier utterances (CallerBaseline.current()). */
  baseline?: Baseline | null;
  /** The call's turn-taking tracker, for overlap, interruptions and the silence before. */
  activity?: LegActivity;
  /** Whose utterance this is. Default 'customer'. */
  leg?: Leg;
}

export interface UtteranceCues {
  leg: Leg;
  startMs: number;
  endMs: number;
  /** Active-speech level, dBFS; null when the utterance's audio is silent. */
  loudnessDbfs: number | null;
  /** loudnessDbfs − baseline, dB; null without both. */
  loudnessDeltaDb: number | null;
  /** Median F0, Hz; null with too little voicing. */
  pitchHz: number | null;
  /** Semitones from the baseline's F0. */
  pitchDeltaSemitones: number | null;
  /** Std of voiced-frame F0 in semitones. */
  pitchVariabilitySemitones: number | null;
  /** pitchVariabilitySemitones / baseline's. */
  pitchVariabilityRatio: number | null;
  /** Voiced share of the utterance's loud frames. */
  voicedFraction: number;
  wordsPerSecond: number | null;
  syllablesPerSecond: number | null;
  /** wordsPerSecond / baseline's. */
  rateRatio: number | null;
  /** Speaking time the rate is over (pauses excluded), ms, and the words in the utterance. */
  speakingMs: number;
  wordCount: number;
  /** Enough words and speaking time for rate cues ({@link MIN_WORDS_FOR_RATE}, {@link MIN_SPEAKING_MS_FOR_RATE}). */
  rateReliable: boolean;
  /** Both legs talking during the utterance, ms (0 without activity). */
  overlapMs: number;
  /** Interruptions made by this leg during the utterance, and by the other leg. */
  interruptions: { made: number; received: number };
  /** Both legs silent right before the utterance, ms; null without activity or earlier speech. */
  silenceBeforeMs: number | null;
  /** 0..1: how far above the caller's usual activation (see module comment). */
  arousal: number;
  /** Short reasons for the agent UI, strongest first. */
  cues: string[];
  /** Machine-readable kind of each entry of `cues`, same order. */
  cueKinds: CueKind[];
}

/** Computes the acoustic cues of one utterance; see the module comment. */
export function computeUtteranceCues(input: UtteranceCueInput): UtteranceCues {
  const leg = input.leg ?? 'customer';
  const other = leg === 'customer' ? 'agent' : 'customer';
  const rate = input.sampleRateHz;
  const pcmStartMs = input.pcmStartMs ?? input.startMs;
  const from = clampIndex(Math.round(((input.startMs - pcmStartMs) * rate) / 1000), input.pcm.length);
  const to = clampIndex(Math.round(((input.endMs - pcmStartMs) * rate) / 1000), input.pcm.length);
  const pcm = input.pcm.subarray(from, Math.max(from, to));

  const level = activeSpeechLevel(pcm, rate);
  const loudnessDbfs = Number.isFinite(level.dbfs) ? level.dbfs : null;
  const pitch = summarizePitch(trackPitch(pcm, rate));
  const words = input.words.filter((w) => {
    const mid = (w.startMs + w.endMs) / 2;
    return mid >= input.startMs && mid <= input.endMs;
  });
  const sr = speakingRate(words);
  const rateReliable = sr.words >= MIN_WORDS_FOR_RATE && sr.speakingMs >= MIN_SPEAKING_MS_FOR_RATE && sr.wordsPerSecond !== null;

  const b = input.baseline ?? null;
  const loudnessDeltaDb = loudnessDbfs !== null && b?.loudnessDbfs != null ? loudnessDbfs - b.loudnessDbfs : null;
  const pitchDeltaSemitones = pitch.medianHz !== null && b?.pitchHz != null ? 12 * Math.log2(pitch.medianHz / b.pitchHz) : null;
  const pitchVariabilityRatio =
    pitch.variabilitySemitones !== null && b?.pitchVariabilitySemitones != null && b.pitchVariabilitySemitones > 0 ? pitch.variabilitySemitones / b.pitchVariabilitySemitones : null;
  const rateRatio = rateReliable && b?.wordsPerSecond != null && b.wordsPerSecond > 0 ? sr.wordsPerSecond! / b.wordsPerSecond : null;

  let overlapMs = 0;
  const interruptions = { made: 0, received: 0 };
  let silenceBeforeMs: number | null = null;
  if (input.activity) {
    overlapMs = input.activity.overlapMs(input.startMs, input.endMs);
    // A turn starts at the first speech frame, which can lie a little before the first word.
    const counts = input.activity.interruptionCounts(input.startMs - TURN_START_SLACK_MS, input.endMs);
    interruptions.made = counts[leg];
    interruptions.received = counts[other];
    silenceBeforeMs = input.activity.silenceBeforeMs(input.startMs);
  }

  // Cues, strongest first within each family.
  const found: Array<{ kind: CueKind; text: string; strength: number }> = [];
  const otherName = other === 'agent' ? 'the agent' : 'the caller';
  if (loudnessDeltaDb !== null && loudnessDeltaDb >= LOUDER_CUE_DB) {
    found.push({ kind: 'louder', text: `speaking louder than earlier in the call (+${loudnessDeltaDb.toFixed(0)} dB)`, strength: loudnessDeltaDb / AROUSAL_FULL_LOUDNESS_DB });
  } else if (loudnessDeltaDb !== null && loudnessDeltaDb <= -QUIETER_CUE_DB) {
    found.push({ kind: 'quieter', text: `speaking more quietly than earlier in the call (${loudnessDeltaDb.toFixed(0)} dB)`, strength: -loudnessDeltaDb / AROUSAL_FULL_LOUDNESS_DB / 2 });
  }
  if (pitchDeltaSemitones !== null && pitchDeltaSemitones >= PITCH_RAISED_CUE_SEMITONES) {
    found.push({ kind: 'higher-pitch', text: `voice pitched higher than earlier (+${pitchDeltaSemitones.toFixed(1)} semitones)`, strength: pitchDeltaSemitones / AROUSAL_FULL_PITCH_SEMITONES });
  }
  if (pitchVariabilityRatio !== null) {
    if (pitchVariabilityRatio >= ANIMATED_CUE_RATIO) found.push({ kind: 'animated', text: 'more animated intonation than earlier', strength: pitchVariabilityRatio / AROUSAL_FULL_VARIABILITY_RATIO });
    else if (pitchVariabilityRatio <= MONOTONE_CUE_RATIO) found.push({ kind: 'monotone', text: 'flatter, more monotone voice than earlier', strength: 0.3 });
  } else if (pitch.variabilitySemitones !== null && pitch.variabilitySemitones >= ANIMATED_ABSOLUTE_SEMITONES) {
    found.push({ kind: 'animated', text: 'very animated intonation', strength: 0.6 });
  }
  if (rateReliable) {
    const wps = sr.wordsPerSecond!;
    if (rateRatio !== null) {
      if (rateRatio >= FASTER_CUE_RATIO) found.push({ kind: 'faster', text: `speaking faster than earlier (${wps.toFixed(1)} words/s)`, strength: rateRatio / AROUSAL_FULL_RATE_RATIO });
      else if (rateRatio <= SLOWER_CUE_RATIO) found.push({ kind: 'slower', text: `speaking more slowly than earlier (${wps.toFixed(1)} words/s)`, strength: 0.3 });
    } else if (wps >= FAST_ABSOLUTE_WPS) {
      found.push({ kind: 'faster', text: `speaking fast (${wps.toFixed(1)} words/s)`, strength: wps / AROUSAL_ABSOLUTE_WPS[1] });
    } else if (wps <= SLOW_ABSOLUTE_WPS) {
      found.push({ kind: 'slower', text: `speaking slowly (${wps.toFixed(1)} words/s)`, strength: 0.3 });
    }
  }
  if (interruptions.made > 0 || overlapMs >= OVERTALK_CUE_MS) {
    const detail = overlapMs >= 100 ? ` (${(overlapMs / 1000).toFixed(1)} s of overlap)` : '';
    found.push({ kind: 'talking-over', text: `talking over ${otherName}${detail}`, strength: 1 });
  }
  if (interruptions.received > 0) found.push({ kind: 'interrupted', text: `interrupted by ${otherName}`, strength: 0.5 });
  if (input.activity && silenceBeforeMs !== null && silenceBeforeMs >= input.activity.longSilenceMs) {
    found.push({ kind: 'after-silence', text: `after ${(silenceBeforeMs / 1000).toFixed(0)} s of silence on the line`, strength: 0.4 });
  }
  found.sort((x, y) => y.strength - x.strength);

  const arousal = arousalOf({
    loudness: loudnessDeltaDb !== null ? ramp(loudnessDeltaDb, 0, AROUSAL_FULL_LOUDNESS_DB) : null,
    pitch: pitchDeltaSemitones !== null ? ramp(pitchDeltaSemitones, 0, AROUSAL_FULL_PITCH_SEMITONES) : null,
    variability:
      pitchVariabilityRatio !== null
        ? ramp(pitchVariabilityRatio, 1, AROUSAL_FULL_VARIABILITY_RATIO)
        : pitch.variabilitySemitones !== null
          ? ramp(pitch.variabilitySemitones, ...AROUSAL_ABSOLUTE_VARIABILITY_SEMITONES)
          : null,
    rate: !rateReliable ? null : rateRatio !== null ? ramp(rateRatio, 1, AROUSAL_FULL_RATE_RATIO) : ramp(sr.wordsPerSecond!, ...AROUSAL_ABSOLUTE_WPS),
    overtalk: input.activity ? Math.min(1, AROUSAL_PER_INTERRUPTION * interruptions.made + (AROUSAL_PER_OVERLAP_SECOND * overlapMs) / 1000) : null,
  });

  return {
    leg,
    startMs: input.startMs,
    endMs: input.endMs,
    loudnessDbfs,
    loudnessDeltaDb,
    pitchHz: pitch.medianHz,
    pitchDeltaSemitones,
    pitchVariabilitySemitones: pitch.variabilitySemitones,
    pitchVariabilityRatio,
    voicedFraction: pitch.voicedFraction,
    wordsPerSecond: sr.wordsPerSecond,
    syllablesPerSecond: sr.syllablesPerSecond,
    rateRatio,
    speakingMs: sr.speakingMs,
    wordCount: sr.words,
    rateReliable,
    overlapMs,
    interruptions,
    silenceBeforeMs,
    arousal,
    cues: found.map((c) => c.text),
    cueKinds: found.map((c) => c.kind),
  };
}

/** How far before the first word a turn that makes an interruption may start. */
export const TURN_START_SLACK_MS = 300;

type Components = Record<keyof typeof AROUSAL_WEIGHTS, number | null>;

/** ½·max + ½·weighted mean over the components that are available; 0 when none is. */
export function arousalOf(components: Components): number {
  let sum = 0;
  let weight = 0;
  let max = 0;
  for (const key of Object.keys(AROUSAL_WEIGHTS) as Array<keyof typeof AROUSAL_WEIGHTS>) {
    const c = components[key];
    if (c === null) continue;
    sum += AROUSAL_WEIGHTS[key] * c;
    weight += AROUSAL_WEIGHTS[key];
    max = Math.max(max, c);
  }
  return weight > 0 ? clamp01(0.5 * max + (0.5 * sum) / weight) : 0;
}

/** 0 at `lo`, 1 at `hi`, linear between, clamped. */
function ramp(x: number, lo: number, hi: number): number {
  return clamp01((x - lo) / (hi - lo));
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

function clampIndex(i: number, length: number): number {
  return Math.min(length, Math.max(0, i));
}
