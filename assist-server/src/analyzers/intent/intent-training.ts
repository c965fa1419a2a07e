/**
 * `intent train`: pack → normalized utterances → stratified 10% held out (fixed split seed) →
 * TextClassifier trained on the rest → thresholds and metrics from the held-out part → a versioned
 * model directory (skipped when that version exists already).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TfRuntime } from '../../inference/tf-runtime.ts';
import { classificationReport, round } from '../../inference/text/classification-metrics.ts';
import { isTrainedModelDir, publishModelDir, setCurrent, versionId } from '../../inference/text/model-store.ts';
import { normalizeText, words } from '../../inference/text/normalize-text.ts';
import { stratifiedSplit } from '../../inference/text/stratified-split.ts';
import { firstHalf } from '../../inference/text/text-augment.ts';
import { argmax, trainTextClassifier, type TextTrainingConfig, type TrainingExample } from '../../inference/text/text-trainer.ts';
import { toIntentPrediction, type IntentModelMeta } from './intent-model.ts';
import { loadPack, OOS_LABEL, type AssetResolver } from './intent-pack.ts';
import { crossFittedEarly, fitEarlyThreshold, fitOosThreshold } from './intent-thresholds.ts';

/** Bump when featurizing or training code changes what a given config produces. */
export const INTENT_CODE_REVISION = 3;
export const HELD_OUT_FRACTION = 0.1;
export const SPLIT_SEED = 42;

export interface IntentTrainingSettings {
  model: TextTrainingConfig;
  /** Share of held-out in-scope utterances allowed below the out-of-scope threshold. */
  oosRejectRate: number;
  /** Share of held-out in-scope utterances marked lowConfidence. */
  lowConfidenceRate: number;
  /** Early guesses (first half of the words) shown to the agent must agree with the whole utterance this often. */
  earlyAgreementTarget: number;
}

const MEMBER = { wordNgrams: 2, charMin: 3, charMax: 5, minCount: 2, maxFeatures: 0, skipGap: 2 };

export const INTENT_TRAINING: IntentTrainingSettings = {
  model: {
    members: [MEMBER, MEMBER], // two seeds, averaged
    embeddingDim: 64,
    hiddenUnits: 0,
    dropout: 0.2,
    epochs: 8,
    batchSize: 64,
    learningRate: 0.01,
    finalLearningRateFraction: 0.05,
    labelSmoothing: 0.1,
    wordDropout: 0.2,
    prefixAugmentation: 0.5,
    prefixMinFraction: 0.3,
    prefixMaxFraction: 0.9,
  },
  oosRejectRate: 0.02,
  lowConfidenceRate: 0.1,
  earlyAgreementTarget: 0.9,
};

export interface IntentMetrics {
  version: string;
  pack: string;
  seed: number;
  backend: string;
  trainingSeconds: number;
  examples: { train: number; heldOut: number; labels: number };
  heldOut: {
    /** In-scope held-out utterances given their intent (not out of scope, right label). */
    accuracy: number;
    /** The same, ignoring the out-of-scope threshold (top class only). */
    accuracyTop1: number;
    macroF1: number;
    /** Held-out `oos` utterances recognized as out of scope (null: the pack has none). */
    oosRecall: number | null;
    /** In-scope held-out utterances whose first half of words gets the same label as the whole (every guess). */
    earlyAgreement: number;
    /** First half of words alone given the right intent. */
    earlyAccuracy: number;
    /**
     * The early guesses the agent is shown (at or above the early threshold, in scope): their share
     * of in-scope utterances and their agreement with the whole utterance, cross-fitted (threshold
     * fitted on one half of the held-out utterances, scored on the other).
     */
    earlyShownShare: number;
    earlyShownAgreement: number;
  };
  thresholds: { oos: number; lowConfidence: number; early: number };
}

export interface TrainIntentOptions {
  data: string;
  outRoot: string;
  seed: number;
  runtime: TfRuntime;
  resolveAsset: AssetResolver;
  log: (line: string) => void;
  settings?: IntentTrainingSettings;
  /** Train again even if this version exists. */
  force?: boolean;
}

export interface TrainIntentResult {
  dir: string;
  version: string;
  skipped: boolean;
  metrics?: IntentMetrics;
}

interface Example extends TrainingExample {
  label: string;
}

