/**
 * The live-path API of the text emotion model. The model scores the 28 GoEmotions labels; their
 * probabilities are summed into the labels agents see (AGENT_GROUPS in goemotions.ts), and the label
 * is picked with per-label decision biases fitted for macro-F1 on held-out training data.
 * `predict` takes batches of any size and is async: run it off the event loop (worker thread).
 */
import { join } from 'node:path';
import { REPO_ROOT } from '../../../config.ts';
import type { TfRuntime } from '../../../inference/tf-runtime.ts';
import type { Biases } from '../../../inference/text/decision-biases.ts';
import { decide } from '../../../inference/text/decision-biases.ts';
import { currentModelDir, resolveModelDir } from '../../../inference/text/model-store.ts';
import { TextClassifier } from '../../../inference/text/text-classifier.ts';
import { EMOTION_LABELS, type EmotionLabel, type EmotionScores, type TextEmotion } from '../acoustic/emotion-labels.ts';
import { AGENT_GROUPS, groupScores } from './goemotions.ts';

/** Label sets a model has decision biases for: agent labels and the GoEmotions evaluation sets. */
export type EmotionLabelSet = 'agent' | 'original' | 'ekman' | 'group';

export interface EmotionModelMeta {
  kind: 'emotion';
  version: string;
  seed: number;
  trainedAt: string;
  decisionBiases: Partial<Record<EmotionLabelSet, Biases>>;
}

export interface TextEmotionPrediction extends TextEmotion {
  label: EmotionLabel;
  confidence: number;
  /** Probability of each agent label (sums to 1). */
  scores: EmotionScores;
}

export interface EmotionTextModel {
  version: string;
  dir: string;
  /** The model's own classes (GoEmotions labels). */
  fineLabels: string[];
  meta: EmotionModelMeta;
  predict(texts: string[]): Promise<TextEmotionPrediction[]>;
  /** Fine-label probabilities (for evaluation on other label sets). */
  predictFine(texts: string[]): Promise<Float32Array[]>;
  dispose(): void;
}

export function emotionModelsRoot(): string {
  return join(REPO_ROOT, 'models/trained/emotion');
}

/** The emotion model the live path uses: the version models/trained/emotion/current.json names, else the newest. */
export function defaultEmotionModelDir(): string {
  return currentModelDir(emotionModelsRoot());
}

export function toTextEmotion(probs: ArrayLike<number>, fineLabels: readonly string[], biases: Biases | undefined): TextEmotionPrediction {
  const grouped = groupScores(probs, fineLabels, AGENT_GROUPS);
  const total = EMOTION_LABELS.reduce((s, l) => s + (grouped[l] ?? 0), 0) || 1;
  const scores = Object.fromEntries(EMOTION_LABELS.map((l) => [l, (grouped[l] ?? 0) / total])) as EmotionScores;
  const label = decide(scores, biases) as EmotionLabel;
  return { label, confidence: scores[label], scores };
}

export function emotionModelFrom(classifier: TextClassifier<EmotionModelMeta>, dir: string): EmotionTextModel {
  const meta = classifier.meta;
  return {
    version: meta.version,
    dir,
    fineLabels: classifier.labels,
    meta,
    async predict(texts) {
      if (texts.length === 0) return [];
      return (await classifier.predictTexts(texts)).map((p) => toTextEmotion(p, classifier.labels, meta.decisionBiases.agent));
    },
    predictFine: (texts) => classifier.predictTexts(texts),
    dispose: () => classifier.dispose(),
  };
}

/** Loads a model directory, or the current model of a root such as emotionModelsRoot(). */
export async function loadEmotionTextModel(dir: string, runtime: TfRuntime): Promise<EmotionTextModel> {
  const modelDir = await resolveModelDir(dir);
  const classifier = await TextClassifier.load<EmotionModelMeta>(runtime.tf, modelDir);
  if (classifier.meta.kind !== 'emotion') throw Object.assign(new Error(`${modelDir} is a ${String(classifier.meta.kind)} model, not a text emotion model`), { code: 'EARPIECE_MODEL_KIND' });
  return emotionModelFrom(classifier, modelDir);
}
