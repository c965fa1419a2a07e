import { describe, expect, it } from 'vitest';
import type { AgentServerMessage } from '@earpiece/assist-server/protocol';
import {
  advice,
  article,
  CALL_ID,
  checklist,
  customerContext,
  snapshot,
  started,
  suggestions,
  warning,
} from '../testing/agent-messages.ts';
import { MAX_ADVICE_KEPT, MAX_WARNINGS_KEPT } from './assist-state.ts';
import { callReducer, initialAgentState } from './call-reducer.ts';
import type { AgentState } from './call-reducer.ts';

const fold = (messages: AgentServerMessage[], from: AgentState = initialAgentState) => messages.reduce(callReducer, from);
const call = (state: AgentState) => {
  const c = state.calls[CALL_ID];
  if (!c) throw new Error('no call');
  return c;
};
const ids = (state: AgentState) => call(state).suggestions?.suggestions.map((s) => s.articleId) ?? null;

describe('callReducer: suggestions', () => {
  it('replaces an utterance\'s early list with its final one, and the next utterance\'s list replaces both', () => {
    let state = fold([started(1), suggestions(2, 'u1', 'early', [article('a'), article('b')])]);
    expect(call(state).suggestions).toMatchObject({ utteranceId: 'u1', stage: 'early' });
    expect(ids(state)).toEqual(['a', 'b']);

    state = fold([suggestions(3, 'u1', 'final', [article('b'), article('c')])], state);
    expect(call(state).suggestions).toMatchObject({ utteranceId: 'u1', stage: 'final' });
    expect(ids(state)).toEqual(['b', 'c']);

    state = fold([suggestions(4, 'u2', 'early', [article('d')])], state);
    expect(call(state).suggestions?.utteranceId).toBe('u2');
    expect(ids(state)).toEqual(['d']);
  });

  it('withdraws suggestions on an empty list', () => {
    const state = fold([started(1), suggestions(2, 'u1', 'early', [article('a')]), suggestions(3, 'u1', 'final', [])]);
    expect(call(state).suggestions).toBeNull();
  });

  it('ignores a replayed older list after a newer one', () => {
    const state = fold([started(1), suggestions(2, 'u1', 'early', [article('a')]), suggestions(3, 'u1', 'final', [article('b')]), suggestions(2, 'u1', 'early', [article('a')])]);
    expect(ids(state)).toEqual(['b']);
  });
});

describe('callReducer: compliance', () => {
  it('appends warnings in order and keeps only the newest MAX_WARNINGS_KEPT', () => {
    let state = fold([started(1), warning(2, 'disclosure', 'critical'), warning(3, 'profanity')]);
    expect(call(state).warnings.map((w) => [w.ruleId, w.severity])).toEqual([
      ['disclosure', 'critical'],
      ['profanity', 'warning'],
    ]);
    expect(call(state).warnings[0]).toMatchObject({ rulesVersion: 'rules-3', title: 'Rule disclosure', offsetMs: 2000 });

    const many = Array.from({ length: MAX_WARNINGS_KEPT + 5 }, (_, i) => warning(10 + i, `r${i}`));
    state = fold(many, state);
    expect(call(state).warnings).toHaveLength(MAX_WARNINGS_KEPT);
    expect(call(state).warnings.at(-1)?.ruleId).toBe(`r${MAX_WARNINGS_KEPT + 4}`);
    expect(call(state).warnings[0]?.ruleId).toBe('r5');
  });

  it('replaces the checklist whole, with its rules version', () => {
    let state = fold([
      started(1),
      checklist(2, [
        { ruleId: 'disclosure', title: 'Recording disclosure', status: 'owed', dueOffsetMs: 15_000 },
        { ruleId: 'id-check', title: 'Verify identity', status: 'owed', dueOffsetMs: null },
      ]),
    ]);
    expect(call(state).checklist.map((i) => i.status)).toEqual(['owed', 'owed']);
    expect(call(state).rulesVersion).toBe('rules-3');

    state = fold([checklist(3, [{ ruleId: 'disclosure', title: 'Recording disclosure', status: 'missed', dueOffsetMs: 15_000 }])], state);
    expect(call(state).checklist).toEqual([{ ruleId: 'disclosure', title: 'Recording disclosure', status: 'missed', dueOffsetMs: 15_000 }]);
  });
});

