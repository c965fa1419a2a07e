/**
 * Per-call wiring of the acoustic cues: one {@link LegActivity} fed with both legs' audio, and the
 * customer's {@link CallerBaseline}, updated after each customer utterance (so an utterance is
 * compared with the ones before it, never with itself).
 *
 *   const acoustics = new CallAcoustics({ longSilenceMs: config.… })
 *   acoustics.pushAudio('agent', pcm, 8000)          // every chunk of each leg, in order
 *   const cues = acoustics.customerUtterance({ pcm, sampleRateHz, startMs, endMs, words })
 *   const fused = fuseEmotion(textResult, cues)
 */
import { computeUtteranceCues, type UtteranceCueInput, type UtteranceCues } from './acoustic-cues.ts';
import { CallerBaseline } from './caller-baseline.ts';
import { LegActivity, type Leg, type LegActivityOptions } from './leg-activity.ts';

export class CallAcoustics {
  readonly activity: LegActivity;
  readonly baseline = new CallerBaseline();

  constructor(options: LegActivityOptions = {}) {
    this.activity = new LegActivity(options);
  }

  /** Feeds one leg's audio (chunks in order from call start). */
  pushAudio(leg: Leg, pcm: Int16Array, sampleRateHz: number): void {
    this.activity.pushAudio(leg, pcm, sampleRateHz);
  }

  /** Cues of a customer utterance against the caller's baseline so far; then adds it to the baseline. */
  customerUtterance(input: Omit<UtteranceCueInput, 'baseline' | 'activity' | 'leg'>): UtteranceCues {
    const cues = computeUtteranceCues({ ...input, leg: 'customer', baseline: this.baseline.current(), activity: this.activity });
    this.baseline.add({
      loudnessDbfs: cues.loudnessDbfs,
      pitchHz: cues.pitchHz,
      pitchVariabilitySemitones: cues.pitchVariabilitySemitones,
      wordsPerSecond: cues.rateReliable ? cues.wordsPerSecond : null,
    });
    return cues;
  }
}
