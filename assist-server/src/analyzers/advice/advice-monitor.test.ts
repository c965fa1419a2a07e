import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pino from 'pino';
import { REPO_ROOT } from '../../config.ts';
import type { CallSummary, FinalUtterance } from '../../protocol/index.ts';
import { CallStore } from '../../store/call-store.ts';
import { CustomerHistoryStore } from '../../store/customer-history-store.ts';
import type { AnalyzerEventBody, InsightBody } from '../live/live-analyzer.ts';
import { AdviceMonitor } from './advice-monitor.ts';
import { callerKeyer } from './caller-key.ts';
import { RoutingTable } from './routing-table.ts';

const dir = mkdtempSync(join(tmpdir(), 'earpiece-advice-'));
const calls = await CallStore.openSqlite(join(dir, 'earpiece.db'));
const history = new CustomerHistoryStore(calls.database);
after(async () => {
  await calls.close();
  rmSync(dir, { recursive: true, force: true });
});

const routing = { current: RoutingTable.parse(readFileSync(join(REPO_ROOT, 'models/packs/banking/routing.yaml'), 'utf8')) };
const key = callerKeyer(Buffer.from('test site secret, long enough'));
let callNo = 0;
let clock = Date.UTC(2026, 10, 20, 9, 0, 0);

function startCall(callerNumber: string | null = null) {
  clock += 3_600_000;
  const call: CallSummary = { callId: `advice-${++callNo}`, agentId: 'agent-1', callerNumber: callerNumber ? '•••• 0142' : null, startedAtMs: clock, legs: ['agent', 'customer'], source: 'test' };
  void calls.callStarted(call);
  const events: AnalyzerEventBody[] = [];
  const monitor = new AdviceMonitor(
    { call, callerKey: callerNumber ? key(callerNumber) : null, log: pino({ level: 'silent' }), emit: (b) => events.push(b) },
    { routing, history, contextCalls: 5, now: () => clock + 60_000 },
  );
  let n = 0;
  const say = (role: 'agent' | 'customer', text: string): FinalUtterance => {
    const u: FinalUtterance = { utteranceId: `${call.callId}:${role}:${n++}`, role, text, startMs: n * 3000, endMs: n * 3000 + 2000, words: [] };
    monitor.onFinal(u);
    return u;
  };
  /** The final intent reading of an utterance, as the intent tracker hands it over. */
  const intent = (u: FinalUtterance, label: string, confidence = 0.9, extra: { lowConfidence?: boolean; outOfScope?: boolean } = {}) => {
    const body: InsightBody = {
      type: 'intent',
      utteranceId: u.utteranceId,
      stage: 'final',
      status: 'predicted',
      prediction: { label, confidence, top: [{ label, confidence }], outOfScope: extra.outOfScope ?? false, lowConfidence: extra.lowConfidence ?? false },
      modelVersion: 'test',
    };
    monitor.onInsight(body);
  };
  const emotion = (u: FinalUtterance, label: 'angry' | 'neutral' | 'frustrated') => monitor.onInsight({ type: 'emotion', utteranceId: u.utteranceId, label, confidence: 0.8, cues: [], arousal: 0.6, trend: 0.6 });
  const advice = () => events.filter((e): e is Extract<AnalyzerEventBody, { type: 'assist.advice' }> => e.type === 'assist.advice');
  const contexts = () => events.filter((e): e is Extract<AnalyzerEventBody, { type: 'customer.context' }> => e.type === 'customer.context');
  return { call, monitor, events, say, intent, emotion, advice, contexts };
}

