import { assertNever } from '@earpiece/assist-server/protocol';
import type {
  AgentServerMessage,
  CallSnapshotEvent,
  CallSummary,
  ChecklistItem,
  CustomerContext,
  FinalUtterance,
  IntentEvent,
  LegRole,
} from '@earpiece/assist-server/protocol';
import { addAdvice, addWarning, MAX_ADVICE_KEPT, MAX_WARNINGS_KEPT, nextSuggestions } from './assist-state.ts';
import type { AdviceItem, ComplianceWarning, SuggestionSet } from './assist-state.ts';

/** One intent reading of a customer utterance (early or final). */
export type IntentReading = Omit<IntentEvent, 'v' | 'callId' | 'seq' | 'atMs' | 'type'>;
export type EmotionReading = NonNullable<CallSnapshotEvent['emotion']>;

export interface OpenPartial {
  utteranceId: string;
  role: LegRole;
  text: string;
  startMs: number;
}

export interface CallEnd {
  reason: string;
  durationMs: number;
}

export interface CallState {
  callId: string;
  /** Null until `call.started` or a snapshot arrives (events can outrun it after a gap). */
  summary: CallSummary | null;
  /** Settled utterances, ordered by `startMs` (stable for equal starts). */
  finals: FinalUtterance[];
  /** The open partial per leg, if any. */
  partials: Partial<Record<LegRole, OpenPartial>>;
  ended: boolean;
  end: CallEnd | null;
  /** The call is on hold (hold is not a hang-up). */
  held: boolean;
  /** The newest intent reading (an early guess until its final arrives). */
  intent: IntentReading | null;
  /** Final intents of the customer's utterances, oldest first. */
  intentTimeline: IntentReading[];
  /** The customer's latest emotion, and escalation alerts raised in this call. */
  emotion: EmotionReading | null;
  /** The call's smoothed emotion trend after each reading, oldest first (the last {@link MAX_TREND_KEPT}). */
  emotionTrend: number[];
  escalations: Array<{ utteranceId: string; reason: string; trend: number; atMs: number }>;
  /** Keypad presses, masked by the server (e.g. `•`), in order. */
  dtmf: Array<{ role: LegRole; digit: string; offsetMs: number }>;
  /** Suggested articles for the latest customer utterance that has any (null: none, or withdrawn). */
  suggestions: SuggestionSet | null;
  /** Compliance warnings raised in this call, oldest first (the newest MAX_WARNINGS_KEPT). */
  warnings: ComplianceWarning[];
  /** What the agent still owes; replaced whole on each `compliance.checklist`. */
  checklist: ChecklistItem[];
  rulesVersion: string | null;
  /** Routing advice and nudges, oldest first, one per kind + target. */
  advice: AdviceItem[];
  /** The caller's previous calls, looked up at call start. */
  customerContext: CustomerContext | null;
  /** Highest seq applied; events at or below it are ignored. */
  lastSeq: number;
  /** Server time of the latest applied event. */
  lastEventAtMs: number;
}

export interface AgentState {
  agentId: string | null;
  /** Server clock at `session.ready`, for callers that want to estimate clock skew. */
  serverTimeMs: number | null;
  calls: Record<string, CallState>;
  /** Call ids in the order the calls first appeared (oldest first). */
  callOrder: string[];
  lastError: { code: string; message: string } | null;
}

/** Ended calls kept for reading back; older ended calls are dropped so state stays bounded. */
export const MAX_ENDED_CALLS_KEPT = 3;
/** Emotion trend points kept per call (enough to say where it is heading). */
export const MAX_TREND_KEPT = 20;
/** Keypad presses kept per call (enough for a card number and a PIN). */
export const MAX_DTMF_KEPT = 40;

export const initialAgentState: AgentState = {
  agentId: null,
  serverTimeMs: null,
  calls: {},
  callOrder: [],
  lastError: null,
};

