/**
 * Step "metrics": the call's per-call metrics (call-metrics.ts), loudness measured on the archived
 * recordings. The result is kept in the step record; step "analytics" writes it to call_metrics.
 */
import type { LegRole } from '../protocol/index.ts';
import type { CallMetrics } from '../store/call-metrics-store.ts';
import type { CallRecord, CallStore, RecordingRecord } from '../store/call-store.ts';
import type { ComplianceStore } from '../store/compliance-store.ts';
import type { CustomerHistoryStore } from '../store/customer-history-store.ts';
import { computeCallMetrics } from './call-metrics.ts';
import { averageLoudnessDbfs } from './loudness.ts';

export async function measureCall(
  call: CallRecord,
  recordings: RecordingRecord[],
  stores: { store: CallStore; hits: ComplianceStore; history: CustomerHistoryStore },
): Promise<CallMetrics> {
  const loudnessDbfs: Partial<Record<LegRole, number | null>> = {};
  await Promise.all(recordings.map(async (r) => (loudnessDbfs[r.role] = await averageLoudnessDbfs(r.path, r.sampleRateHz))));
  return computeCallMetrics({
    call,
    finals: await stores.store.finals(call.callId),
    events: await stores.store.events(call.callId),
    outcome: await stores.history.outcome(call.callId),
    hits: await stores.hits.forCall(call.callId),
    loudnessDbfs,
  });
}
