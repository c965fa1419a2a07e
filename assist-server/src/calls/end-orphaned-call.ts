/**
 * Ends a call whose owner node died and whose bridge never came back (cluster/orphan-sweep.ts,
 * after this node has claimed it): the call is resumed here as a reconnecting bridge would resume
 * it (from the store and the spool, with the `call.start` kept in its spool), then stopped, which
 * emits call.ended and queues the archive of what the spool holds.
 */
import type { CallStore } from '../store/call-store.ts';
import { readCallStart } from './call-start-record.ts';
import { spoolDirOf, type SessionRegistry } from './session-registry.ts';

export const OWNER_LOST_REASON = 'owner-lost';

export async function endOrphanedCall(
  registry: SessionRegistry,
  store: Pick<CallStore, 'getCall'>,
  dataDir: string,
  callId: string,
): Promise<'ended' | 'already-ended' | 'unknown'> {
  const stored = await store.getCall(callId);
  if (stored && stored.status !== 'live') return 'already-ended';
  const start = await readCallStart(spoolDirOf(dataDir, callId));
  if (!stored || !start) return 'unknown';
  await registry.start(start);
  await registry.stop(callId, OWNER_LOST_REASON);
  return 'ended';
}
