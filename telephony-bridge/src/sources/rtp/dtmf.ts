/**
 * RFC 4733 telephone-events (DTMF over RTP). Every packet of one event carries the same RTP
 * timestamp (the event's start) and a growing duration; the last one has the E (end) bit and is
 * sent three times. `DtmfTracker` reports each event once: on its first end packet, or when a new
 * event starts before the end of the previous one arrived (all end packets lost), or on `flush()`.
 * Events 0-15 are the keypad digits '0'-'9', '*', '#', 'A'-'D'; other events (flash, tones) are ignored.
 */
import { BridgeError } from '../../core/errors.ts';

const DIGITS = '0123456789*#ABCD';

export interface TelephoneEvent {
  event: number;
  end: boolean;
  /** 0-63, in -dBm0. */
  volume: number;
  /** In units of the RTP clock. */
  duration: number;
}

/** Parses the first 4-byte event block of a telephone-event payload. */
export function parseTelephoneEvent(payload: Uint8Array): TelephoneEvent {
  if (payload.length < 4) {
    throw new BridgeError(
      'EARPIECE_BRIDGE_RTP_BAD_DTMF',
      `telephone-event payload of ${payload.length} bytes is shorter than 4 bytes; the packet was dropped (check the sender's RFC 4733 payload type in the SDP)`,
    );
  }
  return {
    event: payload[0]!,
    end: (payload[1]! & 0x80) !== 0,
    volume: payload[1]! & 0x3f,
    duration: (payload[2]! << 8) | payload[3]!,
  };
}

/** Builds a 4-byte telephone-event payload (for the simulator and tests). */
export function encodeTelephoneEvent(e: TelephoneEvent): Uint8Array {
  return Uint8Array.of(e.event & 0xff, (e.end ? 0x80 : 0) | (e.volume & 0x3f), (e.duration >> 8) & 0xff, e.duration & 0xff);
}

/** The keypad character of an event number, or null when it is not a DTMF digit. */
export function dtmfDigit(event: number): string | null {
  return event >= 0 && event < DIGITS.length ? DIGITS[event]! : null;
}

export interface DtmfDigitEvent {
  digit: string;
  ssrc: number;
  /** The event's RTP timestamp (its start). */
  timestamp: number;
  durationMs: number;
}

interface Current {
  ssrc: number;
  timestamp: number;
  event: number;
  duration: number;
}

const REMEMBERED_ENDS = 16;

export class DtmfTracker {
  readonly #clockRateHz: number;
  #current: Current | null = null;
  /** Recently ended events (`ssrc:timestamp`), so repeated end packets count once. */
  readonly #ended: string[] = [];

  constructor(clockRateHz = 8000) {
    this.#clockRateHz = clockRateHz;
  }

  /**
   * Feeds one telephone-event packet; returns the digits it completes (usually none or one; two
   * when a new event shows the previous one ended without an end packet). Throws BridgeError on a
   * payload shorter than 4 bytes.
   */
  push(ssrc: number, timestamp: number, payload: Uint8Array): DtmfDigitEvent[] {
    const e = parseTelephoneEvent(payload);
    const key = `${ssrc}:${timestamp}`;
    if (this.#ended.includes(key)) return []; // a repeated end packet, or a late packet of an ended event
    const out: DtmfDigitEvent[] = [];
    const cur = this.#current;
    if (cur && (cur.ssrc !== ssrc || cur.timestamp !== timestamp)) {
      // A new event began before the previous one's end arrived: the previous one is over.
      const done = this.#finish(cur);
      if (done) out.push(done);
    }
    if (!this.#current) this.#current = { ssrc, timestamp, event: e.event, duration: e.duration };
    const now = this.#current;
    now.duration = Math.max(now.duration, e.duration);
    if (e.end) {
      const done = this.#finish(now);
      if (done) out.push(done);
    }
    return out;
  }

  /** Ends an event still in progress (the call is closing); returns its digit if any. */
  flush(): DtmfDigitEvent[] {
    const done = this.#current ? this.#finish(this.#current) : null;
    return done ? [done] : [];
  }

  #finish(cur: Current): DtmfDigitEvent | null {
    this.#current = null;
    this.#ended.push(`${cur.ssrc}:${cur.timestamp}`);
    if (this.#ended.length > REMEMBERED_ENDS) this.#ended.shift();
    const digit = dtmfDigit(cur.event);
    if (digit === null) return null;
    return { digit, ssrc: cur.ssrc, timestamp: cur.timestamp, durationMs: (cur.duration / this.#clockRateHz) * 1000 };
  }
}
