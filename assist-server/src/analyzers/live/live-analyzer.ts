/**
 * The extension point of the live path: each analyzer (assist suggestions, compliance, routing
 * advice …) gets one instance per call, sees the call's masked transcript, the customer's intent and
 * emotion readings and the call clock, and emits its own events to the agent. Analyzers never see
 * raw text or audio. Hooks run on the event loop: keep them quick, or hand the work to a worker.
 */
import type { Logger } from 'pino';
import type { CallEvent, CallSnapshotEvent, CallSummary, FinalUtterance, LegRole } from '../../protocol/index.ts';
import type { EmotionBody, EscalationBody } from './emotion-tracker.ts';
import type { IntentBody } from './intent-tracker.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event body as an analyzer emits it (the session adds v, callId, seq, atMs). */
export type AnalyzerEventBody = DistributiveOmit<
  Extract<CallEvent, { type: 'assist.suggestions' | 'compliance.warning' | 'compliance.checklist' | 'assist.advice' | 'customer.context' }>,
  'v' | 'callId' | 'seq' | 'atMs'
>;

/** The customer's intent, emotion and escalation readings, as the agent gets them. */
export type InsightBody = IntentBody | EmotionBody | EscalationBody;

export type AnalyzerSnapshot = Partial<Pick<CallSnapshotEvent, 'suggestions' | 'compliance' | 'advice' | 'customerContext'>>;

export interface LiveCallContext {
  call: CallSummary;
  /**
   * Stable key of the caller's number for looking up earlier calls (a keyed hash: never the number
   * itself); null when the number is unknown or withheld.
   */
  callerKey: string | null;
  log: Logger;
  emit(body: AnalyzerEventBody): void;
}

export interface LiveAnalyzer {
  /** The call clock advanced: ms of audio since the call started (the furthest leg). Deadlines fire here. */
  onClock?(offsetMs: number): void;
  onPartial?(role: LegRole, utteranceId: string, maskedText: string, startMs: number): void;
  /** A final utterance of either leg, after the agent got it. */
  onFinal?(utterance: FinalUtterance): void;
  /** A customer intent, emotion or escalation reading, after the agent got it. */
  onInsight?(body: InsightBody): void;
  onDtmf?(role: LegRole, offsetMs: number): void;
  onHold?(held: boolean, offsetMs: number): void;
  /** The call is ending (before call.ended is announced): last chance to emit. */
  onEnd?(offsetMs: number): void;
  snapshot?(): AnalyzerSnapshot;
  /** Resolves once work already asked for is done. */
  drain?(): Promise<void>;
}

/** Builds an analyzer for one call, or undefined to sit this call out. */
export type LiveAnalyzerFactory = (context: LiveCallContext) => LiveAnalyzer | undefined;
