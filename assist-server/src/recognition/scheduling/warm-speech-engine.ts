/**
 * A {@link SpeechEngine} decorator that keeps decoders loaded between calls
 * (EARPIECE_RECOGNIZER_WARM_DECODERS). Loading one is real work (PocketSphinx: ~0.27 CPU-s and
 * ~95 MB for its LM): when eight calls arrive in the same second, sixteen loads would hold the
 * recognizer threads for seconds while the calls already running wait. So a freed decoder goes
 * back to an idle list (its open utterance ended first) and the next leg at that rate takes it;
 * `warm()` fills the list ahead of time at start-up. Beyond `keep` idle decoders, a freed one
 * is freed for real; so is one that failed.
 *
 *   const engine = new WarmSpeechEngine(await loadSpeechEngine(…), { keep: 8 });
 *   void engine.warm({ inputSampleRateHz: 8000 }, 8);
 */
import type { Logger } from 'pino';
import { RecognitionError, type DecoderEvent, type DecoderOptions, type EngineDecoder, type EngineName, type SpeechEngine } from '../recognizer.ts';

export interface WarmSpeechEngineOptions {
  /** Idle decoders kept loaded, all rates together. 0: every decoder is freed when its leg ends. */
  keep: number;
  logger?: Logger | undefined;
}

export class WarmSpeechEngine implements SpeechEngine {
  readonly name: EngineName;
  readonly sampleRateHz: number;
  readonly modelDescription: string;
  readonly expectedCostPerLeg: number | undefined;
  /** Idle decoders by the input rate they were made for (8 kHz legs get the telephone model). */
  private readonly idle = new Map<number, EngineDecoder[]>();
  private idleCount = 0;
  private closed = false;
  /** Decoders handed out again instead of loaded (for health and tests). */
  reused = 0;

  constructor(
    readonly inner: SpeechEngine,
    private readonly options: WarmSpeechEngineOptions,
  ) {
    this.name = inner.name;
    this.sampleRateHz = inner.sampleRateHz;
    this.modelDescription = inner.modelDescription;
    this.expectedCostPerLeg = inner.expectedCostPerLeg;
  }

  /** Idle decoders ready now. */
  get idleDecoders(): number {
    return this.idleCount;
  }

  /** Loads decoders for legs at this rate until `count` are idle (at most `keep` in all), one at a time. */
  async warm(options: DecoderOptions, count: number): Promise<void> {
    const started = performance.now();
    let loaded = 0;
    while (!this.closed && (this.idle.get(options.inputSampleRateHz)?.length ?? 0) < count && this.idleCount < this.options.keep) {
      const decoder = await this.inner.createDecoder(options);
      if (this.closed) {
        await decoder.free(); // drained while it loaded
        break;
      }
      this.park(options.inputSampleRateHz, decoder);
      loaded++;
    }
    if (loaded) this.options.logger?.info({ decoders: loaded, inputSampleRateHz: options.inputSampleRateHz, ms: Math.round(performance.now() - started) }, 'decoders loaded ahead of calls');
  }

  async createDecoder(options: DecoderOptions): Promise<EngineDecoder> {
    let decoder = this.idle.get(options.inputSampleRateHz)?.pop();
    if (decoder) {
      this.idleCount--;
      this.reused++;
    } else {
      decoder = await this.inner.createDecoder(options);
    }
    return new WarmDecoder(decoder, (d, reusable) => this.release(options.inputSampleRateHz, d, reusable));
  }

  observeDecodeLag(lagMs: number): void {
    this.inner.observeDecodeLag?.(lagMs);
  }

  /** Frees the idle decoders and keeps no more (the engine itself stays open: its owner closes it). */
  async drain(): Promise<void> {
    this.closed = true;
    const all = [...this.idle.values()].flat();
    this.idle.clear();
    this.idleCount = 0;
    await Promise.all(all.map((d) => d.free()));
  }

  async close(): Promise<void> {
    await this.drain();
    await this.inner.close();
  }

  private async release(rate: number, decoder: EngineDecoder, reusable: boolean): Promise<void> {
    if (!reusable || this.closed || this.idleCount >= this.options.keep) return decoder.free();
    this.park(rate, decoder);
  }

  private park(rate: number, decoder: EngineDecoder): void {
    const list = this.idle.get(rate) ?? [];
    list.push(decoder);
    this.idle.set(rate, list);
    this.idleCount++;
  }
}

/** One leg's use of a decoder: `free()` hands it back, its utterance ended, unless it failed. */
class WarmDecoder implements EngineDecoder {
  /** Audio went in since the last finish(): an utterance may be open. */
  private open = false;
  private failed = false;
  private freed = false;

  constructor(
    private readonly decoder: EngineDecoder,
    private readonly release: (decoder: EngineDecoder, reusable: boolean) => Promise<void>,
  ) {}

  accept(pcm: Int16Array): Promise<DecoderEvent[]> {
    if (this.freed) return Promise.reject(freedError());
    this.open = true;
    return this.watch(this.decoder.accept(pcm));
  }

  async finish(): Promise<DecoderEvent[]> {
    if (this.freed) throw freedError();
    const events = await this.watch(this.decoder.finish());
    this.open = false;
    return events;
  }

  async free(): Promise<void> {
    if (this.freed) return;
    this.freed = true;
    if (this.open && !this.failed) {
      // A leg closed mid-utterance (a call abandoned to another node): end it, drop what it says.
      await this.decoder.finish().catch(() => (this.failed = true));
    }
    await this.release(this.decoder, !this.failed);
  }

  private watch(result: Promise<DecoderEvent[]>): Promise<DecoderEvent[]> {
    return result.catch((err: unknown) => {
      this.failed = true;
      throw err;
    });
  }
}

/** The decoder went back to the idle list (maybe to another leg already): this leg may not touch it. */
function freedError(): RecognitionError {
  return new RecognitionError('EARPIECE_ASR_DECODER_FREED', 'a decoder was used after free()');
}
