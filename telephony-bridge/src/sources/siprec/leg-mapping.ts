/**
 * Which SIPREC m-line is the agent and which the customer.
 *
 * Path through the metadata (RFC 7865): SDP `a=label:X` → `<stream>` whose `<label>` is X → the
 * participant that `<send>`s that stream id → agent when its AoR matches the rule (user part in
 * `agentExtensions`, or the whole AoR matches `agentAorPattern`), otherwise customer.
 *
 * When one stream is placed this way and the other is not, the other gets the other role.
 * Fallback (documented default): when there is no metadata, no stream can be tied to a
 * participant, or both or neither participants look like agents, the m-lines take the roles of
 * `fallbackOrder` in m-line order, default `['customer', 'agent']` (an SBC usually records the
 * calling side, for a contact center the customer, as the first stream). At most one stream per
 * role is taken; further audio streams are rejected (port 0) by the server.
 */
import type { LegRole } from '@earpiece/assist-server/protocol';
import type { RecordingMetadata, MetadataParticipant } from './recording-metadata.ts';
import { parseSipUri } from '../sip/sip-header-values.ts';

export interface AgentRule {
  /** AoR user parts that are agents' phones, e.g. ['1001', '1002']. */
  agentExtensions?: readonly string[];
  /** Matched against the whole AoR (`sip:agent.7@pbx`), case-insensitive when a string. */
  agentAorPattern?: string | RegExp;
  /** Roles by m-line order when the metadata cannot tell. Default ['customer', 'agent']. */
  fallbackOrder?: readonly [LegRole, LegRole];
  /** Agent id when no agent participant has an AoR. Default 'unknown-agent'. */
  defaultAgentId?: string;
}

export interface MappedStream {
  /** Index into the list of streams given (the usable audio m-lines). */
  index: number;
  role: LegRole;
  participant: MetadataParticipant | undefined;
}

export interface LegMapping {
  streams: MappedStream[];
  agentId: string;
  callerNumber: string | undefined;
  mappedBy: 'metadata' | 'fallback';
}

/** User part of an AoR (`sip:1001@pbx` → `1001`, `tel:+1415...` → `+1415...`). */
export function aorUser(aor: string | undefined): string | undefined {
  if (!aor) return undefined;
  return parseSipUri(aor)?.user ?? (aor.includes(':') ? undefined : aor);
}

export function isAgentAor(aor: string | undefined, rule: AgentRule): boolean {
  if (!aor) return false;
  const user = aorUser(aor);
  if (user !== undefined && rule.agentExtensions?.includes(user)) return true;
  const p = rule.agentAorPattern;
  if (p === undefined || p === '') return false;
  return (typeof p === 'string' ? new RegExp(p, 'i') : p).test(aor);
}

/** Maps usable audio streams (by their SDP labels) to roles. */
export function mapLegs(labels: ReadonlyArray<string | undefined>, metadata: RecordingMetadata | undefined, rule: AgentRule): LegMapping {
  const owners = labels.map((label) => owner(label, metadata));
  const classes = owners.map((p) => (p ? (isAgentAor(p.aor, rule) ? 'agent' : 'customer') : undefined));
  let roles: Array<LegRole | undefined> = classes.slice(0, 2);
  const known = roles.filter(Boolean);
  const distinct = new Set(known).size === known.length;
  let mappedBy: LegMapping['mappedBy'] = 'metadata';
  if (labels.length >= 2 && known.length === 1) {
    const other: LegRole = known[0] === 'agent' ? 'customer' : 'agent';
    roles = roles.map((r) => r ?? other);
  } else if (known.length === 0 || !distinct || (labels.length >= 2 && known.length < 2)) {
    roles = (rule.fallbackOrder ?? ['customer', 'agent']).slice(0, Math.min(labels.length, 2));
    mappedBy = 'fallback';
  }
  const streams = roles.map((role, index): MappedStream => ({ index, role: role!, participant: owners[index] }));
  const agentStream = streams.find((s) => s.role === 'agent');
  const customerStream = streams.find((s) => s.role === 'customer');
  // With no usable link, the metadata may still name exactly one agent and one other party.
  const byRule = (agent: boolean) => metadata?.participants.filter((p) => isAgentAor(p.aor, rule) === agent) ?? [];
  const agentParticipant = agentStream?.participant ?? (byRule(true).length === 1 ? byRule(true)[0] : undefined);
  const customerParticipant = customerStream?.participant ?? (byRule(false).length === 1 ? byRule(false)[0] : undefined);
  return {
    streams,
    agentId: aorUser(agentParticipant?.aor) ?? rule.defaultAgentId ?? 'unknown-agent',
    callerNumber: aorUser(customerParticipant?.aor),
    mappedBy,
  };
}

function owner(label: string | undefined, metadata: RecordingMetadata | undefined): MetadataParticipant | undefined {
  if (!metadata || label === undefined) return undefined;
  const stream = metadata.streams.find((s) => s.label === label);
  if (!stream) return undefined;
  const senders = metadata.participants.filter((p) => p.send.includes(stream.id));
  return senders.length === 1 ? senders[0] : undefined;
}
