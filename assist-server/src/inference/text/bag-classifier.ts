/**
 * The text classifier behind intents and emotions: an averaged bag of feature embeddings (fastText
 * style) → optional ReLU hidden layer → dropout → softmax. Built from tf ops (not tf.layers) so that
 * dropout gets a fresh seeded mask each step and training is reproducible: same data, config and
 * seed give the same weights. TextClassifier saves the weights as TF.js artifacts.
 */
import type * as TfModule from '@tensorflow/tfjs';
import type { Tf } from '../tf-runtime.ts';
import { seededRandom, shuffle } from './seeded-random.ts';

export interface BagClassifierConfig {
  /** Embedding rows, padding row 0 included. */
  vocabSize: number;
  numClasses: number;
  embeddingDim: number;
  /** 0: softmax straight on the averaged embedding. */
  hiddenUnits: number;
  dropout: number;
  seed: number;
}

export interface TrainExample {
  ids: Int32Array;
  /** Gold class indices: one, or several for multi-label rows (the target mass is split). */
  gold: number[];
}

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Final learning rate as a fraction of the first (linear decay per step). */
  finalLearningRateFraction: number;
  labelSmoothing: number;
  optimizer: 'adam' | 'sgd' | 'adagrad';
  seed: number;
  /** Training examples of one epoch (lets the caller re-draw augmentations each epoch). */
  examplesForEpoch(epoch: number): TrainExample[];
  onEpoch?(epoch: number, meanLoss: number): void | Promise<void>;
}

const WEIGHT_NAMES = ['embedding', 'hidden/kernel', 'hidden/bias', 'output/kernel', 'output/bias'] as const;
type WeightName = (typeof WEIGHT_NAMES)[number];
let instances = 0;

export class BagClassifier {
  private readonly vars = new Map<WeightName, TfModule.Variable>();

  private step = 0;

  private constructor(
    private readonly tf: Tf,
    readonly config: BagClassifierConfig,
    weights: Partial<Record<WeightName, TfModule.Tensor>>,
  ) {
    const id = ++instances; // tf variable names are global: keep them unique per instance
    for (const name of WEIGHT_NAMES) {
      const w = weights[name];
      if (w) this.vars.set(name, tf.variable(w, true, `bag${id}/${name}`));
    }
  }

  /** A fresh model with seeded initial weights. */
  static create(tf: Tf, config: BagClassifierConfig): BagClassifier {
    const { vocabSize, embeddingDim: d, hiddenUnits: h, numClasses: c, seed } = config;
    const glorot = (fanIn: number, fanOut: number, s: number) => {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      return tf.randomUniform([fanIn, fanOut], -limit, limit, 'float32', s);
    };
    const weights: Partial<Record<WeightName, TfModule.Tensor>> = {
      embedding: tf.randomUniform([vocabSize, d], -1 / d, 1 / d, 'float32', seed),
      'output/kernel': glorot(h > 0 ? h : d, c, seed + 2),
      'output/bias': tf.zeros([c]),
    };
    if (h > 0) {
      weights['hidden/kernel'] = glorot(d, h, seed + 1);
      weights['hidden/bias'] = tf.zeros([h]);
    }
    const model = new BagClassifier(tf, config, weights);
    for (const w of Object.values(weights)) w.dispose();
    return model;
  }

  private v(name: WeightName): TfModule.Variable {
    return this.vars.get(name)!;
  }

  /** Logits for a padded batch: ids [B, L] int32, weights [B, L] (1/length per real feature, 0 for padding). */
  private logits(ids: TfModule.Tensor2D, weights: TfModule.Tensor2D, training: boolean): TfModule.Tensor2D {
    const tf = this.tf;
    const emb = tf.gather(this.v('embedding'), ids) as TfModule.Tensor3D;
    let x = tf.sum(tf.mul(emb, tf.expandDims(weights, 2)), 1) as TfModule.Tensor2D;
    if (this.config.hiddenUnits > 0) x = tf.relu(tf.add(tf.matMul(x, this.v('hidden/kernel')), this.v('hidden/bias'))) as TfModule.Tensor2D;
    if (training && this.config.dropout > 0) x = tf.dropout(x, this.config.dropout, undefined, this.config.seed * 1_000_003 + this.step) as TfModule.Tensor2D;
    return tf.add(tf.matMul(x, this.v('output/kernel')), this.v('output/bias'));
  }

