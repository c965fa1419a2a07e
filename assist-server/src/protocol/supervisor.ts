/**
 * assist-server ↔ supervisor wall protocol, version 1.
 *
 * `/ws/supervisor` (the wall): on connect the server sends `wall.ready` with every live call's
 * rollup and the recent alerts, then `wall.call` whenever a call starts or its rollup changes,
 * `wall.alert` as compliance warnings and escalations fire, and `wall.call.ended` when a call ends.
 * The wall takes no messages beyond `ping`.
 *
 * `/ws/supervisor/call?callId=…` (read-only view of one call): speaks the agent protocol
 * (agent-ui.ts) for that one call: `session.ready`, a `call.snapshot`, then every event the agent
 * gets. It answers `snapshot.request`; anything that would act on the call (`assist.feedback`) is
 * refused with an `error` (`EARPIECE_SUPERVISOR_READ_ONLY`).
 *
 * Everything here is derived from masked events: no raw transcript or caller number.
 */
import type { ComplianceSeverity, CustomerEmotionLabel } from './agent-ui.ts';

export const SUPERVISOR_PROTOCOL_VERSION = 1;
export const SUPERVISOR_SOCKET_PATH = '/ws/supervisor';
export const SUPERVISOR_CALL_SOCKET_PATH = '/ws/supervisor/call';
/** How many recent alerts a wall gets on connect. */
export const SUPERVISOR_RECENT_ALERTS = 50;

/** What the wall shows of one live call. */
export interface LiveCallRollup {
  callId: string;
  agentId: string;
  /** Masked, e.g. `•••• 4567`. */
  callerNumber: string | null;
  startedAtMs: number;
  held: boolean;
  /** Latest settled customer intent (final, in scope, confident enough), or null. */
  intent: { label: string; confidence: number } | null;
  /** Latest customer emotion and the call's negativity trend (0 content .. 1 angry). */
  emotion: { label: CustomerEmotionLabel; confidence: number; trend: number } | null;
  /** Compliance warnings so far, and how many of them were critical. */
  warnings: number;
  criticalWarnings: number;
  /** Emotion escalations so far. */
  escalations: number;
  /** Server time of the last change, ms since the epoch. */
  updatedAtMs: number;
}

/** Something a supervisor may need to act on. */
export interface SupervisorAlert {
  /** Unique on this node: `<callId>:<seq>` of the event that raised it. */
  alertId: string;
  callId: string;
  agentId: string;
  kind: 'compliance' | 'escalation';
  severity: ComplianceSeverity;
  title: string;
  message: string;
  atMs: number;
}

interface WallMessageBase {
  v: typeof SUPERVISOR_PROTOCOL_VERSION;
}

export type SupervisorServerMessage =
  | (WallMessageBase & { type: 'wall.ready'; serverTimeMs: number; calls: LiveCallRollup[]; /** oldest first */ alerts: SupervisorAlert[] })
  /** A call started or its rollup changed: replaces the wall's row for `call.callId`. */
  | (WallMessageBase & { type: 'wall.call'; call: LiveCallRollup })
  | (WallMessageBase & { type: 'wall.alert'; alert: SupervisorAlert })
  | (WallMessageBase & { type: 'wall.call.ended'; callId: string; agentId: string; reason: string; durationMs: number; atMs: number })
  | (WallMessageBase & { type: 'error'; code: string; message: string });

export type SupervisorServerMessageType = SupervisorServerMessage['type'];
