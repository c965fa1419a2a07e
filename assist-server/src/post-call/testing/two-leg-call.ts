/**
 * A synthesized ended two-leg call, stored the way a live call stores it (events with their seq,
 * finals, compliance hits) plus its leg spools (raw s16le: a 400 Hz tone of a fixed amplitude while
 * that leg talks, silence otherwise), for the post-call tests and bench:postcall. One minute of call
 * repeats `minutes` times; the values of one minute are worked out by hand in call-metrics.test.ts.
 *
 * One minute (call clock, ms):
 *   customer  1000–4000 (6 words)   8000–12000 (8 words, cuts into the agent)   21000–25000 (4 words)
 *   agent     4500–9000 (9 words)  13000–20000 (14 words)   24000–30000 (12 words, cuts into the customer)
 *   hold 31000–41000; emotions angry, angry, neutral, confused, satisfied, neutral; intents card_arrival,
 *   lost_or_stolen_card, oos, lost_or_stolen_card; hits: one warning, one info.
 * The last minute also holds from 55000 to the end (never released).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AGENT_UI_PROTOCOL_VERSION, CallEvent, CallSummary, LegRole } from '../../protocol/index.ts';
import type { CallStore } from '../../store/call-store.ts';
import type { ComplianceStore } from '../../store/compliance-store.ts';
import type { LegSpool } from '../recording-step.ts';

type Body = CallEvent extends infer E ? (E extends unknown ? Omit<E, 'v' | 'callId' | 'seq' | 'atMs'> : never) : never;

export const SAMPLE_RATE_HZ = 16_000;
export const AMPLITUDE: Record<LegRole, number> = { agent: 8192, customer: 16384 };
const MINUTE = 60_000;

const UTTERANCES: Array<{ role: LegRole; start: number; end: number; words: number; intent?: string }> = [
  { role: 'customer', start: 1000, end: 4000, words: 6, intent: 'card_arrival' },
  { role: 'agent', start: 4500, end: 9000, words: 9 },
  { role: 'customer', start: 8000, end: 12000, words: 8, intent: 'lost_or_stolen_card' },
  { role: 'agent', start: 13000, end: 20000, words: 14 },
  { role: 'customer', start: 21000, end: 25000, words: 4, intent: 'oos' },
  { role: 'agent', start: 24000, end: 30000, words: 12 },
];
const EMOTIONS = ['angry', 'angry', 'neutral', 'confused', 'satisfied', 'neutral'] as const;

export interface StoredTwoLegCall {
  callId: string;
  startedAtMs: number;
  durationMs: number;
  legs: LegSpool[];
}

export async function storeTwoLegCall(
  deps: { store: CallStore; hits: ComplianceStore },
  options: { callId: string; spoolDir: string; minutes?: number; startedAtMs?: number; source?: string; agentId?: string; endReason?: string },
): Promise<StoredTwoLegCall> {
  const { callId } = options;
  const minutes = options.minutes ?? 1;
  const startedAtMs = options.startedAtMs ?? Date.UTC(2026, 10, 24, 9, 0, 0);
  const durationMs = minutes * MINUTE;
  const call: CallSummary = { callId, agentId: options.agentId ?? 'agent-1', callerNumber: '•••• 0142', startedAtMs, legs: ['agent', 'customer'], source: options.source ?? 'sip' };
  let seq = 0;
  const writes: Array<Promise<void>> = [deps.store.callStarted(call)]; // queued per call: events follow it, in order
  const put = (offsetMs: number, body: Body) => writes.push(deps.store.recordEvent({ v: 1 as typeof AGENT_UI_PROTOCOL_VERSION, callId, seq: ++seq, atMs: startedAtMs + offsetMs, ...body } as CallEvent));
  put(0, { type: 'call.started', call });
  let emotion = 0;
  for (let m = 0; m < minutes; m++) {
    const base = m * MINUTE;
    UTTERANCES.forEach((u, i) => {
      const utteranceId = `${callId}-m${m}-u${i}`;
      const words = Array.from({ length: u.words }, (_, k) => ({ word: `w${k}`, startMs: base + u.start + k * 100, endMs: base + u.start + k * 100 + 90, confidence: 0.9 }));
      put(base + u.end, { type: 'transcript.final', utteranceId, role: u.role, text: words.map((w) => w.word).join(' '), startMs: base + u.start, endMs: base + u.end, words });
      if (u.role === 'customer') {
        if (u.intent) {
          const oos = u.intent === 'oos';
          put(base + u.end, { type: 'intent', utteranceId, stage: 'final', status: 'predicted', prediction: { label: u.intent, confidence: 0.9, top: [{ label: u.intent, confidence: 0.9 }], outOfScope: oos, lowConfidence: false }, modelVersion: 'm1' });
        }
      }
    });
    for (let k = 0; k < EMOTIONS.length; k++) {
      put(base + 30000 + k, { type: 'emotion', utteranceId: `${callId}-m${m}-u${k}`, label: EMOTIONS[emotion++ % EMOTIONS.length]!, confidence: 0.8, cues: [], arousal: 0.5, trend: 0.5 });
    }
    put(base + 31000, { type: 'call.hold', held: true });
    put(base + 41000, { type: 'call.hold', held: false });
    await deps.hits.record({ callId, ruleId: 'no-promised-returns', rulesVersion: '1', severity: 'warning', title: 'Promise', offsetMs: base + 5000, utteranceId: `${callId}-m${m}-u1`, role: 'agent', evidence: 'guaranteed', atMs: startedAtMs + base + 5000 });
    await deps.hits.record({ callId, ruleId: 'long-silence', rulesVersion: '1', severity: 'info', title: 'Silence', offsetMs: base + 45000, utteranceId: null, role: null, evidence: null, atMs: startedAtMs + base + 45000 });
  }
  put(durationMs - 5000, { type: 'call.hold', held: true });
  put(durationMs, { type: 'call.ended', reason: options.endReason ?? 'hangup', durationMs });
  await Promise.all(writes);

  await mkdir(options.spoolDir, { recursive: true });
  const legs: LegSpool[] = [];
  for (const role of ['agent', 'customer'] as const) {
    const pcm = new Int16Array((durationMs / 1000) * SAMPLE_RATE_HZ);
    for (let m = 0; m < minutes; m++) {
      for (const u of UTTERANCES.filter((x) => x.role === role)) {
        const from = ((m * MINUTE + u.start) / 1000) * SAMPLE_RATE_HZ;
        const to = ((m * MINUTE + u.end) / 1000) * SAMPLE_RATE_HZ;
        for (let n = from; n < to; n++) pcm[n] = Math.round(AMPLITUDE[role] * Math.sin((2 * Math.PI * 400 * n) / SAMPLE_RATE_HZ));
      }
    }
    const spoolPath = join(options.spoolDir, `${callId}-${role}.pcm`);
    await writeFile(spoolPath, new Uint8Array(pcm.buffer));
    legs.push({ role, spoolPath, sampleRateHz: SAMPLE_RATE_HZ });
  }
  return { callId, startedAtMs, durationMs, legs };
}
