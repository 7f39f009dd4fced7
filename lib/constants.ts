/**
 * The SELU constants of Klambauer et al. (2017) for the fixed point (mean 0, variance 1), as the
 * correctly rounded doubles of docs/CONSTANTS.md, and the constants the kernels multiply by.
 * test/constants.test.ts checks them against the theory module and the closed form of α01.
 */

/** α01 = −√(2/π) / (erfc(1/√2)·√e − 1) = 1.6732632423543772848… */
export const SELU_ALPHA = 1.6732632423543772;

/** λ01 = 1.0507009873554804934… */
export const SELU_SCALE = 1.0507009873554805;

/**
 * What every SELU kernel receives: λ and λ·α each as an unevaluated sum hi + lo of two doubles
 * (a double-double), so kernels can multiply by them to within half an ulp.
 */
export type SeluKernelConstants = readonly [scaleHi: number, scaleLo: number, scaleAlphaHi: number, scaleAlphaLo: number];

/**
 * For the default parameters: the true λ01 and λ01·α01 to about 32 digits (λ01·α01 =
 * 1.75809934084737685994…; its correctly rounded double is 1.7580993408473768, while the product
 * of the two rounded doubles rounds to 1.7580993408473766, one ulp low).
 * Read-only by its type, not frozen: in Node 20 the k[i] reads of a frozen array went through V8's
 * generic keyed-load stub (6% of selu(x, {out})'s samples under `perf record`, none unfrozen; four
 * such reads took 26–65 ns against 9–16 ns unfrozen in a throwaway loop). No user can reach the
 * array: seluKernelConstants is internal.
 */
const DEFAULT_KERNEL_CONSTANTS: SeluKernelConstants = [
  1.0507009873554805, 3.987484766715415e-17, 1.7580993408473768, 1.415351938008446e-17,
];

const SPLITTER = 134217729; // 2^27 + 1, Veltkamp's splitting constant for doubles

/** The exact product a·b as hi + lo (Dekker's two-product; lo is 0 where splitting would overflow). */
function twoProduct(a: number, b: number): [number, number] {
  const hi = a * b;
  const sa = SPLITTER * a;
  const sb = SPLITTER * b;
  const aHi = sa - (sa - a);
  const aLo = a - aHi;
  const bHi = sb - (sb - b);
  const bLo = b - bHi;
  const lo = aHi * bHi - hi + aHi * bLo + aLo * bHi + aLo * bLo;
  return [hi, Number.isFinite(lo) ? lo : 0];
}

/**
 * The kernel constants for SELU parameters (alpha, scale): the exact values for user-given
 * parameters (taken as exact binary numbers), the true λ01, λ01·α01 for the defaults.
 */
export function seluKernelConstants(alpha: number, scale: number): SeluKernelConstants {
  if (alpha === SELU_ALPHA && scale === SELU_SCALE) return DEFAULT_KERNEL_CONSTANTS;
  const [saHi, saLo] = twoProduct(scale, alpha);
  return [scale, 0, saHi, saLo];
}
