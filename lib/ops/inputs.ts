/**
 * The CPU input kinds besides a bare Float32Array / Float64Array (whose path, the hot one, stays in
 * op.ts): 16-bit arrays (a Uint16Array of raw bits with options.dtype, or a Float16Array where the
 * runtime has one) and tensor objects `{ type, data, dims }` (lib/tensor.ts). Each unwraps to a data
 * array and a dtype; float32/float64 data then runs the op's `cpu`, 16-bit data its `cpu16` on the bits.
 * The result comes back in the caller's kind: a Float16Array for a Float16Array, a tensor made by the
 * input's own class for a tensor, or the caller's `out` itself.
 */
import { ErrorCode, describe, rangeError, typeError } from '../errors';
import { type Dtype, Float16ArrayCtor, HALF_FORMATS, asKind, bitsOf } from '../half';
import { type TensorInput, newTensor, sameDims, tensorInput, tensorShape } from '../tensor';
import { type FloatArray, notDetached, ownedUntilSettled, typedArrayName } from '../validate';
import type { Reader, Schema } from '../options';
import type { CpuOptions, HalfOptions, Op } from './op';

/** One array argument unwrapped: its data, the data's typed-array kind, its dtype (undefined: a Uint16Array's, from options.dtype). */
interface Input {
  data: ArrayBufferView;
  kind: string;
  dtype: Dtype | undefined;
  tensor: TensorInput | undefined;
}

const KIND_DTYPES: Readonly<Record<string, Dtype | undefined>> = Object.freeze({
  Float32Array: 'float32', Float64Array: 'float64', Uint16Array: undefined, Float16Array: 'float16',
});

/** The message for a value that is none of the kinds an op takes. */
export function notAnInput(fn: string, name: string, value: unknown): TypeError {
  const f16 = Float16ArrayCtor === undefined ? '' : ', Float16Array';
  return typeError(fn, ErrorCode.INVALID_ARG, name,
    `${name} must be a Float32Array, Float64Array, Uint16Array (with options.dtype)${f16}, DeviceArray or tensor object { type, data, dims }, got ${describe(value)}`);
}

function input(fn: string, name: string, value: unknown): Input {
  const kind = typedArrayName(value);
  if (kind !== undefined) {
    if (!Object.prototype.hasOwnProperty.call(KIND_DTYPES, kind)) throw notAnInput(fn, name, value);
    return { data: value as ArrayBufferView, kind, dtype: KIND_DTYPES[kind], tensor: undefined };
  }
  const t = value !== null && typeof value === 'object' ? tensorInput(fn, name, value) : undefined;
  if (t === undefined) throw notAnInput(fn, name, value);
  return { data: t.data, kind: t.kind, dtype: t.dtype, tensor: t };
}

const length = (a: ArrayBufferView): number => (a as Uint16Array).length;

/** The call's dtype: the input's own, or for a Uint16Array options.dtype (required); options.dtype must agree. */
function callDtype(fn: string, name: string, x: Input, given: Dtype | undefined): Dtype {
  if (x.dtype === undefined) {
    if (given === 'float16' || given === 'bfloat16') return given;
    if (given === undefined) {
      throw typeError(fn, ErrorCode.INVALID_ARG, 'options.dtype',
        `${name} is a Uint16Array of raw 16-bit values: pass options.dtype 'float16' or 'bfloat16' to say which format its bits hold`);
    }
    throw typeError(fn, ErrorCode.DTYPE_MISMATCH, 'options.dtype',
      `options.dtype '${given}' does not fit ${name}, a Uint16Array (which holds 'float16' or 'bfloat16' bits)`);
  }
  if (given !== undefined && given !== x.dtype) {
    throw typeError(fn, ErrorCode.DTYPE_MISMATCH, 'options.dtype',
      `options.dtype '${given}' does not match ${name}, whose data is ${x.dtype}${x.tensor === undefined ? ` (a ${x.kind})` : ''}`);
  }
  return x.dtype;
}

/** Throws unless `b` is the same format as `a`: the same data kind, dtype and length (and dims, for tensors). */
function sameFormat(fn: string, aName: string, a: Input, bName: string, b: ArrayBufferView, bTensor: TensorInput | undefined, dtype: Dtype): void {
  const kind = typedArrayName(b)!;
  if (kind !== a.kind || (bTensor !== undefined && bTensor.dtype !== dtype)) {
    throw typeError(fn, ErrorCode.DTYPE_MISMATCH, bName,
      `${bName} must hold ${dtype} data in a ${a.kind} like ${aName}, got ${bTensor === undefined ? describe(b) : `a '${bTensor.dtype}' tensor of ${describe(b)}`}`);
  }
  if (length(b) !== length(a.data)) {
    notDetached(fn, aName, a.data);
    notDetached(fn, bName, b);
    throw rangeError(fn, ErrorCode.LENGTH_MISMATCH, bName, `${bName} must have the same length as ${aName} (${length(a.data)}), got ${length(b)}`);
  }
  if (bTensor !== undefined && a.tensor !== undefined && !sameDims(a.tensor.dims, bTensor.dims)) {
    throw rangeError(fn, ErrorCode.LENGTH_MISMATCH, `${bName}.dims`,
      `${bName}.dims [${bTensor.dims.join(', ')}] must equal ${aName}.dims [${a.tensor.dims.join(', ')}]`);
  }
}

