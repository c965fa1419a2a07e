/**
 * One answered audio m-line: an RtpSession from the pool whose audio and DTMF go to one leg of a
 * BridgeCall. Audio that arrives before the call is attached is not possible (the peer learns our
 * port from the 200 OK, which is sent after `attach`), so nothing is buffered here.
 */
import type { LegRole } from '@earpiece/assist-server/protocol';
import type { BridgeCall } from '../../core/call-sink.ts';
import type { BridgeLogger } from '../../core/logger.ts';
import { RtpSession, type RtpPayloadMap } from '../rtp/rtp-session.ts';
import type { RtpPortPool } from '../rtp/rtp-port-pool.ts';
import { isSending, type SdpCodec, type SdpStream } from './sdp.ts';
import type { SipPeer } from './sip-transport.ts';

export interface MediaOptions {
  pool: RtpPortPool;
  jitterDelayMs?: number;
  /** Silence (no RTP) after which a call is ended as dead; default 30 s in the RTP layer. */
  mediaTimeoutMs?: number;
  /** Accept RTP from any address (not only the signalling peer and the SDP address). Default false. */
  anyRtpSource?: boolean;
  logger?: BridgeLogger;
}

export function payloadMap(codecs: readonly SdpCodec[]): RtpPayloadMap {
  const map: RtpPayloadMap = {};
  for (const c of codecs) map[c.pt] = { codec: c.codec, clockRateHz: c.clockRateHz };
  return map;
}

export class MediaLeg {
  #call: BridgeCall | undefined;
  #closing: Promise<void> | undefined;

  private constructor(
    readonly session: RtpSession,
    readonly role: LegRole,
    public codecs: SdpCodec[],
  ) {}

  static async open(stream: SdpStream, role: LegRole, peer: SipPeer, o: MediaOptions, onTimeout: () => void): Promise<MediaLeg> {
    const sources = [...new Set([peer.address.replace(/^::ffff:/, ''), stream.address ?? ''])].filter((a) => a && a !== '0.0.0.0');
    const session = await RtpSession.open({
      pool: o.pool,
      payloadTypes: payloadMap(stream.codecs),
      ...(o.jitterDelayMs === undefined ? {} : { jitterDelayMs: o.jitterDelayMs }),
      ...(o.mediaTimeoutMs === undefined ? {} : { mediaTimeoutMs: o.mediaTimeoutMs }),
      ...(o.anyRtpSource ? {} : { allowedSources: sources }),
      ...(o.logger ? { logger: o.logger } : {}),
    });
    const leg = new MediaLeg(session, role, stream.codecs);
    session.on('audio', (pcm, offsetSamples) => leg.#call?.audio(role, pcm, offsetSamples));
    session.on('dtmf', (digit, offsetMs, durationMs) => leg.#call?.dtmf(role, digit, offsetMs, durationMs));
    session.on('timeout', onTimeout);
    if (!isSending(stream)) session.setHeld(true);
    return leg;
  }

  get port(): number {
    return this.session.port;
  }

  attach(call: BridgeCall): void {
    this.#call = call;
  }

  /** A new offer for this m-line: payload types and hold state. */
  update(stream: SdpStream): void {
    this.codecs = stream.codecs;
    this.session.setPayloadTypes(payloadMap(stream.codecs));
    this.session.setHeld(!isSending(stream));
  }

  /** Flushes the jitter buffer (the last audio reaches the call), then frees the port. */
  close(): Promise<void> {
    this.#closing ??= this.session.close();
    return this.#closing;
  }
}

/** Closes every leg, then ends the call: the last words are in before the end. */
export async function closeLegsThenEnd(legs: readonly MediaLeg[], end: () => Promise<void>, logger?: BridgeLogger): Promise<void> {
  const results = await Promise.allSettled(legs.map((l) => l.close()));
  for (const r of results) if (r.status === 'rejected') logger?.warn({ err: (r.reason as Error).message }, 'RTP session did not close cleanly');
  await end();
}
