/**
 * Pairs AudioSocket legs into calls. Legs with the same callId gather for up to
 * `groupingWindowMs` from the first one's arrival; the call opens as soon as both roles are
 * present and each has sent its first audio frame (its rate) or ended, or when the window
 * closes (or the server shuts down) (a lone leg becomes a one-leg call; a leg with no audio yet is declared at
 * `defaultSampleRateHz`). A leg that arrives after its call opened, or a second leg with a role
 * already taken, is refused with an error frame. The call opens all at once or not at all: when
 * the sink refuses (capacity, server down) every leg gets an error frame and a close. The call
 * ends when its last leg has ended, after everything received was handed on.
 */
import type { LegRole } from '@earpiece/assist-server/protocol';
import type { BridgeCall, CallEndReason, CallSink } from '../../core/call-sink.ts';
import { BridgeError } from '../../core/errors.ts';
import type { BridgeLogger } from '../../core/logger.ts';
import { AUDIOSOCKET_REFUSAL, type AudioSocketLeg } from './audiosocket-leg.ts';
import type { LegIdentity } from './pairing.ts';

export interface CallGroupsOptions {
  sink: CallSink;
  groupingWindowMs: number;
  defaultSampleRateHz: number;
  defaultAgentId?: string | undefined;
  logger: BridgeLogger;
}

type GroupState = 'gathering' | 'opening' | 'live' | 'closed';

interface Group {
  callId: string;
  state: GroupState;
  members: Map<LegRole, { leg: AudioSocketLeg; identity: LegIdentity }>;
  timer: NodeJS.Timeout | undefined;
  call?: BridgeCall;
}

export class CallGroups {
  #groups = new Map<string, Group>();
  #work = new Set<Promise<void>>();
  /** Calls opened so far, and calls the sink refused. */
  opened = 0;
  refused = 0;

  constructor(private readonly options: CallGroupsOptions) {}

  /** Calls gathering, opening or live. */
  get size(): number {
    return this.#groups.size;
  }

