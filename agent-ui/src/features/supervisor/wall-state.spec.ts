import { describe, expect, it } from 'vitest';
import type { LiveCallRollup, SupervisorAlert, SupervisorServerMessage } from '@earpiece/assist-server/protocol';
import { initialWallState, liveCallRows, MAX_ALERTS_KEPT, wallReducer } from './wall-state.ts';
import { parseWallMessage } from './use-supervisor-wall.ts';

const row = (callId: string, over: Partial<LiveCallRollup> = {}): LiveCallRollup => ({
  callId, agentId: 'agent-1', callerNumber: null, startedAtMs: 1000, held: false, intent: null, emotion: null,
  warnings: 0, criticalWarnings: 0, escalations: 0, updatedAtMs: 1000, ...over,
});
const alert = (n: number): SupervisorAlert => ({ alertId: `c:${n}`, callId: 'c', agentId: 'agent-1', kind: 'compliance', severity: 'critical', title: 't', message: 'm', atMs: n });
const fold = (messages: SupervisorServerMessage[]) => messages.reduce(wallReducer, initialWallState);

describe('wallReducer', () => {
  it('adds, updates and ends calls; an ended call moves to the recently ended list', () => {
    const state = fold([
      { v: 1, type: 'wall.ready', serverTimeMs: 1000, calls: [], alerts: [] },
      { v: 1, type: 'wall.call', call: row('b', { startedAtMs: 2000 }) },
      { v: 1, type: 'wall.call', call: row('a') },
      { v: 1, type: 'wall.call', call: row('a', { warnings: 1, updatedAtMs: 1500 }) },
      { v: 1, type: 'wall.call', call: row('a', { warnings: 0, updatedAtMs: 1200 }) }, // stale
      { v: 1, type: 'wall.call.ended', callId: 'b', agentId: 'agent-1', reason: 'hangup', durationMs: 5000, atMs: 7000 },
    ]);
    expect(liveCallRows(state).map((c) => [c.callId, c.warnings])).toEqual([['a', 1]]);
    expect(state.ended.map((e) => e.callId)).toEqual(['b']);
  });

  it('takes the server list on reconnect: calls it no longer has ended meanwhile; alerts are not doubled', () => {
    const state = fold([
      { v: 1, type: 'wall.ready', serverTimeMs: 1000, calls: [row('a'), row('b')], alerts: [alert(1)] },
      { v: 1, type: 'wall.ready', serverTimeMs: 9000, calls: [row('b')], alerts: [alert(1), alert(2)] },
    ]);
    expect(Object.keys(state.calls)).toEqual(['b']);
    expect(state.ended.map((e) => [e.callId, e.durationMs])).toEqual([['a', 8000]]);
    expect(state.alerts.map((a) => a.alertId)).toEqual(['c:1', 'c:2']);
  });

  it('keeps the newest alerts only', () => {
    const messages: SupervisorServerMessage[] = Array.from({ length: MAX_ALERTS_KEPT + 5 }, (_, i) => ({ v: 1, type: 'wall.alert', alert: alert(i) }));
    const state = fold(messages);
    expect(state.alerts).toHaveLength(MAX_ALERTS_KEPT);
    expect(state.alerts.at(-1)!.alertId).toBe(`c:${MAX_ALERTS_KEPT + 4}`);
  });
});

describe('parseWallMessage', () => {
  it('accepts this protocol version and known types only', () => {
    expect(parseWallMessage(JSON.stringify({ v: 1, type: 'wall.alert', alert: alert(1) }))?.type).toBe('wall.alert');
    expect(parseWallMessage(JSON.stringify({ v: 2, type: 'wall.alert' }))).toBeNull();
    expect(parseWallMessage(JSON.stringify({ v: 1, type: 'transcript.final' }))).toBeNull();
    expect(parseWallMessage('{nope')).toBeNull();
  });
});
