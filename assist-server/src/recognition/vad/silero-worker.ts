/** Worker thread that owns the Silero VAD session (see silero-detector.ts for the caller's side). */
import { serveModelWorker } from '../../inference/model-worker-host.ts';
import { SileroModel, type ScoreRequest } from './silero-model.ts';

await serveModelWorker(async (init: { modelPath?: string }) => {
  const model = await SileroModel.load(init.modelPath);
  return {
    info: { model: 'silero-vad v5' },
    handlers: { score: (request: ScoreRequest) => model.score(request) },
  };
});
