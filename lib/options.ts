/**
 * The options layer: every options object of the library (the ops' on the CPU and the GPU, DeviceArray's,
 * the theory functions') is read here, by a reader made from a schema: the keys it knows, each with its
 * check. A reader
 * - rejects a non-object and unknown own keys (a typo would otherwise pass silently);
 * - reads each known key exactly once, in schema order, and checks it: a getter that returns something
 *   else on a second read cannot get an unchecked value past validation (found by test/fuzz-ops.test.ts);
 * - returns a snapshot, a plain object with one property per key (the checked value, or the key's
 *   default), which the op uses from then on; the caller's object is never read again. Snapshots are
 *   read-only: the one for omitted options is shared by every such call.
 * One check per kind of value means one wording, one error class and one code per mistake, on the CPU
 * and the GPU alike. This module does not load the addon (the theory module uses it without one).
 */
import { ErrorCode, describe, rangeError, typeError } from './errors';
import { type FloatArray, dtypeName, floatArray, notDetached, sameShape, typedArrayName } from './validate';

/**
 * How one key is checked: gets the value read (undefined when the key is absent), the name to use in
 * messages ('options.alpha'), and the call's first array and its name (what an `out` must match, a
 * stream's device); returns the checked value or the default.
 */
export type Check<V = unknown> = (fn: string, name: string, value: unknown, like: unknown, likeName: string) => V;

/** A schema: the keys in the order they are checked, each with its check. */
export type Schema = Readonly<Record<string, Check>>;

/** The snapshot a schema's reader returns. */
export type Snapshot<S extends Schema> = { [K in keyof S]: ReturnType<S[K]> };

/** Reads an options argument against a schema; `like` and `likeName` are passed to every check. */
export type Reader<S extends Schema> = (fn: string, value: unknown, like?: unknown, likeName?: string) => Snapshot<S>;

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Throws unless `value` is a plain object (not null, not an array) with no own keys outside `known`;
 * `name` is what messages call it ('options', 'p', 'target', ...).
 */
export function record(fn: string, name: string, value: unknown, known: ReadonlySet<string>): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw typeError(fn, ErrorCode.INVALID_ARG, name, `${name} must be an object, got ${describe(value)}`);
  }
  // for-in over own keys: no array allocated on the hot path (inherited keys are not options).
  for (const key in value) {
    if (!known.has(key) && Object.prototype.hasOwnProperty.call(value, key)) {
      throw typeError(fn, ErrorCode.UNKNOWN_OPTION, `${name}.${key}`,
        `${name}.${key} is not a known key (a typo?); known: ${[...known].join(', ')}`);
    }
  }
  return value as Record<string, unknown>;
}

/**
 * The reader of `schema`, for an argument called `name` (default 'options'). `required`: the argument may
 * not be omitted, and the message says what it must hold ('an object with at least rate and seed').
 *
 * The reader is compiled once per schema (new Function) so that each key is a named property read at
 * its own site: V8 then keeps one small inline cache per key instead of one keyed read that turns
 * megamorphic (a loop over the keys cost ~150 ns more per call in Node 20). The generated source is
 * only `record` plus `s.<key> = check(...)` lines; the checks stay ordinary functions in this file.
 */
