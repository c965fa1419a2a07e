/**
 * One streaming interface for every speech engine.
 *
 *   const engine = await loadSpeechEngine(config)          // engine-registry.ts
 *   const stream = engine.createStream({ inputSampleRateHz: 8000 })
 *   for (const ev of await stream.write(pcm)) …             // partials and finals
 *   for (const ev of await stream.flush()) …                // end of stream: last words
 *   await stream.close()
 *
 * Engines implement only {@link EngineDecoder} (accept audio at the engine's own rate, finish);
 * {@link RecognitionStream} owns what is common: resampling to the engine's rate, serializing
 * calls per stream, and turning time into call-clock milliseconds. Decoders must not block the
 * event loop: native work goes through koffi `.async` calls (libuv threadpool) or a worker.
 */

export interface RecognizedWord {
  word: string;
  /** ms on the stream's clock: 0 = first sample written to the stream. */
  startMs: number;
  endMs: number;
  /** 0..1 */
  confidence: number;
}

export type RecognitionEvent =
  | { type: 'partial'; text: string }
  | { type: 'final'; text: string; words: RecognizedWord[]; startMs: number; endMs: number };

/** What an engine's decoder reports; times in seconds from the decoder's first sample. */
export type DecoderEvent =
  | { type: 'partial'; text: string }
  | { type: 'final'; text: string; words: Array<{ word: string; startS: number; endS: number; confidence: number }> };

/** One engine-level decoder, fed at {@link SpeechEngine.sampleRateHz}. Calls are never concurrent. */
export interface EngineDecoder {
  /** Feeds 16-bit mono PCM; returns what the audio produced (a partial if it changed, finals at endpoints). */
  accept(pcm: Int16Array): Promise<DecoderEvent[]>;
  /** End of stream: returns the final result of any open utterance. The decoder stays usable. */
  finish(): Promise<DecoderEvent[]>;
  /** Frees native resources. Idempotent. */
  free(): Promise<void>;
}

export interface DecoderOptions {
  /** The leg's original rate before resampling: 8000 tells an engine the audio is telephone band. */
  inputSampleRateHz: number;
}

export interface SpeechEngine {
  readonly name: EngineName;
  /** The rate the engine's decoders take; streams resample to it. */
  readonly sampleRateHz: number;
  /** A human-readable description of the loaded model, for logs and health. */
  readonly modelDescription: string;
  /**
   * Optional: the slot time a call leg is expected to take per second of its audio, before the node
   * has measured it (admission's prior; calls/admission-control.ts). Absent: admission's default.
   */
  readonly expectedCostPerLeg?: number;
  createDecoder(options: DecoderOptions): Promise<EngineDecoder>;
  /**
   * Optional: told, per write, how long its audio waited from arrival until its decode finished
   * (the stream's backlog included). The decode scheduler uses it to see streams falling behind.
   */
  observeDecodeLag?(lagMs: number): void;
  /** Frees the model. Streams must be closed first. */
  close(): Promise<void>;
}

export type EngineName = 'vosk' | 'pocketsphinx';

export class RecognitionError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'RecognitionError';
  }
}
