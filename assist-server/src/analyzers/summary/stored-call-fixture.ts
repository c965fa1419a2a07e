/**
 * A finished call written to a real store the way a live call writes it (events with their seq,
 * finals, the outcome, article feedback), for the summary tests.
 */
import type { AGENT_UI_PROTOCOL_VERSION, CallEvent, CallSummary } from '../../protocol/index.ts';
import type { CallStore } from '../../store/call-store.ts';
import type { CustomerHistoryStore } from '../../store/customer-history-store.ts';

type Body = CallEvent extends infer E ? (E extends unknown ? Omit<E, 'v' | 'callId' | 'seq' | 'atMs'> : never) : never;

export const FIXTURE_STARTED_AT_MS = Date.UTC(2026, 10, 24, 9, 30, 0);

export async function storeFinishedCall(store: CallStore, history: CustomerHistoryStore, callId: string): Promise<void> {
  const call: CallSummary = { callId, agentId: 'agent-1', callerNumber: '•••• 0142', startedAtMs: FIXTURE_STARTED_AT_MS, legs: ['agent', 'customer'], source: 'test' };
  let seq = 0;
  const writes: Array<Promise<void>> = [];
  const put = (body: Body) => writes.push(store.recordEvent({ v: 1 as typeof AGENT_UI_PROTOCOL_VERSION, callId, seq: ++seq, atMs: FIXTURE_STARTED_AT_MS + seq * 1000, ...body } as CallEvent));
  const prediction = (label: string, confidence: number, outOfScope = false) => ({ label, confidence, top: [{ label, confidence }], outOfScope, lowConfidence: false });
  writes.push(store.callStarted(call)); // queued per call: the events below are written after it, in order
  put({ type: 'call.started', call });
  put({ type: 'customer.context', context: { previousCalls: [{ callId: 'earlier-1', startedAtMs: Date.UTC(2026, 10, 20, 10, 0, 0), intents: ['card_arrival'], outcome: 'resolved', openIssue: null }] } });
  put({ type: 'transcript.final', utteranceId: 'u1', role: 'agent', text: 'this call is being recorded how can I help', startMs: 500, endMs: 2500, words: [] });
  put({ type: 'compliance.checklist', rulesVersion: '1', items: [{ ruleId: 'recording-disclosure', title: 'Recording disclosure', status: 'done', dueOffsetMs: 15000 }, { ruleId: 'identity', title: 'Verify identity', status: 'owed', dueOffsetMs: null }] });
  put({ type: 'transcript.final', utteranceId: 'u2', role: 'customer', text: 'I lost my card yesterday', startMs: 3000, endMs: 5000, words: [] });
  put({ type: 'intent', utteranceId: 'u2', stage: 'final', status: 'predicted', prediction: prediction('lost_or_stolen_card', 0.93), modelVersion: 'm1' });
  put({ type: 'assist.suggestions', utteranceId: 'u2', stage: 'final', suggestions: [{ articleId: 'lost-card', title: 'Report a lost or stolen card', answer: 'I can block it now.', confidence: 0.9, why: { intent: 'lost_or_stolen_card', matchedTerms: ['lost', 'card'] } }] });
  put({ type: 'assist.advice', kind: 'transfer', target: 'fraud', message: 'Lost or stolen card is handled by the Fraud team: transfer the call to fraud.', confidence: 0.93, utteranceId: 'u2' });
  put({
    type: 'transcript.final',
    utteranceId: 'u3',
    role: 'customer',
    text: 'the number is [CREDIT_CARD]',
    startMs: 6000,
    endMs: 9000,
    words: [],
    entities: [{ type: 'CREDIT_CARD', wordIndex: 3, start: 3, end: 19, startMs: 7000, endMs: 9000, confidence: 0.95 }],
  });
  put({ type: 'intent', utteranceId: 'u3', stage: 'final', status: 'predicted', prediction: prediction('oos', 0.7, true), modelVersion: 'm1' });
  put({ type: 'dtmf', role: 'customer', digit: '•', offsetMs: 9500 });
  put({ type: 'dtmf', role: 'customer', digit: '•', offsetMs: 9800 });
  put({ type: 'transcript.final', utteranceId: 'u4', role: 'customer', text: 'this is ridiculous I want a manager', startMs: 10000, endMs: 12000, words: [] });
  put({ type: 'emotion', utteranceId: 'u4', label: 'angry', confidence: 0.8, cues: [], arousal: 0.7, trend: 0.8 });
  put({ type: 'emotion.escalation', utteranceId: 'u4', reason: 'persistent-anger', trend: 0.8 });
  put({ type: 'compliance.warning', ruleId: 'no-promises', rulesVersion: '1', severity: 'warning', title: 'Promise of returns', message: 'Do not promise returns.', utteranceId: 'u1', role: 'agent', evidence: 'guaranteed', offsetMs: 2000 });
  put({ type: 'call.ended', reason: 'hangup', durationMs: 13000 });
  await Promise.all(writes);
  await history.recordOutcome({ callId, intents: ['lost_or_stolen_card'], outcome: 'transferred', openIssue: 'lost_or_stolen_card', transferTarget: 'fraud', recordedAtMs: FIXTURE_STARTED_AT_MS + 13000 });
  await store.database.run(`INSERT INTO kb_feedback (call_id, agent_id, article_id, utterance_id, intent, action, at_ms) VALUES (?, 'agent-1', 'lost-card', 'u2', 'lost_or_stolen_card', 'used', ?)`, [
    callId,
    FIXTURE_STARTED_AT_MS + 4000,
  ]);
}
