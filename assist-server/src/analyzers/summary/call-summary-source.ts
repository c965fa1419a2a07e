/**
 * Gathers a call's summary input: the call record and its stored events and finals (live calls
 * store theirs as they happen), the live session's finals when the call is on this node, the
 * recorded outcome, and article feedback (kb_feedback, when the knowledge base is installed).
 */
import type Database from 'better-sqlite3';
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
export function summarizeCall(sources: CallSummarySources, callId: string): TransferSummary | undefined {
  const record = sources.store.getCall(callId);
  const session = sources.registry?.get(callId);
  if (!record && !session) return undefined;
  const snapshot = session?.snapshot();
  const live = snapshot !== undefined && !snapshot.ended;
  const call = record
    ? { callId, agentId: record.agentId, callerNumber: record.callerNumber, startedAtMs: record.startedAtMs, durationMs: record.durationMs, status: live ? ('live' as const) : record.status }
    : { callId, agentId: session!.summary.agentId, callerNumber: session!.summary.callerNumber, startedAtMs: session!.summary.startedAtMs, durationMs: null, status: 'live' as const };
  return buildCallSummary({
    call,
    finals: snapshot ? snapshot.finals : sources.store.finals(callId),
    events: sources.store.events(callId),
    outcome: sources.history.outcome(callId),
    articleFeedback: articleFeedback(sources.store.database, callId),
  });
}

function articleFeedback(db: Database.Database, callId: string): Array<{ articleId: string; action: string }> {
  const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kb_feedback'`).pluck().get();
  if (!table) return [];
  return (db.prepare('SELECT article_id, action FROM kb_feedback WHERE call_id = ? ORDER BY at_ms, id').all(callId) as Array<{ article_id: string; action: string }>).map((r) => ({
    articleId: r.article_id,
    action: r.action,
  }));
}
