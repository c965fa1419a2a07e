/**
 * The SIP user agent server: server transactions (retransmitted requests get the same answer),
 * INVITE → 100 Trying → 200 OK with the SDP answer, retransmitted over UDP until the ACK (no ACK
 * → BYE), ACK, BYE, CANCEL (487 for the INVITE + 200), OPTIONS, re-INVITE and UPDATE (answered
 * with every m-line again, refresh the session timer), 481 outside known dialogs, 420 for an
 * unknown Require option, 415 for bodies we do not read, 422 for a short Session-Expires, 401
 * when digest auth is on, 491 for overlapping offers. What a call means is the SessionHandler's.
 */
import { silentLogger, type BridgeLogger } from '../../core/logger.ts';
import { getHeader, getOptionTags, type SipRequest, type SipResponse } from './sip-message.ts';
import { parseNameAddr, parseVia } from './sip-header-values.ts';
import { buildResponse, randomToken, type ResponseOptions } from './sip-response.ts';
import { SipClient, DEFAULT_TIMERS, type SipTimers } from './sip-client.ts';
import { negotiateSessionTimer, sessionTimerHeaders, type SessionTimerConfig } from './session-timer.ts';
import { readOffer, SipRefusal, type SessionHandler } from './session-handler.ts';
import { performance } from 'node:perf_hooks';
import { UasDialog, dialogKey } from './uas-dialog.ts';
import type { DigestAuth } from './digest-auth.ts';
import type { SipPeer, SipTransport } from './sip-transport.ts';

/** Server transactions remembered at once (answers to retransmissions); beyond this the oldest are forgotten. */
const MAX_TRANSACTIONS = 10_000;

export const ALLOW = 'INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, INFO';

export interface UserAgentServerOptions {
  transport: SipTransport;
  handler: SessionHandler;
  /** Address written in Via/Contact (the address peers reach us on). */
  advertisedAddress: string;
  digest?: DigestAuth | undefined;
  sessionTimer?: SessionTimerConfig;
  timers?: SipTimers;
  /** Test scale for session timers (ms per second); default 1000. */
  msPerSecond?: number;
  logger?: BridgeLogger;
}

interface PendingInvite {
  request: SipRequest;
  peer: SipPeer;
  cancelled: boolean;
}

export class UserAgentServer {
  readonly #dialogs = new Map<string, UasDialog>();
  readonly #transactions = new Map<string, SipResponse | null>();
  /** When each remembered transaction may be forgotten (performance.now() ms), in insertion order. */
  readonly #txExpiry = new Map<string, number>();
  readonly #pendingInvites = new Map<string, PendingInvite>();
  readonly #awaitingAck = new Map<string, { timers: NodeJS.Timeout[]; onTimeout(): void }>();
  readonly #client: SipClient;
  readonly #log: BridgeLogger;
  readonly #timers: SipTimers;
  #closed = false;

  constructor(private readonly o: UserAgentServerOptions) {
    this.#log = o.logger ?? silentLogger;
    this.#timers = o.timers ?? DEFAULT_TIMERS;
    this.#client = new SipClient(o.transport, this.#timers);
    o.transport.on('request', (req, peer) => {
      this.#onRequest(req, peer).catch((err: Error) => this.#log.error({ method: req.method, err: err.message }, 'SIP request handling failed'));
    });
  }

  get dialogCount(): number {
    return this.#dialogs.size;
  }

