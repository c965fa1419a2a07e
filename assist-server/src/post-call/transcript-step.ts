/**
 * Step "transcript": the call's final masked transcript (transcript.json), its events (events.jsonl)
 * and its metadata (metadata.json) written to the archive dir. Everything in the store has passed the
 * masking stage already; partials were never stored.
 */
import { join } from 'node:path';
import type { CallRecord, CallStore } from '../store/call-store.ts';
import { writeAtomic } from './write-atomic.ts';

export async function finalizeTranscript(call: CallRecord, store: CallStore, archiveDir: string): Promise<{ utterances: number; events: number }> {
  const finals = await store.finals(call.callId);
  const events = await store.events(call.callId);
  await writeAtomic(join(archiveDir, 'transcript.json'), JSON.stringify({ callId: call.callId, agentId: call.agentId, startedAtMs: call.startedAtMs, utterances: finals }, null, 2));
  await writeAtomic(join(archiveDir, 'events.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const { status: _status, archiveDir: _dir, ...metadata } = call;
  await writeAtomic(join(archiveDir, 'metadata.json'), JSON.stringify(metadata, null, 2));
  return { utterances: finals.length, events: events.length };
}
