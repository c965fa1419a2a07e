/**
 * The supervisor wall's state, folded from `/ws/supervisor` messages: live calls by id, the alert
 * feed (newest last, bounded), and calls that ended recently (so a row does not just vanish).
 */
import type { LiveCallRollup, SupervisorAlert, SupervisorServerMessage } from '@earpiece/assist-server/protocol';

export const MAX_ALERTS_KEPT = 100;
export const MAX_ENDED_KEPT = 5;

export interface EndedCall {
  callId: string;
  agentId: string;
  reason: string;
  durationMs: number;
  atMs: number;
}

export interface WallState {
  /** Server clock at the last `wall.ready`; null before the first. */
  serverTimeMs: number | null;
  calls: Record<string, LiveCallRollup>;
  alerts: SupervisorAlert[];
  /** Newest first. */
  ended: EndedCall[];
  lastError: { code: string; message: string } | null;
}

export const initialWallState: WallState = { serverTimeMs: null, calls: {}, alerts: [], ended: [], lastError: null };

function addAlerts(existing: SupervisorAlert[], incoming: SupervisorAlert[]): SupervisorAlert[] {
  const seen = new Set(existing.map((a) => a.alertId));
  const merged = [...existing, ...incoming.filter((a) => !seen.has(a.alertId))].sort((a, b) => a.atMs - b.atMs);
  return merged.slice(-MAX_ALERTS_KEPT);
}

export function wallReducer(state: WallState, message: SupervisorServerMessage): WallState {
  switch (message.type) {
    case 'wall.ready': {
      // A (re)connect: the server's list is the truth; rows we held that it lacks ended meanwhile.
      const calls = Object.fromEntries(message.calls.map((c) => [c.callId, c]));
      const gone: EndedCall[] = Object.values(state.calls)
        .filter((c) => !calls[c.callId])
        .map((c) => ({ callId: c.callId, agentId: c.agentId, reason: 'ended', durationMs: message.serverTimeMs - c.startedAtMs, atMs: message.serverTimeMs }));
      return { ...state, serverTimeMs: message.serverTimeMs, calls, alerts: addAlerts(state.alerts, message.alerts), ended: [...gone, ...state.ended].slice(0, MAX_ENDED_KEPT) };
    }
    case 'wall.call': {
      const known = state.calls[message.call.callId];
      if (known && known.updatedAtMs > message.call.updatedAtMs) return state;
      return { ...state, calls: { ...state.calls, [message.call.callId]: message.call }, ended: state.ended.filter((e) => e.callId !== message.call.callId) };
    }
    case 'wall.alert':
      return { ...state, alerts: addAlerts(state.alerts, [message.alert]) };
    case 'wall.call.ended': {
      const { [message.callId]: _gone, ...calls } = state.calls;
      const ended = [{ callId: message.callId, agentId: message.agentId, reason: message.reason, durationMs: message.durationMs, atMs: message.atMs }, ...state.ended.filter((e) => e.callId !== message.callId)];
      return { ...state, calls, ended: ended.slice(0, MAX_ENDED_KEPT) };
    }
    case 'error':
      return { ...state, lastError: { code: message.code, message: message.message } };
  }
}

/** Live calls, longest-running first. */
export function liveCallRows(state: WallState): LiveCallRollup[] {
  return Object.values(state.calls).sort((a, b) => a.startedAtMs - b.startedAtMs);
}