export function optionsReader<S extends Schema>(schema: S, name = 'options', required?: string): Reader<S> {
  const keys = Object.keys(schema);
  for (const key of keys) {
    if (!IDENTIFIER.test(key)) throw new Error(`options schema: '${key}' is not an identifier`);
  }
  const known: ReadonlySet<string> = new Set(keys);
  const checks = keys.map((k) => schema[k]);
  const names = keys.map((k) => `${name}.${k}`);
  const missing = required === undefined ? undefined
    : (fn: string): never => { throw typeError(fn, ErrorCode.INVALID_ARG, name, `${name} must be ${required}, got undefined`); };
  const snapshot = `{ ${keys.map((k, i) => `${k}: checks[${i}](fn, names[${i}], value.${k}, like, likeName)`).join(', ')} }`;
  // Omitted options give the defaults: the same snapshot every time, made on first use (a check's
  // default never depends on the call's arrays). One object literal: every snapshot of a schema has
  // the same shape, so the reads of it that follow stay monomorphic.
  const body = missing === undefined ? `
    if (value === undefined) return defaults === undefined ? (defaults = read(fn, EMPTY, like, likeName)) : defaults;
    record(fn, ${JSON.stringify(name)}, value, known);
    return ${snapshot};` : `
    if (value === undefined) missing(fn);
    record(fn, ${JSON.stringify(name)}, value, known);
    return ${snapshot};`;
  // eslint-disable-next-line no-new-func
  const make = new Function('record', 'known', 'checks', 'names', 'EMPTY', 'missing',
    `let defaults;\nreturn function read(fn, value, like, likeName) {${body}\n};`);
  return make(record, known, checks, names, EMPTY, missing) as Reader<S>;
}

// ---------------------------------------------------------------------------------------------------
// Checks of single values: the only wording of each mistake.

/** A finite number; `fallback` when undefined and a fallback is given. */
export function finiteNumber(fn: string, name: string, value: unknown, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number') {
    throw typeError(fn, ErrorCode.INVALID_ARG, name, `${name} must be a finite number, got ${describe(value)}`);
  }
  if (!Number.isFinite(value)) {
    throw rangeError(fn, ErrorCode.OUT_OF_RANGE, name, `${name} must be a finite number, got ${describe(value)}`);
  }
  return value;
}

/** A finite number > 0; `fallback` when undefined and a fallback is given. */
export function positiveNumber(fn: string, name: string, value: unknown, fallback?: number): number {
  const x = finiteNumber(fn, name, value, fallback);
  if (!(x > 0)) throw rangeError(fn, ErrorCode.OUT_OF_RANGE, name, `${name} must be > 0, got ${describe(x)}`);
  return x;
}

