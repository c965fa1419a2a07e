/**
 * Per-call baseline of how this caller normally sounds: the running median of their earlier
 * utterances' loudness, pitch, pitch variability and speaking rate (the last
 * {@link BASELINE_WINDOW} utterances that had a value). Cues then say "louder than earlier in the
 * call" relative to the caller, not to an absolute scale that depends on the phone, the line gain
 * and the person. A median resists a few agitated utterances, and the window lets it follow a
 * caller whose line or mood changes for good.
 */
import { median } from './frame-levels.ts';

/** How many earlier utterances the median looks at. */
export const BASELINE_WINDOW = 15;
/** Values needed before a feature's baseline is used (fewer: no relative cue for it). */
export const MIN_BASELINE_UTTERANCES = 2;

export interface BaselineFeatures {
  loudnessDbfs: number | null;
  pitchHz: number | null;
  pitchVariabilitySemitones: number | null;
  wordsPerSecond: number | null;
}

/** What computeUtteranceCues compares against; a null field has no baseline yet. */
export type Baseline = BaselineFeatures;

type Feature = keyof BaselineFeatures;
const FEATURES: Feature[] = ['loudnessDbfs', 'pitchHz', 'pitchVariabilitySemitones', 'wordsPerSecond'];

export class CallerBaseline {
  private readonly history: Record<Feature, number[]> = { loudnessDbfs: [], pitchHz: [], pitchVariabilitySemitones: [], wordsPerSecond: [] };

  constructor(
    private readonly window = BASELINE_WINDOW,
    private readonly minUtterances = MIN_BASELINE_UTTERANCES,
  ) {}

  /** Adds one utterance's features (null or non-finite values are skipped per feature). */
  add(features: Partial<BaselineFeatures>): void {
    for (const f of FEATURES) {
      const v = features[f];
      if (v === null || v === undefined || !Number.isFinite(v)) continue;
      const h = this.history[f];
      h.push(v);
      if (h.length > this.window) h.shift();
    }
  }

  /** How many utterances each feature's median rests on. */
  counts(): Record<Feature, number> {
    return { loudnessDbfs: this.history.loudnessDbfs.length, pitchHz: this.history.pitchHz.length, pitchVariabilitySemitones: this.history.pitchVariabilitySemitones.length, wordsPerSecond: this.history.wordsPerSecond.length };
  }

  /** Medians of the earlier utterances; null for a feature with fewer than `minUtterances` values. */
  current(): Baseline {
    const pick = (f: Feature): number | null => (this.history[f].length >= this.minUtterances ? median(this.history[f]) : null);
    return { loudnessDbfs: pick('loudnessDbfs'), pitchHz: pick('pitchHz'), pitchVariabilitySemitones: pick('pitchVariabilitySemitones'), wordsPerSecond: pick('wordsPerSecond') };
  }
}
