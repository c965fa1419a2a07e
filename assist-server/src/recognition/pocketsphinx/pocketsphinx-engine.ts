/**
 * PocketSphinx (Debian 0.8+5prealpha, en-us) as a streaming {@link SpeechEngine}.
 *
 * Accuracy is poor on real phone speech (see docs/pocketsphinx.md): it is a real engine for
 * integration, latency, endpointing and load tests, and a fallback when no Vosk model exists.
 * Each decoder loads its own LM (~107 MiB); 8 kHz legs use the telephone model copy.
 */
import type { Logger } from 'pino';
import { RecognitionError, type DecoderOptions, type EngineDecoder, type SpeechEngine } from '../recognizer.ts';
import { libpocketsphinx, type LibPocketSphinx } from './libpocketsphinx.ts';
import { PocketSphinxDecoder } from './pocketsphinx-decoder.ts';
import { DEFAULT_POCKETSPHINX_MODEL_DIR, PocketSphinxModel, type PocketSphinxModelFiles } from './pocketsphinx-model.ts';

export interface PocketSphinxEngineOptions {
  /** Model base dir holding en-us/, en-us.lm.bin and cmudict-en-us.dict. Default: Debian's. */
  modelDir?: string | undefined;
  /** Where the telephone model copy is written (`<cacheDir>/pocketsphinx-en-us-telephone`). */
  cacheDir: string;
  logger?: Logger | undefined;
  /** Search pruning: `fast` (default), `lean` or `full` (PocketSphinx's own defaults). See POCKETSPHINX_SEARCH_ARGS. */
  search?: PocketSphinxSearch | undefined;
}

export type PocketSphinxSearch = 'lean' | 'fast' | 'full';

/**
 * Search profiles, from CMU's speed settings, measured with `npm run bench:search` (banking sentences
 * from flite through G.711 mu-law and the telephone model, 290 words; CPU figures move ±10 % run to run):
 * - `fast` caps the HMMs (3000) and word exits (5) searched per frame, widens the phonetic lookahead
 *   window (10) and prunes phones at 1e-40: 0.11 CPU-s per audio second against 0.18-0.21 for `full`,
 *   with no more word errors (8.3 % vs 9.0 %), and the same words with VAD gating as without
 *   (gated-recognition.test.ts; scoring 2 Gaussians instead of 4 broke that).
 * - `lean` also scores the top 2 Gaussians only and skips the second (flat-lexicon) pass at each
 *   utterance end: 0.07 CPU-s per audio second, more word errors (11.4 %), finals sooner. For nodes
 *   that trade accuracy for calls.
 * - `full`: PocketSphinx's own defaults.
 */
export const POCKETSPHINX_SEARCH_ARGS: Record<PocketSphinxSearch, string[]> = {
  fast: ['-maxhmmpf', '3000', '-maxwpf', '5', '-pl_window', '10', '-pbeam', '1e-40'],
  lean: ['-maxhmmpf', '3000', '-maxwpf', '5', '-pl_window', '10', '-pbeam', '1e-40', '-topn', '2', '-fwdflat', 'no'],
  full: [],
};

/**
 * Slot-s per leg-second before it is measured: about 1.45 times what bench:load measured per leg
 * with 8 calls on this 2-core box (half silence, VAD on, 100 ms batches that catch up when behind):
 * fast 0.103, lean 0.067-0.077; full not measured there. At the default target (0.8) on 2 threads
 * that admits a burst of 5 calls (fast) or 8 (lean) before the cost is measured.
 */
const EXPECTED_COST_PER_LEG: Record<PocketSphinxSearch, number> = { fast: 0.15, lean: 0.1, full: 0.25 };

/** Backpointer table size: avoids the mid-utterance ps_get_hyp abort() in 5prealpha. */
const LATSIZE = '262144';
const TELEPHONE_MAX_RATE_HZ = 8000;

export class PocketSphinxEngine implements SpeechEngine {
  readonly name = 'pocketsphinx' as const;
  readonly sampleRateHz = 16000;
  readonly modelDescription: string;
  readonly expectedCostPerLeg: number;
  private closed = false;
  private decoderCount = 0;

  private constructor(
    private readonly lib: LibPocketSphinx,
    private readonly model: PocketSphinxModel,
    private readonly cacheDir: string,
    private readonly search: PocketSphinxSearch,
    private readonly logger?: Logger,
  ) {
    this.modelDescription = `pocketsphinx en-us (${model.baseDir})`;
    this.expectedCostPerLeg = EXPECTED_COST_PER_LEG[search];
  }

  /**
   * Loads the native libraries (EARPIECE_ASR_POCKETSPHINX_MISSING) and checks the model
   * (EARPIECE_ASR_MODEL_MISSING). Decoders are created per stream.
   */
  static async load(options: PocketSphinxEngineOptions): Promise<PocketSphinxEngine> {
    const lib = libpocketsphinx();
    const model = PocketSphinxModel.resolve(options.modelDir ?? DEFAULT_POCKETSPHINX_MODEL_DIR);
    return new PocketSphinxEngine(lib, model, options.cacheDir, options.search ?? 'fast', options.logger);
  }

  async createDecoder(options: DecoderOptions): Promise<EngineDecoder> {
    if (this.closed) throw new RecognitionError('EARPIECE_ASR_ENGINE_CLOSED', 'the PocketSphinx engine is closed');
    const telephone = options.inputSampleRateHz <= TELEPHONE_MAX_RATE_HZ;
    const files = telephone ? await this.model.telephone(this.cacheDir) : this.model.files;
    const id = `ps-${++this.decoderCount}`;
    const started = performance.now();
    const config = this.lib.parseConfig(decoderArgv(files, this.search));
    if (!config) {
      throw new RecognitionError('EARPIECE_ASR_DECODER_INIT', `PocketSphinx rejected its configuration for model ${files.hmmDir}`);
    }
    const ps = await this.lib.init(config);
    if (!ps) {
      this.lib.freeConfig(config);
      throw new RecognitionError(
        'EARPIECE_ASR_DECODER_INIT',
        `PocketSphinx could not load the model at ${files.hmmDir} (lm ${files.lmPath}, dict ${files.dictPath}): ` +
          'reinstall it with apt-get install --reinstall pocketsphinx-en-us',
      );
    }
    this.logger?.debug(
      { decoder: id, telephone, inputSampleRateHz: options.inputSampleRateHz, initMs: Math.round(performance.now() - started) },
      'pocketsphinx decoder created',
    );
    return new PocketSphinxDecoder(this.lib, ps, config, id, this.logger);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

function decoderArgv(files: PocketSphinxModelFiles, search: PocketSphinxSearch): string[] {
  return ['earpiece', '-hmm', files.hmmDir, '-lm', files.lmPath, '-dict', files.dictPath, '-latsize', LATSIZE, ...POCKETSPHINX_SEARCH_ARGS[search]];
}
