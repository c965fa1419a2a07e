/** IngestClient's public types, and the validated `call.start` it sends on every connection. */
import { CallStartMessage, INGEST_PROTOCOL_VERSION, type LegRole } from '@earpiece/assist-server/protocol';
import { BridgeError } from '../core/errors.ts';
import type { BridgeLogger } from '../core/logger.ts';
import type { LegStats } from './leg.ts';
import type { ReconnectPolicy } from './reconnect-policy.ts';

export interface IngestCallSpec {
  callId: string;
  agentId: string;
  /** Caller's number as the PBX gave it (PII: never logged here). */
  callerNumber?: string;
  /** Which source produced the call: wav-replay, microphone, … */
  source?: string;
  /** Wall-clock start, ms since the epoch; default now. */
  startedAtMs?: number;
  legs: Array<{ role: LegRole; sampleRateHz: number }>;
}

export interface IngestClientOptions {
  /** assist-server's WebSocket base, e.g. ws://127.0.0.1:8080 (the /ingest path is added). */
  serverUrl: string;
  call: IngestCallSpec;
  /** Unacknowledged audio kept per leg for resending; at least 60 000 ms (the default). */
  maxBufferedMs?: number;
  reconnect?: ReconnectPolicy;
  /** Time allowed for one connection to open and be accepted; default 10 000 ms. */
  connectTimeoutMs?: number;
  /** Time stop() waits for `call.stopped`; default 30 000 ms. */
  stopTimeoutMs?: number;
  /** waitForCapacity() waits while more than this many bytes are unflushed on the socket; default 1 MiB. */
  highWaterBytes?: number;
  logger?: BridgeLogger;
}

export type IngestClientState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'stopped' | 'failed' | 'closed';
export type StopReason = 'hangup' | 'end-of-media' | 'error' | 'shutdown';

/** An IngestClient error event: a server `error` message, or (fatal: true) the client giving up. */
export type IngestClientError = BridgeError & { fatal?: boolean };

export interface IngestClientEvents {
  connected: [{ attempt: number; resumed: boolean; nextSeq: Record<string, number>; resentFrames: number }];
  reconnecting: [{ attempt: number; delayMs: number; closeCode: number; reason: string }];
  error: [IngestClientError];
}

export interface IngestClientStats {
  reconnects: number;
  legs: Partial<Record<LegRole, LegStats>>;
}

/** Builds and validates the call's `call.start` with the protocol's own schema. */
export function buildCallStart(call: IngestCallSpec): CallStartMessage {
  const parsed = CallStartMessage.safeParse({
    type: 'call.start',
    v: INGEST_PROTOCOL_VERSION,
    ...call,
    startedAtMs: call.startedAtMs ?? Date.now(),
    legs: call.legs.map((l) => ({ role: l.role, codec: 'L16', sampleRateHz: l.sampleRateHz })),
  });
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new BridgeError('EARPIECE_BRIDGE_BAD_CALL_START', `call.start would be refused: ${why}. Fix the call id, agent id or leg list.`);
  }
  return parsed.data;
}
