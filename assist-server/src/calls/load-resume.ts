/**
 * Decides what a node does with a `call.start` for a call it has no live session for, from the
 * store and the spool: a new call, a call that has ended (refused), or a call to resume after a
 * restart: events continue from the stored seq, the transcript keeps its stored finals, each
 * leg's spool continues where its settled audio ends.
 */
import type { LegRole } from '../protocol/index.ts';
import type { CallStore } from '../store/call-store.ts';
import type { CallResume } from './call-session.ts';
import { readLegSpoolState, type LegSpoolState } from './spool-state.ts';

export async function loadResume(store: CallStore, callId: string, spoolDir: string): Promise<CallResume | 'ended' | undefined> {
  const call = await store.getCall(callId);
  if (!call) return undefined;
  if (call.status !== 'live') return 'ended';
  const legs: Partial<Record<LegRole, LegSpoolState>> = {};
  for (const role of call.legs) {
    const state = readLegSpoolState(spoolDir, role);
    if (state) legs[role] = state;
  }
  return { seq: await store.lastEventSeq(callId), finals: await store.finals(callId), legs };
}