  private batchTensors(batch: Int32Array[]): { ids: TfModule.Tensor2D; weights: TfModule.Tensor2D } {
    const len = Math.max(1, ...batch.map((b) => b.length));
    const ids = new Int32Array(batch.length * len);
    const weights = new Float32Array(batch.length * len);
    batch.forEach((b, i) => {
      ids.set(b, i * len);
      weights.fill(1 / Math.max(1, b.length), i * len, i * len + b.length);
    });
    return { ids: this.tf.tensor2d(ids, [batch.length, len], 'int32'), weights: this.tf.tensor2d(weights, [batch.length, len], 'float32') };
  }

  async train(options: TrainOptions): Promise<void> {
    const tf = this.tf;
    const c = this.config.numClasses;
    const optimizer =
      options.optimizer === 'sgd' ? tf.train.sgd(options.learningRate) : options.optimizer === 'adagrad' ? tf.train.adagrad(options.learningRate) : tf.train.adam(options.learningRate);
    const random = seededRandom(options.seed);
    const varList = [...this.vars.values()];
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const batches = lengthBucketedBatches(shuffle([...options.examplesForEpoch(epoch)], random), options.batchSize, random);
      const totalSteps = batches.length * options.epochs;
      let lossSum = 0;
      for (const batch of batches) {
        const progress = Math.min(1, this.step / totalSteps);
        (optimizer as unknown as { learningRate: number }).learningRate = options.learningRate * (1 - (1 - options.finalLearningRateFraction) * progress);
        const targets = new Float32Array(batch.length * c).fill(options.labelSmoothing / c);
        batch.forEach((ex, i) => {
          for (const g of ex.gold) targets[i * c + g]! += (1 - options.labelSmoothing) / ex.gold.length;
        });
        const { ids, weights } = this.batchTensors(batch.map((b) => b.ids));
        const target = tf.tensor2d(targets, [batch.length, c]);
        const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(target, this.logits(ids, weights, true)) as TfModule.Scalar, true, varList);
        lossSum += (await loss!.data())[0]!;
        tf.dispose([ids, weights, target, loss!]);
        this.step++;
      }
      await options.onEpoch?.(epoch, lossSum / Math.max(1, batches.length));
    }
    optimizer.dispose();
  }

  /** Class probabilities for each input (rows of numClasses), computed in batches. */
  async predictProba(inputs: Int32Array[], batchSize = 256): Promise<Float32Array[]> {
    const out: Float32Array[] = new Array(inputs.length);
    const c = this.config.numClasses;
    // Similar lengths together (less padding), results back in input order.
    const order = inputs.map((_, i) => i).sort((a, b) => inputs[a]!.length - inputs[b]!.length);
    for (let start = 0; start < order.length; start += batchSize) {
      const idx = order.slice(start, start + batchSize);
      const { ids, weights } = this.batchTensors(idx.map((i) => inputs[i]!));
      const probs = this.tf.tidy(() => this.tf.softmax(this.logits(ids, weights, false)));
      const data = (await probs.data()) as Float32Array;
      this.tf.dispose([ids, weights, probs]);
      idx.forEach((i, k) => (out[i] = data.slice(k * c, (k + 1) * c)));
    }
    return out;
  }

  /** The weights under their canonical names (embedding, hidden/kernel, …). */
  namedWeights(): { name: string; tensor: TfModule.Tensor }[] {
    return [...this.vars].map(([name, tensor]) => ({ name, tensor }));
  }

  /** A model from saved weights (names as namedWeights gives them). */
  static fromWeights(tf: Tf, config: BagClassifierConfig, weights: Record<string, TfModule.Tensor>): BagClassifier {
    for (const name of ['embedding', 'output/kernel', 'output/bias'] as const) if (!weights[name]) throw new Error(`saved weights lack ${name}`);
    return new BagClassifier(tf, config, weights as Partial<Record<WeightName, TfModule.Tensor>>);
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}

/**
 * Batches of similar length (less padding: a batch is as long as its longest utterance): shuffled
 * examples are sorted by length within windows of 32 batches, cut into batches, and the batches
 * shuffled.
 */
function lengthBucketedBatches(examples: TrainExample[], batchSize: number, random: () => number): TrainExample[][] {
  const batches: TrainExample[][] = [];
  const window = batchSize * 32;
  for (let w = 0; w < examples.length; w += window) {
    const chunk = examples.slice(w, w + window).sort((a, b) => a.ids.length - b.ids.length);
    for (let i = 0; i < chunk.length; i += batchSize) batches.push(chunk.slice(i, i + batchSize));
  }
  return shuffle(batches, random);
}
