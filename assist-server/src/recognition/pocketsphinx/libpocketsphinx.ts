/**
 * koffi binding of Debian's PocketSphinx 0.8+5prealpha (libpocketsphinx.so.3 + libsphinxbase.so.3):
 * only the calls the streaming decoder needs. Loaded once per process; library logging is
 * silenced (`err_set_logfp(NULL)`), otherwise every `ps_init` prints ~200 lines to stderr.
 *
 * Pointers are koffi externals, typed here as opaque {@link NativePointer}s. Calls that can take
 * more than a few milliseconds have a promise form running on the libuv threadpool (koffi `.async`).
 */
import koffi, { type LibraryHandle } from 'koffi';
import { RecognitionError } from '../recognizer.ts';
import { returnFreedMemory } from '../native-memory.ts';

/** An opaque native pointer (koffi external). */
export type NativePointer = object & { readonly __native?: never };

export interface LibPocketSphinx {
  /** `cmd_ln_parse_r(NULL, ps_args(), argc, argv, strict=1)`: argv[0] is skipped. NULL on bad flags. */
  parseConfig(argv: string[]): NativePointer | null;
  freeConfig(config: NativePointer): void;
  /** `ps_init` on the threadpool (loads LM + dictionary, ~0.2 s CPU). Resolves null on failure. */
  init(config: NativePointer): Promise<NativePointer | null>;
  free(ps: NativePointer): Promise<void>;
  startUtt(ps: NativePointer): number;
  /** `ps_process_raw(ps, pcm, n, no_search=0, full_utt=0)` on the threadpool: frames searched, < 0 on error. */
  processRaw(ps: NativePointer, pcm: Int16Array): Promise<number>;
  /** `ps_end_utt` on the threadpool (fwdflat rescoring + lattice). */
  endUtt(ps: NativePointer): Promise<number>;
  /** Mid-utterance partial (fwdtree): cheap, synchronous. */
  hyp(ps: NativePointer): string | null;
  /** After `ps_end_utt`: lattice best path, on the threadpool. */
  hypAsync(ps: NativePointer): Promise<string | null>;
  inSpeech(ps: NativePointer): boolean;
  /** `ps_seg_iter` on the threadpool (runs the best path again). */
  segIter(ps: NativePointer): Promise<NativePointer | null>;
  /** Frees the iterator itself when it returns null. */
  segNext(seg: NativePointer): NativePointer | null;
  segWord(seg: NativePointer): string;
  segFrames(seg: NativePointer): { startFrame: number; endFrame: number };
  /** Posterior probability of the segment, 0..1 (`logmath_exp(ps_get_logmath(ps), ps_seg_prob(seg))`). */
  segProbability(ps: NativePointer, seg: NativePointer): number;
}

const MISSING_HINT = 'install the Debian packages: apt-get install libpocketsphinx3 pocketsphinx-en-us';

export interface LibraryNames {
  sphinxbase: string;
  pocketsphinx: string;
}

const DEBIAN_LIBRARIES: LibraryNames = { sphinxbase: 'libsphinxbase.so.3', pocketsphinx: 'libpocketsphinx.so.3' };
const loaded = new Map<string, LibPocketSphinx>();
let typesDeclared = false;

/**
 * Loads the native libraries once per process (Debian's sonames by default). Throws
 * EARPIECE_ASR_POCKETSPHINX_MISSING when they cannot be loaded.
 */
export function libpocketsphinx(names: LibraryNames = DEBIAN_LIBRARIES): LibPocketSphinx {
  const key = `${names.sphinxbase}|${names.pocketsphinx}`;
  let lib = loaded.get(key);
  if (!lib) {
    lib = bind(names);
    loaded.set(key, lib);
  }
  return lib;
}

type Fn = ReturnType<LibraryHandle['func']>;

function callAsync<T>(fn: Fn, ...args: unknown[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    fn.async(...args, (err: unknown, result: T) => (err ? reject(err) : resolve(result)));
  });
}