/** An integer in [min, max]; `fallback` when undefined and a fallback is given. */
export function integerInRange(fn: string, name: string, value: unknown, min: number, max: number, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number') {
    throw typeError(fn, ErrorCode.INVALID_ARG, name, `${name} must be an integer, got ${describe(value)}`);
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw rangeError(fn, ErrorCode.OUT_OF_RANGE, name, `${name} must be an integer from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

/** A drop rate: a number in [0, 1) (always given: it has no default). */
export function dropRate(fn: string, name: string, value: unknown): number {
  if (typeof value !== 'number') {
    throw typeError(fn, ErrorCode.INVALID_ARG, name, `${name} must be a number in [0, 1), got ${describe(value)}`);
  }
  if (!(value >= 0 && value < 1)) {
    throw rangeError(fn, ErrorCode.OUT_OF_RANGE, name, `${name} must be in [0, 1), got ${describe(value)}`);
  }
  return value;
}

const TWO_POW_64 = 1n << 64n;

/** An integer in [0, 2^64) given as a safe-integer number or a bigint; `fallback` when undefined. */
export function uint64(fn: string, name: string, value: unknown, fallback?: bigint): bigint {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value === 'bigint') {
    if (value < 0n || value >= TWO_POW_64) {
      throw rangeError(fn, ErrorCode.OUT_OF_RANGE, name, `${name} must be in [0, 2^64), got ${describe(value)}`);
    }
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw rangeError(fn, ErrorCode.OUT_OF_RANGE, name,
        `${name} must be a non-negative safe integer (or a bigint below 2^64), got ${describe(value)}`);
    }
    return BigInt(value);
  }
  throw typeError(fn, ErrorCode.INVALID_ARG, name, `${name} must be a non-negative integer (number or bigint), got ${describe(value)}`);
}

/** Throws RangeError unless a stream of `length` elements from position `offset` ends below 2^64. */
export function streamFits(fn: string, offset: bigint, length: number): void {
  if (offset + BigInt(length) >= TWO_POW_64) {
    throw rangeError(fn, ErrorCode.OUT_OF_RANGE, 'options.offset',
      `options.offset + length must be less than 2^64, got ${offset} + ${length}`);
  }
}

/** A boolean; `fallback` when undefined. */
export function boolean(fn: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw typeError(fn, ErrorCode.INVALID_ARG, name, `${name} must be a boolean, got ${describe(value)}`);
  return value;
}

/**
 * An optional output typed array of the same dtype and length as `like` (undefined when not given).
 * Partial overlap with the inputs is checked by the addon, by address (cpp/napi/float_array_arg.h):
 * it also sees SharedArrayBuffers aliased across workers, and it costs no `.buffer` lookups here.
 */
export function floatOut(fn: string, name: string, value: unknown, like: unknown, likeName: string): FloatArray | undefined {
  if (value === undefined) return undefined;
  const out = floatArray(fn, name, value);
  sameShape(fn, likeName, like as FloatArray, name, out);
  return out;
}

/**
 * An optional output Uint8Array (a Buffer is one) of `like` elements, `like` being a length already
 * checked (alphaDropoutMask's options.out); undefined when not given.
 */
export function byteOut(fn: string, name: string, value: unknown, like: unknown, likeName: string): Uint8Array | undefined {
  if (value === undefined) return undefined;
  if (typedArrayName(value) !== 'Uint8Array') {
    throw typeError(fn, ErrorCode.INVALID_ARG, name, `${name} must be a Uint8Array, got ${describe(value)}`);
  }
  const out = value as Uint8Array;
  notDetached(fn, name, out);
  if (out.length !== like) {
    throw rangeError(fn, ErrorCode.LENGTH_MISMATCH, name, `${name} must have ${likeName} (${like}) elements, got ${out.length}`);
  }
  return out;
}

// Checks with a default: the forms a schema lists.
export const finiteOr = (fallback: number): Check<number> => (fn, name, value) => finiteNumber(fn, name, value, fallback);
export const positiveOr = (fallback: number): Check<number> => (fn, name, value) => positiveNumber(fn, name, value, fallback);
export const booleanOr = (fallback: boolean): Check<boolean> => (fn, name, value) => boolean(fn, name, value, fallback);
export const uint64Or = (fallback?: bigint): Check<bigint> => (fn, name, value) => uint64(fn, name, value, fallback);
/** A key with no check of its own: read once into the snapshot, checked later (moments' shape, with the length). */
export const raw: Check<unknown> = (_fn, _name, value) => value;

/** The element types an op's options.dtype may name. */
export type Dtype = 'float32' | 'float64' | 'float16' | 'bfloat16';
const DTYPES: readonly Dtype[] = ['float32', 'float64', 'float16', 'bfloat16'];

/** options.dtype: undefined or one of the four names (TypeError naming options.dtype and the valid ones). */
export function dtypeOption(fn: string, name: string, value: unknown): Dtype | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(DTYPES as readonly string[]).includes(value)) {
    throw typeError(fn, ErrorCode.INVALID_ARG, name, `${name} must be one of ${DTYPES.map((d) => `'${d}'`).join(', ')}, got ${describe(value)}`);
  }
  return value as Dtype;
}

/**
 * options.dtype on the Float32Array / Float64Array path: optional, and when given it must name the
 * array's own type ('float32' or 'float64'): 16-bit data is passed as a Uint16Array (or Float16Array).
 */
export function floatDtype(fn: string, name: string, value: unknown, like: unknown, likeName: string): 'float32' | 'float64' | undefined {
  if (value === undefined) return undefined;  // the hot path: no call below
  const dtype = dtypeOption(fn, name, value);
  const own = dtypeName(like as FloatArray) === 'Float32Array' ? 'float32' : 'float64';
  if (dtype === own) return own;
  throw typeError(fn, ErrorCode.DTYPE_MISMATCH, name,
    `${name} '${value}' does not match ${likeName}, a ${dtypeName(like as FloatArray)} (${own}); 16-bit data is passed as a Uint16Array of its bits (fromFloat32 converts)`);
}
