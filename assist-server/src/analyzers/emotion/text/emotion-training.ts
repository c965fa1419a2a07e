/**
 * `emotion train`: GoEmotions (28 labels, multi-label rows) → normalized texts → stratified 10% held
 * out (fixed split seed) → TextClassifier (multi-label rows share the target) → decision biases for
 * each label set fitted on the held-out part → a versioned model directory (skipped when that version
 * exists already).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TfRuntime } from '../../../inference/tf-runtime.ts';
import { classificationReport, round } from '../../../inference/text/classification-metrics.ts';
import { decide, fitBiases, type Biases } from '../../../inference/text/decision-biases.ts';
import { isTrainedModelDir, publishModelDir, setCurrent, versionId } from '../../../inference/text/model-store.ts';
import { normalizeText, words } from '../../../inference/text/normalize-text.ts';
import { stratifiedSplit } from '../../../inference/text/stratified-split.ts';
import { trainTextClassifier, type TextTrainingConfig, type TrainingExample } from '../../../inference/text/text-trainer.ts';
import type { EmotionLabelSet, EmotionModelMeta } from './emotion-text-model.ts';
import { AGENT_GROUPS, EKMAN_GROUPS, EmotionDataError, GOEMOTIONS_LABELS, groupScores, readGoEmotionsTsv, SENTIMENT_GROUPS } from './goemotions.ts';

/** Bump when featurizing or training code changes what a given config produces. */
export const EMOTION_CODE_REVISION = 2;
const HELD_OUT_FRACTION = 0.1;
const SPLIT_SEED = 42;

const MEMBER = { wordNgrams: 2, charMin: 3, charMax: 5, minCount: 3, maxFeatures: 0 };

export const EMOTION_TRAINING: TextTrainingConfig = {
  members: [MEMBER, MEMBER], // two seeds, averaged
  embeddingDim: 64,
  hiddenUnits: 128,
  dropout: 0.3,
  epochs: 4,
  batchSize: 128,
  learningRate: 0.01,
  finalLearningRateFraction: 0.05,
  labelSmoothing: 0.1,
  wordDropout: 0.1,
  prefixAugmentation: 0,
  prefixMinFraction: 0.3,
  prefixMaxFraction: 0.9,
};

const LABEL_SETS: Record<EmotionLabelSet, Record<string, readonly string[]>> = {
  agent: AGENT_GROUPS,
  ekman: EKMAN_GROUPS,
  group: SENTIMENT_GROUPS,
  original: Object.fromEntries(GOEMOTIONS_LABELS.map((l) => [l, [l]])),
};

export interface EmotionMetrics {
  version: string;
  seed: number;
  backend: string;
  trainingSeconds: number;
  examples: { train: number; heldOut: number };
  /** Held-out scores per label set, with the fitted decision biases. */
  heldOut: Record<EmotionLabelSet, { accuracy: number; macroF1: number }>;
}

export interface TrainEmotionOptions {
  /** GoEmotions TSV with the original 28 labels (labels.txt beside it). */
  data: string;
  outRoot: string;
  seed: number;
  runtime: TfRuntime;
  log: (line: string) => void;
  config?: TextTrainingConfig;
  force?: boolean;
}

export async function trainEmotionModel(options: TrainEmotionOptions): Promise<{ dir: string; version: string; skipped: boolean; metrics?: EmotionMetrics }> {
  const config = options.config ?? EMOTION_TRAINING;
  const { rows, labels } = await readGoEmotionsTsv(options.data);
  if (labels.length !== GOEMOTIONS_LABELS.length || labels.some((l, i) => l !== GOEMOTIONS_LABELS[i])) {
    throw new EmotionDataError(`${options.data}: train on the original 28 GoEmotions labels (labels.txt: ${labels.slice(0, 4).join(', ')}, …); ekman and group are evaluation label sets`);
  }
  const examples = rows
    .map((r) => ({ words: words(normalizeText(r.text)), gold: r.labels.map((l) => labels.indexOf(l)), first: r.labels[0]! }))
    .filter((e) => e.words.length > 0);
  const version = versionId('goemotions', { data: examples.map((e) => [e.words.join(' '), e.gold]), config, seed: options.seed, code: EMOTION_CODE_REVISION, split: [HELD_OUT_FRACTION, SPLIT_SEED] });
  const dir = join(options.outRoot, version);
  if (!options.force && isTrainedModelDir(dir)) {
    options.log(`emotion model ${version} is already trained (${dir})`);
    return { dir, version, skipped: true };
  }
  const { train, heldOut } = stratifiedSplit(examples, (e) => e.first, HELD_OUT_FRACTION, SPLIT_SEED);
  options.log(`GoEmotions: ${examples.length} comments, ${labels.length} labels; training on ${train.length}, holding out ${heldOut.length} (backend ${options.runtime.backend})`);
  const started = Date.now();
  const meta: EmotionModelMeta = { kind: 'emotion', version, seed: options.seed, trainedAt: new Date().toISOString(), decisionBiases: {} };
  const classifier = await trainTextClassifier(options.runtime.tf, {
    examples: train as TrainingExample[],
    labels,
    config,
    seed: options.seed,
    heldOut: heldOut.slice(0, 2000),
    log: options.log,
    meta,
  });
  const trainingSeconds = (Date.now() - started) / 1000;

  const probs = await classifier.predictWords(heldOut.map((e) => e.words));
  const heldOutScores = {} as EmotionMetrics['heldOut'];
  for (const [set, groups] of Object.entries(LABEL_SETS) as [EmotionLabelSet, Record<string, readonly string[]>][]) {
    const setLabels = Object.keys(groups);
    const scores = probs.map((p) => groupScores(p, labels, groups));
    const gold = heldOut.map((e) => [...new Set(e.gold.map((g) => setLabels.find((l) => groups[l]!.includes(labels[g]!))!))]);
    const { biases } = fitBiases(scores, gold, setLabels, set === 'original' ? { rounds: 2 } : {});
    meta.decisionBiases[set] = biases;
    const report = classificationReport(scores.map((s) => decide(s, biases as Biases)), gold, setLabels);
    heldOutScores[set] = { accuracy: round(report.accuracy), macroF1: round(report.macroF1) };
  }
  classifier.meta = meta;
  const metrics: EmotionMetrics = {
    version,
    seed: options.seed,
    backend: options.runtime.backend,
    trainingSeconds: round(trainingSeconds, 1),
    examples: { train: train.length, heldOut: heldOut.length },
    heldOut: heldOutScores,
  };
  const finalDir = await publishModelDir(options.outRoot, version, async (tmp) => {
    await classifier.save(tmp, options.runtime.tf);
    await writeFile(join(tmp, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
  });
  classifier.dispose();
  await setCurrent(options.outRoot, version);
  options.log(`held out macro-F1: agent ${heldOutScores.agent.macroF1}, ekman ${heldOutScores.ekman.macroF1}, group ${heldOutScores.group.macroF1}, original ${heldOutScores.original.macroF1}; trained in ${metrics.trainingSeconds} s`);
  return { dir: finalDir, version, skipped: false, metrics };
}
