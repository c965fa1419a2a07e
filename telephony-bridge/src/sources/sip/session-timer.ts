/**
 * SIP session timers (RFC 4028) on the UAS side: negotiation of Session-Expires/Min-SE for an
 * INVITE/UPDATE, and the timer that ends a session nobody refreshes (or asks us to refresh it).
 *
 * - Session-Expires below our Min-SE → 422 with Min-SE (§9).
 * - The UAC's `refresher` is kept; without one a timer-capable UAC refreshes (`uac`); a UAC that
 *   does not support timers cannot, so we do (`uas`) and do not `Require: timer` (§9).
 * - No Session-Expires: a timer is started only when `preferredS` is set and the UAC supports it.
 * - Not the refresher: the session ends at interval − min(32 s, interval/3) without a refresh
 *   (§10). The refresher: a refresh is due at interval/2.
 */
import { getHeader, getOptionTags, type SipRequest } from './sip-message.ts';
import { parseParams } from './sip-header-values.ts';

export interface SessionTimerConfig {
  /** Smallest Session-Expires we accept (Min-SE), seconds; default 90 (RFC 4028 minimum). */
  minSeS?: number;
  /** Interval we ask for when the UAC supports timers but sent none; undefined = none. */
  preferredS?: number;
}

export type TimerNegotiation =
  | { kind: 'none' }
  | { kind: 'too-small'; minSeS: number }
  | { kind: 'timer'; intervalS: number; refresher: 'uac' | 'uas'; requireTimer: boolean };

export function negotiateSessionTimer(request: SipRequest, config: SessionTimerConfig): TimerNegotiation {
  const ourMin = Math.max(90, config.minSeS ?? 90);
  const theirMin = Number.parseInt(getHeader(request, 'min-se') ?? '', 10);
  const minSeS = Math.max(ourMin, Number.isFinite(theirMin) ? theirMin : 0);
  const supports = getOptionTags(request, 'supported').includes('timer') || getOptionTags(request, 'require').includes('timer');
  const se = getHeader(request, 'session-expires');
  if (se === undefined) {
    if (config.preferredS === undefined || !supports) return { kind: 'none' };
    return { kind: 'timer', intervalS: Math.max(config.preferredS, minSeS), refresher: 'uac', requireTimer: true };
  }
  const semi = se.indexOf(';');
  const intervalS = Number.parseInt(semi < 0 ? se : se.slice(0, semi), 10);
  if (!Number.isFinite(intervalS) || intervalS < ourMin) return { kind: 'too-small', minSeS };
  const asked = parseParams(semi < 0 ? '' : se.slice(semi)).get('refresher');
  const refresher = !supports ? 'uas' : asked === 'uas' ? 'uas' : 'uac';
  return { kind: 'timer', intervalS, refresher, requireTimer: supports };
}

/** Headers for a 2xx that carries the negotiated timer. */
export function sessionTimerHeaders(n: TimerNegotiation): Array<[string, string]> {
  if (n.kind !== 'timer') return [];
  const headers: Array<[string, string]> = [['Session-Expires', `${n.intervalS};refresher=${n.refresher}`]];
  if (n.requireTimer) headers.push(['Require', 'timer']);
  return headers;
}

export interface SessionTimerHooks {
  /** The session was not refreshed in time: end it. */
  expired(): void;
  /** We are the refresher and a refresh is due: send one, then call `restart` (or end on failure). */
  refreshDue(): void;
}

export class SessionTimer {
  #timer: NodeJS.Timeout | undefined;
  #current: TimerNegotiation = { kind: 'none' };

  constructor(
    private readonly hooks: SessionTimerHooks,
    /** Scale for tests: 1000 = real seconds. */
    private readonly msPerSecond = 1000,
  ) {}

  get current(): TimerNegotiation {
    return this.#current;
  }

  /** (Re)starts with a negotiation; `none` keeps the running timer's interval if one is running. */
  restart(n: TimerNegotiation = this.#current): void {
    this.stop();
    this.#current = n.kind === 'none' ? this.#current : n;
    const cur = this.#current;
    if (cur.kind !== 'timer') return;
    if (cur.refresher === 'uas') {
      this.#timer = setTimeout(() => this.hooks.refreshDue(), (cur.intervalS / 2) * this.msPerSecond);
    } else {
      const expireS = cur.intervalS - Math.min(32, cur.intervalS / 3);
      this.#timer = setTimeout(() => this.hooks.expired(), expireS * this.msPerSecond);
    }
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
