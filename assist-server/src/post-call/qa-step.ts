/** Step "qa": the auto scorecard (qa-auto-score.ts) saved as reviewer `auto` (an upsert: written once per call). */
import type { CallMetrics } from '../store/call-metrics-store.ts';
import type { CallStore } from '../store/call-store.ts';
import type { ComplianceStore } from '../store/compliance-store.ts';
import type { ReviewStore } from '../store/review-store.ts';
import { autoScorecard, type RuleKind } from './qa-auto-score.ts';

export async function scoreCall(
  callId: string,
  metrics: CallMetrics,
  stores: { store: CallStore; hits: ComplianceStore; review: ReviewStore },
  ruleKinds: ReadonlyMap<string, RuleKind>,
): Promise<{ scores: Record<string, unknown> }> {
  const card = autoScorecard({ callId, events: await stores.store.events(callId), hits: await stores.hits.forCall(callId), metrics, ruleKinds });
  await stores.review.saveScorecard(card);
  return { scores: card.scores };
}
