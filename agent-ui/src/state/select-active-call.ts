import type { AgentState, CallState } from './call-reducer.ts';

/**
 * The call the agent should see: the most recently started call that is still live, otherwise the
 * most recent ended one (so the agent can read its tail until the next call), otherwise null.
 */
export function selectActiveCall(state: AgentState): CallState | null {
  let latestEnded: CallState | null = null;
  for (let i = state.callOrder.length - 1; i >= 0; i -= 1) {
    const call = state.calls[state.callOrder[i]!];
    if (!call) continue;
    if (!call.ended) return call;
    latestEnded ??= call;
  }
  return latestEnded;
}
