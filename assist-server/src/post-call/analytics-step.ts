/** Step "analytics": the call's metrics row in call_metrics (ANALYTICS' store; an upsert, so a rerun rewrites the same row). */
import type { CallMetrics, CallMetricsStore } from '../store/call-metrics-store.ts';

export async function updateAnalytics(metrics: CallMetrics, store: CallMetricsStore): Promise<{ callType: string }> {
  await store.upsert(metrics);
  return { callType: metrics.callType };
}