  /**
   * A transaction's answer is kept 64×T1 for retransmissions. Expired ones are swept as new ones come
   * (no timer per request), and at most MAX_TRANSACTIONS are kept: under a flood the oldest go first,
   * so memory stays bounded whatever the request rate (the SIP fuzz soak found a timer and the whole
   * request text kept per request for 32 s).
   */
  #rememberTransaction(txKey: string): void {
    const now = performance.now();
    for (const [key, expiresAt] of this.#txExpiry) {
      if (expiresAt > now && this.#txExpiry.size < MAX_TRANSACTIONS) break;
      this.#txExpiry.delete(key);
      this.#transactions.delete(key);
    }
    while (this.#transactions.size >= MAX_TRANSACTIONS) this.#transactions.delete(this.#transactions.keys().next().value!);
    this.#transactions.set(txKey, null);
    this.#txExpiry.set(txKey, now + 64 * this.#timers.t1Ms);
  }

  async #onRequest(req: SipRequest, peer: SipPeer): Promise<void> {
    if (req.method === 'ACK') return this.#clearAck(ackKey(req));
    const txKey = `${branchOf(req)}\n${req.method}\n${getHeader(req, 'call-id')}\n${getHeader(req, 'cseq')}`;
    if (this.#transactions.has(txKey)) {
      const last = this.#transactions.get(txKey);
      if (last) this.o.transport.sendResponse(req, last, peer);
      return;
    }
    this.#rememberTransaction(txKey);
    const reply = (status: number, opts: ResponseOptions = {}): SipResponse => {
      const response = buildResponse(req, status, opts);
      this.#transactions.set(txKey, response);
      this.o.transport.sendResponse(req, response, peer);
      return response;
    };
    if (this.#closed) return void reply(503, { headers: [['Retry-After', '5']] });
    const toTag = parseNameAddr(getHeader(req, 'to')!).params.get('tag');
    const dialog = toTag ? this.#dialogs.get(dialogKey(getHeader(req, 'call-id')!, toTag, fromTag(req))) : undefined;
    switch (req.method) {
      case 'OPTIONS':
        return void reply(200, { headers: this.#capabilities() });
      case 'CANCEL':
        return this.#onCancel(req, reply);
      case 'INVITE':
        if (!toTag) return this.#onInvite(req, peer, reply);
        return dialog ? this.#onOffer(req, dialog, reply) : void reply(481);
      case 'UPDATE':
        return dialog ? this.#onOffer(req, dialog, reply) : void reply(481);
      case 'BYE':
        if (!dialog) return void reply(481);
        reply(200);
        this.#log.info({ sipCallId: dialog.sipCallId }, 'BYE: ending the call');
        return dialog.end('hangup', false);
      case 'INFO':
        return void reply(dialog ? 200 : 481);
      default:
        return void reply(405, { headers: [['Allow', ALLOW]] });
    }
  }

  #capabilities(): Array<[string, string]> {
    return [
      ['Allow', ALLOW],
      ['Accept', this.o.handler.accept.join(', ')],
      ['Supported', ['timer', ...this.o.handler.optionTags].join(', ')],
    ];
  }

  #unsupported(req: SipRequest): string[] {
    const known = new Set(['timer', ...this.o.handler.optionTags]);
    return [...getOptionTags(req, 'require'), ...getOptionTags(req, 'proxy-require')].filter((t) => !known.has(t));
  }

  async #onInvite(req: SipRequest, peer: SipPeer, reply: (s: number, o?: ResponseOptions) => SipResponse): Promise<void> {
    const sipCallId = getHeader(req, 'call-id')!;
    reply(100);
    const localTag = randomToken();
    const final = (status: number, opts: ResponseOptions = {}) => this.#reliable(req, peer, reply(status, { toTag: localTag, ...opts }));
    const unsupported = this.#unsupported(req);
    if (unsupported.length > 0) return final(420, { headers: [['Unsupported', unsupported.join(', ')]] });
    if (this.o.digest) {
      const auth = this.o.digest.verify('INVITE', getHeader(req, 'authorization'));
      if (!auth.ok) {
        // Wrong credentials: 403; none or a stale nonce: 401 with a (new) challenge.
        this.#log.warn({ address: peer.address, reason: auth.reason }, 'INVITE without valid digest credentials');
        if (auth.reason === 'bad') return final(403);
        return final(401, { headers: auth.challenge.map((c): [string, string] => ['WWW-Authenticate', c]) });
      }
    }
    const timer = negotiateSessionTimer(req, this.o.sessionTimer ?? {});
    if (timer.kind === 'too-small') return final(422, { headers: [['Min-SE', String(timer.minSeS)]] });
    let offer;
    try {
      offer = readOffer(req, this.o.handler.accept);
    } catch (err) {
      if (!(err instanceof SipRefusal)) throw err;
      this.#log.warn({ sipCallId, status: err.status, reason: err.message }, 'INVITE refused');
      return final(err.status, { headers: [...err.headers, ['Warning', `399 earpiece "${quote(err.message)}"`]] });
    }
    if (!offer) return final(488, { headers: [['Warning', '399 earpiece "an INVITE without an SDP offer is not supported"']] });
    const branch = branchOf(req);
    const pending: PendingInvite = { request: req, peer, cancelled: false };
    this.#pendingInvites.set(branch, pending);
    const dialog = new UasDialog(req, peer, localTag, offer.sdp, {
      client: this.#client,
      localAddress: this.o.advertisedAddress,
      localPort: this.o.transport.ports[peer.transport] ?? 5060,
      logger: this.#log,
      msPerSecond: this.o.msPerSecond,
      removed: (d) => this.#dialogs.delete(d.id),
    });
    let session;
    try {
      session = await this.o.handler.open(
        { invite: req, peer, sipCallId, dialogId: dialog.id, sdp: offer.sdp, parts: offer.parts },
        { hangup: (reason) => void dialog.end(reason, true) },
      );
    } catch (err) {
      this.#pendingInvites.delete(branch);
      if (pending.cancelled) return;
      const refusal = err instanceof SipRefusal ? err : new SipRefusal(500, (err as Error).message);
      this.#log.warn({ sipCallId, status: refusal.status, reason: refusal.message }, 'INVITE refused');
      return final(refusal.status, { headers: [...refusal.headers, ['Warning', `399 earpiece "${quote(refusal.message)}"`]] });
    }
    this.#pendingInvites.delete(branch);
    dialog.session = session;
    if (pending.cancelled || this.#closed) {
      void dialog.end('hangup', false);
      return;
    }
    this.#dialogs.set(dialog.id, dialog);
    dialog.lastAnswer = session.answer;
    final(200, { body: session.answer, headers: [...this.#contact(peer), ...this.#capabilities(), ...sessionTimerHeaders(timer)] });
    dialog.startTimer(timer);
    this.#log.info({ sipCallId, transport: peer.transport }, 'call answered');
  }

  async #onOffer(req: SipRequest, dialog: UasDialog, reply: (s: number, o?: ResponseOptions) => SipResponse): Promise<void> {
    const isInvite = req.method === 'INVITE';
    const final = (status: number, opts: ResponseOptions = {}) => {
      const r = reply(status, opts);
      if (isInvite) this.#reliable(req, dialog.peer, r, status < 300 ? () => void dialog.end('error', true) : undefined);
    };
    const cseq = Number.parseInt(getHeader(req, 'cseq')!, 10);
    if (cseq <= dialog.remoteCseq) return final(500, { reason: 'CSeq Out of Order' });
    dialog.remoteCseq = cseq;
    if (dialog.busy) return final(491, { headers: [['Retry-After', '1']] });
    if (isInvite) reply(100);
    const unsupported = this.#unsupported(req);
    if (unsupported.length > 0) return final(420, { headers: [['Unsupported', unsupported.join(', ')]] });
    const timer = negotiateSessionTimer(req, this.o.sessionTimer ?? {});
    if (timer.kind === 'too-small') return final(422, { headers: [['Min-SE', String(timer.minSeS)]] });
    dialog.busy = true;
    try {
      const offer = readOffer(req, this.o.handler.accept);
      if (offer) dialog.lastAnswer = bumpVersion(await dialog.session!.update(offer.sdp), dialog.lastAnswer);
      dialog.startTimer(timer);
      const body = offer || isInvite ? dialog.lastAnswer : undefined;
      final(200, { body, headers: [...this.#contact(dialog.peer), ...sessionTimerHeaders(dialog.timer.current)] });
    } catch (err) {
      const refusal = err instanceof SipRefusal ? err : new SipRefusal(500, (err as Error).message);
      this.#log.warn({ sipCallId: dialog.sipCallId, status: refusal.status, reason: refusal.message }, `${req.method} refused (the call goes on)`);
      final(refusal.status, { headers: [...refusal.headers, ['Warning', `399 earpiece "${quote(refusal.message)}"`]] });
    } finally {
      dialog.busy = false;
    }
  }

  #onCancel(req: SipRequest, reply: (s: number, o?: ResponseOptions) => SipResponse): void {
    const pending = this.#pendingInvites.get(branchOf(req));
    if (!pending) {
      // Already answered (CANCEL has no effect) or never seen.
      const known = [...this.#dialogs.values()].some((d) => d.sipCallId === getHeader(req, 'call-id'));
      return void reply(known ? 200 : 481);
    }
    pending.cancelled = true;
    reply(200);
    const inviteResponse = buildResponse(pending.request, 487, { toTag: randomToken() });
    const txKey = `${branchOf(pending.request)}\nINVITE\n${getHeader(pending.request, 'call-id')}\n${getHeader(pending.request, 'cseq')}`;
    this.#transactions.set(txKey, inviteResponse);
    this.o.transport.sendResponse(pending.request, inviteResponse, pending.peer);
    this.#reliable(pending.request, pending.peer, inviteResponse);
    this.#log.info({ sipCallId: getHeader(req, 'call-id') }, 'INVITE cancelled');
  }

  /** Retransmits an INVITE's final response over UDP until the ACK (RFC 3261 §13.3.1.4, §17.2.1). */
  #reliable(req: SipRequest, peer: SipPeer, response: SipResponse, onTimeout?: () => void): void {
    const key = ackKey(req);
    this.#clearAck(key);
    const timers: NodeJS.Timeout[] = [];
    const { t1Ms, t2Ms } = this.#timers;
    if (peer.transport === 'udp') {
      for (let at = t1Ms, step = t1Ms; at < 64 * t1Ms; step = Math.min(step * 2, t2Ms), at += step) {
        timers.push(setTimeout(() => this.o.transport.sendResponse(req, response, peer), at).unref());
      }
    }
    const timeout = () => {
      this.#awaitingAck.delete(key);
      if (response.status < 300) {
        this.#log.warn({ sipCallId: getHeader(req, 'call-id') }, 'no ACK for the 200 OK: ending the call');
        const dialog = this.#dialogs.get(dialogKey(getHeader(req, 'call-id')!, parseNameAddr(getHeader(response, 'to')!).params.get('tag') ?? '', fromTag(req)));
        if (onTimeout) onTimeout();
        else void dialog?.end('error', true);
      }
    };
    timers.push(setTimeout(timeout, 64 * t1Ms).unref());
    this.#awaitingAck.set(key, { timers, onTimeout: timeout });
  }

  #clearAck(key: string): void {
    const entry = this.#awaitingAck.get(key);
    if (!entry) return;
    for (const t of entry.timers) clearTimeout(t);
    this.#awaitingAck.delete(key);
  }

  #contact(peer: SipPeer): Array<[string, string]> {
    const host = this.o.advertisedAddress.includes(':') ? `[${this.o.advertisedAddress}]` : this.o.advertisedAddress;
    const params = this.o.handler.contactParams ? `;${this.o.handler.contactParams}` : '';
    return [['Contact', `<sip:earpiece@${host}:${this.o.transport.ports[peer.transport]};transport=${peer.transport}>${params}`]];
  }

  /** Ends every dialog (BYE to each peer) and stops answering. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#dialogs.values()].map((d) => d.end('shutdown', true)));
    for (const key of [...this.#awaitingAck.keys()]) this.#clearAck(key);
    this.#client.close();
  }
}

function branchOf(req: SipRequest): string {
  return parseVia(getHeader(req, 'via') ?? '')?.params.get('branch') ?? `no-branch:${getHeader(req, 'call-id')}:${getHeader(req, 'cseq')}`;
}

function fromTag(req: SipRequest): string {
  return parseNameAddr(getHeader(req, 'from')!).params.get('tag') ?? '';
}

function ackKey(req: SipRequest): string {
  return `${getHeader(req, 'call-id')}\n${Number.parseInt(getHeader(req, 'cseq')!, 10)}\n${fromTag(req)}`;
}

function quote(text: string): string {
  return text.replace(/["\\]/g, "'").slice(0, 160);
}

/** Raises the o= version when the answer changed (RFC 3264 §8). */
function bumpVersion(answer: string, previous: string): string {
  const version = (sdp: string) => /^o=\S+ \S+ (\d+)/m.exec(sdp)?.[1];
  const prev = Number(version(previous) ?? 0);
  const strip = (sdp: string) => sdp.replace(/^o=.*$/m, '');
  if (strip(answer) === strip(previous)) return previous;
  return answer.replace(/^(o=\S+ \S+ )\d+/m, `$1${prev + 1}`);
}
