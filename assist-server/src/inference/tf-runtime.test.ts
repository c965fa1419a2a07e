import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { dirIOHandler } from './dir-io-handler.ts';
import { segmentSumInto } from './embedding-kernels.ts';
import { loadTf } from './tf-runtime.ts';

const logger = pino({ level: 'silent' });
const installed = (name: string) => {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
};

test('backend selection: the fastest installed one, wasm where tfjs-node is not installed', async () => {
  const { tf, backend } = await loadTf(logger);
  const expected = installed('@tensorflow/tfjs-node-gpu') ? 'tensorflow-gpu' : installed('@tensorflow/tfjs-node') ? 'tensorflow' : 'wasm';
  assert.equal(backend, expected);
  assert.equal(tf.getBackend(), backend === 'tensorflow-gpu' ? 'tensorflow' : backend);
  assert.equal((await loadTf(logger)).tf, tf, 'one runtime per process');
});

test('embedding lookups and their gradient (UnsortedSegmentSum) give the reference values', async () => {
  const { tf } = await loadTf(logger);
  const table = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
  const ids = tf.tensor2d([[3, 0], [3, 2]], undefined, 'int32');
  assert.deepEqual(await tf.gather(table, ids).array(), [[[7, 8], [1, 2]], [[7, 8], [5, 6]]]);
  assert.deepEqual(await tf.gather(table, tf.tensor1d([1, 0], 'int32'), 1).array(), [[2, 1], [4, 3], [6, 5], [8, 7]], 'other gathers still work');
  // d/dtable of sum(gather(table, ids) * w): row r gets the sum of the weights of its lookups.
  const w = tf.tensor3d([[[1, 1], [2, 2]], [[3, 3], [4, 4]]]);
  const grad = tf.grad((t) => tf.sum(tf.mul(tf.gather(t, ids), w)))(table);
  assert.deepEqual(await grad.array(), [[2, 2], [0, 0], [4, 4], [4, 4]]);
  const out = tf.unsortedSegmentSum(tf.tensor2d([[1, 2], [3, 4], [5, 6]]), tf.tensor1d([2, 0, 2], 'int32'), 3);
  assert.deepEqual(await out.array(), [[3, 4], [0, 0], [6, 8]]);
  assert.deepEqual([...segmentSumInto(new Float32Array(4), [1, 2, 3, 4, 5, 6, 7, 8], [1, -1, 5, 1], 2, 2)], [0, 0, 8, 10], 'out-of-range ids are dropped');
  tf.dispose([table, ids, w, grad, out]);
});

test('a model saved as model.json + weights.bin loads back with the same weights and predictions', async () => {
  const { tf } = await loadTf(logger);
  const dir = mkdtempSync(join(tmpdir(), 'ep-tfio-'));
  const model = tf.sequential({ layers: [tf.layers.embedding({ inputDim: 10, outputDim: 3, inputLength: 2, embeddingsInitializer: tf.initializers.randomUniform({ seed: 1 }) }), tf.layers.flatten(), tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) })] });
  await model.save(dirIOHandler(tf, dir));
  assert.deepEqual(readdirSync(dir).sort(), ['model.json', 'weights.bin']);
  const loaded = await tf.loadLayersModel(dirIOHandler(tf, dir));
  const input = tf.tensor2d([[1, 7], [3, 3]], undefined, 'int32');
  assert.deepEqual(await (loaded.predict(input) as import('@tensorflow/tfjs').Tensor).array(), await (model.predict(input) as import('@tensorflow/tfjs').Tensor).array());
});
