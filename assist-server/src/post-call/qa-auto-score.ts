/**
 * QA auto-score: a first scorecard (reviewer `auto`) from the call's compliance rules, hits and
 * checklist, and its resolution, so reviewers start from it. Each criterion 0..5 or n/a:
 *   greeting      the share of the `required` rules' checklist items done (e.g. the recording disclosure)
 *   verification  `ordered` rules (identity before account details): 5 without a hit, 0 with one; n/a without such rules
 *   accuracy      5 minus 2 per `phrase` hit (promised returns, profanity…), at least 0
 *   empathy       5 minus 1 per `emotion` hit or escalation; n/a when no emotion was read
 *   compliance    the call's compliance score (0..100) / 20, rounded; n/a when compliance was off
 *   resolution    resolved 5, unresolved 1, unknown n/a
 * A hit of a rule no longer in the rules file counts toward compliance only.
 */
import type { CallEvent, QaScore, QaScorecard } from '../protocol/index.ts';
import type { CallMetrics } from '../store/call-metrics-store.ts';
import type { ComplianceHit } from '../store/compliance-store.ts';

export const AUTO_REVIEWER = 'auto';

export type RuleKind = 'required' | 'ordered' | 'phrase' | 'pii' | 'hold' | 'silence' | 'emotion';

export interface QaAutoScoreInput {
  callId: string;
  events: CallEvent[];
  hits: ComplianceHit[];
  metrics: CallMetrics;
  /** Kind of each rule id of the current rules file. */
  ruleKinds: ReadonlyMap<string, RuleKind>;
  nowMs?: number;
}

const clamp = (x: number): QaScore => Math.max(0, Math.min(5, Math.round(x))) as QaScore;

export function autoScorecard(input: QaAutoScoreInput): QaScorecard {
  const kindOf = (h: ComplianceHit) => input.ruleKinds.get(h.ruleId);
  const checklist = [...input.events].reverse().find((e): e is Extract<CallEvent, { type: 'compliance.checklist' }> => e.type === 'compliance.checklist');
  const required = (checklist?.items ?? []).filter((i) => input.ruleKinds.get(i.ruleId) === 'required');
  const hasOrdered = [...input.ruleKinds.values()].includes('ordered');
  const phraseHits = input.hits.filter((h) => kindOf(h) === 'phrase').length;
  const emotionHits = input.hits.filter((h) => kindOf(h) === 'emotion').length + input.events.filter((e) => e.type === 'emotion.escalation').length;
  const emotionRead = input.events.some((e) => e.type === 'emotion');
  const m = input.metrics;
  const scores = {
    greeting: required.length ? clamp((5 * required.filter((i) => i.status === 'done').length) / required.length) : ('n/a' as const),
    verification: hasOrdered ? clamp(input.hits.some((h) => kindOf(h) === 'ordered') ? 0 : 5) : ('n/a' as const),
    accuracy: clamp(5 - 2 * phraseHits),
    empathy: emotionRead || emotionHits ? clamp(5 - emotionHits) : ('n/a' as const),
    compliance: m.complianceScore === null ? ('n/a' as const) : clamp(m.complianceScore / 20),
    resolution: m.resolution === 'resolved' ? clamp(5) : m.resolution === 'unresolved' ? clamp(1) : ('n/a' as const),
  };
  const fired = [...new Set(input.hits.map((h) => h.ruleId))];
  return {
    callId: input.callId,
    reviewer: AUTO_REVIEWER,
    scores,
    comment: `Scored automatically from the compliance rules${fired.length ? ` (fired: ${fired.join(', ')})` : ' (no rule fired)'}; resolution ${m.resolution} (${m.resolutionSource}).`,
    updatedAtMs: input.nowMs ?? Date.now(),
  };
}