function bind(names: LibraryNames): LibPocketSphinx {
  let sb: LibraryHandle;
  let pl: LibraryHandle;
  try {
    sb = koffi.load(names.sphinxbase);
    pl = koffi.load(names.pocketsphinx);
  } catch (err) {
    throw new RecognitionError(
      'EARPIECE_ASR_POCKETSPHINX_MISSING',
      `PocketSphinx libraries could not be loaded (${(err as Error).message}): ${MISSING_HINT}`,
    );
  }
  if (!typesDeclared) {
    for (const name of ['ps_decoder_t', 'cmd_ln_t', 'arg_t', 'ps_seg_t', 'logmath_t']) koffi.opaque(name);
    typesDeclared = true;
  }

  const cmd_ln_parse_r = sb.func('cmd_ln_t *cmd_ln_parse_r(cmd_ln_t *inout, const arg_t *defn, int argc, const char **argv, int strict)');
  const cmd_ln_free_r = sb.func('int cmd_ln_free_r(cmd_ln_t *c)');
  const err_set_logfp = sb.func('void err_set_logfp(void *fp)');
  const logmath_exp = sb.func('double logmath_exp(logmath_t *lm, int logb_p)');
  const ps_args = pl.func('const arg_t *ps_args()');
  const ps_init = pl.func('ps_decoder_t *ps_init(cmd_ln_t *config)');
  const ps_free = pl.func('int ps_free(ps_decoder_t *ps)');
  const ps_get_logmath = pl.func('logmath_t *ps_get_logmath(ps_decoder_t *ps)');
  const ps_start_utt = pl.func('int ps_start_utt(ps_decoder_t *ps)');
  const ps_process_raw = pl.func('int ps_process_raw(ps_decoder_t *ps, const int16_t *data, size_t n, int no_search, int full_utt)');
  const ps_end_utt = pl.func('int ps_end_utt(ps_decoder_t *ps)');
  const ps_get_hyp = pl.func('const char *ps_get_hyp(ps_decoder_t *ps, _Out_ int32_t *score)');
  const ps_get_in_speech = pl.func('uint8_t ps_get_in_speech(ps_decoder_t *ps)');
  const ps_seg_iter = pl.func('ps_seg_t *ps_seg_iter(ps_decoder_t *ps)');
  const ps_seg_next = pl.func('ps_seg_t *ps_seg_next(ps_seg_t *seg)');
  const ps_seg_word = pl.func('const char *ps_seg_word(ps_seg_t *seg)');
  const ps_seg_frames = pl.func('void ps_seg_frames(ps_seg_t *seg, _Out_ int *sf, _Out_ int *ef)');
  const ps_seg_prob = pl.func('int32_t ps_seg_prob(ps_seg_t *seg, _Out_ int32_t *ascr, _Out_ int32_t *lscr, _Out_ int32_t *lback)');

  err_set_logfp(null);
  const argDefs = ps_args() as NativePointer;

  return {
    parseConfig: (argv) => cmd_ln_parse_r(null, argDefs, argv.length, argv, 1) as NativePointer | null,
    freeConfig: (config) => void cmd_ln_free_r(config),
    init: (config) => callAsync<NativePointer | null>(ps_init, config),
    free: async (ps) => {
      await callAsync<number>(ps_free, ps);
      await returnFreedMemory();
    },
    startUtt: (ps) => ps_start_utt(ps) as number,
    processRaw: (ps, pcm) => callAsync<number>(ps_process_raw, ps, pcm, pcm.length, 0, 0),
    endUtt: (ps) => callAsync<number>(ps_end_utt, ps),
    hyp: (ps) => ps_get_hyp(ps, [0]) as string | null,
    hypAsync: (ps) => callAsync<string | null>(ps_get_hyp, ps, [0]),
    inSpeech: (ps) => (ps_get_in_speech(ps) as number) !== 0,
    segIter: (ps) => callAsync<NativePointer | null>(ps_seg_iter, ps),
    segNext: (seg) => ps_seg_next(seg) as NativePointer | null,
    segWord: (seg) => (ps_seg_word(seg) as string | null) ?? '',
    segFrames: (seg) => {
      const sf = [0];
      const ef = [0];
      ps_seg_frames(seg, sf, ef);
      return { startFrame: sf[0]!, endFrame: ef[0]! };
    },
    segProbability: (ps, seg) => {
      const logProb = ps_seg_prob(seg, [0], [0], [0]) as number;
      const p = logmath_exp(ps_get_logmath(ps), logProb) as number;
      return Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0;
    },
  };
}
