/**
 * TensorFlow.js for Earpiece's text models: picks the fastest backend that is installed.
 *
 * Order: @tensorflow/tfjs-node-gpu, @tensorflow/tfjs-node (both optionalDependencies: their install
 * downloads libtensorflow and is dropped where that fails), then @tensorflow/tfjs with the wasm
 * backend, then the plain JS cpu backend. Each is tried with a dynamic import and skipped if missing.
 * wasm and cpu get JS embedding kernels (embedding-kernels.ts) so embeddings train fast.
 * One runtime per process: tf keeps its backend in global state.
 */
import type * as TfModule from '@tensorflow/tfjs';
import type { Logger } from 'pino';
import { registerEmbeddingKernels } from './embedding-kernels.ts';

export type Tf = typeof TfModule;
export type TfBackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

export interface TfRuntime {
  tf: Tf;
  backend: TfBackendName;
}

export interface LoadTfOptions {
  /** Backends to try, in order (default: all four, fastest first). */
  candidates?: TfBackendName[];
}

export const BACKEND_ORDER: TfBackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

type LogLike = Pick<Logger, 'info' | 'debug'>;

let loaded: Promise<TfRuntime> | undefined;

/** Loads tf once per process and returns the chosen backend; later calls get the same runtime. */
export function loadTf(logger: LogLike, options: LoadTfOptions = {}): Promise<TfRuntime> {
  const candidates = options.candidates ?? BACKEND_ORDER;
  if (loaded) {
    return loaded.then((rt) => {
      if (!candidates.includes(rt.backend)) throw new Error(`TensorFlow.js already runs on ${rt.backend} in this process (asked for ${candidates.join(', ')})`);
      return rt;
    });
  }
  const attempt = pick(logger, candidates);
  loaded = attempt;
  attempt.catch(() => {
    if (loaded === attempt) loaded = undefined;
  });
  return attempt;
}

async function pick(logger: LogLike, candidates: TfBackendName[]): Promise<TfRuntime> {
  const skipped: string[] = [];
  for (const backend of candidates) {
    try {
      const tf = await tryBackend(backend);
      logger.info({ backend, skipped }, `TensorFlow.js backend: ${backend}`);
      return { tf, backend };
    } catch (err) {
      skipped.push(`${backend}: ${(err as Error).message.split('\n')[0]}`);
      logger.debug({ backend, err: (err as Error).message }, 'TensorFlow.js backend unavailable');
    }
  }
  throw new Error(`no TensorFlow.js backend could be loaded (${skipped.join('; ')})`);
}

async function importTf(specifier: string): Promise<Tf> {
  const mod = (await import(specifier)) as Tf & { default?: Tf };
  const tf = mod.default && typeof mod.default.setBackend === 'function' ? mod.default : mod;
  // Prod mode skips debug checks and silences the "install tfjs-node to speed things up" banner.
  tf.enableProdMode();
  return tf;
}

async function tryBackend(backend: TfBackendName): Promise<Tf> {
  // Specifiers in variables: the optional packages have no type declarations when not installed.
  const nodeGpu = '@tensorflow/tfjs-node-gpu';
  const node = '@tensorflow/tfjs-node';
  switch (backend) {
    case 'tensorflow-gpu':
    case 'tensorflow': {
      const tf = await importTf(backend === 'tensorflow-gpu' ? nodeGpu : node);
      if (!(await tf.setBackend('tensorflow'))) throw new Error('backend "tensorflow" did not initialise');
      return tf;
    }
    case 'wasm': {
      const tf = await importTf('@tensorflow/tfjs');
      await import('@tensorflow/tfjs-backend-wasm'); // registers the 'wasm' backend; finds its .wasm files itself in Node
      if (!(await tf.setBackend('wasm'))) throw new Error('backend "wasm" did not initialise');
      registerEmbeddingKernels(tf, 'wasm');
      return tf;
    }
    case 'cpu': {
      const tf = await importTf('@tensorflow/tfjs');
      if (!(await tf.setBackend('cpu'))) throw new Error('backend "cpu" did not initialise');
      registerEmbeddingKernels(tf, 'cpu');
      return tf;
    }
  }
}
