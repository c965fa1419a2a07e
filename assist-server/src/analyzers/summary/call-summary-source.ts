/**
 * Gathers a call's summary input: the call record and its stored events and finals (live calls
 * store theirs as they happen), the live session's finals when the call is on this node, the
 * recorded outcome, and article feedback (kb_feedback).
 */
import type { SqlDatabase } from '../../db/sql-database.ts';
import type { SessionRegistry } from '../../calls/session-registry.ts';
import type { CallStore } from '../../store/call-store.ts';
import type { CustomerHistoryStore } from '../../store/customer-history-store.ts';
import { buildCallSummary, type TransferSummary } from './call-summary-builder.ts';

export interface CallSummarySources {
  store: CallStore;
  history: CustomerHistoryStore;
  registry?: SessionRegistry | undefined;
}

/** The call's summary, or undefined when this node knows no such call. */
export async function summarizeCall(sources: CallSummarySources, callId: string): Promise<TransferSummary | undefined> {
  const record = await sources.store.getCall(callId);
  const session = sources.registry?.get(callId);
  if (!record && !session) return undefined;
  const snapshot = session?.snapshot();
  const live = snapshot !== undefined && !snapshot.ended;
  const call = record
    ? { callId, agentId: record.agentId, callerNumber: record.callerNumber, startedAtMs: record.startedAtMs, durationMs: record.durationMs, status: live ? ('live' as const) : record.status }
    : { callId, agentId: session!.summary.agentId, callerNumber: session!.summary.callerNumber, startedAtMs: session!.summary.startedAtMs, durationMs: null, status: 'live' as const };
  return buildCallSummary({
    call,
    finals: snapshot ? snapshot.finals : await sources.store.finals(callId),
    events: await sources.store.events(callId),
    outcome: await sources.history.outcome(callId),
    articleFeedback: await articleFeedback(sources.store.database, callId),
  });
}

async function articleFeedback(db: SqlDatabase, callId: string): Promise<Array<{ articleId: string; action: string }>> {
  const rows = await db.all<{ article_id: string; action: string }>('SELECT article_id, action FROM kb_feedback WHERE call_id = ? ORDER BY at_ms, id', [callId]);
  return rows.map((r) => ({ articleId: r.article_id, action: r.action }));
}
