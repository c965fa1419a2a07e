import { AGENT_UI_PROTOCOL_VERSION } from '@earpiece/assist-server/protocol';
import type { AgentServerMessage } from '@earpiece/assist-server/protocol';

/** Every server message type this UI understands; the Record type makes TS flag a missing one. */
const KNOWN_TYPES: Record<AgentServerMessage['type'], 'call' | 'session'> = {
  'call.started': 'call',
  'transcript.partial': 'call',
  'transcript.final': 'call',
  'call.ended': 'call',
  dtmf: 'call',
  'call.hold': 'call',
  intent: 'call',
  emotion: 'call',
  'emotion.escalation': 'call',
  'assist.suggestions': 'call',
  'compliance.warning': 'call',
  'compliance.checklist': 'call',
  'assist.advice': 'call',
  'customer.context': 'call',
  'call.snapshot': 'call',
  'session.ready': 'session',
  error: 'session',
};

export type ParseResult =
  | { ok: true; message: AgentServerMessage }
  | { ok: false; code: 'EARPIECE_UI_MESSAGE_INVALID' | 'EARPIECE_UI_PROTOCOL_VERSION' | 'EARPIECE_UI_MESSAGE_UNKNOWN_TYPE' };

/**
 * Checks the envelope of one frame from `/ws/agent`: JSON object, protocol version, a known `type`,
 * and `callId`/`seq` on call events. The server validated the body; this guards the reducer's
 * exhaustive switch against frames from a newer or foreign server.
 */
export function parseServerMessage(data: unknown): ParseResult {
  if (typeof data !== 'string') return { ok: false, code: 'EARPIECE_UI_MESSAGE_INVALID' };
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { ok: false, code: 'EARPIECE_UI_MESSAGE_INVALID' };
  }
  if (typeof value !== 'object' || value === null) return { ok: false, code: 'EARPIECE_UI_MESSAGE_INVALID' };
  const record = value as Record<string, unknown>;
  if (record.v !== AGENT_UI_PROTOCOL_VERSION) return { ok: false, code: 'EARPIECE_UI_PROTOCOL_VERSION' };
  const type = record.type;
  if (typeof type !== 'string' || !Object.hasOwn(KNOWN_TYPES, type)) {
    return { ok: false, code: 'EARPIECE_UI_MESSAGE_UNKNOWN_TYPE' };
  }
  if (KNOWN_TYPES[type as AgentServerMessage['type']] === 'call') {
    if (typeof record.callId !== 'string' || record.callId.length === 0) return { ok: false, code: 'EARPIECE_UI_MESSAGE_INVALID' };
    if (typeof record.seq !== 'number' || !Number.isFinite(record.seq)) return { ok: false, code: 'EARPIECE_UI_MESSAGE_INVALID' };
  }
  return { ok: true, message: record as unknown as AgentServerMessage };
}
