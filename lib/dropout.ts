/**
 * Alpha-dropout (Klambauer et al. 2017) on Float32Array / Float64Array, sync and async, with the keep
 * mask drawn from a counter-based stream (Philox4x32-10, docs/ALPHA-DROPOUT.md) instead of being stored:
 * element i of a call with `seed` s and `offset` o is kept or dropped according to the stream position
 * o + i alone. So the backward pass regenerates the forward mask from the same seed and offset, and
 * results do not depend on the thread count, the SIMD level or how an array is split across calls.
 *
 * The affine parameters a, b and the dropped value a·α' + b come from
 * lib/theory/dropout-parameters.ts (the single place where the formula lives).
 */
import type { DeviceStream } from './cuda/stream';
import type { DeviceArray } from './device-array';
import * as ops from './ops';
import type { Dtype } from './options';
import type { CpuData } from './tensor';

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
  /** … and variance (> 0, default 1) of the input (docs/ALPHA-DROPOUT.md). */
  variance?: number;
  /** SELU α (default SELU_ALPHA) and λ (default SELU_SCALE): α' = −scale·alpha; the fused functions also apply this SELU. */
  alpha?: number;
  scale?: number;
  /**
   * Where to write the result: the input's kind, dtype and length (for a tensor input: a tensor of its
   * type and dims, or a typed array like its data); may be the input itself (in place).
   */
  out?: CpuData;
  /**
   * The element type: required for a Uint16Array ('float16' or 'bfloat16': which format its bits hold);
   * optional otherwise, and then it must name the input's own type (TypeError ERR_SELU_DTYPE_MISMATCH).
   */
  dtype?: Dtype;

}

export interface DropoutMaskOptions extends Pick<DropoutOptions, 'rate' | 'seed' | 'offset'> {
  /** Where to write the mask: a Uint8Array (or Buffer) of `length` elements; a new one when omitted. */
  out?: Uint8Array;
}

/** The options of the GPU forms: those of {@link DropoutOptions}, with `out` a DeviceArray, and a stream. */
export interface DeviceDropoutOptions extends Omit<DropoutOptions, 'out'> {
  out?: DeviceArray;
  stream?: DeviceStream;
}

/**
 * Alpha-dropout: out[i] = kept ? a·x[i] + b : a·α' + b, with a, b chosen so that an input of mean
 * `mean` and variance `variance` keeps them (docs/ALPHA-DROPOUT.md). Kept values are fma(a, x, b) in the
 * array's precision with a and b rounded to it once; dropped values are the double a·α' + b rounded
 * once. Returns `options.out` (a new array of x's type when omitted).
 */
export function alphaDropout<T extends CpuData>(x: T, options: DropoutOptions): T;
/** On a DeviceArray: the GPU path (lib/ops/dropout.ts); enqueued, returns a DeviceArray. */
export function alphaDropout(x: DeviceArray, options: DeviceDropoutOptions): DeviceArray;
export function alphaDropout<T extends CpuData>(x: T | DeviceArray, options: DropoutOptions | DeviceDropoutOptions): T | DeviceArray {
  return ops.alphaDropout.sync(x, options) as T | DeviceArray;
}

/** Like {@link alphaDropout}, computed off the main thread. Do not modify x or out until the promise settles. */
export function alphaDropoutAsync<T extends CpuData>(x: T, options: DropoutOptions): Promise<T>;
/** On a DeviceArray: the GPU path (lib/ops/dropout.ts); resolves once computed. */
export function alphaDropoutAsync(x: DeviceArray, options: DeviceDropoutOptions): Promise<DeviceArray>;
export function alphaDropoutAsync<T extends CpuData>(x: T | DeviceArray, options: DropoutOptions | DeviceDropoutOptions): Promise<T | DeviceArray> {
  return ops.alphaDropout.async(x, options) as Promise<T | DeviceArray>;
}

/**
 * The gradient of {@link alphaDropout} with respect to x: a·gradOutput[i] where element i was kept,
 * +0 where it was dropped (a dropped output does not depend on x, so its gradient is exactly 0 even
 * for a NaN or infinite gradOutput). The mask is regenerated from `seed`, `offset` and `rate`: pass the
 * forward call's options. a·gradOutput is one product rounded to the array's precision.
 */
export function alphaDropoutBackward<T extends CpuData>(gradOutput: T, options: DropoutOptions): T;
/** On a DeviceArray: the GPU path (lib/ops/dropout.ts); enqueued, returns a DeviceArray. */
export function alphaDropoutBackward(gradOutput: DeviceArray, options: DeviceDropoutOptions): DeviceArray;
export function alphaDropoutBackward<T extends CpuData>(gradOutput: T | DeviceArray, options: DropoutOptions | DeviceDropoutOptions): T | DeviceArray {
  return ops.alphaDropoutBackward.sync(gradOutput, options) as T | DeviceArray;
}

