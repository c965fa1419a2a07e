/**
 * Plain SIP for PBXs that fork a call to us as ordinary SIP calls: one leg per dialog (its first
 * usable audio m-line), two dialogs grouped into one BridgeCall.
 *
 * Grouping: dialogs with the same value of the group header (default `X-Earpiece-Call-Id`), or,
 * without it, the same SIP Call-ID. Role: `X-Earpiece-Leg: agent|customer`, else by arrival
 * (first = `fallbackOrder[0]`, default customer). Agent id: `X-Earpiece-Agent-Id`, else the To
 * user when it matches the agent rule, else the rule's default. Caller number: the customer
 * dialog's From user. A dialog waits up to `groupingWindowMs` for its partner before it is
 * answered; a lone dialog then becomes a one-leg call. The call is opened once for the group,
 * so the capacity answer (503/486) goes to every dialog of it; it ends when its last dialog ends.
 */
import type { LegRole } from '@earpiece/assist-server/protocol';
import type { BridgeCall, CallEndReason, CallSink } from '../../core/call-sink.ts';
import type { BridgeError } from '../../core/errors.ts';
import { silentLogger, type BridgeLogger } from '../../core/logger.ts';
import { getHeader } from './sip-message.ts';
import { parseNameAddr, parseSipUri } from './sip-header-values.ts';
import { buildSdpAnswer, isHoldOffer, isUsableAudio, type SdpOffer } from './sdp.ts';
import { SipRefusal, type ActiveSession, type IncomingSession, type SessionControl, type SessionHandler } from './session-handler.ts';
import { closeLegsThenEnd, MediaLeg, type MediaOptions } from './media-leg.ts';
import { randomToken } from './sip-response.ts';
import { bridgeCallId, refusalFor } from '../siprec/siprec-session-handler.ts';
import { isAgentAor, type AgentRule } from '../siprec/leg-mapping.ts';

export interface SipEndpointHandlerOptions extends MediaOptions {
  sink: CallSink;
  agentRule: AgentRule;
  mediaAddress: string;
  /** Header that groups two dialogs into one call; default X-Earpiece-Call-Id. */
  groupHeader?: string;
  legHeader?: string;
  agentIdHeader?: string;
  /** How long a dialog waits for its partner; default 1500 ms. */
  groupingWindowMs?: number;
  logger?: BridgeLogger;
}

interface Member {
  session: IncomingSession;
  role: LegRole;
  leg: MediaLeg;
  held: boolean;
  ended: boolean;
}

interface Group {
  key: string;
  members: Member[];
  opened: boolean;
  /** Settles when the call is opened for the group (or refused). */
  ready: Promise<BridgeCall>;
  timer: NodeJS.Timeout | undefined;
  open(): void;
}

export class SipEndpointHandler implements SessionHandler {
  readonly optionTags: string[] = [];
  readonly accept = ['application/sdp'];
  readonly #groups = new Map<string, Group>();
  readonly #log: BridgeLogger;

  constructor(private readonly o: SipEndpointHandlerOptions) {
    this.#log = o.logger ?? silentLogger;
  }

