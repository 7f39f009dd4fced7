/**
 * The theory of self-normalizing networks (Klambauer et al. 2017): the mean/variance map of a
 * SELU layer, its Jacobian and fixed points, the SELU parameters for a chosen fixed point, and the
 * alpha-dropout parameters that keep it. Pure TypeScript (no native addon needed).
 */
import { contractionBound } from './contraction-bound';
import { alphaDropoutParameters } from './dropout-parameters';
import { fixedPoint } from './fixed-point';
import { jacobian, spectralNorm } from './jacobian';
import { meanVarianceMap } from './mean-variance-map';
import { solveParameters } from './solve-parameters';
import type {
  AlphaDropoutInput, AlphaDropoutParameters, ContractionBound, ContractionBoundOptions, ContractionDomain,
  FixedPointInput, FixedPointResult, Jacobian, MapPoint, MeanVariance, MeanVarianceTarget, SeluParameters,
} from './types';

export type {
  AlphaDropoutInput, AlphaDropoutParameters, ContractionBound, ContractionBoundOptions, ContractionDomain,
  FixedPointInput, FixedPointResult, Jacobian, MapPoint, MeanVariance, MeanVarianceTarget, SeluParameters,
};

export interface Theory {
  /** E[selu(z)], Var[selu(z)], E[selu(z)²] for z ~ N(μω, ντ): the map (μ, ν) ↦ (μ̃, ν̃). */
  meanVarianceMap(p: MapPoint): MeanVariance;
  /** [[∂μ̃/∂μ, ∂μ̃/∂ν], [∂ν̃/∂μ, ∂ν̃/∂ν]], analytic. */
  jacobian(p: MapPoint): Jacobian;
  /** The largest singular value of the Jacobian. */
  spectralNorm(p: MapPoint): number;
  /** The fixed point (μ, ν) = g(μ, ν) for weights (ω, τ), with the spectral norm there. */
  fixedPoint(p: FixedPointInput): FixedPointResult;
  /** (α, λ) with E[selu(z)] = mean, Var[selu(z)] = variance for z ~ N(mean, variance). */
  solveParameters(target: MeanVarianceTarget): SeluParameters;
  /** a, b of alpha-dropout that keep (mean, variance), docs/ALPHA-DROPOUT.md. */
  alphaDropoutParameters(p: AlphaDropoutInput): AlphaDropoutParameters;
  /** The largest spectral norm on a grid over a box of (μ, ω, ν, τ). */
  contractionBound(domain: ContractionDomain, options?: ContractionBoundOptions): ContractionBound;
}

export const theory: Theory = Object.freeze({
  meanVarianceMap,
  jacobian,
  spectralNorm,
  fixedPoint,
  solveParameters,
  alphaDropoutParameters: (p: AlphaDropoutInput) => alphaDropoutParameters(p),
  contractionBound,
});
