import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pino from 'pino';
import { REPO_ROOT } from '../../config.ts';
import type { CallSummary, FinalUtterance, LegRole } from '../../protocol/index.ts';
import { CallStore } from '../../store/call-store.ts';
import { ComplianceStore } from '../../store/compliance-store.ts';
import type { AnalyzerEventBody, InsightBody } from '../live/live-analyzer.ts';
import { ComplianceMonitor } from './compliance-monitor.ts';
import { compileRules, type RuleSet } from './rule-set.ts';
import { parseRulesYaml } from './rules-schema.ts';

const dir = mkdtempSync(join(tmpdir(), 'earpiece-compliance-'));
const calls = await CallStore.openSqlite(join(dir, 'earpiece.db'));
const hits = new ComplianceStore(calls.database);
after(async () => {
  await calls.close();
  rmSync(dir, { recursive: true, force: true });
});

const DEFAULT_RULES = compileRules(parseRulesYaml(readFileSync(join(REPO_ROOT, 'models/packs/banking/compliance-rules.yaml'), 'utf8')));
let callNo = 0;

function startCall(rules: RuleSet = DEFAULT_RULES) {
  const call: CallSummary = { callId: `monitor-${++callNo}`, agentId: 'agent-1', callerNumber: null, startedAtMs: Date.now(), legs: ['agent', 'customer'], source: 'test' };
  void calls.callStarted(call);
  const events: AnalyzerEventBody[] = [];
  const holder = { current: rules };
  const monitor = new ComplianceMonitor({ call, callerKey: null, log: pino({ level: 'silent' }), emit: (b) => events.push(b) }, { rules: holder, store: hits });
  let n = 0;
  const say = (role: LegRole, text: string, startMs: number, endMs = startMs + 2000): FinalUtterance => {
    const u: FinalUtterance = { utteranceId: `${call.callId}:${role}:${n++}`, role, text, startMs, endMs, words: [] };
    monitor.onFinal(u);
    return u;
  };
  /** Advances the call clock in 20 ms frames, as the session does. */
  const clockTo = (ms: number, from = 0) => {
    for (let t = from; t <= ms; t += 20) monitor.onClock(t);
  };
  const warnings = () => events.filter((e): e is Extract<AnalyzerEventBody, { type: 'compliance.warning' }> => e.type === 'compliance.warning');
  const checklists = () => events.filter((e): e is Extract<AnalyzerEventBody, { type: 'compliance.checklist' }> => e.type === 'compliance.checklist');
  return { call, monitor, events, holder, say, clockTo, warnings, checklists };
}

const emotion = (utteranceId: string, label: 'angry' | 'neutral' | 'frustrated'): InsightBody => ({ type: 'emotion', utteranceId, label, confidence: 0.9, cues: [], arousal: 0.5, trend: 0.5 });

test('a missing recording disclosure warns on the first clock tick at its deadline, not before', async () => {
  const c = startCall();
  c.say('agent', 'good morning how can I help you today', 1000, 3000);
  c.clockTo(14_980);
  assert.deepEqual(c.warnings(), [], 'nothing before the deadline');
  assert.equal(c.checklists()[0]?.items.find((i) => i.ruleId === 'recording-disclosure')?.status, 'owed', 'the first checklist shows it owed');
  assert.equal(c.checklists()[0]?.items.find((i) => i.ruleId === 'recording-disclosure')?.dueOffsetMs, 15_000);
  c.monitor.onClock(15_000);
  const [w] = c.warnings();
  assert.ok(w);
  assert.deepEqual(
    { ruleId: w.ruleId, severity: w.severity, offsetMs: w.offsetMs, utteranceId: w.utteranceId, rulesVersion: w.rulesVersion },
    { ruleId: 'recording-disclosure', severity: 'critical', offsetMs: 15_000, utteranceId: null, rulesVersion: DEFAULT_RULES.version },
  );
  assert.equal(c.checklists().at(-1)!.items.find((i) => i.ruleId === 'recording-disclosure')!.status, 'missed');
  c.clockTo(22_000, 15_020);
  assert.equal(c.warnings().filter((x) => x.ruleId === 'recording-disclosure').length, 1, 'raised once');
  // kept for reviewers, with the rules version
  await c.monitor.drain();
  const stored = await hits.forCall(c.call.callId);
  assert.deepEqual(stored.map((h) => [h.ruleId, h.offsetMs, h.rulesVersion, h.severity]), [['recording-disclosure', 15_000, DEFAULT_RULES.version, 'critical']]);
  assert.deepEqual(c.monitor.snapshot().compliance?.warnings.map((x) => x.ruleId), ['recording-disclosure']);
});