export async function trainIntentModel(options: TrainIntentOptions): Promise<TrainIntentResult> {
  const settings = options.settings ?? INTENT_TRAINING;
  const pack = await loadPack(options.data, options.resolveAsset, 'train');
  const utterances = pack.train.map((u) => ({ words: words(normalizeText(u.text)), label: u.label })).filter((u) => u.words.length > 0);
  const labels = [...new Set(utterances.map((u) => u.label))].sort();
  const version = versionId(pack.name, { data: utterances.map((u) => [u.words.join(' '), u.label]), settings, oosRejectRate: pack.oosRejectRate, seed: options.seed, code: INTENT_CODE_REVISION, split: [HELD_OUT_FRACTION, SPLIT_SEED] });
  const dir = join(options.outRoot, version);
  if (!options.force && isTrainedModelDir(dir)) {
    options.log(`intent model ${version} is already trained (${dir})`);
    return { dir, version, skipped: true };
  }

  const examples: Example[] = utterances.map((u) => ({ words: u.words, gold: [labels.indexOf(u.label)], label: u.label }));
  const { train, heldOut } = stratifiedSplit(examples, (e) => e.label, HELD_OUT_FRACTION, SPLIT_SEED);
  options.log(`pack ${pack.name}: ${examples.length} utterances, ${labels.length} labels; training on ${train.length}, holding out ${heldOut.length} (backend ${options.runtime.backend})`);
  const started = Date.now();
  const meta: IntentModelMeta = { kind: 'intent', version, pack: pack.name, oosThreshold: 0, lowConfidenceThreshold: 0, earlyThreshold: 1, seed: options.seed, trainedAt: new Date().toISOString() };
  const classifier = await trainTextClassifier(options.runtime.tf, { examples: train, labels, config: settings.model, seed: options.seed, heldOut, log: options.log, meta });
  const trainingSeconds = (Date.now() - started) / 1000;

  // Thresholds from the held-out in-scope utterances the model keeps in scope.
  const probs = await classifier.predictWords(heldOut.map((e) => e.words));
  const inScopeConfidences = probs.filter((p, i) => heldOut[i]!.label !== OOS_LABEL && labels[argmax(p)] !== OOS_LABEL).map((p) => Math.max(...p));
  const oosRejectRate = pack.oosRejectRate ?? settings.oosRejectRate;
  meta.oosThreshold = round(fitOosThreshold(inScopeConfidences, oosRejectRate), 6);
  meta.lowConfidenceThreshold = round(Math.max(meta.oosThreshold, fitOosThreshold(inScopeConfidences, settings.lowConfidenceRate)), 6);

  const predictions = probs.map((p) => toIntentPrediction(p, labels, meta));
  const inScope = heldOut.map((_, i) => i).filter((i) => heldOut[i]!.label !== OOS_LABEL);
  const oos = heldOut.map((_, i) => i).filter((i) => heldOut[i]!.label === OOS_LABEL);
  // Early threshold from the first halves of the in-scope utterances (what a partial carries).
  const early = (await classifier.predictWords(heldOut.map((e) => firstHalf(e.words)))).map((p) => toIntentPrediction(p, labels, meta, 'early'));
  const guesses = inScope.map((i) => ({ confidence: early[i]!.outOfScope ? -Infinity : early[i]!.confidence, agrees: early[i]!.label === predictions[i]!.label }));
  meta.earlyThreshold = round(fitEarlyThreshold(guesses, settings.earlyAgreementTarget), 6);
  const earlyShown = crossFittedEarly(guesses, settings.earlyAgreementTarget);
  classifier.meta = meta;
  const share = (idx: number[], ok: (i: number) => boolean) => (idx.length ? round(idx.filter(ok).length / idx.length) : 0);
  const metrics: IntentMetrics = {
    version,
    pack: pack.name,
    seed: options.seed,
    backend: options.runtime.backend,
    trainingSeconds: round(trainingSeconds, 1),
    examples: { train: train.length, heldOut: heldOut.length, labels: labels.length },
    heldOut: {
      accuracy: share(inScope, (i) => predictions[i]!.label === heldOut[i]!.label),
      accuracyTop1: share(inScope, (i) => predictions[i]!.top[0]!.label === heldOut[i]!.label),
      macroF1: round(classificationReport(predictions.map((p) => p.label), heldOut.map((e) => [e.label])).macroF1),
      oosRecall: oos.length ? share(oos, (i) => predictions[i]!.outOfScope) : null,
      earlyAgreement: share(inScope, (i) => early[i]!.label === predictions[i]!.label),
      earlyAccuracy: share(inScope, (i) => early[i]!.label === heldOut[i]!.label),
      earlyShownShare: round(earlyShown.shownShare),
      earlyShownAgreement: round(earlyShown.shownAgreement),
    },
    thresholds: { oos: meta.oosThreshold, lowConfidence: meta.lowConfidenceThreshold, early: meta.earlyThreshold },
  };

  const finalDir = await publishModelDir(options.outRoot, version, async (tmp) => {
    await classifier.save(tmp, options.runtime.tf);
    await writeFile(join(tmp, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
  });
  classifier.dispose();
  await setCurrent(options.outRoot, version);
  options.log(
    `held out: accuracy ${pct(metrics.heldOut.accuracy)} (top-1 ${pct(metrics.heldOut.accuracyTop1)}), macro-F1 ${metrics.heldOut.macroF1}` +
      (metrics.heldOut.oosRecall === null ? '' : `, oos recall ${pct(metrics.heldOut.oosRecall)}`) +
      `, early guesses shown for ${pct(metrics.heldOut.earlyShownShare)} of utterances agree ${pct(metrics.heldOut.earlyShownAgreement)} (all guesses: ${pct(metrics.heldOut.earlyAgreement)}); trained in ${metrics.trainingSeconds} s`,
  );
  return { dir: finalDir, version, skipped: false, metrics };
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
