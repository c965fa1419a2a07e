/** Step "summary": the call summary (analyzers/summary) kept in the archive as summary.json. */
import { join } from 'node:path';
import { summarizeCall } from '../analyzers/summary/call-summary-source.ts';
import type { CallStore } from '../store/call-store.ts';
import type { CustomerHistoryStore } from '../store/customer-history-store.ts';
import { writeAtomic } from './write-atomic.ts';

export async function writeSummary(callId: string, sources: { store: CallStore; history: CustomerHistoryStore }, archiveDir: string): Promise<{ intents: number }> {
  const summary = await summarizeCall(sources, callId);
  if (!summary) throw new Error(`call ${callId} is not in the store`);
  await writeAtomic(join(archiveDir, 'summary.json'), JSON.stringify(summary, null, 2));
  return { intents: summary.intentTimeline.length };
}
