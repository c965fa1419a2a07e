/**
 * The supervisor wall's view of one live call, folded from the call's events (or, for a call the
 * wall has not seen start, e.g. one resumed after a restart, from its snapshot).
 */
import type { CallEvent, CallSnapshotEvent, IntentPrediction, LiveCallRollup, SupervisorAlert } from '../protocol/index.ts';

/** A settled intent worth showing: final, in scope and not low-confidence (a "thank you" keeps the earlier one). */
function shownIntent(stage: 'early' | 'final', prediction: IntentPrediction): LiveCallRollup['intent'] | undefined {
  if (stage !== 'final' || prediction.outOfScope || prediction.lowConfidence) return undefined;
  return { label: prediction.label, confidence: prediction.confidence };
}

export function rollupFromSnapshot(snapshot: CallSnapshotEvent): LiveCallRollup {
  let intent: LiveCallRollup['intent'] = null;
  for (const i of snapshot.intents) intent = shownIntent(i.stage, i.prediction) ?? intent;
  const warnings = snapshot.compliance?.warnings ?? [];
  return {
    callId: snapshot.callId,
    agentId: snapshot.call.agentId,
    callerNumber: snapshot.call.callerNumber,
    startedAtMs: snapshot.call.startedAtMs,
    held: snapshot.held,
    intent,
    emotion: snapshot.emotion ? { label: snapshot.emotion.label, confidence: snapshot.emotion.confidence, trend: snapshot.emotion.trend } : null,
    warnings: warnings.length,
    criticalWarnings: warnings.filter((w) => w.severity === 'critical').length,
    escalations: 0,
    updatedAtMs: snapshot.atMs,
  };
}

export interface RollupChange {
  /** The new rollup, or undefined when the event changes nothing the wall shows. */
  rollup?: LiveCallRollup;
  alert?: SupervisorAlert;
}

/** Applies one event (not `call.started`/`call.ended`, which start and end the row) to a rollup. */
export function applyToRollup(rollup: LiveCallRollup, event: CallEvent): RollupChange {
  const at = { updatedAtMs: event.atMs };
  const alertBase = { alertId: `${event.callId}:${event.seq}`, callId: event.callId, agentId: rollup.agentId, atMs: event.atMs };
  switch (event.type) {
    case 'intent': {
      const intent = shownIntent(event.stage, event.prediction);
      if (!intent || (intent.label === rollup.intent?.label && intent.confidence === rollup.intent.confidence)) return {};
      return { rollup: { ...rollup, ...at, intent } };
    }
    case 'emotion':
      return { rollup: { ...rollup, ...at, emotion: { label: event.label, confidence: event.confidence, trend: event.trend } } };
    case 'call.hold':
      return event.held === rollup.held ? {} : { rollup: { ...rollup, ...at, held: event.held } };
    case 'compliance.warning':
      return {
        rollup: { ...rollup, ...at, warnings: rollup.warnings + 1, criticalWarnings: rollup.criticalWarnings + (event.severity === 'critical' ? 1 : 0) },
        alert: { ...alertBase, kind: 'compliance', severity: event.severity, title: event.title, message: event.message },
      };
    case 'emotion.escalation':
      return {
        rollup: { ...rollup, ...at, escalations: rollup.escalations + 1 },
        alert: {
          ...alertBase,
          kind: 'escalation',
          severity: event.reason === 'persistent-anger' ? 'critical' : 'warning',
          title: event.reason === 'persistent-anger' ? 'Customer persistently angry' : 'Customer getting more upset',
          message: `Negativity trend ${Math.round(event.trend * 100)}%`,
        },
      };
    default:
      return {};
  }
}
