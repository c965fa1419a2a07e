/**
 * The call summary an agent hands over on a transfer: intent timeline, key facts (masked), what was
 * tried, what is open, and a short text rendering. Built only from what the call stored (masked
 * finals and call events, the recorded outcome, article feedback), so it works for live and ended
 * calls alike and needs no external service. Every text in it has passed the masking stage.
 */
import type { CallEvent, CustomerContext, FinalUtterance, LegRole, StoredCallHead } from '../../protocol/index.ts';
import type { CallOutcomeRecord } from '../../store/customer-history-store.ts';
import { renderCallSummaryText } from './call-summary-text.ts';

/** Who and when: the head of a summary, as stored for the call. */
export type SummaryCallHead = StoredCallHead;

export interface CallSummaryInput {
  call: SummaryCallHead;
  finals: FinalUtterance[];
  /** The call's stored events, in seq order. */
  events: CallEvent[];
  outcome?: CallOutcomeRecord | undefined;
  /** What agents did with suggested articles on this call, in order. */
  articleFeedback?: Array<{ articleId: string; action: string }> | undefined;
}

export interface IntentTimelineEntry {
  utteranceId: string;
  /** Leg clock of the utterance, ms (null when its final is not stored). */
  offsetMs: number | null;
  label: string;
  confidence: number;
  /** Out of scope or low confidence: shown, but not counted as what the customer asked. */
  uncertain: boolean;
  /** Masked. */
  text: string | null;
}

export interface KeyFact {
  utteranceId: string;
  role: LegRole;
  offsetMs: number;
  /** PII types it carried, e.g. CREDIT_CARD. */
  types: string[];
  /** The masked sentence. */
  text: string;
}

export interface TriedArticle {
  articleId: string;
  title: string;
  timesSuggested: number;
  /** What the agent did with it: used, copied, dismissed, not_helpful (latest per action, in order). */
  feedback: string[];
}

export interface TransferSummary extends SummaryCallHead {
  intentTimeline: IntentTimelineEntry[];
  keyFacts: KeyFact[];
  /** Keypad digits per leg (masked: counts only). */
  keypadDigits: Partial<Record<LegRole, number>>;
  tried: {
    articles: TriedArticle[];
    advice: Array<{ kind: string; target: string | null; message: string }>;
    complianceDone: string[];
    complianceWarnings: Array<{ ruleId: string; title: string; severity: string }>;
  };
  open: {
    /** The last confident, in-scope customer intent. */
    lastIntent: string | null;
    /** Outcome recorded at call end (null while live). */
    outcome: string | null;
    /** What is left to do: the recorded open issue, or (live) the last intent. */
    openIssue: string | null;
    transferTarget: string | null;
    escalations: Array<{ reason: string; trend: number; utteranceId: string }>;
    repeatedQuestions: number;
    complianceOwed: string[];
    /** The customer's latest emotion reading. */
    emotion: { label: string; trend: number } | null;
  };
  /** The caller's earlier calls, as shown at call start (masked), or null. */
  customerContext: CustomerContext | null;
  /** Plain-text rendering for a handover note. */
  text: string;
}

const PLACEHOLDER_TYPE = /\[([A-Z][A-Z0-9_]*)/g;

export function buildCallSummary(input: CallSummaryInput): TransferSummary {
  const finalsById = new Map(input.finals.map((f) => [f.utteranceId, f]));
  const intentTimeline: IntentTimelineEntry[] = [];
  const suggested = new Map<string, TriedArticle>();
  const advice: TransferSummary['tried']['advice'] = [];
  const warnings: TransferSummary['tried']['complianceWarnings'] = [];
  const escalations: TransferSummary['open']['escalations'] = [];
  const keypadDigits: TransferSummary['keypadDigits'] = {};
  let checklist: Array<{ title: string; status: string }> = [];
  let emotion: TransferSummary['open']['emotion'] = null;
  let customerContext: CustomerContext | null = null;

  for (const e of input.events) {
    switch (e.type) {
      case 'intent': {
        if (e.stage !== 'final') break;
        const u = finalsById.get(e.utteranceId);
        const p = e.prediction;
        intentTimeline.push({
          utteranceId: e.utteranceId,
          offsetMs: u?.startMs ?? null,
          label: p.label,
          confidence: p.confidence,
          uncertain: p.outOfScope || p.lowConfidence || p.label === 'oos',
          text: u?.text ?? null,
        });
        break;
      }
      case 'assist.suggestions':
        if (e.stage !== 'final') break;
        for (const s of e.suggestions) {
          const a = suggested.get(s.articleId) ?? { articleId: s.articleId, title: s.title, timesSuggested: 0, feedback: [] };
          a.timesSuggested++;
          suggested.set(s.articleId, a);
        }
        break;
      case 'assist.advice':
        advice.push({ kind: e.kind, target: e.target, message: e.message });
        break;
      case 'compliance.warning':
        warnings.push({ ruleId: e.ruleId, title: e.title, severity: e.severity });
        break;
      case 'compliance.checklist':
        checklist = e.items;
        break;
      case 'emotion':
        emotion = { label: e.label, trend: e.trend };
        break;
      case 'emotion.escalation':
        escalations.push({ reason: e.reason, trend: e.trend, utteranceId: e.utteranceId });
        break;
      case 'dtmf':
        keypadDigits[e.role] = (keypadDigits[e.role] ?? 0) + 1;
        break;
      case 'customer.context':
        customerContext = e.context;
        break;
      default:
        break;
    }
  }
  for (const f of input.articleFeedback ?? []) {
    const a = suggested.get(f.articleId);
    if (a && !a.feedback.includes(f.action)) a.feedback.push(f.action);
  }

  const keyFacts: KeyFact[] = [];
  for (const u of input.finals) {
    const types = [...new Set([...(u.entities ?? []).map((e) => e.type), ...[...u.text.matchAll(PLACEHOLDER_TYPE)].map((m) => m[1]!)])];
    if (types.length) keyFacts.push({ utteranceId: u.utteranceId, role: u.role, offsetMs: u.startMs, types, text: u.text });
  }

  const confident = intentTimeline.filter((i) => !i.uncertain);
  const lastIntent = confident.at(-1)?.label ?? null;
  const live = input.call.status === 'live';
  const outcome = input.outcome;
  const summary: Omit<TransferSummary, 'text'> = {
    ...input.call,
    intentTimeline,
    keyFacts,
    keypadDigits,
    tried: {
      articles: [...suggested.values()],
      advice,
      complianceDone: checklist.filter((i) => i.status === 'done').map((i) => i.title),
      complianceWarnings: warnings,
    },
    open: {
      lastIntent,
      outcome: outcome?.outcome ?? null,
      openIssue: outcome ? outcome.openIssue : live ? lastIntent : null,
      transferTarget: outcome?.transferTarget ?? [...advice].reverse().find((a) => a.kind === 'transfer')?.target ?? null,
      escalations,
      repeatedQuestions: advice.filter((a) => a.kind === 'repeated-question').length,
      complianceOwed: checklist.filter((i) => i.status !== 'done').map((i) => i.title),
      emotion,
    },
    customerContext,
  };
  return { ...summary, text: renderCallSummaryText(summary) };
}
