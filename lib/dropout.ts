/**
 * Alpha-dropout (Klambauer et al. 2017) on Float32Array / Float64Array, sync and async, with the keep
 * mask drawn from a counter-based stream (Philox4x32-10, REFERENCE.md §3) instead of being stored:
 * element i of a call with `seed` s and `offset` o is kept or dropped according to the stream position
 * o + i alone. So the backward pass regenerates the forward mask from the same seed and offset, and
 * results do not depend on the thread count, the SIMD level or how an array is split across calls.
 *
 * The affine parameters a, b and the dropped value a·α' + b come from
 * lib/theory/dropout-parameters.ts (the single place where the formula lives).
 */
import { constants as bufferConstants } from 'node:buffer';
import { binding } from './binding';
import { SELU_ALPHA, SELU_SCALE, type SeluKernelConstants, seluKernelConstants } from './constants';
import { ErrorCode, describe, rangeError, typeError } from './errors';
import { type SeluOptions, selu, seluAsync, seluBackward, seluBackwardAsync } from './selu';
import { alphaDropoutParameters } from './theory/dropout-parameters';
import { type FloatArray, floatArray, integerInRange, isFloatArray, newLike, notDetached, options as checkOptions, outputArray, ownedUntilSettled, sameShape } from './validate';
import {
  type DeviceDropoutOptions, alphaDropoutBackwardDevice, alphaDropoutBackwardDeviceAsync, alphaDropoutDevice, alphaDropoutDeviceAsync,
  seluAlphaDropoutBackwardDevice, seluAlphaDropoutBackwardDeviceAsync, seluAlphaDropoutDevice, seluAlphaDropoutDeviceAsync,
} from './cuda/dropout';
import { DeviceArray } from './device-array';

export type { DeviceDropoutOptions } from './cuda/dropout';

export interface DropoutOptions {
  /**
   * Drop probability, 0 ≤ rate < 1 (RangeError otherwise). An element is kept when its stream word r
   * is below floor((1 − rate)·2^32); rate 0 keeps every element (a = 1, b = 0: the output is x, except
   * that −0 becomes +0).
   */
  rate: number;
  /** The stream's key: an integer 0 ≤ seed < 2^64; a number must be a safe integer (use a bigint above 2^53). */
  seed: number | bigint;
  /**
   * Stream position of element 0, default 0: element i uses position offset + i, and offset + length
   * must be < 2^64. Advance it by the element count between calls that must draw fresh masks.
   */
  offset?: number | bigint;
  /**
   * Default true. false: the identity, no randomness. Forward functions then return x itself (or copy it
   * into `out`), seluAlphaDropout returns selu(x); backward functions return gradOutput (or copy it into
   * `out`), and seluAlphaDropoutBackward returns seluBackward(gradOutput, input).
   */
  training?: boolean;
  /** The fixed point to keep: mean (default 0) … */
  mean?: number;
  /** … and variance (> 0, default 1) of the input (REFERENCE.md §3). */
  variance?: number;
  /** SELU α (default SELU_ALPHA) and λ (default SELU_SCALE): α' = −scale·alpha; the fused functions also apply this SELU. */
  alpha?: number;
  scale?: number;
  /** Where to write the result: same dtype and length as the input; may be the input itself (in place). */
  out?: FloatArray;
}

export type DropoutMaskOptions = Pick<DropoutOptions, 'rate' | 'seed' | 'offset'>;

const OPTION_KEYS: ReadonlySet<string> = new Set(['rate', 'seed', 'offset', 'training', 'mean', 'variance', 'alpha', 'scale', 'out']);
const MASK_OPTION_KEYS: ReadonlySet<string> = new Set(['rate', 'seed', 'offset']);
const TWO_POW_64 = 1n << 64n;

/** The validated stream position of a call. */
interface Stream {
  rate: number;
  seed: bigint;
  offset: bigint;
}

interface Parsed<T extends FloatArray> extends Stream {
  training: boolean;
  a: number;
  b: number;
  dropped: number;
  k: SeluKernelConstants;
  alpha: number;
  scale: number;
  out: T | undefined;
}