function emptyCall(callId: string): CallState {
  return {
    callId,
    summary: null,
    finals: [],
    partials: {},
    ended: false,
    end: null,
    held: false,
    intent: null,
    intentTimeline: [],
    emotion: null,
    emotionTrend: [],
    escalations: [],
    dtmf: [],
    suggestions: null,
    warnings: [],
    checklist: [],
    rulesVersion: null,
    advice: [],
    customerContext: null,
    lastSeq: Number.NEGATIVE_INFINITY,
    lastEventAtMs: 0,
  };
}

/** The trend history after a snapshot: what we had, plus the snapshot's latest point if it is new. */
function withTrend(history: number[], latest: number | undefined): number[] {
  if (latest === undefined || history[history.length - 1] === latest) return history;
  return [...history, latest].slice(-MAX_TREND_KEPT);
}

/** Inserts or replaces (same utteranceId) a final, keeping `startMs` order. */
function upsertFinal(finals: FinalUtterance[], utterance: FinalUtterance): FinalUtterance[] {
  const rest = finals.filter((f) => f.utteranceId !== utterance.utteranceId);
  let index = rest.length;
  while (index > 0 && rest[index - 1]!.startMs > utterance.startMs) index -= 1;
  return [...rest.slice(0, index), utterance, ...rest.slice(index)];
}

function withoutPartial(
  partials: CallState['partials'],
  utteranceId: string,
): CallState['partials'] {
  const next: CallState['partials'] = {};
  for (const [role, partial] of Object.entries(partials) as Array<[LegRole, OpenPartial]>) {
    if (partial.utteranceId !== utteranceId) next[role] = partial;
  }
  return next;
}

function toFinal(message: FinalUtterance): FinalUtterance {
  const { utteranceId, role, text, startMs, endMs, words, entities } = message;
  return { utteranceId, role, text, startMs, endMs, words, ...(entities ? { entities } : {}) };
}

function putCall(state: AgentState, call: CallState): AgentState {
  const known = call.callId in state.calls;
  const calls = { ...state.calls, [call.callId]: call };
  const callOrder = known ? state.callOrder : [...state.callOrder, call.callId];
  return pruneEndedCalls({ ...state, calls, callOrder });
}

function pruneEndedCalls(state: AgentState): AgentState {
  const ended = state.callOrder.filter((id) => state.calls[id]?.ended);
  if (ended.length <= MAX_ENDED_CALLS_KEPT) return state;
  const drop = new Set(ended.slice(0, ended.length - MAX_ENDED_CALLS_KEPT));
  const calls: Record<string, CallState> = {};
  for (const id of state.callOrder) if (!drop.has(id)) calls[id] = state.calls[id]!;
  return { ...state, calls, callOrder: state.callOrder.filter((id) => !drop.has(id)) };
}

/**
 * Folds one server message into the agent's state. Pure: no clock, no I/O.
 * A `call.snapshot` replaces that call's state whatever its seq (the server may have restarted);
 * any other call event at or below the call's last seq is a duplicate or stale and is ignored.
 */
