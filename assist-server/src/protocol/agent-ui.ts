/**
 * assist-server ↔ agent UI protocol (WebSocket `/ws/agent`), version 1.
 *
 * Every server message carries `v` (protocol version) and, for call events, a per-call `seq`
 * that rises by one per event, so a client sees gaps and duplicates. After a reconnect the
 * server first sends a `call.snapshot` of each live call the agent is on; the client replaces its
 * state for that call with it and then applies events with a higher `seq` only.
 *
 * All text in these messages has passed the masking stage: nothing here is raw transcript.
 */
import { z } from 'zod';
import type { LegRole } from './ingest.ts';

export const AGENT_UI_PROTOCOL_VERSION = 1;
export const AGENT_SOCKET_PATH = '/ws/agent';

export interface TranscriptWord {
  word: string;
  startMs: number;
  endMs: number;
  /** 0..1 */
  confidence: number;
}

export interface CallSummary {
  callId: string;
  agentId: string;
  /** Masked for display, e.g. `•••• 4567`. */
  callerNumber: string | null;
  startedAtMs: number;
  legs: LegRole[];
  source: string;
}

/** A masked PII entity: where its placeholder sits and which audio it covered (redacted in the recording). */
export interface MaskedEntityRef {
  /** e.g. CREDIT_CARD, EMAIL, DATE_OF_BIRTH */
  type: string;
  /** Index of its placeholder word in the utterance's `words`. */
  wordIndex: number;
  /** The recognizer words it replaced: index range, end exclusive. */
  start: number;
  end: number;
  /** Leg clock, ms. */
  startMs: number;
  endMs: number;
  /** 0..1 */
  confidence: number;
}

export interface FinalUtterance {
  utteranceId: string;
  role: LegRole;
  /** Masked text: PII replaced by `[TYPE]` (or `[TYPE …1234]` where policy keeps the last 4). */
  text: string;
  startMs: number;
  endMs: number;
  /** Masked words: each entity is one placeholder word spanning its audio. */
  words: TranscriptWord[];
  /** Masked entities; absent on utterances stored before masking existed. */
  entities?: MaskedEntityRef[];
}

interface CallEventBase {
  v: typeof AGENT_UI_PROTOCOL_VERSION;
  callId: string;
  seq: number;
  /** Server wall-clock time the event was produced, ms since the epoch. */
  atMs: number;
}

export type CallStartedEvent = CallEventBase & { type: 'call.started'; call: CallSummary };

/** A hypothesis that may still change; replaces the previous partial of the same utterance. */
export type TranscriptPartialEvent = CallEventBase & {
  type: 'transcript.partial';
  utteranceId: string;
  role: LegRole;
  text: string;
  startMs: number;
};

/** The settled text of one utterance; replaces its partial. */
export type TranscriptFinalEvent = CallEventBase & { type: 'transcript.final' } & FinalUtterance;

/** A keypad digit; `digit` is already masked (e.g. `•`). */
export type DtmfEvent = CallEventBase & { type: 'dtmf'; role: LegRole; digit: string; /** leg clock, ms since call start */ offsetMs: number };

export type CallHoldEvent = CallEventBase & { type: 'call.hold'; held: boolean };

export type CallEndedEvent = CallEventBase & { type: 'call.ended'; reason: string; durationMs: number };

/** What the intent model makes of one customer utterance. `outOfScope` and `lowConfidence` are answers too. */
export interface IntentPrediction {
  /** Intent name from the domain pack, or `oos`. */
  label: string;
  /** 0..1 */
  confidence: number;
  /** Best three, best first. */
  top: Array<{ label: string; confidence: number }>;
  outOfScope: boolean;
  lowConfidence: boolean;
}

/**
 * Intent of a customer utterance: `early` from a partial with enough words, then `final` from the
 * final transcript, which says whether it `confirmed` or `revised` the early guess (`predicted`
 * when there was none).
 */
export type IntentEvent = CallEventBase & {
  type: 'intent';
  utteranceId: string;
  stage: 'early' | 'final';
  status: 'predicted' | 'confirmed' | 'revised';
  prediction: IntentPrediction;
  modelVersion: string;
};

export type CustomerEmotionLabel = 'angry' | 'frustrated' | 'confused' | 'neutral' | 'satisfied' | 'sad';

/** The customer's emotion after one utterance: text model fused with acoustic cues, and the call's trend. */
export type EmotionEvent = CallEventBase & {
  type: 'emotion';
  utteranceId: string;
  label: CustomerEmotionLabel;
  confidence: number;
  /** Short reasons an agent can read ("speaking louder than earlier in the call (+7 dB)"). */
  cues: string[];
  /** 0..1, from the voice. */
  arousal: number;
  /** Smoothed negativity of the call so far, 0 (content) .. 1 (angry). */
  trend: number;
};

/** The customer's state is getting worse: raised once per episode. */
export type EscalationEvent = CallEventBase & { type: 'emotion.escalation'; utteranceId: string; reason: 'rising' | 'persistent-anger'; trend: number };

/** A knowledge-base article suggested for what the customer is asking. */
export interface ArticleSuggestion {
  articleId: string;
  title: string;
  /** What the agent can read out. */
  answer: string;
  /** 0..1 */
  confidence: number;
  /** Why it was chosen: the intent it is tagged with, and the words of the utterance it matched. */
  why: { intent: string | null; matchedTerms: string[] };
}

