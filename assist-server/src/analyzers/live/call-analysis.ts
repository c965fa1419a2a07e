/**
 * Everything that runs on a live call after masking: intent and emotion of the customer leg (masked
 * text only; audio for acoustic cues) when NLU models are loaded, and the pluggable analyzers
 * (suggestions, compliance, advice: live-analyzer.ts), which also see the intent and emotion
 * readings. CallSession feeds it and numbers what it emits.
 */
import type { Logger } from 'pino';
import type { CallSnapshotEvent, FinalUtterance, LegRole } from '../../protocol/index.ts';
import type { NluClient } from '../nlu-client.ts';
import { EmotionTracker, type CustomerUtteranceAudio, type EmotionBody, type EmotionTrackerOptions, type EscalationBody } from './emotion-tracker.ts';
import { IntentTracker, type IntentBody } from './intent-tracker.ts';
import type { AnalyzerEventBody, InsightBody, LiveAnalyzer, LiveAnalyzerFactory, LiveCallContext } from './live-analyzer.ts';

export type AnalysisBody = IntentBody | EmotionBody | EscalationBody | AnalyzerEventBody;

export interface CallAnalysisOptions {
  nlu?: NluClient | undefined;
  emotion?: EmotionTrackerOptions | undefined;
  analyzers?: LiveAnalyzerFactory[] | undefined;
}

export class CallAnalysis {
  private readonly intent: IntentTracker | undefined;
  private readonly emotion: EmotionTracker | undefined;
  private readonly analyzers: LiveAnalyzer[] = [];
  private clockMs = 0;

  constructor(
    context: Omit<LiveCallContext, 'emit' | 'log'>,
    emit: (body: AnalysisBody) => void,
    private readonly log: Logger,
    options: CallAnalysisOptions,
  ) {
    const onError = (what: string) => (err: Error) => log.warn({ err: err.message }, `${what} analysis failed for an utterance`);
    // Readings go to the agent first, then to the analyzers that build on them.
    const insight = (body: InsightBody) => {
      emit(body);
      this.each('insight', (a) => a.onInsight?.(body));
    };
    if (options.nlu) {
      this.intent = new IntentTracker(options.nlu, insight, onError('intent'));
      this.emotion = new EmotionTracker(options.nlu, insight, onError('emotion'), options.emotion);
    }
    for (const factory of options.analyzers ?? []) {
      try {
        const analyzer = factory({ ...context, log, emit });
        if (analyzer) this.analyzers.push(analyzer);
      } catch (err) {
        log.error({ err: (err as Error).message }, 'a live analyzer failed to start: the call runs without it');
      }
    }
  }

  onAudio(role: LegRole, pcm: Int16Array, sampleRateHz: number, legEndMs: number): void {
    if (this.emotion?.enabled) this.emotion.onAudio(role, pcm, sampleRateHz);
    if (legEndMs <= this.clockMs) return;
    this.clockMs = legEndMs;
    this.each('clock', (a) => a.onClock?.(legEndMs));
  }

  onPartial(role: LegRole, utteranceId: string, maskedText: string, startMs: number): void {
    if (role === 'customer') this.intent?.onPartial(utteranceId, maskedText);
    this.each('partial', (a) => a.onPartial?.(role, utteranceId, maskedText, startMs));
  }

  onFinal(utterance: FinalUtterance, audio: CustomerUtteranceAudio | undefined): void {
    if (utterance.role === 'customer') {
      this.intent?.onFinal(utterance.utteranceId, utterance.text);
      this.emotion?.onCustomerFinal(utterance.utteranceId, utterance.text, utterance.startMs, utterance.endMs, utterance.words, audio);
    }
    this.each('final', (a) => a.onFinal?.(utterance));
  }

  onDtmf(role: LegRole, offsetMs: number): void {
    this.each('dtmf', (a) => a.onDtmf?.(role, offsetMs));
  }

  onHold(held: boolean): void {
    this.each('hold', (a) => a.onHold?.(held, this.clockMs));
  }

  /** Analyzers see the end; waits for every analysis already asked for (before call.ended is announced). */
  async end(): Promise<void> {
    await Promise.all([this.intent?.drain(), this.emotion?.drain()]);
    this.each('end', (a) => a.onEnd?.(this.clockMs));
    await Promise.all(this.analyzers.map((a) => a.drain?.()));
  }

  snapshot(): Pick<CallSnapshotEvent, 'intents' | 'emotion'> & ReturnType<NonNullable<LiveAnalyzer['snapshot']>> {
    let out: ReturnType<CallAnalysis['snapshot']> = { intents: this.intent ? [...this.intent.timeline] : [], emotion: this.emotion?.latest ?? null };
    for (const a of this.analyzers) out = { ...out, ...a.snapshot?.() };
    return out;
  }

  /** One analyzer's failure is logged and never reaches the call or the other analyzers. */
  private each(hook: string, run: (a: LiveAnalyzer) => void): void {
    for (const a of this.analyzers) {
      try {
        run(a);
      } catch (err) {
        this.log.error({ err: (err as Error).message, hook }, 'a live analyzer failed');
      }
    }
  }
}