/** options.out for this input kind: a typed array like x's data, or (for a tensor x) a tensor like x. */
function outArg(fn: string, x: Input, first: string, dtype: Dtype, value: unknown): { data: ArrayBufferView; tensor: TensorInput | undefined } | undefined {
  if (value === undefined) return undefined;
  const name = 'options.out';
  if (typedArrayName(value) !== undefined) {
    sameFormat(fn, first, x, name, value as ArrayBufferView, undefined, dtype);
    return { data: value as ArrayBufferView, tensor: undefined };
  }
  const t = x.tensor !== undefined && value !== null && typeof value === 'object' ? tensorInput(fn, name, value) : undefined;
  if (t === undefined) {
    throw typeError(fn, ErrorCode.INVALID_ARG, name,
      `${name} must be a ${x.kind} like ${first}${x.tensor === undefined ? '' : ` or a '${dtype}' tensor with ${first}'s dims`}, got ${describe(value)}`);
  }
  sameFormat(fn, first, x, name, t.data, t, dtype);
  return { data: t.data, tensor: t };
}

/** What the general path hands to `cpu` / `cpu16` and maps the result back with. */
export interface GeneralCall {
  run: () => unknown;
  owned: [string, ArrayBufferView | undefined][];
  present: (result: unknown) => unknown;
}

/**
 * Checks the arguments of a call with a 16-bit array or a tensor (or a bare typed array of another
 * kind: the TypeError) and prepares it: nothing runs until `run` is called, and every check is done.
 */
export function generalCall<S extends Schema>(op: Op<S>, read: Reader<Schema>, fn: string, a: unknown, b: unknown,
  options: unknown, async: boolean): GeneralCall {
  const names = op.arrays;
  const x = input(fn, names[0], a);
  const y = names.length === 2 ? input(fn, names[1], b) : undefined;
  const o = read(fn, options) as Record<string, unknown>;
  const dtype = callDtype(fn, names[0], x, o.dtype as Dtype | undefined);
  if (y !== undefined) sameFormat(fn, names[0], x, names[1] as string, y.data, y.tensor, dtype);
  const out = op.output ? outArg(fn, x, names[0], dtype, o.out) : undefined;
  const format = dtype === 'float16' || dtype === 'bfloat16' ? HALF_FORMATS[dtype] : 0;
  if (format !== 0 && op.cpu16 === undefined) {
    throw typeError(fn, ErrorCode.INVALID_ARG, names[0], `${fn}() does not take ${dtype} data`);
  }
  // The arrays as the addon sees them: 16-bit data as Uint16Array views of the bits.
  const xa = format === 0 ? x.data : bitsOf(fn, names[0], x.data);
  const ya = y === undefined ? undefined : format === 0 ? y.data : bitsOf(fn, names[1] as string, y.data);
  const oa = out === undefined ? undefined : format === 0 ? out.data : bitsOf(fn, 'options.out', out.data);
  // A copy of the snapshot with the unwrapped out, and a tensor's dims as moments' shape when axis asks for one.
  const s: Record<string, unknown> = Object.assign({}, o, { out: oa });
  if (x.tensor !== undefined && 'shape' in op.options && o.shape === undefined && o.axis !== undefined) s.shape = tensorShape(x.tensor.dims);

  const array = (r: unknown): unknown => {
    if (r === xa) return a;
    if (r === oa) return out!.tensor !== undefined || x.tensor === undefined ? o.out : newTensor(x.tensor, out!.data);
    const data = format === 0 ? r as ArrayBufferView : asKind(r as Uint16Array, x.kind);
    return x.tensor === undefined ? data : newTensor(x.tensor, data);
  };
  const present = !op.output ? (r: unknown) => r
    : op.hostResult === true ? (r: unknown) => { (r as { out: unknown }).out = array((r as { out: unknown }).out); return r; }
      : array;
  const run = format === 0
    ? () => op.cpu(fn, xa as FloatArray, ya as FloatArray | undefined, s as CpuOptions<S>, async)
    : () => op.cpu16!(fn, format as 1 | 2, xa as Uint16Array, ya as Uint16Array | undefined, s as HalfOptions<S>, async);
  const owned: [string, ArrayBufferView | undefined][] = [[names[0], xa], ['options.out', oa]];
  if (names.length === 2) owned.push([names[1] as string, ya]);
  return { run, owned, present };
}

/** The sync form's general path: checks, runs, maps the result back. */
export function generalSync<S extends Schema>(op: Op<S>, read: Reader<Schema>, fn: string, a: unknown, b: unknown, options: unknown): unknown {
  const c = generalCall(op, read, fn, a, b, options, false);
  return c.present(c.run());
}

/** The Async form's general path (throws synchronously; the caller turns that into a rejection). */
export function generalAsync<S extends Schema>(op: Op<S>, read: Reader<Schema>, fn: string, a: unknown, b: unknown, options: unknown): Promise<unknown> {
  const c = generalCall(op, read, fn, a, b, options, true);
  return ownedUntilSettled(fn, Promise.resolve(c.run()), c.owned).then(c.present);
}