/** Like {@link alphaDropoutBackward}, computed off the main thread. */
export function alphaDropoutBackwardAsync<T extends CpuData>(gradOutput: T, options: DropoutOptions): Promise<T>;
/** On a DeviceArray: the GPU path (lib/ops/dropout.ts); resolves once computed. */
export function alphaDropoutBackwardAsync(gradOutput: DeviceArray, options: DeviceDropoutOptions): Promise<DeviceArray>;
export function alphaDropoutBackwardAsync<T extends CpuData>(gradOutput: T | DeviceArray, options: DropoutOptions | DeviceDropoutOptions): Promise<T | DeviceArray> {
  return ops.alphaDropoutBackward.async(gradOutput, options) as Promise<T | DeviceArray>;
}

/**
 * The keep mask of `length` elements from stream position `offset` on: 1 = kept, 0 = dropped, exactly
 * the decisions alphaDropout and the other functions make with the same rate, seed and offset.
 * Returns `options.out` (a new Uint8Array when omitted).
 */
export function alphaDropoutMask(length: number, options: DropoutMaskOptions): Uint8Array {
  return ops.alphaDropoutMask.sync(length, options) as Uint8Array;
}

/** Like {@link alphaDropoutMask}, computed off the main thread. */
export function alphaDropoutMaskAsync(length: number, options: DropoutMaskOptions): Promise<Uint8Array> {
  return ops.alphaDropoutMask.async(length, options) as Promise<Uint8Array>;
}

/**
 * SELU then alpha-dropout in one pass over memory: equal, bit for bit, to
 * alphaDropout(selu(x, { alpha, scale }), options) (same α and λ in both, same SIMD level), but x is
 * read once and the output written once.
 */
export function seluAlphaDropout<T extends CpuData>(x: T, options: DropoutOptions): T;
/** On a DeviceArray: the GPU path (lib/ops/dropout.ts); enqueued, returns a DeviceArray. */
export function seluAlphaDropout(x: DeviceArray, options: DeviceDropoutOptions): DeviceArray;
export function seluAlphaDropout<T extends CpuData>(x: T | DeviceArray, options: DropoutOptions | DeviceDropoutOptions): T | DeviceArray {
  return ops.seluAlphaDropout.sync(x, options) as T | DeviceArray;
}

/** Like {@link seluAlphaDropout}, computed off the main thread. */
export function seluAlphaDropoutAsync<T extends CpuData>(x: T, options: DropoutOptions): Promise<T>;
/** On a DeviceArray: the GPU path (lib/ops/dropout.ts); resolves once computed. */
export function seluAlphaDropoutAsync(x: DeviceArray, options: DeviceDropoutOptions): Promise<DeviceArray>;
export function seluAlphaDropoutAsync<T extends CpuData>(x: T | DeviceArray, options: DropoutOptions | DeviceDropoutOptions): Promise<T | DeviceArray> {
  return ops.seluAlphaDropout.async(x, options) as Promise<T | DeviceArray>;
}

/**
 * The gradient of {@link seluAlphaDropout} with respect to its input x, in one pass:
 * out[i] = kept ? a·t[i] : +0 with t[i] = gradOutput[i]·selu'(input[i]) rounded to the array's
 * precision as seluBackward computes it, then multiplied by a (rounded to the precision once) with one
 * more rounding; equal, bit for bit, to alphaDropoutBackward(seluBackward(gradOutput, input), options).
 * `input` is the forward call's x (not its output).
 */
export function seluAlphaDropoutBackward<T extends CpuData>(gradOutput: T, input: T, options: DropoutOptions): T;
/** On DeviceArrays (both): the GPU path (lib/ops/dropout.ts). */
export function seluAlphaDropoutBackward(gradOutput: DeviceArray, input: DeviceArray, options: DeviceDropoutOptions): DeviceArray;
export function seluAlphaDropoutBackward<T extends CpuData>(gradOutput: T | DeviceArray, input: T | DeviceArray, options: DropoutOptions | DeviceDropoutOptions): T | DeviceArray {
  return ops.seluAlphaDropoutBackward.sync(gradOutput, input, options) as T | DeviceArray;
}

/** Like {@link seluAlphaDropoutBackward}, computed off the main thread. */
export function seluAlphaDropoutBackwardAsync<T extends CpuData>(gradOutput: T, input: T, options: DropoutOptions): Promise<T>;
/** On DeviceArrays (both): the GPU path (lib/ops/dropout.ts). */
export function seluAlphaDropoutBackwardAsync(gradOutput: DeviceArray, input: DeviceArray, options: DeviceDropoutOptions): Promise<DeviceArray>;
export function seluAlphaDropoutBackwardAsync<T extends CpuData>(gradOutput: T | DeviceArray, input: T | DeviceArray, options: DropoutOptions | DeviceDropoutOptions): Promise<T | DeviceArray> {
  return ops.seluAlphaDropoutBackward.async(gradOutput, input, options) as Promise<T | DeviceArray>;
}
