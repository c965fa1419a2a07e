/**
 * The seam between the SIP user agent server (dialogs, transactions, timers) and what a call
 * means: the SIPREC server and the plain SIP endpoint each implement `SessionHandler`. Also reads
 * the offer out of an INVITE body (application/sdp, or multipart/mixed carrying SDP and metadata).
 */
import type { CallEndReason } from '../../core/call-sink.ts';
import { getHeader, type SipRequest } from './sip-message.ts';
import { parseContentType } from './sip-header-values.ts';
import { parseSdp, type SdpOffer } from './sdp.ts';
import type { SipPeer } from './sip-transport.ts';
import { parseMultipart, type BodyPart } from '../siprec/multipart.ts';

export interface IncomingSession {
  invite: SipRequest;
  peer: SipPeer;
  /** The SIP Call-ID. */
  sipCallId: string;
  /** Unique per dialog: Call-ID, our tag, their tag. */
  dialogId: string;
  sdp: SdpOffer;
  /** Every body part (one `application/sdp` part for a plain body). */
  parts: BodyPart[];
}

export interface ActiveSession {
  /** The SDP answer for the INVITE's 200 OK. */
  readonly answer: string;
  /** A new offer in the dialog (re-INVITE, UPDATE): returns the answer. Hold/unhold is decided here. */
  update(sdp: SdpOffer): Promise<string>;
  /** The dialog is over: flush the media, then end the call. Idempotent. */
  end(reason: CallEndReason): Promise<void>;
}

export interface SessionControl {
  /** The session ends on our side (media timeout): the UAS sends BYE and calls `end`. */
  hangup(reason: CallEndReason): void;
}

export interface SessionHandler {
  /** Option tags this handler understands in Require, besides `timer` (e.g. `siprec`). */
  readonly optionTags: readonly string[];
  /** Body media types this handler reads, for 415 checks and Accept. */
  readonly accept: readonly string[];
  /** Contact header parameters (e.g. `+sip.srs`). */
  readonly contactParams?: string;
  /** Opens the call. Throws SipRefusal for a SIP error answer (488, 503, 486...). */
  open(session: IncomingSession, control: SessionControl): Promise<ActiveSession>;
}

/** A refusal with the SIP status to answer. */
export class SipRefusal extends Error {
  override readonly name = 'SipRefusal';
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Array<[string, string]> = [],
  ) {
    super(message);
  }
}

/** The offer in an INVITE/UPDATE body; undefined for an empty body. Throws SipRefusal 415/400. */
export function readOffer(request: SipRequest, accept: readonly string[]): { sdp: SdpOffer; parts: BodyPart[] } | undefined {
  if (request.body.length === 0) return undefined;
  const encoding = getHeader(request, 'content-encoding');
  if (encoding && encoding.trim().toLowerCase() !== 'identity') {
    throw new SipRefusal(415, `Content-Encoding ${encoding} is not supported`, [['Accept-Encoding', 'identity']]);
  }
  const acceptHeader: [string, string] = ['Accept', accept.join(', ')];
  const type = parseContentType(getHeader(request, 'content-type'));
  let parts: BodyPart[];
  if (type?.type === 'application/sdp') {
    parts = [{ headers: new Map([['content-type', 'application/sdp']]), contentType: 'application/sdp', body: request.body }];
  } else if (type?.type === 'multipart/mixed' && accept.includes('multipart/mixed')) {
    try {
      parts = parseMultipart(request.body, type.params.get('boundary') ?? '');
    } catch (err) {
      throw new SipRefusal(400, (err as Error).message);
    }
  } else {
    throw new SipRefusal(415, `body type ${type?.type ?? '(none)'} is not supported`, [acceptHeader]);
  }
  const sdpPart = parts.find((p) => p.contentType === 'application/sdp');
  if (!sdpPart) throw new SipRefusal(415, 'the multipart body has no application/sdp part', [acceptHeader]);
  try {
    return { sdp: parseSdp(sdpPart.body.toString('utf8')), parts };
  } catch (err) {
    throw new SipRefusal(400, (err as Error).message);
  }
}
