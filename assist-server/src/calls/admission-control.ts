/**
 * Whether this node may open one more call, from what its recognizers measurably cost:
 *
 *   capacity = floor(slots × target / cost per call)      (at least 1, at most EARPIECE_MAX_CALLS)
 *   cost per call = legs per call × measured busy ms per audio ms of a leg
 *
 * Until enough audio was decoded to measure the cost, a conservative prior stands in: the engine's
 * own expectation (SpeechEngine.expectedCostPerLeg: PocketSphinx's is about 1.5 times what bench:load
 * measured for its search profile), else 0.25 of a slot per leg.
 * Whatever the estimate says, a call is refused while the decode pool is saturated (recent queue
 * wait, a task waiting now, or the streams' decode lag, beyond the limit), so calls that are up do
 * not degrade further. The lag matters most: once the slots are full a leg's measured cost stops
 * growing (it gets only its share), while its audio waits longer and longer in its stream. A refusal
 * is retryable (the bridge answers SIP 503 / AudioSocket error / WebSocket close 1013).
 *
 * With no target (EARPIECE_CAPACITY_TARGET=off) nothing is refused here and the figures are
 * computed at a target of 1, for the health JSON.
 */
import type { DecodeLoad, DecodeLoadSnapshot } from '../recognition/scheduling/decode-load.ts';

export interface AdmissionOptions {
  /** Fraction of recognizer time the node may commit (EARPIECE_CAPACITY_TARGET); undefined: admission off. */
  target: number | undefined;
  /** Hard cap (EARPIECE_MAX_CALLS). */
  maxCalls: number;
  /** Cost per leg (busy ms per audio ms) assumed before it is measured. Default 0.25 (earpiece.ts passes the engine's expectation). */
  priorCostPerLeg?: number;
  /** Legs a call is assumed to have (at least). Default 2. */
  legsPerCall?: number;
  /** The pool counts as saturated when the recent p90 queue wait or decode lag passes this. Default 250 ms. */
  saturationWaitMs?: number;
}

export interface CapacityFigures {
  /** False when EARPIECE_CAPACITY_TARGET=off: the figures are shown, nothing is refused. */
  enforced: boolean;
  target: number;
  maxCalls: number;
  /** Busy ms per audio ms of a leg, and whether it is measured (else the prior). */
  costPerLeg: number;
  costMeasured: boolean;
  legsPerCall: number;
  costPerCall: number;
  /** Calls this node takes at the current cost. */
  capacityCalls: number;
  liveCalls: number;
  saturated: boolean;
  /** Calls refused since the node started, by reason. */
  refused: { capacity: number; saturated: number };
  load: DecodeLoadSnapshot;
}

export const DEFAULT_PRIOR_COST_PER_LEG = 0.25;

export class AdmissionControl {
  private readonly prior: number;
  private readonly defaultLegs: number;
  private readonly saturationWaitMs: number;
  private readonly refused = { capacity: 0, saturated: 0 };
  private readonly target: number;

  constructor(
    private readonly load: DecodeLoad,
    private readonly options: AdmissionOptions,
  ) {
    if (options.target !== undefined && !(options.target > 0 && options.target <= 1)) throw new RangeError(`the capacity target must be in (0, 1] (got ${options.target})`);
    this.target = options.target ?? 1;
    this.prior = options.priorCostPerLeg ?? DEFAULT_PRIOR_COST_PER_LEG;
    this.defaultLegs = options.legsPerCall ?? 2;
    this.saturationWaitMs = options.saturationWaitMs ?? 250;
  }

  /** Capacity and load now, for a node with `liveCalls` calls up. */
  figures(liveCalls: number): CapacityFigures {
    const load = this.load.snapshot();
    const measured = load.costPerLeg.measured;
    const costPerLeg = measured ?? this.prior;
    // Legs per call: two (agent and customer), or more when the calls that are up have more decoders.
    const legsPerCall = Math.max(this.defaultLegs, liveCalls > 0 ? load.liveLegs / liveCalls : 0);
    const costPerCall = costPerLeg * legsPerCall;
    const byCost = costPerCall > 0 ? Math.floor((load.slots * this.target) / costPerCall) : this.options.maxCalls;
    const saturated =
      (load.queueWaitMs.p90 ?? 0) > this.saturationWaitMs ||
      load.queueWaitMs.oldestWaitingMs > this.saturationWaitMs * 2 ||
      (load.decodeLagMs.p90 ?? 0) > this.saturationWaitMs;
    return {
      enforced: this.options.target !== undefined,
      target: this.target,
      maxCalls: this.options.maxCalls,
      costPerLeg: round(costPerLeg),
      costMeasured: measured !== undefined,
      legsPerCall: round(legsPerCall),
      costPerCall: round(costPerCall),
      capacityCalls: Math.max(1, Math.min(this.options.maxCalls, byCost)),
      liveCalls,
      saturated,
      refused: { ...this.refused },
      load,
    };
  }

  /**
   * Asked before a new call opens, with the calls up or opening: undefined to admit it, else why
   * it is refused (the message the bridge logs). Counts refusals.
   */
  refusal(liveCalls: number): string | undefined {
    if (this.options.target === undefined) return undefined;
    const f = this.figures(liveCalls);
    if (liveCalls >= f.capacityCalls) {
      this.refused.capacity++;
      return (
        `this node is at capacity: ${liveCalls} of ${f.capacityCalls} calls ` +
        `(${f.costPerCall} of a recognizer thread per call ${f.costMeasured ? 'measured' : 'assumed'}, ${f.load.slots} threads at target ${f.target})`
      );
    }
    if (f.saturated && liveCalls > 0) {
      this.refused.saturated++;
      return `this node's recognizers are saturated (decode lag p90 ${f.load.decodeLagMs.p90} ms, queue wait p90 ${f.load.queueWaitMs.p90} ms, oldest waiting ${f.load.queueWaitMs.oldestWaitingMs} ms)`;
    }
    return undefined;
  }
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