describe('callReducer: advice and customer context', () => {
  it('appends advice, replacing an earlier item of the same kind and target, and stays bounded', () => {
    let state = fold([
      started(1),
      advice(2, 'transfer', 'cards', 'Transfer to cards'),
      advice(3, 'repeated-question', null, 'Asked twice'),
      advice(4, 'transfer', 'loans', 'Transfer to loans'),
      advice(5, 'transfer', 'cards', 'Transfer to cards, more sure now'),
    ]);
    expect(call(state).advice.map((a) => [a.kind, a.target, a.message])).toEqual([
      ['repeated-question', null, 'Asked twice'],
      ['transfer', 'loans', 'Transfer to loans'],
      ['transfer', 'cards', 'Transfer to cards, more sure now'],
    ]);

    state = fold(Array.from({ length: MAX_ADVICE_KEPT + 3 }, (_, i) => advice(10 + i, 'transfer', `q${i}`, `to q${i}`)), state);
    expect(call(state).advice).toHaveLength(MAX_ADVICE_KEPT);
    expect(call(state).advice.at(-1)?.target).toBe(`q${MAX_ADVICE_KEPT + 2}`);
  });

  it('keeps the latest customer context', () => {
    const context = { previousCalls: [{ callId: 'old-1', startedAtMs: 1_690_000_000_000, intents: ['card_arrival'], outcome: 'resolved', openIssue: null }] };
    const state = fold([started(1), customerContext(2, context)]);
    expect(call(state).customerContext).toEqual(context);
  });
});

describe('callReducer: snapshot restores assist state', () => {
  it('restores suggestions, compliance, advice and customer context from a snapshot', () => {
    const context = { previousCalls: [] };
    let state = fold([started(1), warning(2, 'stale'), advice(3, 'self-service', null, 'stale')]);
    state = callReducer(
      state,
      snapshot(20, {
        suggestions: { utteranceId: 'u4', stage: 'final', suggestions: [article('x')] },
        compliance: {
          warnings: [{ ruleId: 'no-returns-promise', rulesVersion: 'rules-4', severity: 'critical', title: 'Promise of returns', message: 'Retract it', utteranceId: 'a2', role: 'agent', evidence: 'guaranteed returns', offsetMs: 30_000 }],
          checklist: [{ ruleId: 'disclosure', title: 'Recording disclosure', status: 'done', dueOffsetMs: 15_000 }],
          rulesVersion: 'rules-4',
        },
        advice: [
          { kind: 'transfer', target: 'cards', message: 'one', confidence: 0.6, utteranceId: null },
          { kind: 'transfer', target: 'cards', message: 'two', confidence: 0.7, utteranceId: null },
        ],
        customerContext: context,
      }),
    );
    const c = call(state);
    expect(c.suggestions).toEqual({ utteranceId: 'u4', stage: 'final', suggestions: [article('x')] });
    expect(c.warnings.map((w) => w.ruleId)).toEqual(['no-returns-promise']);
    expect(c.checklist[0]?.status).toBe('done');
    expect(c.rulesVersion).toBe('rules-4');
    expect(c.advice.map((a) => a.message)).toEqual(['two']);
    expect(c.customerContext).toBe(context);

    state = fold([warning(21, 'later')], state);
    expect(call(state).warnings.map((w) => w.ruleId)).toEqual(['no-returns-promise', 'later']);
  });

  it('clears assist state when the snapshot has no assist fields (assist off on that server)', () => {
    let state = fold([started(1), suggestions(2, 'u1', 'final', [article('a')]), warning(3, 'w'), checklist(4, [{ ruleId: 'd', title: 'D', status: 'owed', dueOffsetMs: null }]), advice(5, 'open-issue', null, 'x'), customerContext(6, { previousCalls: [] })]);
    state = callReducer(state, snapshot(7));
    const c = call(state);
    expect([c.suggestions, c.warnings, c.checklist, c.rulesVersion, c.advice, c.customerContext]).toEqual([null, [], [], null, [], null]);
  });
});
