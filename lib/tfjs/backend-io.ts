/**
 * How a float32 kernel reads its inputs and writes its output on each backend the plugin covers,
 * without copying inputs and without ever writing into them:
 * - cpu: a tensor's values are the Float32Array in `backend.data.get(dataId).values`; the output is a
 *   new array handed to `backend.makeTensorInfo`, which keeps it (no copy).
 * - wasm: tensors live on the WebAssembly heap. The output is allocated first (`makeOutput`), and only
 *   then are the heap views taken (`typedArrayFromHeap`): the allocation may grow the heap, which
 *   replaces its ArrayBuffer and leaves views taken before it detached.
 */
import type { TensorInfo } from './tf-types';

/** The backends whose kernels the plugin can replace. 'tensorflow' (tfjs-node) is not one of them. */
export const SUPPORTED_BACKENDS = ['cpu', 'wasm'] as const;
export type SupportedBackend = (typeof SUPPORTED_BACKENDS)[number];

/**
 * Computes one float32 output from float32 inputs: writes into `out` when given (the wasm heap),
 * else returns a new array.
 */
export type Compute = (inputs: Float32Array[], out: Float32Array | undefined) => Float32Array;

interface CpuBackend {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: string, values: Float32Array): TensorInfo;
}

interface WasmBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

/** %TypedArray%.prototype[@@toStringTag]: the array's type by its internal slot, in any realm (jest's too). */
const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag)!.get!;
const isFloat32Array = (v: unknown): v is Float32Array => typedArrayTag.call(v) === 'Float32Array';

function size(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function runCpu(backend: CpuBackend, inputs: TensorInfo[], shape: number[], compute: Compute): TensorInfo {
  const views = inputs.map((t) => {
    const values: unknown = backend.data.get(t.dataId).values;
    const n = size(t.shape);
    // A float32 tensor's values are a Float32Array of its size; anything else is copied, not trusted.
    if (isFloat32Array(values)) return values.length === n ? values : values.subarray(0, n);
    return Float32Array.from(values as ArrayLike<number>).subarray(0, n);
  });
  return backend.makeTensorInfo(shape, 'float32', compute(views, undefined));
}

function runWasm(backend: WasmBackend, inputs: TensorInfo[], shape: number[], compute: Compute): TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  if (size(shape) === 0) return out;
  const views = inputs.map((t) => backend.typedArrayFromHeap(t));
  compute(views, backend.typedArrayFromHeap(out));
  return out;
}

/** Runs `compute` on the float32 inputs' storage and returns the output's TensorInfo of `shape`. */
export function runFloat32(backendName: SupportedBackend, backend: unknown, inputs: TensorInfo[], shape: number[],
  compute: Compute): TensorInfo {
  return backendName === 'cpu'
    ? runCpu(backend as CpuBackend, inputs, shape, compute)
    : runWasm(backend as WasmBackend, inputs, shape, compute);
}
