/**
 * koffi binding of libvosk.so (0.3.39, shipped inside the `vosk` npm package, x86_64 glibc only):
 * only the calls the streaming decoder needs. Loaded once per process; LOG lines are silenced
 * with `vosk_set_log_level(-1)` (Kaldi ERROR lines still reach stderr).
 *
 * Everything that can take more than a moment (model load, recognizer creation, accept_waveform,
 * the result calls) has a promise form running on the libuv threadpool (koffi `.async`).
 * Never make two calls at once on one recognizer: callers serialize per recognizer.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import koffi, { type LibraryHandle } from 'koffi';
import { RecognitionError } from '../recognizer.ts';

/** An opaque native pointer (koffi external). */
export type VoskPointer = object & { readonly __vosk?: never };

export interface LibVosk {
  /** Path of the loaded libvosk.so. */
  readonly path: string;
  /** `vosk_model_new` on the threadpool. Resolves null when the model cannot be loaded. */
  modelNew(modelDir: string): Promise<VoskPointer | null>;
  modelFree(model: VoskPointer): void;
  /** `vosk_recognizer_new` on the threadpool. Resolves null on failure. */
  recognizerNew(model: VoskPointer, sampleRateHz: number): Promise<VoskPointer | null>;
  recognizerFree(recognizer: VoskPointer): void;
  setWords(recognizer: VoskPointer, on: boolean): void;
  setPartialWords(recognizer: VoskPointer, on: boolean): void;
  /**
   * `vosk_recognizer_accept_waveform` (16-bit little-endian mono bytes) on the threadpool:
   * true at an endpoint, false otherwise. A -1 from libvosk (e.g. a sample-rate mismatch)
   * rejects with EARPIECE_ASR_VOSK_DECODE.
   */
  acceptWaveform(recognizer: VoskPointer, bytes: Uint8Array): Promise<boolean>;
  /** The JSON strings of `vosk_recognizer_result` / `_partial_result` / `_final_result`, on the threadpool. */
  result(recognizer: VoskPointer): Promise<string>;
  partialResult(recognizer: VoskPointer): Promise<string>;
  finalResult(recognizer: VoskPointer): Promise<string>;
  reset(recognizer: VoskPointer): void;
}

const SETUP_HINT = 'run "npm run setup" (it installs the vosk package with --ignore-scripts)';

let loaded: LibVosk | undefined;

/** Loads libvosk once. Throws EARPIECE_ASR_VOSK_LIBRARY_MISSING when it is absent or unloadable. */
export function libvosk(): LibVosk {
  if (!loaded) loaded = bind(resolveLibvoskPath());
  return loaded;
}

/** Where the `vosk` npm package keeps libvosk.so. Throws EARPIECE_ASR_VOSK_LIBRARY_MISSING if absent. */
export function resolveLibvoskPath(): string {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new RecognitionError(
      'EARPIECE_ASR_VOSK_LIBRARY_MISSING',
      `libvosk is only shipped for linux-x86_64 (glibc); this is ${process.platform}-${process.arch}: use the pocketsphinx engine here`,
    );
  }
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('vosk/package.json'));
  } catch {
    throw new RecognitionError('EARPIECE_ASR_VOSK_LIBRARY_MISSING', `the vosk npm package is not installed: ${SETUP_HINT}`);
  }
  const path = join(packageDir, 'lib', 'linux-x86_64', 'libvosk.so');
  if (!existsSync(path)) {
    throw new RecognitionError('EARPIECE_ASR_VOSK_LIBRARY_MISSING', `libvosk.so is missing at ${path}: ${SETUP_HINT}`);
  }
  return path;
}

type Fn = ReturnType<LibraryHandle['func']>;

function callAsync<T>(fn: Fn, ...args: unknown[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    fn.async(...args, (err: unknown, result: T) => (err ? reject(err) : resolve(result)));
  });
}

function bind(path: string): LibVosk {
  let lib: LibraryHandle;
  try {
    lib = koffi.load(path);
  } catch (err) {
    throw new RecognitionError(
      'EARPIECE_ASR_VOSK_LIBRARY_MISSING',
      `libvosk.so at ${path} could not be loaded (${(err as Error).message}): ${SETUP_HINT}`,
    );
  }
  koffi.opaque('VoskModel');
  koffi.opaque('VoskRecognizer');

  const vosk_set_log_level = lib.func('void vosk_set_log_level(int log_level)');
  const vosk_model_new = lib.func('VoskModel *vosk_model_new(const char *model_path)');
  const vosk_model_free = lib.func('void vosk_model_free(VoskModel *model)');
  const vosk_recognizer_new = lib.func('VoskRecognizer *vosk_recognizer_new(VoskModel *model, float sample_rate)');
  const vosk_recognizer_free = lib.func('void vosk_recognizer_free(VoskRecognizer *recognizer)');
  const vosk_recognizer_set_words = lib.func('void vosk_recognizer_set_words(VoskRecognizer *recognizer, int words)');
  const vosk_recognizer_set_partial_words = lib.func(
    'void vosk_recognizer_set_partial_words(VoskRecognizer *recognizer, int partial_words)',
  );
  const vosk_recognizer_accept_waveform = lib.func(
    'int vosk_recognizer_accept_waveform(VoskRecognizer *recognizer, const uint8_t *data, int length)',
  );
  const vosk_recognizer_result = lib.func('const char *vosk_recognizer_result(VoskRecognizer *recognizer)');
  const vosk_recognizer_partial_result = lib.func('const char *vosk_recognizer_partial_result(VoskRecognizer *recognizer)');
  const vosk_recognizer_final_result = lib.func('const char *vosk_recognizer_final_result(VoskRecognizer *recognizer)');
  const vosk_recognizer_reset = lib.func('void vosk_recognizer_reset(VoskRecognizer *recognizer)');

  vosk_set_log_level(-1);

  const text = async (fn: Fn, recognizer: VoskPointer): Promise<string> => (await callAsync<string | null>(fn, recognizer)) ?? '';

  return {
    path,
    modelNew: (modelDir) => callAsync<VoskPointer | null>(vosk_model_new, modelDir),
    modelFree: (model) => void vosk_model_free(model),
    recognizerNew: (model, sampleRateHz) => callAsync<VoskPointer | null>(vosk_recognizer_new, model, sampleRateHz),
    recognizerFree: (recognizer) => void vosk_recognizer_free(recognizer),
    setWords: (recognizer, on) => void vosk_recognizer_set_words(recognizer, on ? 1 : 0),
    setPartialWords: (recognizer, on) => void vosk_recognizer_set_partial_words(recognizer, on ? 1 : 0),
    acceptWaveform: async (recognizer, bytes) => {
      const rc = await callAsync<number>(vosk_recognizer_accept_waveform, recognizer, bytes, bytes.byteLength);
      if (rc < 0) {
        throw new RecognitionError(
          'EARPIECE_ASR_VOSK_DECODE',
          `vosk_recognizer_accept_waveform failed (${rc}): usually the audio rate does not match the model ` +
            '(see the ERROR line libvosk printed to stderr); feed audio at the engine rate',
        );
      }
      return rc === 1;
    },
    result: (recognizer) => text(vosk_recognizer_result, recognizer),
    partialResult: (recognizer) => text(vosk_recognizer_partial_result, recognizer),
    finalResult: (recognizer) => text(vosk_recognizer_final_result, recognizer),
    reset: (recognizer) => void vosk_recognizer_reset(recognizer),
  };
}
