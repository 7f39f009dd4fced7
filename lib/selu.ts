/**
 * SELU forward and backward on Float32Array / Float64Array, sync and async.
 */
import { binding } from './binding';
import { SELU_ALPHA, SELU_SCALE, type SeluKernelConstants, seluKernelConstants } from './constants';
import { type FloatArray, finiteNumber, floatArray, options, outputArray, sameShape } from './validate';

export interface SeluOptions {
  /** Where to write the result: same dtype and length as the input; may be the input itself (in place). */
  out?: FloatArray;
  /** α, default {@link SELU_ALPHA}. Any finite number. */
  alpha?: number;
  /** λ, default {@link SELU_SCALE}. Any finite number. */
  scale?: number;
}

const SELU_OPTION_KEYS: ReadonlySet<string> = new Set(['out', 'alpha', 'scale']);

interface Parsed<T extends FloatArray> { out: T; k: SeluKernelConstants }

function parseForward<T extends FloatArray>(fn: string, x: unknown, opts: unknown): [T, Parsed<T>] {
  const input = floatArray(fn, 'x', x) as T;
  if (opts === undefined) {
    return [input, { out: new (input.constructor as new (n: number) => T)(input.length), k: seluKernelConstants(SELU_ALPHA, SELU_SCALE) }];
  }
  const o = options<SeluOptions>(fn, opts, SELU_OPTION_KEYS);
  const alpha = finiteNumber(fn, 'options.alpha', o.alpha, SELU_ALPHA);
  const scale = finiteNumber(fn, 'options.scale', o.scale, SELU_SCALE);
  const out = outputArray(fn, o.out, input, 'x', [['x', input]]) as T;
  return [input, { out, k: seluKernelConstants(alpha, scale) }];
}

function parseBackward<T extends FloatArray>(fn: string, gradOutput: unknown, input: unknown, opts: unknown): [T, T, Parsed<T>] {
  const grad = floatArray(fn, 'gradOutput', gradOutput) as T;
  const x = floatArray(fn, 'input', input) as T;
  sameShape(fn, 'gradOutput', grad, 'input', x);
  const o = options<SeluOptions>(fn, opts, SELU_OPTION_KEYS);
  const alpha = finiteNumber(fn, 'options.alpha', o.alpha, SELU_ALPHA);
  const scale = finiteNumber(fn, 'options.scale', o.scale, SELU_SCALE);
  const out = outputArray(fn, o.out, grad, 'gradOutput', [['gradOutput', grad], ['input', x]]) as T;
  return [grad, x, { out, k: seluKernelConstants(alpha, scale) }];
}

/**
 * selu(x) = scale·x for x > 0, scale·alpha·(eˣ − 1) otherwise, element-wise.
 * Returns `options.out` (a new array of x's type when omitted).
 */
export function selu<T extends FloatArray>(x: T, options?: SeluOptions): T {
  const [input, p] = parseForward<T>('selu', x, options);
  return binding.selu(input, p.out, ...p.k);
}

/** Like {@link selu}, computed off the main thread. Do not modify x or out until the promise settles. */
export function seluAsync<T extends FloatArray>(x: T, options?: SeluOptions): Promise<T> {
  try {
    const [input, p] = parseForward<T>('seluAsync', x, options);
    return binding.seluAsync(input, p.out, ...p.k);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * The gradient of SELU with respect to its input: gradOutput · selu'(input), where
 * selu'(x) = scale for x > 0 and scale·alpha·eˣ otherwise (computed from x, not from selu(x)).
 */
export function seluBackward<T extends FloatArray>(gradOutput: T, input: T, options?: SeluOptions): T {
  const [grad, x, p] = parseBackward<T>('seluBackward', gradOutput, input, options);
  return binding.seluBackward(grad, x, p.out, ...p.k);
}

/** Like {@link seluBackward}, computed off the main thread. */
export function seluBackwardAsync<T extends FloatArray>(gradOutput: T, input: T, options?: SeluOptions): Promise<T> {
  try {
    const [grad, x, p] = parseBackward<T>('seluBackwardAsync', gradOutput, input, options);
    return binding.seluBackwardAsync(grad, x, p.out, ...p.k);
  } catch (error) {
    return Promise.reject(error);
  }
}
