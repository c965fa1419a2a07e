/**
 * The node's NLU: intent and text-emotion models in one worker thread (off the event loop), with
 * requests from every live call micro-batched into single model calls. Implements the analyzers'
 * NluClient. Missing models turn the matching analysis off (logged once), never the call.
 */
import type { Logger } from 'pino';
import type { TextEmotion } from '../analyzers/emotion/acoustic/emotion-labels.ts';
import type { IntentStage } from '../analyzers/intent/intent-model.ts';
import type { NluClient } from '../analyzers/nlu-client.ts';
import type { IntentPrediction } from '../protocol/index.ts';
import { MicroBatcher } from './micro-batcher.ts';
import { ModelWorker } from './model-worker.ts';
import type { IntentRequest, NluWorkerInfo, NluWorkerInit } from './nlu-worker.ts';

export interface NluServiceOptions extends NluWorkerInit {
  batchWindowMs: number;
  maxBatch: number;
  logger: Logger;
}

export class NluService implements NluClient {
  private readonly worker: ModelWorker<NluWorkerInfo>;
  private readonly intents: MicroBatcher<IntentRequest, IntentPrediction>;
  private readonly emotions: MicroBatcher<string, TextEmotion>;
  private constructor(
    readonly info: NluWorkerInfo,
    worker: ModelWorker<NluWorkerInfo>,
    options: NluServiceOptions,
  ) {
    this.worker = worker;
    const batch = { windowMs: options.batchWindowMs, maxBatch: options.maxBatch };
    this.intents = new MicroBatcher({ ...batch, run: (requests) => worker.call<IntentPrediction[]>('intent', requests) });
    this.emotions = new MicroBatcher({ ...batch, run: (texts) => worker.call<TextEmotion[]>('emotion', texts) });
  }

  /** Starts the worker and loads the models; resolves once they answer. */
  static async start(options: NluServiceOptions): Promise<NluService> {
    const { batchWindowMs: _w, maxBatch: _m, logger, ...init } = options;
    const worker = new ModelWorker<NluWorkerInfo>({ module: new URL('./nlu-worker.ts', import.meta.url), init, logger });
    const info = await worker.start();
    logger.info(info, 'NLU models loaded in a worker thread');
    if (!info.intentModelVersion) logger.warn({ dir: init.intentModelDir }, 'no intent model: live intent is off (npm run setup trains the default)');
    if (!info.emotionModelVersion) logger.warn({ dir: init.emotionModelDir }, 'no emotion model: live emotion is off (npm run setup trains the default)');
    return new NluService(info, worker, options);
  }

  get intentModelVersion(): string | undefined {
    return this.info.intentModelVersion;
  }

  get emotionModelVersion(): string | undefined {
    return this.info.emotionModelVersion;
  }

  intent(text: string, stage: IntentStage = 'final'): Promise<IntentPrediction> {
    return this.intents.submit({ text, stage });
  }

  emotion(text: string): Promise<TextEmotion> {
    return this.emotions.submit(text);
  }

  /** Batch sizes run so far (for the health endpoint and benchmarks). */
  batchStats(): { intent: { batches: number; items: number }; emotion: { batches: number; items: number } } {
    return { intent: { ...this.intents.stats }, emotion: { ...this.emotions.stats } };
  }

  async close(): Promise<void> {
    this.intents.close();
    this.emotions.close();
    await this.worker.close();
  }
}
