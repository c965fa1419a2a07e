/**
 * The assist part of a call's state (suggested articles, compliance, advice): the shapes kept per
 * call and the pure helpers the call reducer folds events with.
 */
import type { AssistAdviceEvent, CallSnapshotEvent, ComplianceWarningEvent, SuggestionsEvent } from '@earpiece/assist-server/protocol';

type Body<E> = Omit<E, 'v' | 'callId' | 'seq' | 'atMs' | 'type'>;

/** Suggested articles for one customer utterance, best first. */
export type SuggestionSet = NonNullable<CallSnapshotEvent['suggestions']>;
export type ComplianceWarning = Body<ComplianceWarningEvent>;
export type AdviceItem = Body<AssistAdviceEvent>;

/** Warnings kept per call (a long call with a noisy rule must not grow state without end). */
export const MAX_WARNINGS_KEPT = 50;
/** Advice items kept per call. */
export const MAX_ADVICE_KEPT = 10;

/**
 * The newest suggestion list wins: the final list of an utterance replaces its early one, and the
 * list for a newer utterance replaces the previous utterance's. An empty list withdraws what was shown.
 */
export function nextSuggestions(event: SuggestionsEvent): SuggestionSet | null {
  if (event.suggestions.length === 0) return null;
  return { utteranceId: event.utteranceId, stage: event.stage, suggestions: event.suggestions };
}

/** Appends a warning, keeping the newest MAX_WARNINGS_KEPT. */
export function addWarning(warnings: ComplianceWarning[], warning: ComplianceWarning): ComplianceWarning[] {
  return [...warnings, warning].slice(-MAX_WARNINGS_KEPT);
}

const adviceKey = (a: AdviceItem) => `${a.kind}\u0000${a.target ?? ''}`;

/**
 * Appends advice; an item with the same kind and target as an earlier one replaces it (and moves
 * to the end, as the newest), so the strip never shows the same nudge twice. Keeps the newest MAX_ADVICE_KEPT.
 */
export function addAdvice(advice: AdviceItem[], item: AdviceItem): AdviceItem[] {
  const key = adviceKey(item);
  return [...advice.filter((a) => adviceKey(a) !== key), item].slice(-MAX_ADVICE_KEPT);
}
