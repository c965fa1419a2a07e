/**
 * BENCHMARK STAND-IN FOR ASSIST-SERVER (not a production sink): a CallSink that accepts every
 * call up to `maxCalls`, counts calls, legs and samples, and discards the audio. `npm run
 * bench:bridge -- --recognition off` puts it where the IngestCallSink (and assist-server behind
 * it) would be, so the figures measure the bridge alone: SIP, RTP, jitter buffer, G.711 decode.
 */
import type { LegRole } from '@earpiece/assist-server/protocol';
import type { BridgeCall, BridgeCallSpec, CallEndReason, CallSink } from '../../telephony-bridge/src/core/call-sink.ts';
import { BridgeError } from '../../telephony-bridge/src/core/errors.ts';

export interface DiscardedTotals {
  callsOpened: number;
  callsEnded: number;
  refused: number;
  endReasons: Partial<Record<CallEndReason, number>>;
  /** Samples handed over per leg role (gaps concealed by the sources included). */
  samples: Record<LegRole, number>;
  legsOpened: number;
}

export class DiscardingCallSink implements CallSink {
  readonly totals: DiscardedTotals = { callsOpened: 0, callsEnded: 0, refused: 0, endReasons: {}, samples: { agent: 0, customer: 0 }, legsOpened: 0 };
  readonly #active = new Set<string>();

  constructor(private readonly maxCalls: number) {}

  get activeCalls(): number {
    return this.#active.size;
  }

  async open(spec: BridgeCallSpec): Promise<BridgeCall> {
    if (this.#active.has(spec.callId)) throw new BridgeError('EARPIECE_BRIDGE_DUPLICATE_CALL', `call ${spec.callId} is already open`);
    if (this.#active.size >= this.maxCalls) {
      this.totals.refused++;
      throw new BridgeError('EARPIECE_BRIDGE_CAPACITY', `benchmark sink at capacity (${this.maxCalls} calls)`, { retryable: true });
    }
    this.#active.add(spec.callId);
    this.totals.callsOpened++;
    this.totals.legsOpened += spec.legs.length;
    const totals = this.totals;
    const active = this.#active;
    let ended: Promise<void> | undefined;
    return {
      callId: spec.callId,
      audio(role, pcm) {
        if (!ended) totals.samples[role] += pcm.length;
      },
      dtmf() {},
      hold() {},
      hasCapacity: true,
      waitForCapacity: () => Promise.resolve(),
      end(reason) {
        ended ??= Promise.resolve().then(() => {
          active.delete(spec.callId);
          totals.callsEnded++;
          totals.endReasons[reason] = (totals.endReasons[reason] ?? 0) + 1;
        });
        return ended;
      },
    };
  }
}