test('a disclosure said in time (as the recognizer heard it) turns its item done and never warns', () => {
  const c = startCall();
  c.clockTo(2000);
  c.say('agent', 'thank you for calling this call maybe recorded for quality and training', 2000, 6000);
  const done = c.checklists().at(-1)!.items.find((i) => i.ruleId === 'recording-disclosure');
  assert.equal(done?.status, 'done');
  c.clockTo(40_000, 2020);
  assert.deepEqual(c.warnings().map((w) => w.ruleId), ['long-silence'], 'no disclosure warning (only the silence after it)');
  assert.equal(c.monitor.snapshot().compliance?.checklist.find((i) => i.ruleId === 'recording-disclosure')?.status, 'done');
});

test('an agent mid-sentence at the deadline is judged by that sentence once it is final', () => {
  const c = startCall();
  c.clockTo(14_000);
  c.monitor.onPartial('agent', 'u-late', 'this call', 14_000);
  c.clockTo(16_000, 14_020);
  assert.deepEqual(c.warnings(), [], 'deferred while the agent is speaking since before the deadline');
  c.say('agent', 'this call is being recorded', 14_000, 16_000);
  assert.deepEqual(c.warnings(), []);
  assert.equal(c.checklists().at(-1)!.items.find((i) => i.ruleId === 'recording-disclosure')!.status, 'done');

  const d = startCall();
  d.clockTo(14_000);
  d.monitor.onPartial('agent', 'u-other', 'let me', 14_000);
  d.clockTo(16_000, 14_020);
  d.say('agent', 'let me look into that for you', 14_000, 16_000);
  assert.deepEqual(d.warnings().map((w) => [w.ruleId, w.offsetMs]), [['recording-disclosure', 16_000]]);
});

test('a forbidden phrase from the agent warns with the masked words that matched; a negated one does not', async () => {
  const c = startCall();
  c.say('agent', 'this fund gives you guaranteed returns every year', 3000);
  const [w] = c.warnings();
  assert.equal(w?.ruleId, 'no-promised-returns');
  assert.equal(w.role, 'agent');
  assert.equal(w.offsetMs, 3000);
  assert.match(w.evidence ?? '', /guaranteed returns/);
  assert.ok(w.utteranceId?.startsWith(c.call.callId));
  c.say('agent', 'the returns are not guaranteed I am afraid', 6000);
  c.say('customer', 'is it guaranteed', 9000);
  assert.equal(c.warnings().length, 1, 'negated by an except phrase; the customer saying it is no breach');
  c.say('agent', 'that was a damn mistake', 12_000);
  assert.deepEqual(c.warnings().map((x) => x.ruleId), ['no-promised-returns', 'agent-profanity']);
  await c.monitor.drain();
  assert.deepEqual((await hits.forCall(c.call.callId)).map((h) => [h.ruleId, h.evidence]), [
    ['no-promised-returns', w.evidence],
    ['agent-profanity', 'damn'],
  ]);
});

