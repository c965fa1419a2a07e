/**
 * What the live analyzers ask of the NLU models. The real client (inference/nlu-service.ts) runs the
 * TF.js models in a worker thread and micro-batches requests from every live call; `modelVersion`
 * travels with each intent so reviewers know which model spoke.
 */
import type { IntentPrediction } from '../protocol/index.ts';
import type { TextEmotion } from './emotion/acoustic/emotion-labels.ts';
import type { IntentStage } from './intent/intent-model.ts';

export interface NluClient {
  /** Undefined when no intent model is installed (intent analysis is then off). */
  readonly intentModelVersion: string | undefined;
  readonly emotionModelVersion: string | undefined;
  /** `early` (a partial): lowConfidence then means "too unsure to show the agent yet". */
  intent(text: string, stage?: IntentStage): Promise<IntentPrediction>;
  emotion(text: string): Promise<TextEmotion>;
}