/**
 * Suggested articles for a customer utterance, best first (at most a few): `early` from a partial's
 * intent guess, `final` once the utterance is final. An empty list withdraws earlier suggestions.
 */
export type SuggestionsEvent = CallEventBase & { type: 'assist.suggestions'; utteranceId: string; stage: 'early' | 'final'; suggestions: ArticleSuggestion[] };

export type ComplianceSeverity = 'info' | 'warning' | 'critical';

/** A compliance rule fired (or its deadline passed): shown to the agent, stored with the call for reviewers. */
export type ComplianceWarningEvent = CallEventBase & {
  type: 'compliance.warning';
  ruleId: string;
  /** Version of the rules file the rule came from. */
  rulesVersion: string;
  severity: ComplianceSeverity;
  title: string;
  /** What to do about it, for the agent. */
  message: string;
  /** The utterance that fired it (null for deadlines, holds, silences). */
  utteranceId: string | null;
  role: LegRole | null;
  /** Masked words that matched, if any. */
  evidence: string | null;
  /** Call clock, ms since the call started. */
  offsetMs: number;
};

export interface ChecklistItem {
  ruleId: string;
  title: string;
  status: 'owed' | 'done' | 'missed';
  /** Call clock deadline, ms; null when the step has no deadline. */
  dueOffsetMs: number | null;
}

/** What the agent still owes on this call (required phrases and steps); sent whenever an item changes. */
export type ComplianceChecklistEvent = CallEventBase & { type: 'compliance.checklist'; rulesVersion: string; items: ChecklistItem[] };

/** Advice beyond articles: a transfer target, self-service, or a nudge (repeated question, open issue). */
export type AssistAdviceEvent = CallEventBase & {
  type: 'assist.advice';
  kind: 'transfer' | 'self-service' | 'repeated-question' | 'open-issue';
  /** Skill queue for `transfer`. */
  target: string | null;
  message: string;
  /** 0..1 */
  confidence: number;
  utteranceId: string | null;
};

/** The caller's history, looked up by number at call start (masked). */
export interface CustomerContext {
  previousCalls: Array<{ callId: string; startedAtMs: number; intents: string[]; outcome: string | null; openIssue: string | null }>;
}

export type CustomerContextEvent = CallEventBase & { type: 'customer.context'; context: CustomerContext };

export type CallSnapshotEvent = CallEventBase & {
  type: 'call.snapshot';
  call: CallSummary;
  finals: FinalUtterance[];
  /** Current partial per leg, if one is open. */
  partials: Array<{ utteranceId: string; role: LegRole; text: string; startMs: number }>;
  ended: boolean;
  held: boolean;
  /** Final intent per customer utterance so far (the intent timeline), oldest first. */
  intents: Array<Omit<IntentEvent, keyof CallEventBase | 'type'>>;
  /** Latest customer emotion, if any. */
  emotion: Omit<EmotionEvent, keyof CallEventBase | 'type'> | null;
  /** Latest suggestions (absent when assist is off). */
  suggestions?: Omit<SuggestionsEvent, keyof CallEventBase | 'type'> | null;
  /** Compliance warnings so far and the current checklist (absent when compliance is off). */
  compliance?: { warnings: Array<Omit<ComplianceWarningEvent, keyof CallEventBase | 'type'>>; checklist: ChecklistItem[]; rulesVersion: string };
  advice?: Array<Omit<AssistAdviceEvent, keyof CallEventBase | 'type'>>;
  customerContext?: CustomerContext | null;
};

export type CallEvent =
  | CallStartedEvent
  | TranscriptPartialEvent
  | TranscriptFinalEvent
  | DtmfEvent
  | CallHoldEvent
  | CallEndedEvent
  | IntentEvent
  | EmotionEvent
  | EscalationEvent
  | SuggestionsEvent
  | ComplianceWarningEvent
  | ComplianceChecklistEvent
  | AssistAdviceEvent
  | CustomerContextEvent;

export type AgentServerMessage =
  | CallEvent
  | CallSnapshotEvent
  /** First message on every connection; calls the client holds that are not in liveCallIds have ended. */
  | { v: typeof AGENT_UI_PROTOCOL_VERSION; type: 'session.ready'; agentId: string; serverTimeMs: number; liveCallIds: string[] }
  | { v: typeof AGENT_UI_PROTOCOL_VERSION; type: 'error'; code: string; message: string };

export type CallEventType = CallEvent['type'];

/** Messages the UI sends. */
export const AgentClientMessage = z.discriminatedUnion('type', [
  /** Asks again for the snapshot of one call (after a seq gap). */
  z.object({ type: z.literal('snapshot.request'), callId: z.string().min(1).max(128) }),
  z.object({ type: z.literal('ping') }),
  /** What the agent did with a suggested article; shifts future ranking. */
  z.object({
    type: z.literal('assist.feedback'),
    callId: z.string().min(1).max(128),
    articleId: z.string().min(1).max(128),
    utteranceId: z.string().min(1).max(128).optional(),
    action: z.enum(['used', 'copied', 'dismissed', 'not_helpful']),
  }),
]);
export type AgentClientMessage = z.infer<typeof AgentClientMessage>;

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
