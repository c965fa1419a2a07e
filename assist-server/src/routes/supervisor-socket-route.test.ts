/**
 * The supervisor sockets against a real node (PocketSphinx, private Redis, SQLite, default banking
 * rules) with a synthesized call replayed by the bridge: the wall sees the call start with its
 * agent, its rollup change, the forbidden-phrase alert and the end; a supervisor watching the call
 * gets the agent's snapshot and events, gap-free, and cannot act on the call.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { replayCall } from '@earpiece/telephony-bridge';
import type { AgentServerMessage, CallSnapshotEvent, SupervisorServerMessage } from '../protocol/index.ts';
import { synthesizeCall } from '../testing/speech-audio.ts';
import { startTestStack, type TestStack } from '../testing/test-stack.ts';

let stack: TestStack;
before(async () => {
  stack = await startTestStack();
});
after(async () => stack?.close());

/** A raw socket that records every message and lets a test wait for one. */
class Probe<M> {
  readonly messages: M[] = [];
  private readonly waiters: Array<{ match: (m: M) => boolean; resolve: (m: M) => void }> = [];
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as M;
      this.messages.push(msg);
      for (const w of [...this.waiters]) {
        if (w.match(msg)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(msg);
        }
      }
    });
  }
  /** Opens `url` signed in as a supervisor (the test stack's `sup` user, made on first use). */
  static async open<M>(url: string): Promise<Probe<M>> {
    const socket = new WebSocket(url, { headers: (await stack.signIn('sup', 'supervisor')).headers });
    const probe = new Probe<M>(socket);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return probe;
  }
  waitFor<T extends M>(match: (m: M) => m is T, timeoutMs?: number): Promise<T>;
  waitFor(match: (m: M) => boolean, timeoutMs?: number): Promise<M>;
  waitFor(match: (m: M) => boolean, timeoutMs = 20_000): Promise<M> {
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.messages.map((m) => (m as { type: string }).type))}`)), timeoutMs);
      this.waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }
  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }
  close(): void {
    this.socket.close();
  }
}

type Wall = Probe<SupervisorServerMessage>;
type Watcher = Probe<AgentServerMessage>;
const wallUrl = () => `${stack.wsUrl}/ws/supervisor`;
const watchUrl = (callId: string) => `${stack.wsUrl}/ws/supervisor/call?callId=${encodeURIComponent(callId)}`;

test('the wall follows a live call and its alerts; a watcher sees the call read-only', async () => {
  const callId = 'sup-1';
  const call = await synthesizeCall([
    { role: 'agent', text: 'this fund gives you guaranteed returns every year' },
    { role: 'customer', text: 'I lost my card yesterday' },
  ]);
  const wall: Wall = await Probe.open(wallUrl());
  const ready = await wall.waitFor((m) => m.type === 'wall.ready');
  assert.equal(ready.type === 'wall.ready' && ready.calls.length, 0);

  const replay = replayCall({ serverUrl: stack.wsUrl, agentId: 'agent-2', callId, callerNumber: '+14155550142', stereoWav: call.path, speed: 1 });
  const first = await wall.waitFor((m) => m.type === 'wall.call' && m.call.callId === callId);
  assert.ok(first.type === 'wall.call');
  assert.equal(first.call.agentId, 'agent-2');
  assert.equal(first.call.warnings, 0);
  assert.match(first.call.callerNumber ?? '', /0142$/);
  assert.doesNotMatch(first.call.callerNumber ?? '', /415/, 'caller number masked');

  // A supervisor clicks into the call while it is live.
  const watcher: Watcher = await Probe.open(watchUrl(callId));
  const hello = await watcher.waitFor((m) => m.type === 'session.ready');
  assert.deepEqual(hello.type === 'session.ready' && hello.liveCallIds, [callId]);
  assert.equal(hello.type === 'session.ready' && hello.agentId, 'agent-2');
  const snapshot = (await watcher.waitFor((m) => m.type === 'call.snapshot')) as CallSnapshotEvent;
  assert.equal(snapshot.call.agentId, 'agent-2');

  const alert = await wall.waitFor((m) => m.type === 'wall.alert' && m.alert.callId === callId && m.alert.kind === 'compliance');
  assert.ok(alert.type === 'wall.alert');
  assert.equal(alert.alert.agentId, 'agent-2');
  assert.equal(alert.alert.severity, 'critical');

  // Read-only: feedback is refused, a snapshot may be asked for again.
  watcher.send({ type: 'assist.feedback', callId, articleId: 'kb-card-lost', action: 'used' });
  const refused = await watcher.waitFor((m) => m.type === 'error');
  assert.equal(refused.type === 'error' && refused.code, 'EARPIECE_SUPERVISOR_READ_ONLY');
  watcher.send({ type: 'snapshot.request', callId });
  await watcher.waitFor((m) => m.type === 'call.snapshot' && m !== snapshot);

  await replay;
  const ended = await wall.waitFor((m) => m.type === 'wall.call.ended' && m.callId === callId);
  assert.equal(ended.type === 'wall.call.ended' && ended.agentId, 'agent-2');
  await watcher.waitFor((m) => m.type === 'call.ended');

  // The watcher got every event after its snapshot, in order, no gaps or duplicates.
  const events = watcher.messages.filter((m): m is Extract<AgentServerMessage, { seq: number }> => 'seq' in m && m.type !== 'call.snapshot');
  assert.ok(events.length > 0);
  assert.deepEqual(
    events.map((e) => e.seq),
    events.map((_, i) => snapshot.seq + 1 + i),
  );
  assert.ok(events.some((e) => e.type === 'transcript.final' && e.role === 'customer'), 'the watcher saw the customer transcript');

  // The wall's last rollup agrees with what the call produced.
  const rows = wall.messages.filter((m) => m.type === 'wall.call' && m.call.callId === callId);
  const last = rows.at(-1);
  assert.ok(last?.type === 'wall.call');
  const warnings = (snapshot.compliance?.warnings.length ?? 0) + events.filter((e) => e.type === 'compliance.warning').length;
  assert.equal(last.call.warnings, warnings);
  assert.ok(last.call.criticalWarnings >= 1);
  const intents = [...snapshot.intents, ...events.filter((e) => e.type === 'intent')].filter((i) => i.stage === 'final' && !i.prediction.outOfScope && !i.prediction.lowConfidence);
  assert.equal(last.call.intent?.label ?? null, intents.at(-1)?.prediction.label ?? null);
  const emotions = events.filter((e) => e.type === 'emotion');
  if (emotions.length) assert.equal(last.call.emotion?.label, emotions.at(-1)!.type === 'emotion' ? emotions.at(-1)!.label : undefined);

  // A wall opened afterwards: no live calls, the alert in its recent feed.
  const late: Wall = await Probe.open(wallUrl());
  const lateReady = await late.waitFor((m) => m.type === 'wall.ready');
  assert.ok(lateReady.type === 'wall.ready');
  assert.deepEqual(lateReady.calls.map((c) => c.callId), []);
  assert.ok(lateReady.alerts.some((a) => a.alertId === alert.alert.alertId));

  // A watcher of a call that is not live is told so and gets no snapshot.
  const gone: Watcher = await Probe.open(watchUrl(callId));
  const goneHello = await gone.waitFor((m) => m.type === 'session.ready');
  assert.deepEqual(goneHello.type === 'session.ready' && goneHello.liveCallIds, []);

  for (const p of [wall, watcher, late, gone]) p.close();
});

test('a bad callId is refused and the wall answers messages it does not take', async () => {
  const bad: Watcher = await Probe.open(`${stack.wsUrl}/ws/supervisor/call?callId=${encodeURIComponent('no spaces')}`);
  const err = await bad.waitFor((m) => m.type === 'error');
  assert.equal(err.type === 'error' && err.code, 'EARPIECE_SUPERVISOR_BAD_CALL_ID');
  const wall: Wall = await Probe.open(wallUrl());
  await wall.waitFor((m) => m.type === 'wall.ready');
  wall.send({ type: 'assist.feedback', callId: 'x', articleId: 'y', action: 'used' });
  const refused = await wall.waitFor((m) => m.type === 'error');
  assert.equal(refused.type === 'error' && refused.code, 'EARPIECE_SUPERVISOR_READ_ONLY');
  wall.close();
});
