/**
 * The live-path API of intent models: load a trained model directory and classify texts in batches
 * of any size. `predict` is async (TF.js reads results back asynchronously); for calls, run it in a
 * worker thread and micro-batch utterances.
 */
import { join } from 'node:path';
import { REPO_ROOT } from '../../config.ts';
import type { TfRuntime } from '../../inference/tf-runtime.ts';
import { currentModelDir, resolveModelDir } from '../../inference/text/model-store.ts';
import type { IntentPrediction } from '../../protocol/index.ts';
import { TextClassifier } from '../../inference/text/text-classifier.ts';
import { OOS_LABEL } from './intent-pack.ts';

/**
 * One utterance's intent (the protocol's type): `label` is the intent, or `oos` when the top class is
 * `oos` or its confidence is below the model's out-of-scope threshold (`outOfScope`); `top` is the
 * raw three-best ranking; `lowConfidence` marks a confidence below the low-confidence threshold.
 */
export type { IntentPrediction };

export interface IntentModelMeta {
  kind: 'intent';
  version: string;
  pack: string;
  /** Top-class probability below which an utterance counts as out of scope. */
  oosThreshold: number;
  /** Top-class probability below which a prediction is marked lowConfidence. */
  lowConfidenceThreshold: number;
  /**
   * The same for early predictions (partial transcripts): fitted so that early predictions above it
   * agree with the whole utterance's label often enough to show the agent. Absent in older models
   * (lowConfidenceThreshold applies).
   */
  earlyThreshold?: number;
  seed: number;
  trainedAt: string;
}

/** `early`: a partial transcript (judged against the early threshold); `final`: a whole utterance. */
export type IntentStage = 'early' | 'final';

export interface IntentModel {
  version: string;
  /** Class labels (intents, and `oos` when the pack has out-of-scope examples). */
  labels: string[];
  dir: string;
  /** One prediction per text; `stages` (default all `final`) picks the low-confidence threshold per text. */
  predict(texts: string[], stages?: IntentStage[]): Promise<IntentPrediction[]>;
  dispose(): void;
}

/** Where `npm run setup` and `intent train` (default --out) keep intent models: one folder per version. */
export function intentModelsRoot(): string {
  return join(REPO_ROOT, 'models/trained/intent');
}

/** The intent model the live path uses: the version models/trained/intent/current.json names (the last trained), else the newest. */
export function defaultIntentModelDir(): string {
  return currentModelDir(intentModelsRoot());
}

export function toIntentPrediction(
  probs: ArrayLike<number>,
  labels: string[],
  meta: Pick<IntentModelMeta, 'oosThreshold' | 'lowConfidenceThreshold' | 'earlyThreshold'>,
  stage: IntentStage = 'final',
): IntentPrediction {
  const ranked = labels.map((label, i) => ({ label, confidence: probs[i]! })).sort((a, b) => b.confidence - a.confidence);
  const best = ranked[0]!;
  const outOfScope = best.label === OOS_LABEL || best.confidence < meta.oosThreshold;
  return {
    label: outOfScope ? OOS_LABEL : best.label,
    confidence: best.confidence,
    top: ranked.slice(0, 3),
    outOfScope,
    lowConfidence: best.confidence < (stage === 'early' ? (meta.earlyThreshold ?? meta.lowConfidenceThreshold) : meta.lowConfidenceThreshold),
  };
}

export function intentModelFrom(classifier: TextClassifier<IntentModelMeta>, dir: string): IntentModel {
  const meta = classifier.meta;
  return {
    version: meta.version,
    labels: classifier.labels,
    dir,
    async predict(texts, stages) {
      if (texts.length === 0) return [];
      const probs = await classifier.predictTexts(texts);
      return probs.map((p, i) => toIntentPrediction(p, classifier.labels, meta, stages?.[i]));
    },
    dispose: () => classifier.dispose(),
  };
}

/** Loads a model directory, or the current model of a root such as defaultIntentModelDir(). */
export async function loadIntentModel(dir: string, runtime: TfRuntime): Promise<IntentModel> {
  const modelDir = await resolveModelDir(dir);
  const classifier = await TextClassifier.load<IntentModelMeta>(runtime.tf, modelDir);
  if (classifier.meta.kind !== 'intent') throw Object.assign(new Error(`${modelDir} is a ${String(classifier.meta.kind)} model, not an intent model`), { code: 'EARPIECE_MODEL_KIND' });
  return intentModelFrom(classifier, modelDir);
}
