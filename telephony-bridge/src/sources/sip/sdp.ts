/**
 * SDP offers in, answers out (RFC 4566 / RFC 3264). Parsing goes through `sdp-transform`; the
 * answer is written here so every line is under our control: one m-line per offered m-line, in
 * order (RFC 3264 §6), audio streams we can take answered `recvonly` (we never send media) with
 * the offered PCMU/PCMA and telephone-event payload types, everything else rejected with port 0.
 */
import sdpTransform from 'sdp-transform';
import { BridgeError } from '../../core/errors.ts';

const { parse } = sdpTransform;

export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
export type SdpCodecName = 'PCMU' | 'PCMA' | 'telephone-event';

export interface SdpCodec {
  pt: number;
  codec: SdpCodecName;
  clockRateHz: number;
}

export interface SdpStream {
  /** Position of the m-line in the SDP (0-based). */
  index: number;
  media: string;
  port: number;
  protocol: string;
  /** Payload types as offered, in order. */
  formats: string[];
  /** The offered payload types the bridge can receive (PCMU, PCMA, telephone-event/8000). */
  codecs: SdpCodec[];
  label: string | undefined;
  direction: SdpDirection;
  /** Connection address: the m-line's c= or else the session's. */
  address: string | undefined;
}

export interface SdpOffer {
  sessionAddress: string | undefined;
  streams: SdpStream[];
}

const STATIC: Record<number, SdpCodecName> = { 0: 'PCMU', 8: 'PCMA' };
const DIRECTIONS = new Set<string>(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

/** Parses an SDP body. Throws EARPIECE_SIP_BAD_SDP when it is not SDP at all. */
export function parseSdp(text: string): SdpOffer {
  if (!/^\s*v=0\s*$/m.test(text.split(/\r?\n/, 1)[0] ?? '') || !/\nm=/.test(text)) {
    throw new BridgeError('EARPIECE_SIP_BAD_SDP', 'the body is not an SDP with m= lines (it must start with "v=0")');
  }
  const session = parse(text);
  const sessionDirection = DIRECTIONS.has(String(session.direction)) ? (session.direction as SdpDirection) : 'sendrecv';
  const streams = (session.media ?? []).map((m, index): SdpStream => {
    const formats = String(m.payloads ?? '').split(/\s+/).filter(Boolean);
    const codecs: SdpCodec[] = [];
    for (const f of formats) {
      const pt = Number(f);
      if (!Number.isInteger(pt)) continue;
      const map = m.rtp.find((r) => r.payload === pt);
      const name = map ? String(map.codec).toUpperCase() : STATIC[pt];
      const rate = map?.rate ?? 8000;
      if ((name === 'PCMU' || name === 'PCMA') && rate === 8000) codecs.push({ pt, codec: name, clockRateHz: 8000 });
      else if (name === 'TELEPHONE-EVENT' && rate === 8000) codecs.push({ pt, codec: 'telephone-event', clockRateHz: 8000 });
    }
    return {
      index,
      media: m.type,
      port: m.port,
      protocol: m.protocol,
      formats,
      codecs,
      label: m.label === undefined ? undefined : String(m.label),
      direction: DIRECTIONS.has(String(m.direction)) ? (m.direction as SdpDirection) : sessionDirection,
      address: m.connection?.ip ?? session.connection?.ip,
    };
  });
  return { sessionAddress: session.connection?.ip, streams };
}

/** True when we can take audio from this stream: audio over RTP/AVP with PCMU or PCMA offered. */
export function isUsableAudio(stream: SdpStream): boolean {
  return stream.media === 'audio' && /^RTP\/AVPF?$/i.test(stream.protocol) && stream.codecs.some((c) => c.codec !== 'telephone-event');
}

/** The peer sends media on this stream (not inactive/recvonly, not port 0, not c=0.0.0.0). */
export function isSending(stream: SdpStream): boolean {
  return stream.port !== 0 && (stream.direction === 'sendonly' || stream.direction === 'sendrecv') && stream.address !== '0.0.0.0';
}

/**
 * Whether an offer puts the call on hold: no usable audio stream sends any more (a=inactive,
 * a=recvonly, port 0, c=0.0.0.0), or a stream set up `sendrecv` turned `sendonly` (the classic
 * RFC 3264 §8.4 hold by a phone). A SIPREC client's normal `sendonly` streams are not a hold.
 */
export function isHoldOffer(offer: SdpOffer, initial: SdpOffer): boolean {
  const audio = offer.streams.filter(isUsableAudio);
  if (!audio.some(isSending)) return true;
  return audio.every((s) => !isSending(s) || (s.direction === 'sendonly' && initial.streams[s.index]?.direction === 'sendrecv'));
}

export interface AnswerStream {
  /** Local RTP port; 0 rejects the m-line. */
  port: number;
  codecs: SdpCodec[];
}

export interface AnswerOptions {
  address: string;
  sessionId: string;
  version: number;
}

const ANSWER_DIRECTION: Record<SdpDirection, SdpDirection> = { sendonly: 'recvonly', sendrecv: 'recvonly', recvonly: 'inactive', inactive: 'inactive' };

/** Writes the answer: one m-line per offered m-line, `answers[i]` for `offer.streams[i]`. */
export function buildSdpAnswer(offer: SdpOffer, answers: AnswerStream[], o: AnswerOptions): string {
  const ip = o.address.includes(':') ? 'IP6' : 'IP4';
  const lines = ['v=0', `o=earpiece ${o.sessionId} ${o.version} IN ${ip} ${o.address}`, 's=Earpiece', `c=IN ${ip} ${o.address}`, 't=0 0'];
  offer.streams.forEach((s, i) => {
    const a = answers[i];
    if (!a || a.port === 0 || s.port === 0 || a.codecs.length === 0) {
      lines.push(`m=${s.media} 0 ${s.protocol} ${s.formats.join(' ') || '0'}`);
      return;
    }
    lines.push(`m=audio ${a.port} RTP/AVP ${a.codecs.map((c) => c.pt).join(' ')}`);
    for (const c of a.codecs) lines.push(`a=rtpmap:${c.pt} ${c.codec}/${c.clockRateHz}`);
    for (const c of a.codecs) if (c.codec === 'telephone-event') lines.push(`a=fmtp:${c.pt} 0-16`);
    if (s.label !== undefined) lines.push(`a=label:${s.label}`);
    lines.push(`a=${ANSWER_DIRECTION[s.direction]}`);
  });
  return `${lines.join('\r\n')}\r\n`;
}
