/**
 * One confirmed (or confirming) dialog on the UAS side: its identifiers, the session behind it,
 * its session timer, and the requests we send in it (BYE, UPDATE refresh).
 */
import type { CallEndReason } from '../../core/call-sink.ts';
import type { BridgeLogger } from '../../core/logger.ts';
import { getHeader, getHeaderList, type SipRequest } from './sip-message.ts';
import { parseNameAddr } from './sip-header-values.ts';
import { newBranch } from './sip-response.ts';
import { SessionTimer, type TimerNegotiation } from './session-timer.ts';
import type { ActiveSession } from './session-handler.ts';
import type { SdpOffer } from './sdp.ts';
import type { SipClient } from './sip-client.ts';
import type { SipPeer } from './sip-transport.ts';

export interface DialogContext {
  client: SipClient;
  /** Address and port we put in Via/Contact. */
  localAddress: string;
  localPort: number;
  logger: BridgeLogger;
  /** Test scale for session timers (ms per second). */
  msPerSecond?: number;
  /** Called once the dialog is over and its session ended. */
  removed(dialog: UasDialog): void;
}

export class UasDialog {
  readonly id: string;
  readonly sipCallId: string;
  readonly localTag: string;
  readonly remoteTag: string;
  remoteCseq: number;
  localCseq = 1;
  session: ActiveSession | undefined;
  initialOffer: SdpOffer;
  lastAnswer = '';
  /** A re-INVITE/UPDATE is being answered (a second one gets 491). */
  busy = false;
  readonly timer: SessionTimer;
  #ended: Promise<void> | undefined;
  readonly #invite: SipRequest;

  constructor(
    invite: SipRequest,
    readonly peer: SipPeer,
    localTag: string,
    offer: SdpOffer,
    private readonly ctx: DialogContext,
  ) {
    this.#invite = invite;
    this.sipCallId = getHeader(invite, 'call-id')!;
    this.localTag = localTag;
    this.remoteTag = parseNameAddr(getHeader(invite, 'from')!).params.get('tag') ?? '';
    this.id = dialogKey(this.sipCallId, localTag, this.remoteTag);
    this.remoteCseq = Number.parseInt(getHeader(invite, 'cseq')!, 10);
    this.initialOffer = offer;
    this.timer = new SessionTimer(
      {
        expired: () => {
          ctx.logger.info({ sipCallId: this.sipCallId }, 'session timer expired without a refresh: ending the call');
          void this.end('end-of-media', true);
        },
        refreshDue: () => void this.#refresh(),
      },
      ctx.msPerSecond,
    );
  }

  get ended(): boolean {
    return this.#ended !== undefined;
  }

  startTimer(n: TimerNegotiation): void {
    if (!this.ended) this.timer.restart(n);
  }

  /** Ends the dialog once: optional BYE to the peer, then the session flushes and ends. */
  end(reason: CallEndReason, sendBye: boolean): Promise<void> {
    this.#ended ??= (async () => {
      this.timer.stop();
      if (sendBye) void this.ctx.client.send(this.request('BYE'), this.peer);
      try {
        await this.session?.end(reason);
      } catch (err) {
        this.ctx.logger.error({ sipCallId: this.sipCallId, err: (err as Error).message }, 'session did not end cleanly');
      } finally {
        this.ctx.removed(this);
      }
    })();
    return this.#ended;
  }

  /** An in-dialog request from us (RFC 3261 §12.2.1.1): From/To swapped, route set from Record-Route. */
  request(method: string): SipRequest {
    const inv = this.#invite;
    const transport = this.peer.transport.toUpperCase();
    const contact = parseNameAddr(getHeaderList(inv, 'contact')[0] ?? getHeader(inv, 'from')!).uri;
    const headers: Array<[string, string]> = [
      ['via', `SIP/2.0/${transport} ${hostPort(this.ctx.localAddress, this.ctx.localPort)};branch=${newBranch()};rport`],
      ['max-forwards', '70'],
      ['from', `${getHeader(inv, 'to')};tag=${this.localTag}`],
      ['to', getHeader(inv, 'from')!],
      ['call-id', this.sipCallId],
      ['cseq', `${++this.localCseq} ${method}`],
      ...getHeaderList(inv, 'record-route').map((r): [string, string] => ['route', r]),
      ['contact', `<sip:earpiece@${hostPort(this.ctx.localAddress, this.ctx.localPort)};transport=${this.peer.transport}>`],
      ['user-agent', 'Earpiece-Bridge'],
    ];
    return { kind: 'request', method, uri: contact, headers: headers.map(([name, value]) => ({ name, value })), body: Buffer.alloc(0) };
  }

  async #refresh(): Promise<void> {
    if (this.ended) return;
    const n = this.timer.current;
    const req = this.request('UPDATE');
    if (n.kind === 'timer') req.headers.push({ name: 'session-expires', value: `${n.intervalS};refresher=uas` }, { name: 'supported', value: 'timer' });
    const response = await this.ctx.client.send(req, this.peer);
    if (response && response.status >= 200 && response.status < 300) {
      this.timer.restart();
      return;
    }
    this.ctx.logger.warn({ sipCallId: this.sipCallId, status: response?.status ?? 'timeout' }, 'session refresh failed: ending the call');
    await this.end('end-of-media', response?.status !== 481);
  }
}

export function dialogKey(sipCallId: string, localTag: string, remoteTag: string): string {
  return `${sipCallId}\n${localTag}\n${remoteTag}`;
}

function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
