/**
 * The analyzers that run on a live call after masking: intent and emotion for the customer leg
 * (masked text only; audio for acoustic cues). CallSession feeds it and numbers what it emits.
 */
import type { Logger } from 'pino';
import type { CallSnapshotEvent, FinalUtterance, LegRole } from '../../protocol/index.ts';
import type { NluClient } from '../nlu-client.ts';
import { EmotionTracker, type CustomerUtteranceAudio, type EmotionBody, type EmotionTrackerOptions, type EscalationBody } from './emotion-tracker.ts';
import { IntentTracker, type IntentBody } from './intent-tracker.ts';

export type AnalysisBody = IntentBody | EmotionBody | EscalationBody;

export class CallAnalysis {
  private readonly intent: IntentTracker;
  private readonly emotion: EmotionTracker;

  constructor(nlu: NluClient, emit: (body: AnalysisBody) => void, log: Logger, options: EmotionTrackerOptions = {}) {
    const onError = (what: string) => (err: Error) => log.warn({ err: err.message }, `${what} analysis failed for an utterance`);
    this.intent = new IntentTracker(nlu, emit, onError('intent'));
    this.emotion = new EmotionTracker(nlu, emit, onError('emotion'), options);
  }

  onAudio(role: LegRole, pcm: Int16Array, sampleRateHz: number): void {
    if (this.emotion.enabled) this.emotion.onAudio(role, pcm, sampleRateHz);
  }

  onPartial(role: LegRole, utteranceId: string, maskedText: string): void {
    if (role === 'customer') this.intent.onPartial(utteranceId, maskedText);
  }

  onFinal(utterance: FinalUtterance, audio: CustomerUtteranceAudio | undefined): void {
    if (utterance.role !== 'customer') return;
    this.intent.onFinal(utterance.utteranceId, utterance.text);
    this.emotion.onCustomerFinal(utterance.utteranceId, utterance.text, utterance.startMs, utterance.endMs, utterance.words, audio);
  }

  snapshot(): Pick<CallSnapshotEvent, 'intents' | 'emotion'> {
    return { intents: [...this.intent.timeline], emotion: this.emotion.latest };
  }

  /** Waits for every analysis already asked for (before the call's end is announced). */
  async drain(): Promise<void> {
    await Promise.all([this.intent.drain(), this.emotion.drain()]);
  }
}