  async open(s: IncomingSession, control: SessionControl): Promise<ActiveSession> {
    const stream = s.sdp.streams.find(isUsableAudio);
    if (!stream) throw new SipRefusal(488, 'no audio m-line offers PCMU or PCMA over RTP/AVP');
    const groupValue = getHeader(s.invite, this.o.groupHeader ?? 'x-earpiece-call-id')?.trim();
    const key = groupValue ? `h:${groupValue}` : `c:${s.sipCallId}`;
    let group = this.#groups.get(key);
    if (!group || group.opened || group.members.length >= 2) group = this.#newGroup(key);
    const asked = getHeader(s.invite, this.o.legHeader ?? 'x-earpiece-leg')?.trim().toLowerCase();
    const order = this.o.agentRule.fallbackOrder ?? ['customer', 'agent'];
    const taken = group.members[0]?.role;
    let role: LegRole = asked === 'agent' || asked === 'customer' ? asked : taken ? other(taken) : order[0];
    if (taken === role) {
      this.#log.warn({ sipCallId: s.sipCallId, role }, 'both dialogs of a call claim the same leg: the second takes the other');
      role = other(role);
    }
    let leg: MediaLeg;
    try {
      leg = await MediaLeg.open(stream, role, s.peer, this.o, () => {
        this.#log.warn({ sipCallId: s.sipCallId }, 'no RTP within the media timeout: ending the dialog');
        control.hangup('end-of-media');
      });
    } catch (err) {
      throw new SipRefusal(503, `no RTP port for the call: ${(err as Error).message}`, [['Retry-After', '5']]);
    }
    const member: Member = { session: s, role, leg, held: false, ended: false };
    group.members.push(member);
    if (group.members.length === 2) group.open();
    let call: BridgeCall;
    try {
      call = await group.ready;
    } catch (err) {
      await leg.close();
      throw err instanceof SipRefusal ? err : refusalFor(err as BridgeError);
    }
    leg.attach(call);
    const answer = (offer: SdpOffer) =>
      buildSdpAnswer(offer, offer.streams.map((st) => (st.index === stream.index && isUsableAudio(st) ? { port: leg.port, codecs: st.codecs } : { port: 0, codecs: [] })), {
        address: this.o.mediaAddress,
        sessionId: String(parseInt(randomToken(3), 16)),
        version: 1,
      });
    const g = group;
    return {
      answer: answer(s.sdp),
      update: async (offer) => {
        const st = offer.streams[stream.index];
        if (st && isUsableAudio(st)) leg.update(st);
        const wasHeld = g.members.some((m) => m.held);
        member.held = isHoldOffer(offer, s.sdp);
        const held = g.members.some((m) => m.held);
        if (held !== wasHeld) call.hold(held);
        return answer(offer);
      },
      end: (reason) => this.#endMember(g, member, call, reason),
    };
  }

  #newGroup(key: string): Group {
    let settle!: (call: Promise<BridgeCall>) => void;
    const ready = new Promise<BridgeCall>((resolve) => (settle = resolve));
    ready.catch(() => {});
    const group: Group = {
      key,
      members: [],
      opened: false,
      ready,
      timer: undefined,
      open: () => {
        if (group.opened) return;
        group.opened = true;
        clearTimeout(group.timer);
        if (this.#groups.get(key) === group) this.#groups.delete(key);
        settle(this.#openCall(group));
      },
    };
    group.timer = setTimeout(group.open, this.o.groupingWindowMs ?? 1500);
    this.#groups.set(key, group);
    return group;
  }

  async #openCall(group: Group): Promise<BridgeCall> {
    if (group.members.length === 0) throw new SipRefusal(500, 'the dialog left before its call opened');
    const first = group.members[0]!.session;
    const customer = group.members.find((m) => m.role === 'customer')?.session;
    const agent = group.members.find((m) => m.role === 'agent')?.session ?? (group.members.length === 1 ? undefined : first);
    const headerAgent = group.members.map((m) => getHeader(m.session.invite, this.o.agentIdHeader ?? 'x-earpiece-agent-id')?.trim()).find(Boolean);
    const toAor = agent ? parseNameAddr(getHeader(agent.invite, 'to')!).uri : undefined;
    const ruleAgent = toAor && isAgentAor(toAor, this.o.agentRule) ? parseSipUri(toAor)?.user : undefined;
    const callerAor = customer ? parseNameAddr(getHeader(customer.invite, 'from')!).uri : undefined;
    const spec = {
      callId: bridgeCallId('sip', group.key.slice(2)),
      agentId: headerAgent ?? ruleAgent ?? this.o.agentRule.defaultAgentId ?? 'unknown-agent',
      callerNumber: callerAor ? parseSipUri(callerAor)?.user : undefined,
      source: 'sip',
      legs: group.members.map((m) => ({ role: m.role, sampleRateHz: 8000 })),
    };
    this.#log.info({ callId: spec.callId, legs: spec.legs.length, grouping: group.key.startsWith('h:') ? 'header' : 'call-id' }, 'SIP call grouped');
    return this.o.sink.open(spec);
  }

  async #endMember(group: Group, member: Member, call: BridgeCall, reason: CallEndReason): Promise<void> {
    if (member.ended) return;
    member.ended = true;
    await member.leg.close();
    if (group.members.every((m) => m.ended)) await closeLegsThenEnd([], () => call.end(reason), this.#log);
  }
}

function other(role: LegRole): LegRole {
  return role === 'agent' ? 'customer' : 'agent';
}
