/**
 * The SELU constants of Klambauer et al. (2017) for the fixed point (mean 0, variance 1), as the
 * correctly rounded doubles of REFERENCE.md §1. test/constants.test.ts checks them against the
 * theory module's solution of E[selu(z)] = 0, Var[selu(z)] = 1 and the closed form of α01.
 */

/** α01 = −√(2/π) / (erfc(1/√2)·√e − 1) = 1.6732632423543772848… */
export const SELU_ALPHA = 1.6732632423543772;

/** λ01 = 1.0507009873554804934… */
export const SELU_SCALE = 1.0507009873554805;
