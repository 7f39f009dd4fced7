/**
 * 16-bit data on the CPU: the dtype names and the addon's format codes, the Float16Array of runtimes
 * that have one (detected once, at load), and the conversions toFloat32 / fromFloat32.
 *
 * 16-bit data crosses into the addon as a Uint16Array of the raw bits; a Float16Array is passed as a
 * Uint16Array view over the same memory (nothing is copied), and results come back in the caller's kind.
 */
import { binding } from './binding';
import { ErrorCode, describe, rangeError, typeError } from './errors';
import { type Dtype, optionsReader } from './options';
import { notDetached, typedArrayName } from './validate';

export type { Dtype };
export type HalfDtype = 'float16' | 'bfloat16';

/** The addon's 16-bit format codes (cpp/napi: 1 = IEEE binary16, 2 = bfloat16). */
export const HALF_FORMATS: Readonly<Record<HalfDtype, 1 | 2>> = Object.freeze({ float16: 1, bfloat16: 2 });
const HALF_DTYPES: readonly HalfDtype[] = ['float16', 'bfloat16'];

/** What a Float16Array is, where the runtime has one (Node 24); undefined elsewhere (Node 20). */
export type Float16ArrayLike = ArrayBufferView & { readonly length: number; readonly buffer: ArrayBufferLike };
interface Float16ArrayConstructorLike {
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): Float16ArrayLike;
  new (length: number): Float16ArrayLike;
}

/** globalThis.Float16Array, read once: undefined where the runtime has none. */
export const Float16ArrayCtor: Float16ArrayConstructorLike | undefined =
  (globalThis as { Float16Array?: Float16ArrayConstructorLike }).Float16Array;

const list = (names: readonly string[]): string => names.map((d) => `'${d}'`).join(', ');

/** A 16-bit dtype (for the conversions): 'float16' or 'bfloat16'. */
function halfDtype(fn: string, name: string, value: unknown): HalfDtype {
  if (typeof value !== 'string' || !(HALF_DTYPES as readonly string[]).includes(value)) {
    throw typeError(fn, ErrorCode.INVALID_ARG, name, `${name} must be ${list(HALF_DTYPES)}, got ${describe(value)}`);
  }
  return value as HalfDtype;
}

/**
 * The Uint16Array of a 16-bit array's bits: the array itself, or a view over a Float16Array's memory
 * (a detached one is ERR_SELU_DETACHED naming `name`: no view can be made over its buffer).
 * Only called with a Uint16Array or a Float16Array (brand-checked by the caller).
 */
export function bitsOf(fn: string, name: string, a: ArrayBufferView): Uint16Array {
  if (typedArrayName(a) === 'Uint16Array') return a as Uint16Array;
  notDetached(fn, name, a);
  return new Uint16Array(a.buffer, a.byteOffset, (a as Float16ArrayLike).length);
}

/** The bits `u` as an array of the kind `kind` ('Uint16Array' or 'Float16Array') over the same memory. */
export function asKind(u: Uint16Array, kind: string): ArrayBufferView {
  return kind === 'Float16Array' ? new Float16ArrayCtor!(u.buffer, u.byteOffset, u.length) : u;
}

/** A 16-bit source array: a Uint16Array, or a Float16Array (whose dtype can only be float16). */
function halfSource(fn: string, name: string, value: unknown, dtype: HalfDtype): Uint16Array {
  const kind = typedArrayName(value);
  if (kind === 'Uint16Array' || kind === 'Float16Array') {
    if (kind === 'Float16Array' && dtype !== 'float16') {
      throw typeError(fn, ErrorCode.DTYPE_MISMATCH, 'dtype', `a Float16Array holds float16 values, but dtype is '${dtype}'`);
    }
    return bitsOf(fn, name, value as ArrayBufferView);
  }
  throw typeError(fn, ErrorCode.INVALID_ARG, name,
    `${name} must be a Uint16Array (the raw bits)${Float16ArrayCtor === undefined ? '' : ' or a Float16Array'}, got ${describe(value)}`);
}

const readToOptions = optionsReader({ out: (fn, name, v) => (v === undefined ? undefined : floatOut32(fn, name, v)) });
const readFromOptions = optionsReader({ out: (fn, name, v) => (v === undefined ? undefined : halfOut(fn, name, v)) });

function floatOut32(fn: string, name: string, value: unknown): Float32Array {
  if (typedArrayName(value) !== 'Float32Array') throw typeError(fn, ErrorCode.INVALID_ARG, name, `${name} must be a Float32Array, got ${describe(value)}`);
  return value as Float32Array;
}

function halfOut(fn: string, name: string, value: unknown): ArrayBufferView {
  const kind = typedArrayName(value);
  if (kind !== 'Uint16Array' && kind !== 'Float16Array') {
    throw typeError(fn, ErrorCode.INVALID_ARG, name,
      `${name} must be a Uint16Array${Float16ArrayCtor === undefined ? '' : ' or a Float16Array'}, got ${describe(value)}`);
  }
  return value as ArrayBufferView;
}

/** The conversion's arrays checked before anything is written: neither detached, the same length. */
function live(fn: string, src: Uint16Array | Float32Array, srcName: string, dst: Uint16Array | Float32Array): void {
  notDetached(fn, srcName, src);
  notDetached(fn, 'options.out', dst);
  if (src.length !== dst.length) {
    throw rangeError(fn, ErrorCode.LENGTH_MISMATCH, 'options.out', `options.out must have the same length as ${srcName} (${src.length}), got ${dst.length}`);
  }
}

/**
 * float16 or bfloat16 values (their bits in a Uint16Array, or a Float16Array) widened to a Float32Array:
 * exact (every 16-bit value is a float32). `options.out`: the Float32Array to write (same length).
 */
export function toFloat32(array: Uint16Array | Float16ArrayLike, dtype: HalfDtype, options?: { out?: Float32Array }): Float32Array {
  const fn = 'toFloat32';
  const format = HALF_FORMATS[halfDtype(fn, 'dtype', dtype)];
  const src = halfSource(fn, 'array', array, dtype);
  const o = readToOptions(fn, options);
  const out = o.out ?? new Float32Array(src.length);
  live(fn, src, 'array', out);
  return binding.toFloat32(format, src, out);
}

/**
 * A Float32Array rounded to float16 or bfloat16 (to nearest, ties to even; NaN stays NaN, overflow
 * gives ±Infinity). Returns the bits in a new Uint16Array, or `options.out` (a Uint16Array, or a
 * Float16Array for dtype 'float16') of the same length.
 */
export function fromFloat32<O extends Uint16Array | Float16ArrayLike = Uint16Array>(array: Float32Array, dtype: HalfDtype, options?: { out?: O }): O {
  const fn = 'fromFloat32';
  const format = HALF_FORMATS[halfDtype(fn, 'dtype', dtype)];
  if (typedArrayName(array) !== 'Float32Array') {
    throw typeError(fn, ErrorCode.INVALID_ARG, 'array', `array must be a Float32Array, got ${describe(array)} (for a Float64Array, narrow it with Float32Array.from first)`);
  }
  const o = readFromOptions(fn, options);
  if (o.out !== undefined && typedArrayName(o.out) === 'Float16Array' && dtype !== 'float16') {
    throw typeError(fn, ErrorCode.DTYPE_MISMATCH, 'options.out', `options.out is a Float16Array, which holds float16 values, but dtype is '${dtype}'`);
  }
  const out = o.out === undefined ? new Uint16Array(array.length) : bitsOf(fn, 'options.out', o.out);
  live(fn, array, 'array', out);
  binding.fromFloat32(format, array, out);
  return (o.out ?? out) as O;
}