test('a confident intent of another skill queue advises a transfer there, once; home-queue and unsure intents do not', () => {
  const c = startCall();
  c.monitor.onClock(20);
  c.intent(c.say('customer', 'where is my new card it has not arrived'), 'card_arrival', 0.95);
  c.intent(c.say('customer', 'somebody might have my card details'), 'compromised_card', 0.4, { lowConfidence: true });
  assert.deepEqual(c.advice(), [], 'home-queue intent and a low-confidence fraud reading: no advice');
  const fraud = c.say('customer', 'I think my card has been compromised someone used it');
  c.intent(fraud, 'compromised_card', 0.82);
  const [transfer] = c.advice();
  assert.deepEqual({ ...transfer, message: undefined }, { type: 'assist.advice', kind: 'transfer', target: 'fraud', confidence: 0.82, utteranceId: fraud.utteranceId, message: undefined });
  assert.match(transfer!.message, /Fraud team/);
  c.intent(c.say('customer', 'a payment I do not recognise is on my card'), 'card_payment_not_recognised', 0.9);
  assert.equal(c.advice().filter((a) => a.kind === 'transfer').length, 1, 'the same queue is not advised twice');
  assert.deepEqual(c.monitor.snapshot().advice?.map((a) => a.target), ['fraud'], 'the snapshot carries the advice');
});

test('a self-serviceable intent suggests the app, with its message', () => {
  const c = startCall();
  c.intent(c.say('customer', 'how do I activate my new card'), 'activate_my_card', 0.88);
  const [a] = c.advice();
  assert.equal(a?.kind, 'self-service');
  assert.match(a!.message, /activate the card in the app/);
  c.intent(c.say('customer', 'I just want to turn the card on'), 'activate_my_card', 0.7);
  assert.equal(c.advice().filter((x) => x.kind === 'self-service').length, 1);
});

test('asking for a manager advises the escalation queue only once the customer is upset', () => {
  const c = startCall();
  const ask = c.say('customer', 'I want to speak to your manager right now');
  c.emotion(ask, 'neutral');
  assert.deepEqual(c.advice(), [], 'a calm request for a manager is for the agent to handle');
  c.emotion(c.say('customer', 'this is ridiculous'), 'angry');
  const [a] = c.advice();
  assert.deepEqual([a?.kind, a?.target, a?.utteranceId], ['transfer', 'supervisor', ask.utteranceId]);
  c.monitor.onInsight({ type: 'emotion.escalation', utteranceId: ask.utteranceId, reason: 'persistent-anger', trend: 0.9 });
  assert.equal(c.advice().length, 1, 'not repeated');
});

test('the same question twice (same intent, or nearly the same words) nudges once per repeat', () => {
  const c = startCall();
  const first = c.say('customer', 'why was I charged a fee for my transfer');
  c.intent(first, 'transfer_fee_charged', 0.9);
  c.intent(c.say('customer', 'yes'), 'oos', 0.9, { outOfScope: true });
  c.intent(c.say('customer', 'okay'), 'oos', 0.9, { outOfScope: true });
  assert.deepEqual(c.advice(), [], 'chatter twice is not a repeated question');
  const again = c.say('customer', 'but why is there a fee on the transfer I made');
  c.intent(again, 'transfer_fee_charged', 0.85);
  const nudges = c.advice().filter((a) => a.kind === 'repeated-question');
  assert.equal(nudges.length, 1);
  assert.equal(nudges[0]!.utteranceId, again.utteranceId);
  assert.match(nudges[0]!.message, /transfer fee charged/);

  // a repeat the intent model cannot read: the words alone
  const d = startCall();
  d.say('customer', 'my direct debit to the gym went out twice this month');
  d.say('agent', 'let me have a look at that for you');
  const repeat = d.say('customer', 'the gym direct debit went out twice this month');
  const [textNudge] = d.advice();
  assert.deepEqual([textNudge?.kind, textNudge?.utteranceId], ['repeated-question', repeat.utteranceId]);
  d.intent(repeat, 'direct_debit_payment_not_recognised', 0.3, { lowConfidence: true });
  assert.equal(d.advice().length, 1, 'one nudge for the utterance');
});

