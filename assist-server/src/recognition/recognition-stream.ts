import { Resampler } from '../audio/resampler.ts';
import { SerialQueue } from './serial-queue.ts';
import type { DecoderEvent, EngineDecoder, RecognitionEvent, SpeechEngine } from './recognizer.ts';

export interface RecognitionStreamOptions {
  /** Rate of the PCM that will be written (the leg's rate). */
  inputSampleRateHz: number;
  /** Where the first written sample lies on the call clock (a recognizer resumed mid-call). Default 0. */
  startOffsetMs?: number;
}

/**
 * One leg's recognizer: resamples to the engine's rate, serializes calls (one decoder call in
 * flight at a time, in write order), and converts decoder times to ms on the stream's clock.
 */
export class RecognitionStream {
  private readonly resampler: Resampler;
  private readonly queue = new SerialQueue();
  private closed = false;
  private flushed = false;
  /** Samples (at the input rate) written so far. */
  private writtenSamples = 0;

  private constructor(
    private readonly decoder: EngineDecoder,
    readonly engineName: string,
    private readonly inputSampleRateHz: number,
    engineRateHz: number,
    private readonly startOffsetMs: number,
  ) {
    this.resampler = new Resampler(inputSampleRateHz, engineRateHz);
  }

  static async open(engine: SpeechEngine, options: RecognitionStreamOptions): Promise<RecognitionStream> {
    const decoder = await engine.createDecoder({ inputSampleRateHz: options.inputSampleRateHz });
    return new RecognitionStream(decoder, engine.name, options.inputSampleRateHz, engine.sampleRateHz, options.startOffsetMs ?? 0);
  }

  /** End of the audio written so far, ms on the call clock. */
  get writtenMs(): number {
    return this.startOffsetMs + (this.writtenSamples / this.inputSampleRateHz) * 1000;
  }

  /** Feeds PCM at the input rate. Events come back in order; concurrent writes queue. */
  write(pcm: Int16Array): Promise<RecognitionEvent[]> {
    if (this.closed || this.flushed) return Promise.reject(new Error('write after flush/close'));
    this.writtenSamples += pcm.length;
    const resampled = this.resampler.process(pcm);
    return this.enqueue(async () => (resampled.length ? toStreamEvents(await this.decoder.accept(resampled), this.startOffsetMs) : []));
  }

  /** End of stream: drains the resampler and returns the last final(s). Further writes are refused. */
  flush(): Promise<RecognitionEvent[]> {
    if (this.closed) return Promise.resolve([]);
    this.flushed = true;
    const rest = this.resampler.flush();
    return this.enqueue(async () => {
      const events: DecoderEvent[] = rest.length ? await this.decoder.accept(rest) : [];
      events.push(...(await this.decoder.finish()));
      return toStreamEvents(events, this.startOffsetMs);
    });
  }

  /** Frees the decoder once queued work is done. Idempotent. */
  close(): Promise<void> {
    if (this.closed) return this.queue.idle();
    this.closed = true;
    return this.enqueue(() => this.decoder.free()).then(() => undefined);
  }

  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    return this.queue.run(fn);
  }
}

function toStreamEvents(events: DecoderEvent[], offsetMs: number): RecognitionEvent[] {
  return events.map((ev) => {
    if (ev.type === 'partial') return ev;
    const words = ev.words.map((w) => ({
      word: w.word,
      startMs: Math.round(offsetMs + w.startS * 1000),
      endMs: Math.round(offsetMs + w.endS * 1000),
      confidence: w.confidence,
    }));
    return {
      type: 'final' as const,
      text: ev.text,
      words,
      startMs: words[0]?.startMs ?? 0,
      endMs: words[words.length - 1]?.endMs ?? 0,
    };
  });
}