test('identity must be verified before account details: phrase order and account intents', () => {
  const early = startCall();
  early.clockTo(1000);
  early.say('agent', 'your available balance is two hundred pounds', 5000);
  const [w] = early.warnings();
  assert.equal(w?.ruleId, 'identity-before-account-details');
  assert.equal(w.severity, 'critical');
  assert.equal(early.checklists().at(-1)!.items.find((i) => i.ruleId === 'identity-before-account-details')!.status, 'missed');

  const proper = startCall();
  proper.clockTo(1000);
  proper.say('agent', 'thank you I have verified your identity', 4000);
  assert.equal(proper.checklists().at(-1)!.items.find((i) => i.ruleId === 'identity-before-account-details')!.status, 'done');
  proper.say('agent', 'your available balance is two hundred pounds', 8000);
  proper.monitor.onInsight({ type: 'intent', utteranceId: 'c1', stage: 'final', status: 'predicted', modelVersion: 'm', prediction: { label: 'pending_transfer', confidence: 0.9, top: [], outOfScope: false, lowConfidence: false } });
  assert.deepEqual(proper.warnings(), []);

  // the customer asking about a transfer before verification: a nudge to verify first (confident final intents only)
  const nudge = startCall();
  const intent = (label: string, lowConfidence: boolean, stage: 'early' | 'final'): InsightBody => ({ type: 'intent', utteranceId: 'c2', stage, status: 'predicted', modelVersion: 'm', prediction: { label, confidence: 0.9, top: [], outOfScope: false, lowConfidence } });
  nudge.monitor.onInsight(intent('pending_transfer', false, 'early'));
  nudge.monitor.onInsight(intent('pending_transfer', true, 'final'));
  nudge.monitor.onInsight(intent('lost_or_stolen_card', false, 'final'));
  assert.deepEqual(nudge.warnings(), []);
  nudge.monitor.onInsight(intent('pending_transfer', false, 'final'));
  assert.deepEqual(nudge.warnings().map((x) => [x.ruleId, x.role, x.evidence]), [['identity-before-account-details', 'customer', 'customer intent: pending_transfer']]);
});

test('the agent reading back a full card or account number warns, whatever the display policy; the last four digits alone do not', () => {
  const c = startCall();
  c.say('agent', 'just to confirm the card ending in one one one one', 2000);
  c.say('customer', 'my account number is [BANK_ACCOUNT]', 5000);
  assert.deepEqual(c.warnings(), []);
  c.say('agent', 'so that is account [BANK_ACCOUNT] and card [CREDIT_CARD]', 8000);
  const [w] = c.warnings();
  assert.equal(w?.ruleId, 'pii-read-back');
  assert.equal(w.evidence, '[BANK_ACCOUNT] [CREDIT_CARD]');
  // under a last-4 display policy the placeholder keeps four digits, but the whole number was read out
  const last4 = startCall();
  last4.say('agent', 'your card number is [CREDIT_CARD …1111]', 2000);
  assert.deepEqual(last4.warnings().map((x) => [x.ruleId, x.evidence]), [['pii-read-back', '[CREDIT_CARD …1111]']]);
});

test('a hold over a minute warns once on the call clock; so does silence over 20 s, but not during a hold', () => {
  const c = startCall();
  c.say('agent', 'this call is being recorded', 500, 2500);
  c.clockTo(10_000);
  c.monitor.onHold(true, 10_000);
  c.clockTo(70_000, 10_020);
  assert.deepEqual(c.warnings(), [], 'exactly 60 s on hold is allowed; silence on hold is not counted');
  c.monitor.onClock(70_020);
  assert.deepEqual(c.warnings().map((w) => [w.ruleId, w.offsetMs]), [['long-hold', 70_020]]);
  c.clockTo(80_000, 70_040);
  c.monitor.onHold(false, 80_000);
  c.say('agent', 'thanks for holding', 80_000, 81_000);
  assert.equal(c.warnings().length, 1);
  // silence counts from the last speech: 81 s + 20 s
  c.clockTo(101_000, 80_020);
  assert.equal(c.warnings().length, 1);
  c.monitor.onClock(101_020);
  assert.deepEqual(c.warnings().map((w) => [w.ruleId, w.offsetMs]), [['long-hold', 70_020], ['long-silence', 101_020]]);
  // a short hold that ends before the minute does not warn
  const d = startCall();
  d.monitor.onHold(true, 1000);
  d.monitor.onHold(false, 30_000);
  d.clockTo(40_000, 30_000);
  assert.deepEqual(d.warnings().filter((w) => w.ruleId === 'long-hold'), []);
});

