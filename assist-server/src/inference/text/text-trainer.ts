/**
 * Trains a TextClassifier from normalized examples: one BagClassifier per featurizer setting
 * (an ensemble when there are several), each epoch with freshly drawn recognizer-like noise
 * (dropped words) and, optionally, cut-off copies of utterances so that early, partial text is
 * classified like the whole. Deterministic for the same examples, config and seed.
 */
import type { Tf } from '../tf-runtime.ts';
import { BagClassifier } from './bag-classifier.ts';
import { NgramFeaturizer, type FeaturizerConfig } from './ngram-featurizer.ts';
import { seededRandom } from './seeded-random.ts';
import { TextClassifier } from './text-classifier.ts';
import { dropWords, wordPrefix } from './text-augment.ts';

export interface TextTrainingConfig {
  /** One featurizer setting per ensemble member. */
  members: FeaturizerConfig[];
  embeddingDim: number;
  hiddenUnits: number;
  dropout: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  finalLearningRateFraction: number;
  labelSmoothing: number;
  /** Probability of dropping each word of a training utterance, drawn again each epoch. */
  wordDropout: number;
  /** Share of training utterances that also appear cut off each epoch (0 = none). */
  prefixAugmentation: number;
  prefixMinFraction: number;
  prefixMaxFraction: number;
}

export interface TrainingExample {
  words: string[];
  /** Gold class indices (several for multi-label rows). */
  gold: number[];
}

export interface TrainTextOptions<Meta extends object> {
  examples: TrainingExample[];
  labels: string[];
  config: TextTrainingConfig;
  seed: number;
  /** Scored after each epoch, for the progress lines only. */
  heldOut?: TrainingExample[];
  log?: (line: string) => void;
  meta: Meta;
}

export async function trainTextClassifier<Meta extends object>(tf: Tf, options: TrainTextOptions<Meta>): Promise<TextClassifier<Meta>> {
  const { examples, labels, config, seed } = options;
  const log = options.log ?? (() => {});
  const members = [];
  const started = Date.now();
  for (const [m, featurizerConfig] of config.members.entries()) {
    const memberSeed = seed * 1000 + m;
    const featurizer = NgramFeaturizer.fit(
      examples.map((e) => e.words.join(' ')),
      featurizerConfig,
    );
    const model = BagClassifier.create(tf, {
      vocabSize: featurizer.size,
      numClasses: labels.length,
      embeddingDim: config.embeddingDim,
      hiddenUnits: config.hiddenUnits,
      dropout: config.dropout,
      seed: memberSeed,
    });
    const random = seededRandom(memberSeed + 7);
    const heldOutIds = options.heldOut?.map((e) => featurizer.featurize(e.words));
    const prefix = `member ${m + 1}/${config.members.length} (${featurizer.size - 1} features)`;
    await model.train({
      epochs: config.epochs,
      batchSize: config.batchSize,
      learningRate: config.learningRate,
      finalLearningRateFraction: config.finalLearningRateFraction,
      labelSmoothing: config.labelSmoothing,
      optimizer: 'adam',
      seed: memberSeed,
      examplesForEpoch: () => {
        const out = examples.map((e) => ({ ids: featurizer.featurize(dropWords(e.words, config.wordDropout, random)), gold: e.gold }));
        if (config.prefixAugmentation > 0) {
          for (const e of examples) {
            if (e.words.length > 1 && random() < config.prefixAugmentation) {
              out.push({ ids: featurizer.featurize(wordPrefix(e.words, config.prefixMinFraction, config.prefixMaxFraction, random)), gold: e.gold });
            }
          }
        }
        return out;
      },
      onEpoch: async (epoch, loss) => {
        let line = `${prefix} epoch ${epoch}/${config.epochs} loss ${loss.toFixed(4)}`;
        if (heldOutIds && heldOutIds.length) {
          const probs = await model.predictProba(heldOutIds);
          const correct = probs.filter((p, i) => options.heldOut![i]!.gold.includes(argmax(p))).length;
          line += ` val accuracy ${((100 * correct) / heldOutIds.length).toFixed(2)}%`;
        }
        log(`${line} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
      },
    });
    members.push({ featurizer, model });
  }
  return new TextClassifier(labels, members, options.meta);
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
