import { AGENT_UI_PROTOCOL_VERSION } from '@earpiece/assist-server/protocol';
import type {
  ArticleSuggestion,
  AssistAdviceEvent,
  ChecklistItem,
  ComplianceChecklistEvent,
  ComplianceSeverity,
  ComplianceWarningEvent,
  CustomerContext,
  CustomerContextEvent,
  SuggestionsEvent,
  EmotionEvent,
  EscalationEvent,
  IntentEvent,
  CallEndedEvent,
  CallSnapshotEvent,
  CallStartedEvent,
  CallSummary,
  LegRole,
  TranscriptFinalEvent,
  TranscriptPartialEvent,
} from '@earpiece/assist-server/protocol';

/** Builders for protocol messages used by specs (shapes follow protocol/agent-ui.ts). */
export const CALL_ID = 'call-1';
export const STARTED_AT_MS = 1_700_000_000_000;

export function summary(callId = CALL_ID): CallSummary {
  return {
    callId,
    agentId: 'agent-7',
    callerNumber: '•••• 4567',
    startedAtMs: STARTED_AT_MS,
    legs: ['agent', 'customer'],
    source: 'audiosocket',
  };
}

const base = (callId: string, seq: number) => ({
  v: AGENT_UI_PROTOCOL_VERSION as typeof AGENT_UI_PROTOCOL_VERSION,
  callId,
  seq,
  atMs: STARTED_AT_MS + seq * 100,
});

export function started(seq: number, callId = CALL_ID): CallStartedEvent {
  return { ...base(callId, seq), type: 'call.started', call: summary(callId) };
}

export function partial(seq: number, utteranceId: string, role: LegRole, text: string, startMs: number, callId = CALL_ID): TranscriptPartialEvent {
  return { ...base(callId, seq), type: 'transcript.partial', utteranceId, role, text, startMs };
}

export function final(seq: number, utteranceId: string, role: LegRole, text: string, startMs: number, callId = CALL_ID): TranscriptFinalEvent {
  return { ...base(callId, seq), type: 'transcript.final', utteranceId, role, text, startMs, endMs: startMs + 900, words: [] };
}

export function ended(seq: number, callId = CALL_ID): CallEndedEvent {
  return { ...base(callId, seq), type: 'call.ended', reason: 'hangup', durationMs: 61_000 };
}

type SnapshotParts = Partial<Pick<CallSnapshotEvent, 'finals' | 'partials' | 'ended' | 'held' | 'suggestions' | 'compliance' | 'advice' | 'customerContext'>>;

export function snapshot(seq: number, parts: SnapshotParts = {}, callId = CALL_ID): CallSnapshotEvent {
  return {
    ...base(callId, seq),
    type: 'call.snapshot',
    call: summary(callId),
    finals: parts.finals ?? [],
    partials: parts.partials ?? [],
    ended: parts.ended ?? false,
    held: parts.held ?? false,
    intents: [],
    emotion: null,
    ...(parts.suggestions !== undefined ? { suggestions: parts.suggestions } : {}),
    ...(parts.compliance !== undefined ? { compliance: parts.compliance } : {}),
    ...(parts.advice !== undefined ? { advice: parts.advice } : {}),
    ...(parts.customerContext !== undefined ? { customerContext: parts.customerContext } : {}),
  };
}

export function intent(seq: number, utteranceId: string, label: string, stage: 'early' | 'final', status: IntentEvent['status'] = 'predicted', callId = CALL_ID): IntentEvent {
  const prediction = { label, confidence: 0.9, top: [{ label, confidence: 0.9 }], outOfScope: label === 'oos', lowConfidence: false };
  return { ...base(callId, seq), type: 'intent', utteranceId, stage, status, prediction, modelVersion: 'test-1' };
}

export function emotion(seq: number, utteranceId: string, label: EmotionEvent['label'], trend: number, callId = CALL_ID): EmotionEvent {
  return { ...base(callId, seq), type: 'emotion', utteranceId, label, confidence: 0.8, cues: ['speaking louder than earlier in the call (+7 dB)'], arousal: 0.6, trend };
}

export function escalation(seq: number, utteranceId: string, callId = CALL_ID): EscalationEvent {
  return { ...base(callId, seq), type: 'emotion.escalation', utteranceId, reason: 'rising', trend: 0.6 };
}

export function article(articleId: string, intent: string | null = 'card_arrival', matchedTerms: string[] = ['card', 'arrive']): ArticleSuggestion {
  return {
    articleId,
    title: `Article ${articleId}`,
    answer: `Answer of ${articleId}: new cards arrive within 5 working days.`,
    confidence: 0.82,
    why: { intent, matchedTerms },
  };
}

export function suggestions(seq: number, utteranceId: string, stage: 'early' | 'final', list: ArticleSuggestion[], callId = CALL_ID): SuggestionsEvent {
  return { ...base(callId, seq), type: 'assist.suggestions', utteranceId, stage, suggestions: list };
}

export function warning(seq: number, ruleId: string, severity: ComplianceSeverity = 'warning', callId = CALL_ID): ComplianceWarningEvent {
  return {
    ...base(callId, seq),
    type: 'compliance.warning',
    ruleId,
    rulesVersion: 'rules-3',
    severity,
    title: `Rule ${ruleId}`,
    message: `Do something about ${ruleId}.`,
    utteranceId: null,
    role: null,
    evidence: null,
    offsetMs: seq * 1000,
  };
}

export function checklist(seq: number, items: ChecklistItem[], callId = CALL_ID): ComplianceChecklistEvent {
  return { ...base(callId, seq), type: 'compliance.checklist', rulesVersion: 'rules-3', items };
}

export function advice(seq: number, kind: AssistAdviceEvent['kind'], target: string | null, message: string, callId = CALL_ID): AssistAdviceEvent {
  return { ...base(callId, seq), type: 'assist.advice', kind, target, message, confidence: 0.7, utteranceId: null };
}

export function customerContext(seq: number, context: CustomerContext, callId = CALL_ID): CustomerContextEvent {
  return { ...base(callId, seq), type: 'customer.context', context };
}
