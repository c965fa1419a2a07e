/**
 * Vosk (libvosk 0.3.39 through koffi) as a streaming {@link SpeechEngine}: one model per process,
 * one recognizer per stream. Decoders take audio at the model's own rate (conf/mfcc.conf
 * `--sample-frequency`); RecognitionStream resamples 8 kHz legs up to it, because libvosk
 * rejects a rate mismatch (accept_waveform returns -1) unless the model allows upsampling.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { RecognitionError, type DecoderOptions, type EngineDecoder, type SpeechEngine } from '../recognizer.ts';
import { libvosk, type LibVosk, type VoskPointer } from './libvosk.ts';
import { VoskDecoder } from './vosk-decoder.ts';

export interface VoskEngineOptions {
  logger?: Logger | undefined;
}

const DEFAULT_SAMPLE_RATE_HZ = 16000;
const REQUIRED_FILES = ['am/final.mdl', 'conf/model.conf'];

export class VoskEngine implements SpeechEngine {
  readonly name = 'vosk' as const;
  readonly modelDescription: string;
  private model: VoskPointer | null;
  private decoderCount = 0;

  private constructor(
    private readonly lib: LibVosk,
    model: VoskPointer,
    readonly modelDir: string,
    readonly sampleRateHz: number,
    private readonly logger?: Logger,
  ) {
    this.model = model;
    this.modelDescription = `vosk ${basename(modelDir)} (${modelDir}, ${sampleRateHz} Hz)`;
  }

  /**
   * Checks the model directory (EARPIECE_ASR_MODEL_MISSING), loads libvosk
   * (EARPIECE_ASR_VOSK_LIBRARY_MISSING) and then the model off the event loop
   * (EARPIECE_ASR_MODEL_UNLOADABLE when libvosk rejects it).
   */
  static async load(modelDir: string, options: VoskEngineOptions = {}): Promise<VoskEngine> {
    const dir = resolve(modelDir);
    await checkModelDir(dir);
    const sampleRateHz = await readModelSampleRate(dir);
    const lib = libvosk();
    const started = performance.now();
    const model = await lib.modelNew(dir);
    if (!model) {
      throw new RecognitionError(
        'EARPIECE_ASR_MODEL_UNLOADABLE',
        `libvosk could not load the Vosk model at ${dir} (its ERROR line on stderr says why): ` +
          'the files are incomplete or corrupt; run "npm run setup" to download it again, or set EARPIECE_VOSK_MODEL_DIR to a valid model',
      );
    }
    options.logger?.info({ modelDir: dir, sampleRateHz, loadMs: Math.round(performance.now() - started) }, 'vosk model loaded');
    return new VoskEngine(lib, model, dir, sampleRateHz, options.logger);
  }

  async createDecoder(options: DecoderOptions): Promise<EngineDecoder> {
    const model = this.model;
    if (!model) throw new RecognitionError('EARPIECE_ASR_ENGINE_CLOSED', 'the Vosk engine is closed');
    const id = `vosk-${++this.decoderCount}`;
    const decoder = await VoskDecoder.create(this.lib, model, this.sampleRateHz, id, this.logger);
    this.logger?.debug({ decoder: id, inputSampleRateHz: options.inputSampleRateHz, sampleRateHz: this.sampleRateHz }, 'vosk decoder created');
    return decoder;
  }

  /** Frees the model (libvosk reference-counts it, so a recognizer still open keeps it alive). Idempotent. */
  async close(): Promise<void> {
    const model = this.model;
    if (!model) return;
    this.model = null;
    this.lib.modelFree(model);
  }
}

async function checkModelDir(dir: string): Promise<void> {
  const missing: string[] = [];
  const isDir = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (isDir) {
    for (const file of REQUIRED_FILES) {
      if (!(await stat(join(dir, file)).then((s) => s.isFile(), () => false))) missing.push(file);
    }
  }
  if (!isDir || missing.length > 0) {
    const what = isDir ? ` (missing ${missing.join(', ')})` : ' (no such directory)';
    throw new RecognitionError(
      'EARPIECE_ASR_MODEL_MISSING',
      `Vosk model not found at ${dir}: run "npm run setup" to download it, or set EARPIECE_VOSK_MODEL_DIR${what}`,
    );
  }
}

/** The model's rate from conf/mfcc.conf `--sample-frequency=` (Kaldi's default 16000 when absent). */
export async function readModelSampleRate(modelDir: string): Promise<number> {
  const conf = await readFile(join(modelDir, 'conf', 'mfcc.conf'), 'utf8').catch(() => '');
  const match = /^\s*--sample-frequency=(\d+(?:\.\d+)?)\s*$/m.exec(conf);
  const rate = match ? Number(match[1]) : DEFAULT_SAMPLE_RATE_HZ;
  return Number.isFinite(rate) && rate > 0 ? rate : DEFAULT_SAMPLE_RATE_HZ;
}
