/**
 * Per-call metrics (Contact Lens style) from what a call stored: masked finals, call events, the
 * recorded outcome, compliance hits, and each leg's loudness measured on its recording.
 *
 * Definitions (all on the call clock, ms since the call started):
 *   talk time per leg    the union of that leg's utterance spans (overlaps within a leg counted once)
 *   non-talk time        handle time minus the union of both legs' utterances (silence and hold)
 *   interruptions        an utterance that starts while the other leg's utterance is still going,
 *                        counted for the leg that started talking
 *   talk speed           words (a PII placeholder counts as one) per minute of that leg's talk time
 *   first response       customer spoke first: from the end of the customer's first utterance to the
 *                        start of the agent's first utterance after it (0 when the agent cut in);
 *                        otherwise the agent's first utterance start (from call start)
 *   hold time            call.hold held → released pairs (a hold still open ends at the call's end)
 *   handle time          the call's duration (call.ended), else ended − started
 *   transferred          the call ended by a transfer (end reason contains "transfer") or its wrap-up
 *                        outcome is "transferred" (recorded by advice when a transfer advice was given and
 *                        the call ended); there is no separate "advice accepted" signal
 *   resolution           the wrap-up outcome when one is stored (resolved / self-service → resolved,
 *                        transferred / open → unresolved); else inferred: transferred → unresolved,
 *                        otherwise the customer's end sentiment ≥ 0 → resolved, < 0 → unresolved;
 *                        no outcome and no emotion readings → unknown
 *   sentiment            each customer emotion reading mapped to a valence (SENTIMENT_VALENCE, -1..1);
 *                        start = mean of the first third of the readings (at least one), end = the last third
 *   compliance score     100 minus 30 per critical, 15 per warning, 5 per info hit, at least 0; null when the
 *                        call carried no compliance events (compliance off)
 */
import type { CallEvent, CustomerEmotionLabel, FinalUtterance, LegRole } from '../protocol/index.ts';
import type { CallMetrics, CallResolution, ResolutionSource } from '../store/call-metrics-store.ts';
import type { ComplianceHit } from '../store/compliance-store.ts';
import type { CallOutcomeRecord } from '../store/customer-history-store.ts';

export const SENTIMENT_VALENCE: Record<CustomerEmotionLabel, number> = {
  satisfied: 1,
  neutral: 0,
  confused: -0.25,
  sad: -0.5,
  frustrated: -0.75,
  angry: -1,
};

export const COMPLIANCE_PENALTY = { critical: 30, warning: 15, info: 5 } as const;

export interface CallMetricsInput {
  call: { callId: string; agentId: string; source: string; startedAtMs: number; endedAtMs: number | null; durationMs: number | null; endReason: string | null };
  finals: FinalUtterance[];
  events: CallEvent[];
  outcome?: CallOutcomeRecord | undefined;
  hits: ComplianceHit[];
  /** Average loudness per leg in dBFS (post-call/loudness.ts); missing: no recording. */
  loudnessDbfs: Partial<Record<LegRole, number | null>>;
}

type Span = [number, number];

