/**
 * A {@link SpeechEngine} decorator that sends every decoder call (create, accept, finish, free)
 * through one bounded, fair {@link DecodePool} and meters what accept/finish cost per leg
 * ({@link DecodeLoad}). Streams and call sessions use it like the engine it wraps.
 *
 *   const engine = new ScheduledSpeechEngine(await loadSpeechEngine(…), { threads: 2 })
 *   engine.load.snapshot()   // slots, cost per leg, queue wait, utilization
 */
import type { DecoderEvent, DecoderOptions, EngineDecoder, EngineName, SpeechEngine } from '../recognizer.ts';
import type { LegMeter } from './decode-cost.ts';
import { DecodeLoad, type DecodeLoadOptions } from './decode-load.ts';
import { DecodePool, type DecodeLane } from './decode-pool.ts';

export interface ScheduledSpeechEngineOptions extends DecodeLoadOptions {
  /** Decoder calls that may run at once (EARPIECE_RECOGNIZER_THREADS). */
  threads: number;
}

export class ScheduledSpeechEngine implements SpeechEngine {
  readonly name: EngineName;
  readonly sampleRateHz: number;
  readonly modelDescription: string;
  readonly expectedCostPerLeg: number | undefined;
  readonly pool: DecodePool;
  readonly load: DecodeLoad;

  constructor(
    readonly inner: SpeechEngine,
    options: ScheduledSpeechEngineOptions,
  ) {
    this.name = inner.name;
    this.sampleRateHz = inner.sampleRateHz;
    this.modelDescription = inner.modelDescription;
    this.expectedCostPerLeg = inner.expectedCostPerLeg;
    this.pool = new DecodePool(options.threads);
    this.load = new DecodeLoad(this.pool, options);
  }

  async createDecoder(options: DecoderOptions): Promise<EngineDecoder> {
    const lane = this.pool.lane();
    // Loading a decoder is CPU work too (PocketSphinx: ~0.2 s for the LM): it takes its turn.
    const decoder = await lane.run(() => this.inner.createDecoder(options));
    return new ScheduledDecoder(decoder, lane, this.load.openLeg(), this.sampleRateHz);
  }

  observeDecodeLag(lagMs: number): void {
    this.load.recordLag(lagMs);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

class ScheduledDecoder implements EngineDecoder {
  private freed = false;

  constructor(
    private readonly decoder: EngineDecoder,
    private readonly lane: DecodeLane,
    private readonly meter: LegMeter,
    private readonly sampleRateHz: number,
  ) {}

  accept(pcm: Int16Array): Promise<DecoderEvent[]> {
    const audioMs = (pcm.length / this.sampleRateHz) * 1000;
    return this.lane.run(
      () => this.decoder.accept(pcm),
      (t) => this.meter.record(t.busyMs, audioMs),
    );
  }

  finish(): Promise<DecoderEvent[]> {
    // End-of-utterance work (PocketSphinx: fwdflat rescoring) is the burstiest part of the cost.
    return this.lane.run(
      () => this.decoder.finish(),
      (t) => this.meter.record(t.busyMs, 0),
    );
  }

  free(): Promise<void> {
    if (!this.freed) {
      this.freed = true;
      this.meter.close();
    }
    return this.lane.run(() => this.decoder.free());
  }
}