test('context across two calls from one number: the second call is told the first call\'s intents, outcome and open issue', async () => {
  const first = startCall('+1 415 555 0142');
  first.monitor.onClock(20);
  await first.monitor.drain();
  assert.deepEqual(first.contexts().map((e) => e.context), [{ previousCalls: [] }], 'a first-time caller: an empty history, sent once');
  first.monitor.onClock(40);
  assert.equal(first.contexts().length, 1);
  first.intent(first.say('customer', 'I lost my card yesterday'), 'lost_or_stolen_card', 0.93);
  first.monitor.onEnd(5000);
  await first.monitor.drain();
  assert.deepEqual(await history.outcome(first.call.callId), {
    callId: first.call.callId,
    intents: ['lost_or_stolen_card'],
    outcome: 'transferred',
    openIssue: 'lost_or_stolen_card',
    transferTarget: 'fraud',
    recordedAtMs: clock + 60_000,
  });

  const other = startCall('+1 212 555 0199');
  other.monitor.onClock(20);
  await other.monitor.drain();
  assert.deepEqual(other.contexts()[0]?.context, { previousCalls: [] }, 'another number sees nothing of it');

  const second = startCall('+14155550142');
  await second.monitor.drain();
  assert.equal(second.contexts().length, 0, 'nothing is sent before the call is announced (first clock tick)');
  assert.deepEqual(second.monitor.snapshot().customerContext, {
    previousCalls: [{ callId: first.call.callId, startedAtMs: first.call.startedAtMs, intents: ['lost_or_stolen_card'], outcome: 'transferred', openIssue: 'lost_or_stolen_card' }],
  });
  second.monitor.onClock(20);
  assert.deepEqual(second.contexts()[0]?.context, second.monitor.snapshot().customerContext);
  const [nudge] = second.advice();
  assert.equal(nudge?.kind, 'open-issue');
  assert.match(nudge!.message, /lost or stolen card \(transferred\)/);
  assert.ok(!JSON.stringify(second.events).includes('0142'), 'no number in what the agent gets');
  const stored = JSON.stringify(await calls.database.all('SELECT * FROM call_callers'));
  assert.ok(!/4155550142|2125550199/.test(stored), 'no number in the database');

  // hooks that come while the history is still being read wait for it, then run in their order
  const third = startCall('+14155550142');
  third.monitor.onClock(20);
  third.intent(third.say('customer', 'someone has used my card details'), 'compromised_card', 0.9);
  assert.equal(third.events.length, 0, 'held until the history is in');
  await third.monitor.drain();
  assert.deepEqual(third.events.map((e) => (e.type === 'assist.advice' ? e.kind : e.type)), ['customer.context', 'open-issue', 'transfer']);

  // a call that ends before its history is in: drain() still waits for the outcome written at the end
  const brief = startCall('+44 20 7946 0000');
  brief.intent(brief.say('customer', 'when will my card arrive'), 'card_arrival', 0.9);
  brief.monitor.onEnd(500);
  await brief.monitor.drain();
  assert.equal((await history.outcome(brief.call.callId))?.outcome, 'resolved');
});

test('outcomes: resolved, self-service, open after an upset repeat, unknown without intents', async () => {
  const resolved = startCall();
  resolved.intent(resolved.say('customer', 'when will my card arrive'), 'card_arrival', 0.9);
  resolved.monitor.onEnd(1000);
  await resolved.monitor.drain();
  assert.equal((await history.outcome(resolved.call.callId))?.outcome, 'resolved');

  const self = startCall();
  self.intent(self.say('customer', 'how can I change my pin'), 'change_pin', 0.9);
  self.monitor.onEnd(1000);
  await self.monitor.drain();
  assert.deepEqual([(await history.outcome(self.call.callId))?.outcome, (await history.outcome(self.call.callId))?.openIssue], ['self-service', null]);

  const open = startCall();
  open.intent(open.say('customer', 'my transfer has not arrived'), 'transfer_not_received_by_recipient', 0.9);
  const again = open.say('customer', 'it still has not arrived why not');
  open.intent(again, 'transfer_not_received_by_recipient', 0.9);
  open.emotion(again, 'frustrated');
  open.monitor.onEnd(1000);
  await open.monitor.drain();
  assert.deepEqual([(await history.outcome(open.call.callId))?.outcome, (await history.outcome(open.call.callId))?.openIssue], ['open', 'transfer_not_received_by_recipient']);

  const none = startCall();
  none.say('customer', 'hello');
  none.monitor.onEnd(1000);
  await none.monitor.drain();
  assert.deepEqual([(await history.outcome(none.call.callId))?.outcome, (await history.outcome(none.call.callId))?.intents], ['unknown', []]);
});