export function computeCallMetrics(input: CallMetricsInput): CallMetrics {
  const { call, finals, events } = input;
  const endedAtMs = call.endedAtMs ?? call.startedAtMs + (call.durationMs ?? 0);
  const handleMs = Math.max(0, call.durationMs ?? endedAtMs - call.startedAtMs);
  const spans = (role: LegRole | null): Span[] => finals.filter((f) => role === null || f.role === role).map((f) => [f.startMs, Math.max(f.startMs, f.endMs)] as Span);
  const talkAgentMs = unionMs(spans('agent'));
  const talkCustomerMs = unionMs(spans('customer'));
  const nonTalkMs = Math.max(0, handleMs - unionMs(spans(null)));

  const interruptions = { agent: 0, customer: 0 } as Record<LegRole, number>;
  for (const u of finals) {
    const other = finals.some((o) => o.role !== u.role && o.startMs < u.startMs && u.startMs < o.endMs);
    if (other) interruptions[u.role] = (interruptions[u.role] ?? 0) + 1;
  }
  const words = (role: LegRole) => finals.filter((f) => f.role === role).reduce((n, f) => n + (f.words.length || f.text.split(/\s+/).filter(Boolean).length), 0);
  const wpm = (role: LegRole, talkMs: number) => (talkMs > 0 ? round2(words(role) / (talkMs / 60_000)) : null);

  const transferred = /transfer/i.test(call.endReason ?? '') || input.outcome?.outcome === 'transferred';
  const readings = events.filter((e): e is Extract<CallEvent, { type: 'emotion' }> => e.type === 'emotion').map((e) => SENTIMENT_VALENCE[e.label] ?? 0);
  const third = Math.max(1, Math.ceil(readings.length / 3));
  const sentimentStart = readings.length ? round2(mean(readings.slice(0, third))) : null;
  const sentimentEnd = readings.length ? round2(mean(readings.slice(-third))) : null;
  const { resolution, resolutionSource } = resolve(input.outcome, transferred, sentimentEnd);

  const intents = events
    .filter((e): e is Extract<CallEvent, { type: 'intent' }> => e.type === 'intent' && e.stage === 'final' && !e.prediction.outOfScope && !e.prediction.lowConfidence)
    .map((e) => e.prediction.label);
  const complianceSeen = input.hits.length > 0 || events.some((e) => e.type === 'compliance.checklist' || e.type === 'compliance.warning');
  const complianceScore = complianceSeen ? Math.max(0, 100 - input.hits.reduce((p, h) => p + COMPLIANCE_PENALTY[h.severity], 0)) : null;

  return {
    callId: call.callId,
    agentId: call.agentId,
    callType: call.source,
    startedAtMs: call.startedAtMs,
    endedAtMs,
    handleMs,
    talkAgentMs,
    talkCustomerMs,
    nonTalkMs,
    holdMs: holdMs(events, call.startedAtMs, endedAtMs),
    interruptionsAgent: interruptions.agent ?? 0,
    interruptionsCustomer: interruptions.customer ?? 0,
    loudnessAgentDbfs: input.loudnessDbfs.agent ?? null,
    loudnessCustomerDbfs: input.loudnessDbfs.customer ?? null,
    wpmAgent: wpm('agent', talkAgentMs),
    wpmCustomer: wpm('customer', talkCustomerMs),
    firstResponseMs: firstResponseMs(finals),
    transferred,
    resolution,
    resolutionSource,
    sentimentStart,
    sentimentEnd,
    complianceScore,
    primaryIntent: mostFrequent(intents),
    intents,
  };
}

function resolve(outcome: CallOutcomeRecord | undefined, transferred: boolean, sentimentEnd: number | null): { resolution: CallResolution; resolutionSource: ResolutionSource } {
  if (outcome && outcome.outcome !== 'unknown') {
    const resolved = outcome.outcome === 'resolved' || outcome.outcome === 'self-service';
    return { resolution: resolved ? 'resolved' : 'unresolved', resolutionSource: 'wrap-up' };
  }
  if (transferred) return { resolution: 'unresolved', resolutionSource: 'inferred' };
  if (sentimentEnd !== null) return { resolution: sentimentEnd >= 0 ? 'resolved' : 'unresolved', resolutionSource: 'inferred' };
  return { resolution: 'unknown', resolutionSource: 'none' };
}

/** Total length of the union of spans. */
export function unionMs(spans: Span[]): number {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let cur: Span | undefined;
  for (const s of sorted) {
    if (!cur || s[0] > cur[1]) {
      if (cur) total += cur[1] - cur[0];
      cur = [s[0], s[1]];
    } else cur[1] = Math.max(cur[1], s[1]);
  }
  if (cur) total += cur[1] - cur[0];
  return total;
}

function firstResponseMs(finals: FinalUtterance[]): number | null {
  const byStart = [...finals].sort((a, b) => a.startMs - b.startMs);
  const firstAgent = byStart.find((f) => f.role === 'agent');
  const firstCustomer = byStart.find((f) => f.role === 'customer');
  if (!firstAgent) return null;
  if (!firstCustomer || firstAgent.startMs < firstCustomer.startMs) return firstAgent.startMs;
  const reply = byStart.find((f) => f.role === 'agent' && f.startMs >= firstCustomer.startMs);
  return reply ? Math.max(0, reply.startMs - firstCustomer.endMs) : null;
}

function holdMs(events: CallEvent[], startedAtMs: number, endedAtMs: number): number {
  let total = 0;
  let heldSince: number | null = null;
  for (const e of events) {
    if (e.type !== 'call.hold') continue;
    if (e.held && heldSince === null) heldSince = e.atMs;
    else if (!e.held && heldSince !== null) (total += e.atMs - heldSince), (heldSince = null);
  }
  if (heldSince !== null) total += Math.max(0, endedAtMs - heldSince);
  return Math.max(0, Math.min(total, endedAtMs - startedAtMs));
}

function mostFrequent(labels: string[]): string | null {
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  let best: string | null = null;
  for (const [l, n] of counts) if (best === null || n > counts.get(best)!) best = l;
  return best;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const round2 = (x: number) => Math.round(x * 100) / 100;
