/**
 * One Vosk recognizer driven as an {@link EngineDecoder}. Audio goes to libvosk in blocks of at
 * most 100 ms so an endpoint inside a large write is seen where it happens (libvosk checks for
 * endpoints once per accept call). At an endpoint the utterance's result becomes a final; after
 * each write without one, the partial is reported if it changed. Calls on one recognizer never
 * overlap, even when a caller does not wait.
 */
import type { Logger } from 'pino';
import { RecognitionError, type DecoderEvent, type EngineDecoder } from '../recognizer.ts';
import type { LibVosk, VoskPointer } from './libvosk.ts';
import { SerialQueue } from '../serial-queue.ts';

type FinalEvent = Extract<DecoderEvent, { type: 'final' }>;
type FinalWord = FinalEvent['words'][number];

/** Longest block per accept_waveform call, in seconds of audio. */
const MAX_BLOCK_SECONDS = 0.1;

export class VoskDecoder implements EngineDecoder {
  private recognizer: VoskPointer | null;
  private lastPartial = '';
  private readonly queue = new SerialQueue();
  private readonly maxBlockSamples: number;

  private constructor(
    private readonly lib: LibVosk,
    recognizer: VoskPointer,
    readonly id: string,
    readonly sampleRateHz: number,
    private readonly logger?: Logger,
  ) {
    this.recognizer = recognizer;
    this.maxBlockSamples = Math.max(1, Math.round(sampleRateHz * MAX_BLOCK_SECONDS));
  }

  /**
   * A recognizer over `model` taking audio at `sampleRateHz` (which must match the model's rate
   * unless its mfcc.conf allows resampling), with word times and confidences on.
   */
  static async create(lib: LibVosk, model: VoskPointer, sampleRateHz: number, id: string, logger?: Logger): Promise<VoskDecoder> {
    const recognizer = await lib.recognizerNew(model, sampleRateHz);
    if (!recognizer) {
      throw new RecognitionError('EARPIECE_ASR_DECODER_INIT', `libvosk could not create recognizer ${id} at ${sampleRateHz} Hz (see stderr)`);
    }
    lib.setWords(recognizer, true);
    return new VoskDecoder(lib, recognizer, id, sampleRateHz, logger);
  }

  accept(pcm: Int16Array): Promise<DecoderEvent[]> {
    return this.queue.run(() => this.acceptNow(pcm));
  }

  finish(): Promise<DecoderEvent[]> {
    return this.queue.run(async () => {
      const final = this.toFinal(await this.lib.finalResult(this.live()));
      this.lastPartial = '';
      return final ? [final] : [];
    });
  }

  free(): Promise<void> {
    return this.queue.run(async () => {
      const recognizer = this.recognizer;
      if (!recognizer) return;
      this.recognizer = null;
      this.lib.recognizerFree(recognizer);
      this.logger?.debug({ decoder: this.id }, 'vosk decoder freed');
    });
  }

  private async acceptNow(pcm: Int16Array): Promise<DecoderEvent[]> {
    const recognizer = this.live();
    const events: DecoderEvent[] = [];
    let endpointLast = false;
    for (let at = 0; at < pcm.length; at += this.maxBlockSamples) {
      const block = pcm.subarray(at, Math.min(pcm.length, at + this.maxBlockSamples));
      // The same memory as bytes: libvosk reads 16-bit little-endian samples.
      const bytes = new Uint8Array(block.buffer, block.byteOffset, block.byteLength);
      endpointLast = await this.lib.acceptWaveform(recognizer, bytes);
      if (endpointLast) {
        const final = this.toFinal(await this.lib.result(recognizer));
        this.lastPartial = '';
        if (final) events.push(final);
      }
    }
    if (!endpointLast && pcm.length > 0) {
      const text = parsePartial(await this.lib.partialResult(recognizer), this.id);
      if (text && text !== this.lastPartial) {
        this.lastPartial = text;
        events.push({ type: 'partial', text });
      }
    }
    return events;
  }

  /** A result JSON as a final event; null when it holds no words (e.g. silence up to an endpoint). */
  private toFinal(json: string): FinalEvent | null {
    const parsed = parseJson(json, this.id) as { text?: unknown; result?: unknown };
    const text = typeof parsed.text === 'string' ? parsed.text.trim() : '';
    if (!text) return null;
    const words: FinalWord[] = Array.isArray(parsed.result) ? parsed.result.map(toWord) : [];
    this.logger?.debug({ decoder: this.id, words: words.length }, 'vosk final');
    return { type: 'final', text, words };
  }

  private live(): VoskPointer {
    if (!this.recognizer) throw new RecognitionError('EARPIECE_ASR_DECODER_FREED', `decoder ${this.id} was used after free()`);
    return this.recognizer;
  }

}

function toWord(raw: unknown): FinalWord {
  const w = raw as { word?: unknown; start?: unknown; end?: unknown; conf?: unknown };
  const confidence = typeof w.conf === 'number' && Number.isFinite(w.conf) ? Math.min(1, Math.max(0, w.conf)) : 0;
  return {
    word: String(w.word ?? ''),
    startS: Number(w.start ?? 0),
    endS: Number(w.end ?? 0),
    confidence,
  };
}

function parsePartial(json: string, id: string): string {
  const parsed = parseJson(json, id) as { partial?: unknown };
  return typeof parsed.partial === 'string' ? parsed.partial.trim() : '';
}

function parseJson(json: string, id: string): object {
  try {
    const value: unknown = JSON.parse(json);
    if (value && typeof value === 'object') return value;
  } catch {
    // fall through
  }
  throw new RecognitionError('EARPIECE_ASR_VOSK_DECODE', `libvosk returned unreadable JSON on decoder ${id} (${json.length} chars)`);
}