test('customer anger: three angry readings in a row warn once per episode; an escalation alert warns too', () => {
  const c = startCall();
  c.monitor.onInsight(emotion('c1', 'angry'));
  c.monitor.onInsight(emotion('c2', 'angry'));
  c.monitor.onInsight(emotion('c3', 'neutral'));
  c.monitor.onInsight(emotion('c4', 'angry'));
  c.monitor.onInsight(emotion('c5', 'angry'));
  assert.deepEqual(c.warnings(), [], 'the run was broken');
  c.monitor.onInsight(emotion('c6', 'angry'));
  c.monitor.onInsight(emotion('c7', 'angry'));
  assert.deepEqual(c.warnings().map((w) => [w.ruleId, w.utteranceId, w.evidence]), [['customer-anger', 'c6', '3 angry readings in a row']]);
  c.monitor.onInsight({ type: 'emotion.escalation', utteranceId: 'c7', reason: 'persistent-anger', trend: 0.9 });
  assert.equal(c.warnings().length, 1, 'the same episode');

  const d = startCall();
  d.monitor.onInsight({ type: 'emotion.escalation', utteranceId: 'd1', reason: 'rising', trend: 0.8 });
  assert.deepEqual(d.warnings().map((w) => [w.ruleId, w.evidence]), [['customer-anger', 'escalation: rising']]);
  d.say('customer', 'I want to speak to your manager right now', 5000);
  assert.deepEqual(d.warnings().map((w) => w.ruleId), ['customer-anger', 'escalation-requested']);
});

test('a required phrase without a deadline is owed until the call ends', () => {
  const rules = compileRules(
    parseRulesYaml(`
version: 7
rules:
  - { id: closing, kind: required, title: Closing, message: Ask if there is anything else, severity: info, phrases: [is there anything else I can help you with] }
`),
  );
  const c = startCall(rules);
  c.clockTo(100);
  c.monitor.onEnd(60_000);
  assert.deepEqual(c.warnings().map((w) => [w.ruleId, w.offsetMs, w.rulesVersion]), [['closing', 60_000, '7']]);
  const ok = startCall(rules);
  ok.clockTo(100);
  ok.say('agent', 'is there anything else i can help with today', 50_000);
  ok.monitor.onEnd(60_000);
  assert.deepEqual(ok.warnings(), []);
});

test('new rules apply from the next utterance of a live call; kept items keep their status', () => {
  const c = startCall();
  c.clockTo(1000);
  c.say('agent', 'this call is being recorded', 1000);
  c.say('agent', 'we offer a premium savings account', 4000);
  assert.deepEqual(c.warnings(), []);
  c.holder.current = compileRules(
    parseRulesYaml(`
version: "2026.2"
rules:
  - { id: recording-disclosure, kind: required, title: Recording disclosure, message: Say it, severity: critical, withinMs: 15000, phrases: [this call is being recorded] }
  - { id: no-upsell, kind: phrase, title: No selling on service calls, message: Do not sell, severity: warning, role: agent, phrases: [premium savings account] }
`),
  );
  c.say('agent', 'would you like our premium savings account', 8000);
  assert.deepEqual(c.warnings().map((w) => [w.ruleId, w.rulesVersion]), [['no-upsell', '2026.2']]);
  const last = c.checklists().at(-1)!;
  assert.equal(last.rulesVersion, '2026.2');
  assert.deepEqual(last.items.map((i) => [i.ruleId, i.status]), [['recording-disclosure', 'done']]);
});

test('a call resumed after a restart does not judge deadlines that passed before it', () => {
  const c = startCall();
  c.clockTo(40_000, 32_000);
  c.monitor.onEnd(40_000);
  assert.deepEqual(c.warnings(), [], 'the disclosure may have been said before the restart');
});
