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
  | EscalationEvent;

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
]);
export type AgentClientMessage = z.infer<typeof AgentClientMessage>;

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
