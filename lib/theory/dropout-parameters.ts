/**
 * The alpha-dropout affine parameters (docs/ALPHA-DROPOUT.md): the single source of the formula, used by
 * theory.alphaDropoutParameters and by the alpha-dropout ops (lib/ops/dropout.ts).
 */
import { SELU_ALPHA, SELU_SCALE } from '../constants';
import { ErrorCode, rangeError } from '../errors';
import { type Reader, dropRate, finiteOr, optionsReader, positiveOr } from '../options';
import type { AlphaDropoutInput, AlphaDropoutParameters } from './types';
import { finiteResult } from './validate';

export type { AlphaDropoutInput, AlphaDropoutParameters } from './types';

/** The keys of p (and of the dropout ops' options that set the parameters), with their checks. */
export const DROPOUT_PARAMETER_KEYS = {
  rate: dropRate,
  mean: finiteOr(0),
  variance: positiveOr(1),
  alpha: finiteOr(SELU_ALPHA),
  scale: finiteOr(SELU_SCALE),
};

/** The readers of p by the name errors give it ('p'; a caller may pass its own, e.g. 'options'). */
const readers = new Map<string, Reader<typeof DROPOUT_PARAMETER_KEYS>>();

function reader(name: string): Reader<typeof DROPOUT_PARAMETER_KEYS> {
  let r = readers.get(name);
  if (r === undefined) readers.set(name, r = optionsReader(DROPOUT_PARAMETER_KEYS, name, 'an object'));
  return r;
}

/**
 * a and b of alpha-dropout, out = a·(x·d + α'·(1 − d)) + b with keep mask d (P(d = 1) = q = 1 − rate)
 * and α' = −scale·alpha, such that an input of mean μ and variance ν (default 0 and 1) leaves with
 * mean μ and variance ν:
 *   a = √( ν / (q·((1 − q)(α' − μ)² + ν)) ),  b = μ − a·(q·μ + (1 − q)·α').
 * Rate 0 gives exactly a = 1, b = 0. Example: rate 0.1 at (0, 1) → a = 0.92128, b = 0.16197,
 * dropped value a·α' + b = −1.45774.
 *
 * @param p     rate (0 ≤ rate < 1); mean, variance (> 0), alpha, scale optional, finite
 * @param fn    the function named in error messages
 * @param name  how error messages and `error.argument` call p, default 'p'
 * @throws TypeError (INVALID_ARG, UNKNOWN_OPTION) or RangeError (OUT_OF_RANGE) naming the argument
 */
export function alphaDropoutParameters(p: AlphaDropoutInput, fn = 'theory.alphaDropoutParameters', name = 'p'): AlphaDropoutParameters {
  const o = reader(name)(fn, p);
  return dropoutAffine(fn, name, o.rate, o.mean, o.variance, o.alpha, o.scale);
}

/**
 * The formula of {@link alphaDropoutParameters} on checked values (the dropout ops call it with their
 * options' snapshot); `name` is the argument errors about the result name ('p', 'options').
 */
export function dropoutAffine(fn: string, name: string, rate: number, mu: number, nu: number, alpha: number, scale: number): AlphaDropoutParameters {
  const alphaPrime = -scale * alpha;
  finiteResult(fn, name, 'scale·alpha', alphaPrime);
  if (rate === 0) return { a: 1, b: 0, alphaPrime, droppedValue: alphaPrime };
  const q = 1 - rate;
  const gap = alphaPrime - mu;
  const a = Math.sqrt(nu / (q * (rate * gap * gap + nu))); // 1 − q is rate, exactly
  const b = mu - a * (q * mu + rate * alphaPrime);
  const droppedValue = a * alphaPrime + b;
  finiteResult(fn, name, 'the dropout parameters', a, b, droppedValue);
  if (!(a > 0)) {
    throw rangeError(fn, ErrorCode.OUT_OF_RANGE, name, `the dropout scale a underflows to 0 for this ${name} (|alpha·scale − mean| is too large for variance ${nu})`);
  }
  return { a, b, alphaPrime, droppedValue };
}
