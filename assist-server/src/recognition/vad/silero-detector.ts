/**
 * Silero VAD for the server's event loop: one worker thread per process (silero-worker.ts) scores
 * 32 ms windows for every stream; each {@link VoiceScorer} keeps its stream's model state here
 * and sends it with its windows, so the worker holds no per-stream state.
 *
 * The worker is started on first use and never keeps the process alive by itself: it is ref'd
 * only while a request is in flight. If it dies, pending requests fail and the next starts a new one.
 */
import { Worker } from 'node:worker_threads';
import { SILERO_STATE_SIZE, type ScoreRequest, type ScoreResult } from './silero-model.ts';
import { sileroWindow } from './vad-settings.ts';

/** A worker that failed is not restarted sooner than this (streams fail open meanwhile). */
const RESTART_BACKOFF_MS = 5000;

type Reply = { type: 'ready'; info: unknown } | { type: 'result'; id: number; result: unknown } | { type: 'error'; id?: number; message: string };

export class VadError extends Error {
  readonly code = 'EARPIECE_VAD';
}

class SileroWorkerClient {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private nextId = 1;
  /** After a failed start, requests fail at once until this time instead of starting a worker each. */
  private retryAt = 0;
  private lastFailure = '';
  private readonly pending = new Map<number, { resolve: (r: ScoreResult) => void; reject: (e: Error) => void }>();
  /** Windows scored and time the model took, since the process started (for benches and health). */
  readonly stats = { windows: 0, inferenceMs: 0, requests: 0 };

  start(): Promise<void> {
    if (this.ready) return this.ready;
    if (Date.now() < this.retryAt) return Promise.reject(new VadError(this.lastFailure));
    const worker = new Worker(new URL('../../inference/worker-boot.mjs', import.meta.url), {
      workerData: { module: new URL('./silero-worker.ts', import.meta.url).href, init: {} },
    });
    this.worker = worker;
    let loadError: string | undefined;
    const ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (msg: Reply) => {
        if (msg.type === 'ready') {
          resolve();
          this.unrefWhenIdle();
          return;
        }
        if (msg.type === 'error' && msg.id === undefined) {
          loadError = `Silero VAD could not start: ${msg.message}`;
          void worker.terminate(); // its exit handler records the failure and clears this worker
          return;
        }
        const p = msg.id === undefined ? undefined : this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id!);
        this.unrefWhenIdle();
        if (msg.type === 'result') p.resolve(msg.result as ScoreResult);
        else p.reject(new VadError(msg.message));
      });
      const died = (exit: string) => {
        const why = loadError ?? exit;
        this.lastFailure = why;
        this.retryAt = Date.now() + RESTART_BACKOFF_MS;
        reject(new VadError(why));
        for (const p of this.pending.values()) p.reject(new VadError(why));
        this.pending.clear();
        if (this.worker === worker) (this.worker = undefined), (this.ready = undefined);
      };
      worker.on('error', (err) => died(`Silero VAD worker failed: ${err.message}`));
      worker.on('exit', (code) => died(`Silero VAD worker exited (code ${code})`));
    });
    this.ready = ready;
    return ready;
  }

  async score(request: ScoreRequest): Promise<ScoreResult> {
    await this.start();
    const worker = this.worker;
    if (!worker) throw new VadError('Silero VAD worker is not running');
    const id = this.nextId++;
    worker.ref();
    const result = await new Promise<ScoreResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, method: 'score', payload: request });
    });
    this.stats.windows += result.probabilities.length;
    this.stats.inferenceMs += result.inferenceMs;
    this.stats.requests += 1;
    return result;
  }

  private unrefWhenIdle(): void {
    if (this.pending.size === 0) this.worker?.unref();
  }
}

let shared: SileroWorkerClient | undefined;

function client(): SileroWorkerClient {
  shared ??= new SileroWorkerClient();
  return shared;
}

/** Loads the model (once per process); rejects with a clear error when it cannot. */
export async function startSileroVad(): Promise<void> {
  await client().start();
}

/** Windows scored by this process's VAD and the model time they took (in the worker). */
export function sileroVadStats(): { windows: number; inferenceMs: number; requests: number } {
  return { ...client().stats };
}

/** One stream's scorer: windows in order, state carried between calls. Calls must not overlap. */
export class VoiceScorer {
  readonly windowSamples: number;
  private state: Float32Array = new Float32Array(SILERO_STATE_SIZE);
  private context: Float32Array;
  /** Windows scored 0 as digital silence, without the model. */
  skippedWindows = 0;
  /** The call in flight: scoring is in order, one call at a time. */
  private last: Promise<unknown> = Promise.resolve();

  constructor(readonly sampleRateHz: number) {
    const shape = sileroWindow(sampleRateHz);
    if (!shape) throw new VadError(`Silero VAD takes 8000 or 16000 Hz audio, not ${sampleRateHz} Hz`);
    this.windowSamples = shape.windowSamples;
    this.context = new Float32Array(shape.contextSamples);
  }

  /**
   * Speech probability of each whole window in `pcm` (length a multiple of windowSamples).
   * Digital silence (a muted leg, a bridge filling lost or suppressed packets with zeros) is
   * scored 0 without the model, and the model starts afresh after it, as at the start of a stream.
   */
  score(pcm: Int16Array): Promise<Float32Array> {
    // The model's state runs from window to window: calls made before the last one returned wait for it.
    const scored = this.last.then(() => this.scoreNow(pcm));
    this.last = scored.catch(() => undefined);
    return scored;
  }

  private async scoreNow(pcm: Int16Array): Promise<Float32Array> {
    if (isDigitalSilence(pcm)) {
      this.state.fill(0);
      this.context.fill(0);
      this.skippedWindows += pcm.length / this.windowSamples;
      return new Float32Array(pcm.length / this.windowSamples);
    }
    const samples = new Float32Array(pcm.length);
    for (let i = 0; i < pcm.length; i++) samples[i] = pcm[i]! / 32768;
    const result = await client().score({ sampleRateHz: this.sampleRateHz, samples, state: this.state, context: this.context });
    this.state = result.state;
    this.context = result.context;
    return result.probabilities;
  }
}

/** Peak at most this (about -84 dBFS): no signal at all, only zeros or dither. */
const DIGITAL_SILENCE_PEAK = 2;

function isDigitalSilence(pcm: Int16Array): boolean {
  for (let i = 0; i < pcm.length; i++) if (pcm[i]! > DIGITAL_SILENCE_PEAK || pcm[i]! < -DIGITAL_SILENCE_PEAK) return false;
  return true;
}
