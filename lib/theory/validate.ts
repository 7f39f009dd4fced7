/**
 * Argument checks only the theory module needs, built on the options layer's (lib/options.ts, which
 * this module re-exports, so theory files import from one place).
 */
import { ErrorCode, describe, rangeError, typeError } from '../errors';
import * as options from '../options';

// Plain properties, not `export { … } from '../options'`: TypeScript's getters put a module's exports
// object in V8's dictionary mode, and every theory function reads its checks from this one (lib/index.ts).
export const { finiteNumber, integerInRange, record } = options;
const { positiveNumber } = options;

/** {@link record}, or an empty object for undefined (optional arguments). */
export function optionalRecord(fn: string, name: string, value: unknown, allowed: ReadonlySet<string>): Record<string, unknown> {
  return value === undefined ? {} : record(fn, name, value, allowed);
}

/** A finite number > 0 (RangeError with `code` OUT_OF_RANGE otherwise). */
export const positive = positiveNumber;

/** A closed interval [lo, hi] given as a two-element array of finite numbers with lo ≤ hi. */
export function interval(fn: string, name: string, value: unknown): [number, number] {
  if (!Array.isArray(value) || value.length !== 2) {
    throw typeError(fn, ErrorCode.INVALID_ARG, name, `${name} must be an array [low, high] of two finite numbers, got ${describe(value)}`);
  }
  const lo = finiteNumber(fn, `${name}[0]`, value[0]);
  const hi = finiteNumber(fn, `${name}[1]`, value[1]);
  if (lo > hi) throw rangeError(fn, ErrorCode.OUT_OF_RANGE, name, `${name} must have low ≤ high, got [${lo}, ${hi}]`);
  return [lo, hi];
}

/** The product of two checked numbers, which must be finite. */
export function finiteProduct(fn: string, aName: string, a: number, bName: string, b: number): number {
  const product = a * b;
  if (!Number.isFinite(product)) {
    throw rangeError(fn, ErrorCode.OUT_OF_RANGE, aName, `${aName} * ${bName} must be finite, got ${describe(product)}`);
  }
  return product;
}

/** ν·τ, the variance of the pre-activation: finite and > 0 (the argument named is the factor at fault). */
export function positiveProduct(fn: string, nuName: string, nu: number, tauName: string, tau: number): number {
  const product = nu * tau;
  if (!(product > 0)) {
    throw rangeError(fn, ErrorCode.OUT_OF_RANGE, nu > 0 ? tauName : nuName, `${nuName} * ${tauName} must be > 0, got ${describe(product)}`);
  }
  return finiteProduct(fn, nuName, nu, tauName, tau);
}

/** Throws a RangeError (OUT_OF_RANGE) unless every value is finite: results never carry NaN or Infinity. */
export function finiteResult(fn: string, argument: string, what: string, ...values: number[]): void {
  for (const x of values) {
    if (!Number.isFinite(x)) {
      throw rangeError(fn, ErrorCode.OUT_OF_RANGE, argument, `${what} is not representable as a double (overflow) for this ${argument}`);
    }
  }
}
