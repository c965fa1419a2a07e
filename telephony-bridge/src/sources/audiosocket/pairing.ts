/**
 * Which call and which leg an AudioSocket connection belongs to. One AudioSocket carries one
 * channel, so the two parties of a call arrive as two TCP connections, each opening with a
 * 16-byte UUID chosen by the dialplan. Two rules turn a UUID into (callId, role):
 *
 * `uuid-prefix` (default; nothing to set up but the dialplan): both legs' UUIDs share their
 * first `prefixBytes` bytes (default 12), which name the call; the leg is read from the last byte
 * (`legFrom: 'last-byte'`, default: 0x00 customer, 0x01 agent) or from the low nibble of the last
 * byte, i.e. the UUID's last hex digit (`'last-nibble'`). Dialplan sketch:
 *   Set(CALLUUID=${UUID()})
 *   customer channel: AudioSocket(${CALLUUID:0:34}00,bridge:9092)
 *   agent channel:    AudioSocket(${CALLUUID:0:34}01,bridge:9092)
 * callId = `as-` + the prefix in hex. agentId (and callerNumber) come from a mapping registered
 * under either leg's UUID, else from `defaultAgentId`, else the call is refused.
 *
 * `mapping`: the PBX registers every UUID before it connects: `uuid → { callId, role, agentId,
 * callerNumber? }` through `mappings.set()` (wired by the lead to an API; e.g. Asterisk's
 * CURL() from the dialplan or an ARI app) or an async `resolve(uuid)` callback (e.g. a lookup in
 * the PBX's own database). A UUID nobody registered is refused, so with the registration API
 * protected by the shared secret, the UUID itself becomes the credential stock Asterisk can carry.
 * Why both rules: prefix needs no extra moving part; mapping needs no UUID convention and carries
 * the agent id and caller number, which a UUID cannot.
 */
import type { LegRole } from '@earpiece/assist-server/protocol';
import { BridgeError } from '../../core/errors.ts';

export type AudioSocketPairing =
  | {
      mode: 'uuid-prefix';
      /** Leading UUID bytes both legs share; 1-15, default 12. */
      prefixBytes?: number;
      /** Where the leg is written; default 'last-byte'. */
      legFrom?: 'last-byte' | 'last-nibble';
      /** Value meaning the agent's leg; default 1. */
      agentValue?: number;
      /** Value meaning the customer's leg; default 0. */
      customerValue?: number;
    }
  | { mode: 'mapping' };

export interface AudioSocketMapping {
  /** Required in `mapping` mode; ignored in `uuid-prefix` mode (the prefix names the call). */
  callId?: string;
  /** Required in `mapping` mode; ignored in `uuid-prefix` mode. */
  role?: LegRole;
  agentId: string;
  callerNumber?: string;
}

export interface LegIdentity {
  callId: string;
  role: LegRole;
  /** Unset in prefix mode without a mapping: the call takes its partner's, or defaultAgentId. */
  agentId?: string | undefined;
  callerNumber?: string | undefined;
}

/** UUID → mapping, with an expiry so registrations for calls that never connected go away. */
export class AudioSocketMappings {
  #entries = new Map<string, { mapping: AudioSocketMapping; expiresAtMs: number }>();

  constructor(private readonly defaultTtlMs = 10 * 60_000) {}

  set(uuid: string, mapping: AudioSocketMapping, ttlMs = this.defaultTtlMs): void {
    this.#sweep();
    this.#entries.set(normalizeUuid(uuid), { mapping: { ...mapping }, expiresAtMs: Date.now() + ttlMs });
  }

  get(uuid: string): AudioSocketMapping | undefined {
    const key = normalizeUuid(uuid);
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAtMs <= Date.now()) return void this.#entries.delete(key);
    return entry.mapping;
  }

  delete(uuid: string): boolean {
    return this.#entries.delete(normalizeUuid(uuid));
  }

  get size(): number {
    this.#sweep();
    return this.#entries.size;
  }

  #sweep(): void {
    const now = Date.now();
    for (const [k, e] of this.#entries) if (e.expiresAtMs <= now) this.#entries.delete(k);
  }
}

export interface IdentifyOptions {
  pairing: AudioSocketPairing;
  mappings: AudioSocketMappings;
  resolve?: ((uuid: string) => Promise<AudioSocketMapping | undefined> | AudioSocketMapping | undefined) | undefined;
}

const CALL_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/** (callId, role, agentId) for a connection's UUID, or a BridgeError (EARPIECE_BRIDGE_AUDIOSOCKET_PAIRING). */
export async function identifyLeg(uuid: string, bytes: Uint8Array, options: IdentifyOptions): Promise<LegIdentity> {
  const refuse = (why: string) => new BridgeError('EARPIECE_BRIDGE_AUDIOSOCKET_PAIRING', `AudioSocket ${uuid}: ${why}`);
  const mapping = options.mappings.get(uuid) ?? (await options.resolve?.(uuid));
  if (options.pairing.mode === 'mapping') {
    if (!mapping) throw refuse('no mapping registered for this UUID; register uuid → {callId, role, agentId} before the PBX connects');
    if (!mapping.callId || !CALL_ID.test(mapping.callId)) throw refuse('the mapping has no valid callId (letters, digits and ._:@- only)');
    if (mapping.role !== 'agent' && mapping.role !== 'customer') throw refuse('the mapping has no role (agent or customer)');
    if (!mapping.agentId) throw refuse('the mapping has no agentId');
    return { callId: mapping.callId, role: mapping.role, agentId: mapping.agentId, callerNumber: mapping.callerNumber };
  }
  const { prefixBytes = 12, legFrom = 'last-byte', agentValue = 1, customerValue = 0 } = options.pairing;
  if (!Number.isInteger(prefixBytes) || prefixBytes < 1 || prefixBytes > 15) throw refuse(`prefixBytes must be 1-15, got ${prefixBytes}`);
  const last = bytes[15]!;
  const value = legFrom === 'last-nibble' ? last & 0x0f : last;
  const role: LegRole | undefined = value === agentValue ? 'agent' : value === customerValue ? 'customer' : undefined;
  if (!role) throw refuse(`its ${legFrom} is 0x${value.toString(16)}, neither the agent's (0x${agentValue.toString(16)}) nor the customer's (0x${customerValue.toString(16)}) leg value`);
  const callId = `as-${Buffer.from(bytes.subarray(0, prefixBytes)).toString('hex')}`;
  return { callId, role, agentId: mapping?.agentId, callerNumber: mapping?.callerNumber };
}

/** Mapping keys: UUIDs compare case-insensitively. */
export function normalizeUuid(uuid: string): string {
  return uuid.toLowerCase();
}
