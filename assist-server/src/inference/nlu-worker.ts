/**
 * Worker thread of NluService: loads TensorFlow.js (fastest installed backend) and the intent and
 * text-emotion models, then answers batched `intent` / `emotion` calls. Runs off the event loop.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { loadIntentModel, type IntentStage } from '../analyzers/intent/intent-model.ts';
import { serveModelWorker } from './model-worker-host.ts';
import { loadTf, type TfBackendName } from './tf-runtime.ts';

export interface NluWorkerInit {
  intentModelDir: string;
  emotionModelDir: string;
  /** Backends to try, fastest first (default: all installed). */
  backends?: TfBackendName[];
}

export interface IntentRequest {
  text: string;
  stage: IntentStage;
}

export interface NluWorkerInfo {
  backend: TfBackendName;
  intentModelVersion: string | undefined;
  emotionModelVersion: string | undefined;
}

const isModelDir = (dir: string) => existsSync(join(dir, 'model.json')) || existsSync(join(dir, 'current.json'));

await serveModelWorker<NluWorkerInit>(async (init) => {
  const runtime = await loadTf(pino({ level: 'warn' }), init.backends ? { candidates: init.backends } : {});
  const intent = isModelDir(init.intentModelDir) ? await loadIntentModel(init.intentModelDir, runtime) : undefined;
  // loaded only when present, so a node without the emotion model still serves intents
  const emotion = isModelDir(init.emotionModelDir) ? await (await import('../analyzers/emotion/text/emotion-text-model.ts')).loadEmotionTextModel(init.emotionModelDir, runtime) : undefined;
  const info: NluWorkerInfo = { backend: runtime.backend, intentModelVersion: intent?.version, emotionModelVersion: emotion?.version };
  return {
    info,
    handlers: {
      intent: (requests: IntentRequest[]) => {
        if (!intent) throw new Error('no intent model is loaded');
        return intent.predict(
          requests.map((r) => r.text),
          requests.map((r) => r.stage),
        );
      },
      emotion: (texts: string[]) => {
        if (!emotion) throw new Error('no emotion model is loaded');
        return emotion.predict(texts);
      },
    },
  };
});
