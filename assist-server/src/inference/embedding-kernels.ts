/**
 * JS kernels that make embedding lookups train fast on the wasm and cpu backends.
 *
 * - `UnsortedSegmentSum` is the gradient of `gather`. The wasm backend has no such kernel, and the
 *   cpu backend's loops over every segment (O(vocab × rows × dim) per step). This one is O(rows × dim).
 * - `GatherV2` on wasm: the stock kernel takes ~13 ms for 6,400 rows of 64 floats (measured here);
 *   row copies on the wasm heap take well under 1 ms. Only the embedding case (2-D float32 params,
 *   axis 0, no batch dims) is replaced; anything else goes to the stock kernel.
 */
import type * as TfModule from '@tensorflow/tfjs';

type Tf = typeof TfModule;
type TensorInfo = TfModule.TensorInfo;

/** The parts of the wasm / cpu backends these kernels use. */
interface BackendLike {
  readSync(dataId: object): unknown;
  /** wasm: allocates on the wasm heap. */
  makeOutput?(shape: number[], dtype: string, memoryOffset?: number, values?: Float32Array): TensorInfo;
  /** wasm: a view (no copy) of a tensor on the heap; invalid after the next allocation. */
  typedArrayFromHeap?(t: TensorInfo): Float32Array | Int32Array;
  /** cpu */
  makeTensorInfo?(shape: number[], dtype: string, values?: Float32Array): TensorInfo;
}

/** out[ids[i]] += values[i] for rows of `inner` floats; ids outside [0, numSegments) are dropped, as in TensorFlow. */
export function segmentSumInto(out: Float32Array, values: ArrayLike<number>, ids: ArrayLike<number>, numSegments: number, inner: number): Float32Array {
  for (let i = 0; i < ids.length; i++) {
    const seg = ids[i]!;
    if (seg < 0 || seg >= numSegments) continue;
    const o = seg * inner;
    const v = i * inner;
    for (let j = 0; j < inner; j++) out[o + j]! += values[v + j]!;
  }
  return out;
}

function replaceKernel(tf: Tf, config: TfModule.KernelConfig): TfModule.KernelConfig | undefined {
  const stock = tf.getKernel(config.kernelName, config.backendName);
  if (stock) tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
  return stock;
}

export function registerEmbeddingKernels(tf: Tf, backendName: 'wasm' | 'cpu'): void {
  replaceKernel(tf, {
    kernelName: 'UnsortedSegmentSum',
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
      const numSegments = (attrs as unknown as { numSegments: number }).numSegments;
      const b = backend as unknown as BackendLike;
      const ids = b.readSync(segmentIds.dataId) as Int32Array;
      const inner = ids.length === 0 ? 0 : tf.util.sizeFromShape(x.shape) / ids.length;
      const shape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
      if (b.makeOutput && b.typedArrayFromHeap) {
        const out = b.makeOutput(shape, x.dtype);
        const view = b.typedArrayFromHeap(out) as Float32Array;
        view.fill(0);
        segmentSumInto(view, b.typedArrayFromHeap(x), ids, numSegments, inner);
        return out;
      }
      const values = segmentSumInto(new Float32Array(numSegments * inner), b.readSync(x.dataId) as Float32Array, ids, numSegments, inner);
      return b.makeTensorInfo!(shape, x.dtype, values);
    },
  });
  if (backendName !== 'wasm') return;
  let stockGather: TfModule.KernelConfig | undefined;
  stockGather = replaceKernel(tf, {
    kernelName: 'GatherV2',
    backendName,
    kernelFunc: (args) => {
      const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
      const { axis, batchDims } = args.attrs as unknown as { axis: number; batchDims: number };
      if (x.shape.length !== 2 || x.dtype !== 'float32' || axis !== 0 || batchDims !== 0 || indices.dtype !== 'int32') {
        return stockGather!.kernelFunc(args);
      }
      const b = args.backend as unknown as BackendLike;
      const ids = b.readSync(indices.dataId) as Int32Array;
      const [rows, dim] = x.shape as [number, number];
      for (const id of ids) if (id < 0 || id >= rows) throw new Error(`GatherV2: the index value ${id} is not in [0, ${rows - 1}]`);
      const out = b.makeOutput!([...indices.shape, dim], 'float32');
      const view = b.typedArrayFromHeap!(out) as Float32Array;
      const params = b.typedArrayFromHeap!(x) as Float32Array; // after the allocation: the heap may have moved
      for (let i = 0; i < ids.length; i++) view.set(params.subarray(ids[i]! * dim, ids[i]! * dim + dim), i * dim);
      return out;
    },
  });
}
