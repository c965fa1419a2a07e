import { describe, expect, it } from 'vitest';
import type { AgentServerMessage } from '@earpiece/assist-server/protocol';
import { CALL_ID, emotion, ended, escalation, final, intent, partial, snapshot, started } from '../testing/agent-messages.ts';
import { callReducer, initialAgentState, MAX_ENDED_CALLS_KEPT } from './call-reducer.ts';
import type { AgentState } from './call-reducer.ts';
import { detectSeqGap } from './seq-gap.ts';
import { selectActiveCall } from './select-active-call.ts';

const fold = (messages: AgentServerMessage[], from: AgentState = initialAgentState) => messages.reduce(callReducer, from);
const call = (state: AgentState, id = CALL_ID) => {
  const c = state.calls[id];
  if (!c) throw new Error(`no call ${id}`);
  return c;
};

describe('callReducer', () => {
  it('updates a partial in place per leg and replaces it with the final of the same utterance', () => {
    let state = fold([started(1), partial(2, 'u1', 'customer', 'I need', 0), partial(3, 'u1', 'customer', 'I need help', 0)]);
    expect(call(state).partials.customer).toEqual({ utteranceId: 'u1', role: 'customer', text: 'I need help', startMs: 0 });
    expect(call(state).finals).toEqual([]);

    state = fold([partial(4, 'a1', 'agent', 'Sure', 1500), final(5, 'u1', 'customer', 'I need help with my bill', 0)], state);
    expect(call(state).partials.customer).toBeUndefined();
    expect(call(state).partials.agent?.utteranceId).toBe('a1');
    expect(call(state).finals.map((f) => [f.utteranceId, f.text])).toEqual([['u1', 'I need help with my bill']]);
  });

  it('keeps finals in time order whatever order they arrive in', () => {
    const state = fold([started(1), final(2, 'a1', 'agent', 'second', 2000), final(3, 'u1', 'customer', 'first', 500)]);
    expect(call(state).finals.map((f) => f.utteranceId)).toEqual(['u1', 'a1']);
  });

  it('ignores a partial that arrives after its utterance is final', () => {
    const state = fold([started(1), final(2, 'u1', 'customer', 'done', 0), partial(3, 'u1', 'customer', 'do', 0)]);
    expect(call(state).partials.customer).toBeUndefined();
    expect(call(state).lastSeq).toBe(3);
  });

  it('ignores duplicate and old seqs, so a replay after reconnect adds nothing', () => {
    const messages = [started(1), final(2, 'u1', 'customer', 'hello', 0), partial(3, 'a1', 'agent', 'hi th', 800)];
    const once = fold(messages);
    const replayed = fold([...messages, final(2, 'u1', 'customer', 'hello', 0), partial(1, 'a1', 'agent', 'stale', 800)], once);
    expect(replayed).toBe(once);
    expect(call(replayed).finals).toHaveLength(1);
    expect(call(replayed).partials.agent?.text).toBe('hi th');
  });

  it('replaces the call state with a snapshot and then applies only newer events', () => {
    let state = fold([started(1), final(2, 'u1', 'customer', 'old text', 0), partial(3, 'a1', 'agent', 'gone', 900)]);
    state = callReducer(
      state,
      snapshot(10, {
        finals: [
          { utteranceId: 'u2', role: 'agent', text: 'later', startMs: 3000, endMs: 3500, words: [] },
          { utteranceId: 'u1', role: 'customer', text: 'corrected', startMs: 0, endMs: 800, words: [] },
        ],
        partials: [{ utteranceId: 'u3', role: 'customer', text: 'and the', startMs: 4000 }],
      }),
    );
    expect(call(state).finals.map((f) => f.text)).toEqual(['corrected', 'later']);
    expect(call(state).partials).toEqual({ customer: { utteranceId: 'u3', role: 'customer', text: 'and the', startMs: 4000 } });
    expect(call(state).lastSeq).toBe(10);

    state = fold([final(9, 'x', 'agent', 'stale', 10), final(11, 'u3', 'customer', 'and the rest', 4000)], state);
    expect(call(state).finals.map((f) => f.utteranceId)).toEqual(['u1', 'u2', 'u3']);
    expect(call(state).partials).toEqual({});
  });

  it('lets a snapshot with a lower seq replace state (server restarted and seqs began again)', () => {
    const state = fold([started(40), final(41, 'u1', 'customer', 'before restart', 0), snapshot(1)]);
    expect(call(state).finals).toEqual([]);
    expect(call(state).lastSeq).toBe(1);
  });

  it('marks the call ended, closes partials, and bounds the number of ended calls kept', () => {
    let state = fold([started(1), partial(2, 'u1', 'customer', 'bye', 0), ended(3)]);
    expect(call(state).ended).toBe(true);
    expect(call(state).end).toEqual({ reason: 'hangup', durationMs: 61_000 });
    expect(call(state).partials).toEqual({});

    for (let i = 0; i < MAX_ENDED_CALLS_KEPT + 2; i += 1) state = fold([started(1, `c${i}`), ended(2, `c${i}`)], state);
    state = callReducer(state, started(1, 'live'));
    expect(state.callOrder).toHaveLength(MAX_ENDED_CALLS_KEPT + 1);
    expect(state.callOrder.at(-1)).toBe('live');
    expect(selectActiveCall(state)?.callId).toBe('live');
  });

  it('marks calls the server no longer lists as live ended when a reconnect greets us', () => {
    let state = fold([started(1, 'gone'), started(1, 'still')]);
    state = callReducer(state, { v: 1, type: 'session.ready', agentId: 'agent-7', serverTimeMs: 9, liveCallIds: ['still'] });
    expect(state.calls.gone!.ended).toBe(true);
    expect(state.calls.still!.ended).toBe(false);
    expect(selectActiveCall(state)?.callId).toBe('still');
  });

  it('tracks hold and resume, and keeps masked keypad presses', () => {
    let state = fold([started(1)]);
    const base = { v: 1 as const, callId: state.callOrder[0]!, atMs: 10 };
    state = callReducer(state, { ...base, seq: 2, type: 'call.hold', held: true });
    expect(state.calls[base.callId]!.held).toBe(true);
    state = callReducer(state, { ...base, seq: 3, type: 'dtmf', role: 'customer', digit: '•', offsetMs: 1200 });
    state = callReducer(state, { ...base, seq: 4, type: 'call.hold', held: false });
    expect(state.calls[base.callId]!.held).toBe(false);
    expect(state.calls[base.callId]!.dtmf).toEqual([{ role: 'customer', digit: '•', offsetMs: 1200 }]);
  });

  it('shows an early intent, then the final reading, and keeps only finals on the timeline', () => {
    const state = fold([started(1), intent(2, 'u1', 'lost_or_stolen_card', 'early'), intent(3, 'u1', 'card_arrival', 'final', 'revised'), intent(4, 'u2', 'oos', 'early')]);
    const call = state.calls[CALL_ID]!;
    expect(call.intent?.prediction.label).toBe('oos');
    expect(call.intent?.stage).toBe('early');
    expect(call.intentTimeline.map((i) => [i.prediction.label, i.status])).toEqual([['card_arrival', 'revised']]);
  });

  it('keeps the latest emotion and every escalation; a snapshot restores timeline and emotion', () => {
    let state = fold([started(1), emotion(2, 'u1', 'neutral', 0.1), emotion(3, 'u2', 'angry', 0.6)]);
    state = fold([escalation(4, 'u2')], state);
    expect(state.calls[CALL_ID]!.emotion?.label).toBe('angry');
    expect(state.calls[CALL_ID]!.escalations.map((e) => e.reason)).toEqual(['rising']);
    const snap = { ...snapshot(9), intents: [{ utteranceId: 'u1', stage: 'final' as const, status: 'predicted' as const, prediction: intent(1, 'u1', 'card_arrival', 'final').prediction, modelVersion: 'm' }], emotion: { utteranceId: 'u2', label: 'frustrated' as const, confidence: 0.7, cues: [], arousal: 0.3, trend: 0.5 } };
    state = fold([snap], state);
    expect(state.calls[CALL_ID]!.intentTimeline).toHaveLength(1);
    expect(state.calls[CALL_ID]!.intent?.prediction.label).toBe('card_arrival');
    expect(state.calls[CALL_ID]!.emotion?.label).toBe('frustrated');
    expect(state.calls[CALL_ID]!.escalations).toHaveLength(1);
  });

  it('records session and error messages without touching calls', () => {
    const state = fold([
      { v: 1, type: 'session.ready', agentId: 'agent-7', serverTimeMs: 5, liveCallIds: [] },
      { v: 1, type: 'error', code: 'EARPIECE_X', message: 'boom' },
    ]);
    expect(state.agentId).toBe('agent-7');
    expect(state.lastError).toEqual({ code: 'EARPIECE_X', message: 'boom' });
    expect(state.calls).toEqual({});
  });
});

describe('detectSeqGap', () => {
  it('flags a skipped seq but not the next seq, a duplicate, or an old one', () => {
    expect(detectSeqGap(4, final(5, 'u', 'agent', 't', 0))).toBe(false);
    expect(detectSeqGap(4, final(7, 'u', 'agent', 't', 0))).toBe(true);
    expect(detectSeqGap(4, final(4, 'u', 'agent', 't', 0))).toBe(false);
    expect(detectSeqGap(4, final(2, 'u', 'agent', 't', 0))).toBe(false);
  });

  it('flags events for an unknown call unless they start it; a snapshot is never a gap', () => {
    expect(detectSeqGap(undefined, started(1))).toBe(false);
    expect(detectSeqGap(undefined, started(12))).toBe(true); // a call resumed after a server restart
    expect(detectSeqGap(undefined, partial(3, 'u', 'customer', 't', 0))).toBe(true);
    expect(detectSeqGap(undefined, snapshot(9))).toBe(false);
    expect(detectSeqGap(2, snapshot(9))).toBe(false);
  });
});
