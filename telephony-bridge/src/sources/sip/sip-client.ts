/**
 * The few requests the bridge sends itself (BYE when a call ends on our side, UPDATE to refresh
 * a session we are the refresher of): non-INVITE client transactions (RFC 3261 §17.1.2) with
 * UDP retransmission (T1 doubling to T2) and timeout F = 64·T1.
 */
import type { SipRequest, SipResponse } from './sip-message.ts';
import { getHeader } from './sip-message.ts';
import { parseVia } from './sip-header-values.ts';
import type { SipPeer, SipTransport } from './sip-transport.ts';

export interface SipTimers {
  /** RFC 3261 T1 (RTT estimate), default 500 ms. */
  t1Ms: number;
  /** RFC 3261 T2 (max retransmit interval), default 4000 ms. */
  t2Ms: number;
}

export const DEFAULT_TIMERS: SipTimers = { t1Ms: 500, t2Ms: 4000 };

interface Pending {
  resolve(response: SipResponse | undefined): void;
  timers: NodeJS.Timeout[];
}

export class SipClient {
  #pending = new Map<string, Pending>();

  constructor(
    private readonly transport: SipTransport,
    private readonly timers: SipTimers = DEFAULT_TIMERS,
  ) {
    transport.on('response', (response) => this.#onResponse(response));
  }

  /** Sends a request; resolves with its final response, or undefined after timeout F. */
  send(request: SipRequest, peer: SipPeer): Promise<SipResponse | undefined> {
    const branch = parseVia(getHeader(request, 'via') ?? '')?.params.get('branch') ?? '';
    return new Promise((resolve) => {
      const pending: Pending = { resolve, timers: [] };
      this.#pending.set(branch, pending);
      const { t1Ms, t2Ms } = this.timers;
      this.transport.sendTo(request, peer);
      if (peer.transport === 'udp') {
        let interval = t1Ms;
        let at = 0;
        while (at + interval < 64 * t1Ms) {
          at += interval;
          pending.timers.push(setTimeout(() => this.transport.sendTo(request, peer), at).unref());
          interval = Math.min(interval * 2, t2Ms);
        }
      }
      pending.timers.push(setTimeout(() => this.#finish(branch, undefined), 64 * t1Ms).unref());
    });
  }

  #onResponse(response: SipResponse): void {
    if (response.status < 200) return;
    const branch = parseVia(getHeader(response, 'via') ?? '')?.params.get('branch');
    if (branch) this.#finish(branch, response);
  }

  #finish(branch: string, response: SipResponse | undefined): void {
    const pending = this.#pending.get(branch);
    if (!pending) return;
    this.#pending.delete(branch);
    for (const t of pending.timers) clearTimeout(t);
    pending.resolve(response);
  }

  close(): void {
    for (const branch of [...this.#pending.keys()]) this.#finish(branch, undefined);
  }
}
