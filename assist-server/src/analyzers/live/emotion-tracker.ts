/**
 * Customer emotion in one call: for each final customer utterance, the text emotion model's reading
 * fused with acoustic cues from the leg's audio (against this caller's own baseline), pushed into the
 * call's smoothed trend, which raises one escalation per worsening episode. Both legs' audio feeds
 * the turn-taking tracker (overlap, interruptions, silences).
 */
import type { EmotionEvent, EscalationEvent, LegRole, TranscriptWord } from '../../protocol/index.ts';
import { CallAcoustics } from '../emotion/acoustic/call-acoustics.ts';
import { fuseEmotion } from '../emotion/acoustic/emotion-fusion.ts';
import { EmotionTrend, type EmotionTrendOptions } from '../emotion/acoustic/emotion-trend.ts';
import type { NluClient } from '../nlu-client.ts';

export type EmotionBody = Omit<EmotionEvent, 'v' | 'callId' | 'seq' | 'atMs'>;
export type EscalationBody = Omit<EscalationEvent, 'v' | 'callId' | 'seq' | 'atMs'>;

export interface EmotionTrackerOptions {
  trend?: EmotionTrendOptions;
  longSilenceMs?: number;
}

export interface CustomerUtteranceAudio {
  pcm: Int16Array;
  sampleRateHz: number;
  /** Leg-clock time of pcm[0]. */
  pcmStartMs: number;
}

export class EmotionTracker {
  private readonly acoustics: CallAcoustics;
  private readonly trend: EmotionTrend;
  latest: Omit<EmotionBody, 'type'> | null = null;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly nlu: NluClient,
    private readonly emit: (body: EmotionBody | EscalationBody) => void,
    private readonly onError: (err: Error) => void,
    options: EmotionTrackerOptions = {},
  ) {
    this.acoustics = new CallAcoustics(options.longSilenceMs === undefined ? {} : { longSilenceMs: options.longSilenceMs });
    this.trend = new EmotionTrend(options.trend);
  }

  get enabled(): boolean {
    return this.nlu.emotionModelVersion !== undefined;
  }

  /** Every chunk of each leg, in order. */
  onAudio(role: LegRole, pcm: Int16Array, sampleRateHz: number): void {
    this.acoustics.pushAudio(role, pcm, sampleRateHz);
  }

  onCustomerFinal(utteranceId: string, maskedText: string, startMs: number, endMs: number, words: TranscriptWord[], audio: CustomerUtteranceAudio | undefined): void {
    if (!this.enabled) return;
    // cues now, while the audio is at hand; they go against the baseline of the utterances before this one
    const cues = audio ? this.acoustics.customerUtterance({ ...audio, startMs, endMs, words }) : null;
    const text = this.nlu.emotion(maskedText);
    text.catch(() => undefined); // handled in the chain below; this only stops an early rejection counting as unhandled
    // in utterance order, so the trend sees them in the order they were spoken
    this.chain = this.chain
      .then(async () => {
        const fused = fuseEmotion(await text, cues);
        const update = this.trend.push({ atMs: endMs, label: fused.label, confidence: fused.confidence, scores: fused.scores });
        const body: EmotionBody = {
          type: 'emotion',
          utteranceId,
          label: fused.label,
          confidence: round(fused.confidence),
          cues: fused.cues,
          arousal: round(cues?.arousal ?? 0),
          trend: round(update.smoothed),
        };
        this.latest = { utteranceId, label: body.label, confidence: body.confidence, cues: body.cues, arousal: body.arousal, trend: body.trend };
        this.emit(body);
        if (update.alert) this.emit({ type: 'emotion.escalation', utteranceId, reason: update.alert.reason, trend: round(update.smoothed) });
      })
      .catch((err: Error) => this.onError(err));
  }

  async drain(): Promise<void> {
    await this.chain;
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
