/**
 * A stored call's events as the reviewer's timeline, on the recording's clock: intent changes,
 * compliance warnings, emotion shifts and escalations, holds. Utterance-bound events sit at their
 * utterance's start (where a reviewer wants to listen from); holds at their wall time since the start.
 */
import type { CallEvent, FinalUtterance, ReviewTimelineEntry } from '../protocol/index.ts';

const ESCALATION_REASONS = { rising: 'customer getting more upset', 'persistent-anger': 'customer angry for several turns' } as const;

export function callTimeline(events: CallEvent[], finals: FinalUtterance[], startedAtMs: number): ReviewTimelineEntry[] {
  const utterances = new Map(finals.map((f) => [f.utteranceId, f]));
  const wallOffset = (atMs: number) => Math.max(0, atMs - startedAtMs);
  const at = (utteranceId: string | null, atMs: number) => (utteranceId === null ? undefined : utterances.get(utteranceId)?.startMs) ?? wallOffset(atMs);
  const entry = (e: Partial<ReviewTimelineEntry> & Pick<ReviewTimelineEntry, 'kind' | 'offsetMs' | 'label'>): ReviewTimelineEntry => ({
    detail: null,
    role: null,
    utteranceId: null,
    severity: null,
    ...e,
  });
  const out: ReviewTimelineEntry[] = [];
  let intent: string | null = null;
  let emotion: string | null = null;
  for (const e of events) {
    switch (e.type) {
      case 'intent': {
        if (e.stage !== 'final' || e.prediction.label === intent) break;
        intent = e.prediction.label;
        const label = e.prediction.outOfScope ? 'Intent: out of scope' : `Intent: ${e.prediction.label}`;
        out.push(entry({ kind: 'intent', offsetMs: at(e.utteranceId, e.atMs), label, detail: `${Math.round(e.prediction.confidence * 100)}% confidence`, role: 'customer', utteranceId: e.utteranceId }));
        break;
      }
      case 'emotion': {
        if (e.label === emotion || (emotion === null && e.label === 'neutral')) {
          emotion = e.label;
          break;
        }
        emotion = e.label;
        out.push(entry({ kind: 'emotion', offsetMs: at(e.utteranceId, e.atMs), label: `Customer ${e.label}`, detail: e.cues.length ? e.cues.join('; ') : null, role: 'customer', utteranceId: e.utteranceId }));
        break;
      }
      case 'emotion.escalation':
        out.push(entry({ kind: 'escalation', offsetMs: at(e.utteranceId, e.atMs), label: 'Escalation', detail: ESCALATION_REASONS[e.reason], role: 'customer', utteranceId: e.utteranceId, severity: 'warning' }));
        break;
      case 'compliance.warning':
        out.push(
          entry({
            kind: 'compliance',
            offsetMs: e.offsetMs,
            label: e.title,
            detail: e.evidence ? `${e.message} (“${e.evidence}”)` : e.message,
            role: e.role,
            utteranceId: e.utteranceId,
            severity: e.severity,
          }),
        );
        break;
      case 'call.hold':
        out.push(entry({ kind: 'hold', offsetMs: wallOffset(e.atMs), label: e.held ? 'Call on hold' : 'Call resumed' }));
        break;
      default:
        break;
    }
  }
  return out.sort((a, b) => a.offsetMs - b.offsetMs);
}