export function callReducer(state: AgentState, message: AgentServerMessage): AgentState {
  switch (message.type) {
    case 'session.ready': {
      // Calls we hold that the server no longer has live ended while we were away.
      const live = new Set(message.liveCallIds);
      const calls: Record<string, CallState> = {};
      for (const [id, call] of Object.entries(state.calls)) calls[id] = call.ended || live.has(id) ? call : { ...call, ended: true, partials: {} };
      return pruneEndedCalls({ ...state, calls, agentId: message.agentId, serverTimeMs: message.serverTimeMs });
    }
    case 'error':
      return { ...state, lastError: { code: message.code, message: message.message } };
    case 'call.snapshot': {
      const partials: CallState['partials'] = {};
      for (const p of message.partials) partials[p.role] = { ...p };
      const finals = [...message.finals].map(toFinal).sort((a, b) => a.startMs - b.startMs);
      const known = state.calls[message.callId];
      return putCall(state, {
        callId: message.callId,
        summary: message.call,
        finals,
        partials,
        ended: message.ended,
        end: message.ended ? (known?.end ?? null) : null,
        held: message.held,
        intent: message.intents[message.intents.length - 1] ?? null,
        intentTimeline: [...message.intents],
        emotion: message.emotion,
        emotionTrend: withTrend(known?.emotionTrend ?? [], message.emotion?.trend),
        escalations: known?.escalations ?? [],
        dtmf: known?.dtmf ?? [],
        // Absent assist fields mean the feature is off on that server: nothing to show.
        suggestions: message.suggestions && message.suggestions.suggestions.length > 0 ? { ...message.suggestions } : null,
        warnings: (message.compliance?.warnings ?? []).slice(-MAX_WARNINGS_KEPT),
        checklist: message.compliance?.checklist ?? [],
        rulesVersion: message.compliance?.rulesVersion ?? null,
        advice: (message.advice ?? []).reduce(addAdvice, [] as AdviceItem[]).slice(-MAX_ADVICE_KEPT),
        customerContext: message.customerContext ?? null,
        lastSeq: message.seq,
        lastEventAtMs: message.atMs,
      });
    }
    case 'call.started':
    case 'transcript.partial':
    case 'transcript.final':
    case 'dtmf':
    case 'call.hold':
    case 'call.ended':
    case 'intent':
    case 'emotion':
    case 'emotion.escalation':
    case 'assist.suggestions':
    case 'compliance.warning':
    case 'compliance.checklist':
    case 'assist.advice':
    case 'customer.context': {
      const current = state.calls[message.callId] ?? emptyCall(message.callId);
      if (message.seq <= current.lastSeq) return state;
      const call: CallState = { ...current, lastSeq: message.seq, lastEventAtMs: message.atMs };
      switch (message.type) {
        case 'call.started':
          call.summary = message.call;
          break;
        case 'transcript.partial':
          // A late partial for an utterance that is already final must not resurrect it.
          if (!call.finals.some((f) => f.utteranceId === message.utteranceId)) {
            const { utteranceId, role, text, startMs } = message;
            call.partials = { ...call.partials, [role]: { utteranceId, role, text, startMs } };
          }
          break;
        case 'transcript.final':
          call.finals = upsertFinal(call.finals, toFinal(message));
          call.partials = withoutPartial(call.partials, message.utteranceId);
          break;
        case 'dtmf':
          call.dtmf = [...call.dtmf, { role: message.role, digit: message.digit, offsetMs: message.offsetMs }].slice(-MAX_DTMF_KEPT);
          break;
        case 'call.hold':
          call.held = message.held;
          break;
        case 'intent': {
          const { utteranceId, stage, status, prediction, modelVersion } = message;
          const reading: IntentReading = { utteranceId, stage, status, prediction, modelVersion };
          call.intent = reading;
          if (stage === 'final') call.intentTimeline = [...call.intentTimeline, reading];
          break;
        }
        case 'emotion': {
          const { utteranceId, label, confidence, cues, arousal, trend } = message;
          call.emotion = { utteranceId, label, confidence, cues, arousal, trend };
          call.emotionTrend = [...call.emotionTrend, trend].slice(-MAX_TREND_KEPT);
          break;
        }
        case 'emotion.escalation':
          call.escalations = [...call.escalations, { utteranceId: message.utteranceId, reason: message.reason, trend: message.trend, atMs: message.atMs }];
          break;
        case 'assist.suggestions':
          call.suggestions = nextSuggestions(message);
          break;
        case 'compliance.warning': {
          const { ruleId, rulesVersion, severity, title, message: text, utteranceId, role, evidence, offsetMs } = message;
          call.warnings = addWarning(call.warnings, { ruleId, rulesVersion, severity, title, message: text, utteranceId, role, evidence, offsetMs });
          break;
        }
        case 'compliance.checklist':
          call.checklist = message.items;
          call.rulesVersion = message.rulesVersion;
          break;
        case 'assist.advice': {
          const { kind, target, message: text, confidence, utteranceId } = message;
          call.advice = addAdvice(call.advice, { kind, target, message: text, confidence, utteranceId });
          break;
        }
        case 'customer.context':
          call.customerContext = message.context;
          break;
        case 'call.ended':
          call.held = false;
          call.ended = true;
          call.end = { reason: message.reason, durationMs: message.durationMs };
          call.partials = {};
          break;
        default:
          return assertNever(message);
      }
      return putCall(state, call);
    }
    default:
      return assertNever(message);
  }
}