  add(leg: AudioSocketLeg, identity: LegIdentity): void {
    let group = this.#groups.get(identity.callId);
    if (!group) {
      group = { callId: identity.callId, state: 'gathering', members: new Map(), timer: undefined };
      const g = group;
      group.timer = setTimeout(() => this.#open(g), this.options.groupingWindowMs);
      this.#groups.set(identity.callId, group);
    }
    const refuse = (code: string, why: string) => leg.refuse(new BridgeError(code, `AudioSocket ${leg.uuid} (call ${identity.callId}, ${identity.role}): ${why}`), AUDIOSOCKET_REFUSAL.pairing);
    if (group.state !== 'gathering') return refuse('EARPIECE_BRIDGE_AUDIOSOCKET_LATE_LEG', `the call already opened without this leg; raise groupingWindowMs (${this.options.groupingWindowMs} ms)`);
    if (group.members.has(identity.role)) return refuse('EARPIECE_BRIDGE_AUDIOSOCKET_DUPLICATE_LEG', `the call already has a ${identity.role} leg; check the pairing rule's leg values`);
    group.members.set(identity.role, { leg, identity });
    this.#maybeOpen(group);
  }

  legReady(leg: AudioSocketLeg): void {
    const group = this.#groupOf(leg);
    if (group) this.#maybeOpen(group);
  }

  legEnded(leg: AudioSocketLeg): void {
    const group = this.#groupOf(leg);
    if (!group) return;
    if (group.state === 'gathering') return this.#maybeOpen(group);
    if (group.state === 'live') this.#maybeEnd(group);
  }

  /** Ends every leg (server shutdown) and waits for the calls to open-and-flush or end. */
  async closeAll(): Promise<void> {
    for (const group of [...this.#groups.values()]) {
      for (const { leg } of group.members.values()) leg.shutdown();
      this.#open(group); // a gathering call opens now, so what its legs hold is handed on
    }
    while (this.#work.size > 0) await Promise.allSettled([...this.#work]);
  }

  #groupOf(leg: AudioSocketLeg): Group | undefined {
    const id = leg.identity;
    const group = id && this.#groups.get(id.callId);
    return group && group.members.get(id.role)?.leg === leg ? group : undefined;
  }

  #maybeOpen(group: Group): void {
    if (group.state !== 'gathering') return;
    // A lone leg that already hung up still waits for the window: its partner may yet connect.
    const members = [...group.members.values()];
    if (members.length === 2 && members.every((m) => m.leg.ended || m.leg.firstRateHz !== undefined)) this.#open(group);
  }

  #open(group: Group): void {
    if (group.state !== 'gathering') return;
    clearTimeout(group.timer);
    group.state = 'opening';
    const members = [...group.members.values()].sort((a, b) => a.identity.role.localeCompare(b.identity.role));
    const agentId = members.find((m) => m.identity.agentId)?.identity.agentId ?? this.options.defaultAgentId;
    const callerNumber = members.find((m) => m.identity.callerNumber)?.identity.callerNumber;
    const legs = members.map((m) => ({ role: m.identity.role, sampleRateHz: m.leg.firstRateHz ?? this.options.defaultSampleRateHz }));
    const log = this.options.logger;
    if (!agentId) {
      return this.#refuse(group, new BridgeError('EARPIECE_BRIDGE_AUDIOSOCKET_PAIRING', `call ${group.callId}: no agent id; register a mapping for one of its UUIDs or configure defaultAgentId`), AUDIOSOCKET_REFUSAL.pairing);
    }
    const work = this.options.sink
      .open({ callId: group.callId, agentId, callerNumber, source: 'audiosocket', legs })
      .then(
        (call) => {
          group.state = 'live';
          group.call = call;
          this.opened++;
          log.info({ callId: group.callId, legs: legs.map((l) => `${l.role}@${l.sampleRateHz}`), uuids: members.map((m) => m.leg.uuid) }, 'AudioSocket call opened');
          for (const m of members) m.leg.attach(call, m.identity.role, legs.find((l) => l.role === m.identity.role)!.sampleRateHz);
          this.#maybeEnd(group);
        },
        (err: BridgeError) => {
          this.refused++;
          // The bridge's own limit, or assist-server's admission control (retryable either way).
          const capacity = err.code === 'EARPIECE_BRIDGE_CAPACITY' || err.code === 'EARPIECE_INGEST_CAPACITY';
          this.#refuse(group, err, capacity ? AUDIOSOCKET_REFUSAL.capacity : AUDIOSOCKET_REFUSAL.unavailable);
        },
      );
    this.#track(work);
  }

  #refuse(group: Group, err: BridgeError, refusal: number): void {
    group.state = 'closed';
    this.#groups.delete(group.callId);
    this.options.logger.warn({ callId: group.callId, code: err.code, legs: group.members.size }, 'AudioSocket call refused');
    for (const { leg } of group.members.values()) leg.refuse(err, refusal);
  }

  #maybeEnd(group: Group): void {
    const members = [...group.members.values()];
    if (group.state !== 'live' || !members.every((m) => m.leg.ended)) return;
    group.state = 'closed';
    const reasons = members.map((m) => m.leg.endReason);
    const reason: CallEndReason = reasons.includes('error') ? 'error' : reasons.includes('shutdown') ? 'shutdown' : 'hangup';
    this.options.logger.info({ callId: group.callId, reason, frames: members.reduce((n, m) => n + m.leg.frames, 0) }, 'AudioSocket call ended');
    this.#track(group.call!.end(reason).finally(() => this.#groups.delete(group.callId)));
  }

  #track(p: Promise<void>): void {
    const tracked = p.catch((err: Error & { code?: string }) => this.options.logger.error({ code: err.code }, 'AudioSocket call did not end cleanly'));
    this.#work.add(tracked);
    void tracked.finally(() => this.#work.delete(tracked));
  }
}
