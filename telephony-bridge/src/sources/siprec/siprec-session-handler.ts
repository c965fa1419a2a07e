/**
 * What a SIPREC recording session (RFC 7866) becomes: one BridgeCall with one leg per recorded
 * stream (agent and customer, mapped through the RFC 7865 metadata), an RtpSession per answered
 * m-line, hold/unhold from re-INVITEs (`a=inactive`), and an end that flushes the RTP sessions
 * before the call ends. RTP ports are taken before the CallSink is asked, and given back if it
 * refuses: a call is either fully accepted or refused with 503/486, never half-accepted.
 */
import type { BridgeCall, CallSink } from '../../core/call-sink.ts';
import { silentLogger, type BridgeLogger } from '../../core/logger.ts';
import type { BridgeError } from '../../core/errors.ts';
import { buildSdpAnswer, isHoldOffer, isUsableAudio, type AnswerStream, type SdpOffer } from '../sip/sdp.ts';
import { SipRefusal, type ActiveSession, type IncomingSession, type SessionControl, type SessionHandler } from '../sip/session-handler.ts';
import { closeLegsThenEnd, MediaLeg, type MediaOptions } from '../sip/media-leg.ts';
import { randomToken } from '../sip/sip-response.ts';
import { METADATA_CONTENT_TYPES, parseRecordingMetadata, type RecordingMetadata } from './recording-metadata.ts';
import { mapLegs, type AgentRule } from './leg-mapping.ts';

export interface SiprecHandlerOptions extends MediaOptions {
  sink: CallSink;
  agentRule: AgentRule;
  /** Address written in the SDP answer's c= line. */
  mediaAddress: string;
  logger?: BridgeLogger;
}

export class SiprecSessionHandler implements SessionHandler {
  readonly optionTags = ['siprec'];
  readonly accept = ['application/sdp', 'multipart/mixed', ...METADATA_CONTENT_TYPES];
  readonly contactParams = '+sip.srs';
  readonly #log: BridgeLogger;

  constructor(private readonly o: SiprecHandlerOptions) {
    this.#log = o.logger ?? silentLogger;
  }

  async open(s: IncomingSession, control: SessionControl): Promise<ActiveSession> {
    const metadata = this.#metadata(s);
    const usable = s.sdp.streams.filter(isUsableAudio);
    if (usable.length === 0) throw new SipRefusal(488, 'no audio m-line offers PCMU or PCMA over RTP/AVP');
    const mapping = mapLegs(usable.map((u) => u.label), metadata, this.o.agentRule);
    const callId = bridgeCallId('siprec', s.sipCallId);
    this.#log.info({ callId, sipCallId: s.sipCallId, streams: usable.length, mappedBy: mapping.mappedBy, metadata: metadata !== undefined }, 'SIPREC session offered');
    const legs = new Map<number, MediaLeg>();
    let ending = false;
    // One quiet stream (silence suppression) is not a dead call: end when every stream timed out.
    const timedOut = new Set<number>();
    const timeout = (index: number) => () => {
      timedOut.add(index);
      if (ending || timedOut.size < legs.size) return;
      this.#log.warn({ callId }, 'no RTP on any stream within the media timeout: ending the recording session');
      control.hangup('end-of-media');
    };
    try {
      for (const m of mapping.streams) {
        const st = usable[m.index]!;
        legs.set(st.index, await MediaLeg.open(st, m.role, s.peer, this.o, timeout(st.index)));
      }
    } catch (err) {
      await Promise.allSettled([...legs.values()].map((l) => l.close()));
      throw new SipRefusal(503, `no RTP port for the call: ${(err as Error).message}`, [['Retry-After', '5']]);
    }
    let call: BridgeCall;
    try {
      call = await this.o.sink.open({
        callId,
        agentId: mapping.agentId,
        callerNumber: mapping.callerNumber,
        source: 'siprec',
        legs: mapping.streams.map((m) => ({ role: m.role, sampleRateHz: 8000 })),
      });
    } catch (err) {
      await Promise.allSettled([...legs.values()].map((l) => l.close()));
      throw refusalFor(err as BridgeError);
    }
    for (const leg of legs.values()) leg.attach(call);
    const sessionId = randomToken(4);
    const answer = (offer: SdpOffer) =>
      buildSdpAnswer(offer, offer.streams.map((st): AnswerStream => {
        const leg = legs.get(st.index);
        return leg && isUsableAudio(st) ? { port: leg.port, codecs: st.codecs } : { port: 0, codecs: [] };
      }), { address: this.o.mediaAddress, sessionId: String(parseInt(sessionId, 16)), version: 1 });
    let held = false;
    const initial = s.sdp;
    let endPromise: Promise<void> | undefined;
    return {
      answer: answer(s.sdp),
      update: async (offer) => {
        for (const st of offer.streams) {
          const leg = legs.get(st.index);
          if (leg && isUsableAudio(st)) leg.update(st);
        }
        const nowHeld = isHoldOffer(offer, initial);
        if (nowHeld !== held) {
          held = nowHeld;
          this.#log.info({ callId, held }, held ? 'call on hold' : 'call resumed');
          call.hold(held);
        }
        return answer(offer);
      },
      end: (reason) => {
        ending = true;
        endPromise ??= closeLegsThenEnd([...legs.values()], () => call.end(reason), this.#log).then(() => this.#log.info({ callId, reason }, 'SIPREC session ended'));
        return endPromise;
      },
    };
  }

  #metadata(s: IncomingSession): RecordingMetadata | undefined {
    const part = s.parts.find((p) => METADATA_CONTENT_TYPES.includes(p.contentType));
    if (!part) {
      this.#log.info({ sipCallId: s.sipCallId }, 'SIPREC INVITE without recording metadata: fallback leg order');
      return undefined;
    }
    try {
      return parseRecordingMetadata(part.body.toString('utf8'));
    } catch (err) {
      this.#log.warn({ sipCallId: s.sipCallId, code: (err as BridgeError).code }, 'unreadable recording metadata: fallback leg order');
      return undefined;
    }
  }
}

/** The SIP answer for a sink refusal: 503 at capacity or when assist-server is unreachable, 486 otherwise. */
export function refusalFor(err: BridgeError): SipRefusal {
  const code = err.code ?? 'EARPIECE_BRIDGE_UNKNOWN';
  if (code === 'EARPIECE_BRIDGE_CAPACITY' || err.retryable) return new SipRefusal(503, `call refused (${code}): ${err.message}`, [['Retry-After', '10']]);
  return new SipRefusal(486, `call refused (${code}): ${err.message}`);
}

/** A bridge call id from the SIP Call-ID: ingest-safe characters, unique per dialog. */
export function bridgeCallId(prefix: string, sipCallId: string): string {
  const clean = sipCallId.replace(/[^A-Za-z0-9._:@-]/g, '_').slice(0, 96);
  return `${prefix}-${clean}-${randomToken(3)}`;
}
