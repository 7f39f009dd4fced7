/**
 * Tensor objects `{ type, data, dims }` (onnxruntime-node's ort.Tensor, transformers.js's Tensor, or any
 * object of that shape), with no dependency on either library: a tensor unwraps to its data array, and
 * a result is built as `new x.constructor(type, data, dims)`, so an ort.Tensor comes back an ort.Tensor.
 *
 * Every property is read exactly once, in a fixed order (location, type, dims, data, constructor), and a
 * getter that throws becomes a coded TypeError naming the property: ort.Tensor's `data` getter throws
 * for a tensor whose data is on a GPU, which `location` reports first.
 */
import { ErrorCode, describe, rangeError, typeError } from './errors';
import { Float16ArrayCtor, type Dtype, type Float16ArrayLike } from './half';
import { typedArrayName } from './validate';

/** What the ops read from a tensor object. */
export interface TensorLike {
  readonly type: string;
  readonly data: ArrayBufferView;
  readonly dims: readonly number[];
  readonly location?: string;
}

/** What the CPU forms of the ops take: typed arrays (16-bit ones with options.dtype) and tensor objects. */
export type CpuData = Float32Array | Float64Array | Uint16Array | Float16ArrayLike | TensorLike;

/** A checked tensor: its dtype, data (a typed array of a kind that fits the dtype), dims and constructor. */
export interface TensorInput {
  readonly dtype: Dtype;
  readonly data: ArrayBufferView;
  /** The data's typed-array kind ('Float32Array', 'Uint16Array', ...). */
  readonly kind: string;
  readonly dims: readonly number[];
  readonly make: new (type: string, data: ArrayBufferView, dims: readonly number[]) => unknown;
}

/** The typed-array kinds a tensor's data may have for each type. */
const DATA_KINDS: Readonly<Record<Dtype, readonly string[]>> = Object.freeze({
  float32: ['Float32Array'],
  float64: ['Float64Array'],
  float16: Float16ArrayCtor === undefined ? ['Uint16Array'] : ['Uint16Array', 'Float16Array'],
  bfloat16: ['Uint16Array'],
});

function read(fn: string, name: string, value: object, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch (error) {
    throw Object.assign(typeError(fn, ErrorCode.INVALID_ARG, `${name}.${key}`,
      `${name}.${key} could not be read: ${error instanceof Error ? error.message : describe(error)}`), { cause: error });
  }
}

/** The dims: an array of non-negative safe integers, copied. */
function dimsOf(fn: string, name: string, value: unknown): number[] {
  if (!Array.isArray(value)) {
    throw typeError(fn, ErrorCode.INVALID_ARG, `${name}.dims`, `${name}.dims must be an array of non-negative integers, got ${describe(value)}`);
  }
  const dims: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const d: unknown = value[i];
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw typeError(fn, ErrorCode.INVALID_ARG, `${name}.dims`, `${name}.dims[${i}] must be a non-negative integer, got ${describe(d)}`);
    }
    dims.push(d);
  }
  return dims;
}

/**
 * Checks a tensor object and unwraps it (nothing is written; TypeError/RangeError with a code otherwise);
 * undefined when `value` has neither a location nor a type (not a tensor at all: the caller says what is expected).
 */
export function tensorInput(fn: string, name: string, value: object): TensorInput | undefined {
  const location = read(fn, name, value, 'location');
  const type = read(fn, name, value, 'type');
  if (location === undefined && type === undefined) return undefined;
  if (location !== undefined && location !== 'cpu') {
    throw typeError(fn, ErrorCode.DEVICE_MISMATCH, `${name}.location`,
      `${name}.location is ${describe(location)}, not 'cpu': the ops compute on the CPU; download the data first (ort: await tensor.getData(), then a CPU tensor)`);
  }
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(DATA_KINDS, type)) {
    throw typeError(fn, ErrorCode.INVALID_ARG, `${name}.type`,
      `${name}.type must be 'float32', 'float64', 'float16' or 'bfloat16', got ${describe(type)}`);
  }
  const dtype = type as Dtype;
  const dims = dimsOf(fn, name, read(fn, name, value, 'dims'));
  const data = read(fn, name, value, 'data');
  const kind = typedArrayName(data);
  if (kind === undefined || !DATA_KINDS[dtype].includes(kind)) {
    throw typeError(fn, ErrorCode.INVALID_ARG, `${name}.data`,
      `${name}.data of a '${dtype}' tensor must be a ${DATA_KINDS[dtype].join(' or ')}, got ${describe(data)}`);
  }
  const length = (data as Float32Array).length;
  const count = dims.reduce((p, d) => p * d, 1);
  if (count !== length) {
    throw rangeError(fn, ErrorCode.LENGTH_MISMATCH, `${name}.dims`,
      `${name}.dims [${dims.join(', ')}] has ${count} elements but ${name}.data has ${length}`);
  }
  const make = read(fn, name, value, 'constructor');
  if (typeof make !== 'function') {
    throw typeError(fn, ErrorCode.INVALID_ARG, `${name}.constructor`,
      `${name}.constructor must be the tensor's class (called as new constructor(type, data, dims)), got ${describe(make)}`);
  }
  return { dtype, data: data as ArrayBufferView, kind, dims, make: make as TensorInput['make'] };
}

/**
 * The [rows, cols] a moments call with `axis` views a tensor as, when options.shape is not given:
 * dims [d0, …, dk] as [d0·…·dk−1, dk] (axis 0: per entry of the last dimension over all others; axis 1:
 * per vector along the last dimension); rank 1 as [1, d0], rank 0 as [1, 1].
 */
export function tensorShape(dims: readonly number[]): [number, number] {
  if (dims.length === 0) return [1, 1];
  const last = dims[dims.length - 1];
  return [dims.slice(0, -1).reduce((p, d) => p * d, 1), last];
}

/** The tensor of `data` with the input's type and dims, made by the input's own class. */
export function newTensor(t: TensorInput, data: ArrayBufferView): unknown {
  return new t.make(t.dtype, data, t.dims);
}

/** Whether two dims arrays are equal. */
export function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