/** An integer in [0, 2^64) given as a safe-integer number or a bigint; `fallback` when undefined. */
function uint64(fn: string, name: string, value: unknown, fallback?: bigint): bigint {
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

function requiredOptions<T extends object>(fn: string, value: unknown, keys: ReadonlySet<string>): Partial<T> {
  if (value === undefined) {
    throw typeError(fn, ErrorCode.INVALID_ARG, 'options', 'options must be an object with at least rate and seed, got undefined');
  }
  return checkOptions<T>(fn, value, keys);
}

function stream(fn: string, o: Partial<DropoutOptions>, rate: number, length: number): Stream {
  const seed = uint64(fn, 'options.seed', o.seed);
  const offset = uint64(fn, 'options.offset', o.offset, 0n);
  if (offset + BigInt(length) >= TWO_POW_64) {
    throw rangeError(fn, ErrorCode.OUT_OF_RANGE, 'options.offset',
      `options.offset + length must be less than 2^64, got ${offset} + ${length}`);
  }
  return { rate, seed, offset };
}

/** Validates every option against the array `like` (the one the output is shaped after). */
function parse<T extends FloatArray>(fn: string, like: T, likeName: string, opts: unknown): Parsed<T> {
  const o = requiredOptions<DropoutOptions>(fn, opts, OPTION_KEYS);
  // Each option is read once: a getter returning something else on a second read must not get an
  // unchecked value past validation (test/fuzz-ops.test.ts).
  const { rate, training, alpha: alphaOption, scale: scaleOption, out: outOption } = o;
  const p = alphaDropoutParameters({ rate: rate as number, mean: o.mean, variance: o.variance, alpha: alphaOption, scale: scaleOption }, fn, 'options');
  const s = stream(fn, o, rate as number, like.length);
  if (training !== undefined && typeof training !== 'boolean') {
    throw typeError(fn, ErrorCode.INVALID_ARG, 'options.training', `options.training must be a boolean, got ${describe(training)}`);
  }
  const out = outOption === undefined ? undefined : (outputArray(fn, outOption, like, likeName) as T);
  const alpha = alphaOption ?? SELU_ALPHA;
  const scale = scaleOption ?? SELU_SCALE;
  return {
    // Fields spelled out: an object spread here cost ~5 µs per call in Node 20 (a slow clone path).
    rate: s.rate, seed: s.seed, offset: s.offset, training: training ?? true, a: p.a, b: p.b, dropped: p.droppedValue,
    k: seluKernelConstants(alpha, scale), alpha, scale, out,
  };
}

/**
 * The identity of training: false: `x` itself, or x copied into `out`. Partial overlap is rejected
 * as in training mode (where the addon checks it).
 */
function identity<T extends FloatArray>(fn: string, x: T, out: T | undefined, xName = 'x'): T {
  // No kernel runs here, so the addon's detached check does not either (found by test/fuzz-detach.test.ts).
  notDetached(fn, xName, x);
  if (out !== undefined) notDetached(fn, 'options.out', out);
  if (out === undefined || out === x) return x;
  if (out.buffer === x.buffer && !(out.byteOffset === x.byteOffset)) {
    const disjoint = out.byteOffset + out.byteLength <= x.byteOffset || x.byteOffset + x.byteLength <= out.byteOffset;
    if (!disjoint) {
      throw rangeError(fn, ErrorCode.OVERLAP, 'options.out',
        'options.out overlaps the input partially; pass the same array for in-place operation or a disjoint one');
    }
  }
  out.set(x);
  return out;
}

function seluOptions<T extends FloatArray>(p: Parsed<T>): SeluOptions {
  return { out: p.out, alpha: p.alpha, scale: p.scale };
}

/**
 * Alpha-dropout: out[i] = kept ? a·x[i] + b : a·α' + b, with a, b chosen so that an input of mean
 * `mean` and variance `variance` keeps them (REFERENCE.md §3). Kept values are fma(a, x, b) in the
 * array's precision with a and b rounded to it once; dropped values are the double a·α' + b rounded
 * once. Returns `options.out` (a new array of x's type when omitted).
 */
export function alphaDropout<T extends FloatArray>(x: T, options: DropoutOptions): T;
/** On a DeviceArray: the GPU path (lib/cuda/dropout.ts); enqueued, returns a DeviceArray. */
export function alphaDropout(x: DeviceArray, options: DeviceDropoutOptions): DeviceArray;
export function alphaDropout<T extends FloatArray>(x: T | DeviceArray, options: DropoutOptions | DeviceDropoutOptions): T | DeviceArray {
  if (!isFloatArray(x) && x instanceof DeviceArray) return alphaDropoutDevice(x, options as DeviceDropoutOptions);
  const input = floatArray('alphaDropout', 'x', x) as T;
  const p = parse('alphaDropout', input, 'x', options);
  if (!p.training) return identity('alphaDropout', input, p.out);
  return binding.alphaDropout(input, p.out ?? newLike(input), p.seed, p.offset, p.rate, p.a, p.b, p.dropped);
}

/** Like {@link alphaDropout}, computed off the main thread. Do not modify x or out until the promise settles. */
export function alphaDropoutAsync<T extends FloatArray>(x: T, options: DropoutOptions): Promise<T>;
/** On a DeviceArray: the GPU path (lib/cuda/dropout.ts); resolves once computed. */
export function alphaDropoutAsync(x: DeviceArray, options: DeviceDropoutOptions): Promise<DeviceArray>;
export async function alphaDropoutAsync<T extends FloatArray>(x: T | DeviceArray, options: DropoutOptions | DeviceDropoutOptions): Promise<T | DeviceArray> {
  if (!isFloatArray(x) && x instanceof DeviceArray) return alphaDropoutDeviceAsync(x, options as DeviceDropoutOptions);
  const input = floatArray('alphaDropoutAsync', 'x', x) as T;
  const p = parse('alphaDropoutAsync', input, 'x', options);
  if (!p.training) return identity('alphaDropoutAsync', input, p.out);
  return ownedUntilSettled('alphaDropoutAsync',
    binding.alphaDropoutAsync(input, p.out ?? newLike(input), p.seed, p.offset, p.rate, p.a, p.b, p.dropped),
    [['x', input], ['options.out', p.out]]);
}

/**
 * The gradient of {@link alphaDropout} with respect to x: a·gradOutput[i] where element i was kept,
 * +0 where it was dropped (a dropped output does not depend on x, so its gradient is exactly 0 even
 * for a NaN or infinite gradOutput). The mask is regenerated from `seed`, `offset` and `rate`: pass the
 * forward call's options. a·gradOutput is one product rounded to the array's precision.
 */
export function alphaDropoutBackward<T extends FloatArray>(gradOutput: T, options: DropoutOptions): T;
/** On a DeviceArray: the GPU path (lib/cuda/dropout.ts); enqueued, returns a DeviceArray. */
export function alphaDropoutBackward(gradOutput: DeviceArray, options: DeviceDropoutOptions): DeviceArray;
export function alphaDropoutBackward<T extends FloatArray>(gradOutput: T | DeviceArray, options: DropoutOptions | DeviceDropoutOptions): T | DeviceArray {
  if (!isFloatArray(gradOutput) && gradOutput instanceof DeviceArray) return alphaDropoutBackwardDevice(gradOutput, options as DeviceDropoutOptions);
  const grad = floatArray('alphaDropoutBackward', 'gradOutput', gradOutput) as T;
  const p = parse('alphaDropoutBackward', grad, 'gradOutput', options);
  if (!p.training) return identity('alphaDropoutBackward', grad, p.out, 'gradOutput');
  return binding.alphaDropoutBackward(grad, p.out ?? newLike(grad), p.seed, p.offset, p.rate, p.a);
}

/** Like {@link alphaDropoutBackward}, computed off the main thread. */
export function alphaDropoutBackwardAsync<T extends FloatArray>(gradOutput: T, options: DropoutOptions): Promise<T>;
/** On a DeviceArray: the GPU path (lib/cuda/dropout.ts); resolves once computed. */
export function alphaDropoutBackwardAsync(gradOutput: DeviceArray, options: DeviceDropoutOptions): Promise<DeviceArray>;
export async function alphaDropoutBackwardAsync<T extends FloatArray>(gradOutput: T | DeviceArray, options: DropoutOptions | DeviceDropoutOptions): Promise<T | DeviceArray> {
  if (!isFloatArray(gradOutput) && gradOutput instanceof DeviceArray) return alphaDropoutBackwardDeviceAsync(gradOutput, options as DeviceDropoutOptions);
  const grad = floatArray('alphaDropoutBackwardAsync', 'gradOutput', gradOutput) as T;
  const p = parse('alphaDropoutBackwardAsync', grad, 'gradOutput', options);
  if (!p.training) return identity('alphaDropoutBackwardAsync', grad, p.out, 'gradOutput');
  return ownedUntilSettled('alphaDropoutBackwardAsync',
    binding.alphaDropoutBackwardAsync(grad, p.out ?? newLike(grad), p.seed, p.offset, p.rate, p.a),
    [['gradOutput', grad], ['options.out', p.out]]);
}

function parseMask(fn: string, length: unknown, options: unknown): [number, Stream] {
  const n = integerInRange(fn, 'length', length, 0, bufferConstants.MAX_LENGTH);
  const o = requiredOptions<DropoutMaskOptions>(fn, options, MASK_OPTION_KEYS);
  const rate = o.rate; // read once (see parse)
  alphaDropoutParameters({ rate: rate as number }, fn, 'options'); // the rate checks every dropout function makes
  return [n, stream(fn, o, rate as number, n)];
}

/**
 * The keep mask of `length` elements from stream position `offset` on: 1 = kept, 0 = dropped, exactly
 * the decisions alphaDropout and the other functions make with the same rate, seed and offset.
 */
export function alphaDropoutMask(length: number, options: DropoutMaskOptions): Uint8Array {
  const [n, s] = parseMask('alphaDropoutMask', length, options);
  return binding.alphaDropoutMask(new Uint8Array(n), s.seed, s.offset, s.rate);
}

/** Like {@link alphaDropoutMask}, computed off the main thread. */
export async function alphaDropoutMaskAsync(length: number, options: DropoutMaskOptions): Promise<Uint8Array> {
  const [n, s] = parseMask('alphaDropoutMaskAsync', length, options);
  return binding.alphaDropoutMaskAsync(new Uint8Array(n), s.seed, s.offset, s.rate);
}

/**
 * SELU then alpha-dropout in one pass over memory: equal, bit for bit, to
 * alphaDropout(selu(x, { alpha, scale }), options) (same α and λ in both, same SIMD level), but x is
 * read once and the output written once.
 */
export function seluAlphaDropout<T extends FloatArray>(x: T, options: DropoutOptions): T;
/** On a DeviceArray: the GPU path (lib/cuda/dropout.ts); enqueued, returns a DeviceArray. */
export function seluAlphaDropout(x: DeviceArray, options: DeviceDropoutOptions): DeviceArray;
export function seluAlphaDropout<T extends FloatArray>(x: T | DeviceArray, options: DropoutOptions | DeviceDropoutOptions): T | DeviceArray {
  if (!isFloatArray(x) && x instanceof DeviceArray) return seluAlphaDropoutDevice(x, options as DeviceDropoutOptions);
  const input = floatArray('seluAlphaDropout', 'x', x) as T;
  const p = parse('seluAlphaDropout', input, 'x', options);
  if (!p.training) return selu(input, seluOptions(p));
  return binding.seluAlphaDropout(input, p.out ?? newLike(input), p.seed, p.offset, p.rate, p.a, p.b, p.dropped, ...p.k);
}

/** Like {@link seluAlphaDropout}, computed off the main thread. */
export function seluAlphaDropoutAsync<T extends FloatArray>(x: T, options: DropoutOptions): Promise<T>;
/** On a DeviceArray: the GPU path (lib/cuda/dropout.ts); resolves once computed. */
export function seluAlphaDropoutAsync(x: DeviceArray, options: DeviceDropoutOptions): Promise<DeviceArray>;
export async function seluAlphaDropoutAsync<T extends FloatArray>(x: T | DeviceArray, options: DropoutOptions | DeviceDropoutOptions): Promise<T | DeviceArray> {
  if (!isFloatArray(x) && x instanceof DeviceArray) return seluAlphaDropoutDeviceAsync(x, options as DeviceDropoutOptions);
  const input = floatArray('seluAlphaDropoutAsync', 'x', x) as T;
  const p = parse('seluAlphaDropoutAsync', input, 'x', options);
  if (!p.training) return seluAsync(input, seluOptions(p));
  return ownedUntilSettled('seluAlphaDropoutAsync',
    binding.seluAlphaDropoutAsync(input, p.out ?? newLike(input), p.seed, p.offset, p.rate, p.a, p.b, p.dropped, ...p.k),
    [['x', input], ['options.out', p.out]]);
}

/**
 * The gradient of {@link seluAlphaDropout} with respect to its input x, in one pass:
 * out[i] = kept ? a·t[i] : +0 with t[i] = gradOutput[i]·selu'(input[i]) rounded to the array's
 * precision as seluBackward computes it, then multiplied by a (rounded to the precision once) with one
 * more rounding; equal, bit for bit, to alphaDropoutBackward(seluBackward(gradOutput, input), options).
 * `input` is the forward call's x (not its output).
 */
export function seluAlphaDropoutBackward<T extends FloatArray>(gradOutput: T, input: T, options: DropoutOptions): T;
/** On DeviceArrays (both): the GPU path (lib/cuda/dropout.ts). */
export function seluAlphaDropoutBackward(gradOutput: DeviceArray, input: DeviceArray, options: DeviceDropoutOptions): DeviceArray;
export function seluAlphaDropoutBackward<T extends FloatArray>(gradOutput: T | DeviceArray, input: T | DeviceArray, options: DropoutOptions | DeviceDropoutOptions): T | DeviceArray {
  if (!isFloatArray(gradOutput) && gradOutput instanceof DeviceArray) return seluAlphaDropoutBackwardDevice(gradOutput, input, options as DeviceDropoutOptions);
  const grad = floatArray('seluAlphaDropoutBackward', 'gradOutput', gradOutput) as T;
  const x = floatArray('seluAlphaDropoutBackward', 'input', input) as T;
  sameShape('seluAlphaDropoutBackward', 'gradOutput', grad, 'input', x);
  const p = parse('seluAlphaDropoutBackward', grad, 'gradOutput', options);
  if (!p.training) return seluBackward(grad, x, seluOptions(p));
  return binding.seluAlphaDropoutBackward(grad, x, p.out ?? newLike(grad), p.seed, p.offset, p.rate, p.a, ...p.k);
}

/** Like {@link seluAlphaDropoutBackward}, computed off the main thread. */
export function seluAlphaDropoutBackwardAsync<T extends FloatArray>(gradOutput: T, input: T, options: DropoutOptions): Promise<T>;
/** On DeviceArrays (both): the GPU path (lib/cuda/dropout.ts). */
export function seluAlphaDropoutBackwardAsync(gradOutput: DeviceArray, input: DeviceArray, options: DeviceDropoutOptions): Promise<DeviceArray>;
export async function seluAlphaDropoutBackwardAsync<T extends FloatArray>(gradOutput: T | DeviceArray, input: T | DeviceArray, options: DropoutOptions | DeviceDropoutOptions): Promise<T | DeviceArray> {
  if (!isFloatArray(gradOutput) && gradOutput instanceof DeviceArray) return seluAlphaDropoutBackwardDeviceAsync(gradOutput, input, options as DeviceDropoutOptions);
  const grad = floatArray('seluAlphaDropoutBackwardAsync', 'gradOutput', gradOutput) as T;
  const x = floatArray('seluAlphaDropoutBackwardAsync', 'input', input) as T;
  sameShape('seluAlphaDropoutBackwardAsync', 'gradOutput', grad, 'input', x);
  const p = parse('seluAlphaDropoutBackwardAsync', grad, 'gradOutput', options);
  if (!p.training) return seluBackwardAsync(grad, x, seluOptions(p));
  return ownedUntilSettled('seluAlphaDropoutBackwardAsync',
    binding.seluAlphaDropoutBackwardAsync(grad, x, p.out ?? newLike(grad), p.seed, p.offset, p.rate, p.a, ...p.k),
    [['gradOutput', grad], ['input', x], ['options.out', p.out]]);
}
