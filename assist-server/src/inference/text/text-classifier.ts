/**
 * A trained text classifier: one or more members (featurizer + BagClassifier) whose probabilities
 * are averaged. Saved as a directory:
 *
 *   model.json       TF.js artifacts (dir-io-handler.ts): topology = labels and member configs,
 *                    userDefinedMetadata = what the trainer adds (kind, version, thresholds …)
 *   weights.bin      all members' weights (`member-N/embedding`, …)
 *   featurizer.json  each member's n-gram settings and vocabulary
 *   labels.json      the class labels, in output order (for people and tools; model.json has them too)
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type * as TfModule from '@tensorflow/tfjs';
import { dirIOHandler, MODEL_JSON } from '../dir-io-handler.ts';
import type { Tf } from '../tf-runtime.ts';
import { BagClassifier, type BagClassifierConfig } from './bag-classifier.ts';
import { normalizeText, words } from './normalize-text.ts';
import { NgramFeaturizer, type FeaturizerJson } from './ngram-featurizer.ts';

export const CLASSIFIER_FORMAT = 'earpiece-text-classifier/1';
export const CLASSIFIER_FILE = MODEL_JSON;

export interface ClassifierMember {
  featurizer: NgramFeaturizer;
  model: BagClassifier;
}

interface Topology {
  class: 'EarpieceTextClassifier';
  labels: string[];
  members: BagClassifierConfig[];
}

export class TextClassifier<Meta extends object = Record<string, unknown>> {
  constructor(
    readonly labels: string[],
    readonly members: ClassifierMember[],
    public meta: Meta,
  ) {}

  /** Class probabilities of normalized word lists. */
  async predictWords(wordLists: string[][]): Promise<Float32Array[]> {
    const c = this.labels.length;
    const sum = wordLists.map(() => new Float32Array(c));
    for (const m of this.members) {
      const probs = await m.model.predictProba(wordLists.map((ws) => m.featurizer.featurize(ws)));
      probs.forEach((p, i) => {
        const s = sum[i]!;
        for (let j = 0; j < c; j++) s[j]! += p[j]! / this.members.length;
      });
    }
    return sum;
  }

  /** Class probabilities of raw texts (normalized here: see normalize-text.ts). */
  predictTexts(texts: string[]): Promise<Float32Array[]> {
    return this.predictWords(texts.map((t) => words(normalizeText(t))));
  }

  async save(dir: string, tf: Tf): Promise<void> {
    await mkdir(dir, { recursive: true });
    const named = this.members.flatMap((m, i) => m.model.namedWeights().map((w) => ({ name: `member-${i}/${w.name}`, tensor: w.tensor })));
    const { data, specs } = await tf.io.encodeWeights(named);
    const topology: Topology = { class: 'EarpieceTextClassifier', labels: this.labels, members: this.members.map((m) => m.model.config) };
    await dirIOHandler(tf, dir).save!({
      modelTopology: topology as unknown as TfModule.io.ModelArtifacts['modelTopology'],
      format: CLASSIFIER_FORMAT,
      generatedBy: `TensorFlow.js ${tf.version.tfjs}`,
      weightSpecs: specs,
      weightData: data,
      userDefinedMetadata: this.meta as unknown as Record<string, object>,
    });
    await writeFile(join(dir, 'featurizer.json'), JSON.stringify({ members: this.members.map((m) => m.featurizer.toJSON()) }));
    await writeFile(join(dir, 'labels.json'), JSON.stringify(this.labels, null, 2) + '\n');
  }

  static async load<Meta extends object>(tf: Tf, dir: string): Promise<TextClassifier<Meta>> {
    let artifacts: TfModule.io.ModelArtifacts;
    try {
      artifacts = await dirIOHandler(tf, dir).load!();
    } catch (err) {
      throw Object.assign(new Error(`${dir} holds no trained text model (${(err as Error).message})`), { code: 'EARPIECE_MODEL_MISSING' });
    }
    if (artifacts.format !== CLASSIFIER_FORMAT) {
      throw Object.assign(new Error(`${dir}: model format ${artifacts.format ?? 'unknown'}, this Earpiece reads ${CLASSIFIER_FORMAT}; train it again`), { code: 'EARPIECE_MODEL_FORMAT' });
    }
    const topology = artifacts.modelTopology as unknown as Topology;
    const featurizers = (JSON.parse(await readFile(join(dir, 'featurizer.json'), 'utf8')) as { members: FeaturizerJson[] }).members;
    const tensors = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
    const members = topology.members.map((config, i) => {
      const prefix = `member-${i}/`;
      const own = Object.fromEntries(Object.entries(tensors).filter(([k]) => k.startsWith(prefix)).map(([k, t]) => [k.slice(prefix.length), t]));
      return { featurizer: new NgramFeaturizer(featurizers[i]!), model: BagClassifier.fromWeights(tf, config, own) };
    });
    tf.dispose(Object.values(tensors));
    return new TextClassifier(topology.labels, members, (artifacts.userDefinedMetadata ?? {}) as Meta);
  }

  dispose(): void {
    for (const m of this.members) m.model.dispose();
  }
}
