/**
 * The alpha-dropout affine parameters (REFERENCE.md §3): the single source of the formula, used by
 * theory.alphaDropoutParameters and by the alpha-dropout kernels' wrapper.
 */
import { SELU_ALPHA, SELU_SCALE } from '../constants';
import { ErrorCode, describe, rangeError, typeError } from '../errors';
import type { AlphaDropoutInput, AlphaDropoutParameters } from './types';
import { finiteNumber, finiteResult, positive, record } from './validate';

export type { AlphaDropoutInput, AlphaDropoutParameters } from './types';

const KEYS: ReadonlySet<string> = new Set(['rate', 'mean', 'variance', 'alpha', 'scale']);

/**
 * a and b of alpha-dropout, out = a·(x·d + α'·(1 − d)) + b with keep mask d (P(d = 1) = q = 1 − rate)
 * and α' = −scale·alpha, such that an input of mean μ and variance ν (default 0 and 1) leaves with
 * mean μ and variance ν:
 *   a = √( ν / (q·((1 − q)(α' − μ)² + ν)) ),  b = μ − a·(q·μ + (1 − q)·α').
 * Rate 0 gives exactly a = 1, b = 0. Example: rate 0.1 at (0, 1) → a = 0.92128, b = 0.16197,
 * dropped value a·α' + b = −1.45774.
 *
 * @param p       rate (0 ≤ rate < 1); mean, variance (> 0), alpha, scale optional, finite
 * @param fn      the function named in error messages (the kernels' wrapper passes its own name)
 * @param name    how error messages and `error.argument` call p (e.g. 'options'), default 'p'
 * @throws TypeError (INVALID_ARG, UNKNOWN_OPTION) or RangeError (OUT_OF_RANGE) naming the argument
 */
export function alphaDropoutParameters(p: AlphaDropoutInput, fn = 'theory.alphaDropoutParameters', name = 'p'): AlphaDropoutParameters {
  const o = record(fn, name, p, KEYS);
  const rate = dropRate(fn, `${name}.rate`, o.rate);
  const mu = finiteNumber(fn, `${name}.mean`, o.mean, 0);
  const nu = positive(fn, `${name}.variance`, o.variance, 1);
  const alpha = finiteNumber(fn, `${name}.alpha`, o.alpha, SELU_ALPHA);
  const scale = finiteNumber(fn, `${name}.scale`, o.scale, SELU_SCALE);
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

/** A drop rate: a number in [0, 1). */
function dropRate(fn: string, name: string, value: unknown): number {
  if (typeof value !== 'number') {
    throw typeError(fn, ErrorCode.INVALID_ARG, name, `${name} must be a number in [0, 1), got ${describe(value)}`);
  }
  if (!(value >= 0 && value < 1)) {
    throw rangeError(fn, ErrorCode.OUT_OF_RANGE, name, `${name} must be in [0, 1), got ${describe(value)}`);
  }
  return value;
}
