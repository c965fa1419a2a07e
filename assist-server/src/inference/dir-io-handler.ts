/**
 * Saves and loads TensorFlow.js model artifacts as `model.json` + `weights.bin` in a directory, the
 * layout tfjs-node's `file://` handler writes, without needing tfjs-node. Works with
 * `model.save(dirIOHandler(tf, dir))` / `tf.loadLayersModel(dirIOHandler(tf, dir))`, and with
 * hand-built artifacts (encodeWeights) for models that are not LayersModels.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as TfModule from '@tensorflow/tfjs';
import type { Tf } from './tf-runtime.ts';

type io = typeof TfModule.io;
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

export function dirIOHandler(tf: Tf, dir: string): TfModule.io.IOHandler {
  return {
    async save(artifacts: TfModule.io.ModelArtifacts): Promise<TfModule.io.SaveResult> {
      await mkdir(dir, { recursive: true });
      const weights = artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0);
      const modelJson: TfModule.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      // Written under temporary names, then renamed: a reader never sees half a model.
      await writeFile(join(dir, `${WEIGHTS_BIN}.tmp`), new Uint8Array(weights));
      await writeFile(join(dir, `${MODEL_JSON}.tmp`), JSON.stringify(modelJson));
      await rename(join(dir, `${WEIGHTS_BIN}.tmp`), join(dir, WEIGHTS_BIN));
      await rename(join(dir, `${MODEL_JSON}.tmp`), join(dir, MODEL_JSON));
      return { modelArtifactsInfo: (tf.io as io).getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<TfModule.io.ModelArtifacts> {
      const modelJson = JSON.parse(await readFile(join(dir, MODEL_JSON), 'utf8')) as TfModule.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const buffers = await Promise.all(
          manifest.flatMap((group) => group.paths).map(async (p) => {
            const b = await readFile(join(dir, p));
            return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
          }),
        );
        return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}
