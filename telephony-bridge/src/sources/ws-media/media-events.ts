/**
 * What a WebSocket media dialect decoder (twilio.ts, audio-fork.ts) produces, and its errors.
 * Decoders are pure: messages in, events out; the session (media-stream-session.ts) talks to the
 * CallSink and the socket.
 */
import type { LegRole } from '@earpiece/assist-server/protocol';
import type { BridgeLegSpec } from '../../core/call-sink.ts';
import { BridgeError } from '../../core/errors.ts';

export type MediaEvent =
  | {
      type: 'start';
      callId: string;
      /** Unset when the stream named none: the server's defaultAgentId applies. */
      agentId?: string | undefined;
      callerNumber?: string | undefined;
      legs: BridgeLegSpec[];
      /** A credential carried in the first message (Twilio customParameters.token, audio-fork metadata token). */
      token?: string | undefined;
    }
  | { type: 'audio'; role: LegRole; pcm: Int16Array; offsetSamples?: number }
  | { type: 'dtmf'; role: LegRole; digit: string; offsetMs: number }
  | { type: 'stop' };

export interface MediaDecoder {
  readonly dialect: 'twilio' | 'audio-fork';
  text(data: string): MediaEvent[];
  binary(data: Buffer): MediaEvent[];
}

/** WebSocket close codes used for rejections (RFC 6455 §7.4.1). */
export const CLOSE = {
  normal: 1000,
  goingAway: 1001,
  /** Binary where text is expected (or the reverse). */
  unsupportedData: 1003,
  /** Bad JSON, bad base64, malformed audio, a message missing its fields. */
  invalidPayload: 1007,
  /** Authentication failed, unknown event, messages out of order. */
  policy: 1008,
  tooBig: 1009,
  internalError: 1011,
  /** The bridge is at capacity: try again later. */
  tryAgainLater: 1013,
} as const;

/** A rejection: `code` (EARPIECE_BRIDGE_WS_*) is also the close reason. */
export class MediaStreamError extends BridgeError {
  constructor(
    code: string,
    message: string,
    readonly closeCode: number,
  ) {
    super(code, message);
  }
}

const CALL_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

export function validCallId(id: unknown): id is string {
  return typeof id === 'string' && CALL_ID.test(id);
}

export function parseJson(data: string, dialect: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    throw new MediaStreamError('EARPIECE_BRIDGE_WS_BAD_JSON', `${dialect}: a text message is not JSON (${data.length} chars)`, CLOSE.invalidPayload);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MediaStreamError('EARPIECE_BRIDGE_WS_BAD_MESSAGE', `${dialect}: a text message is JSON but not an object`, CLOSE.invalidPayload);
  }
  return value as Record<string, unknown>;
}

export function optionalString(v: unknown, max = 128): string | undefined {
  return typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined;
}
