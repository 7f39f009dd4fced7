/**
 * The types of the theory module (Klambauer et al. 2017, "Self-Normalizing Neural Networks").
 *
 * Notation of the paper: a unit's inputs have mean μ and variance ν, its weights sum to ω = Σwᵢ
 * and their squares to τ = Σwᵢ²; its pre-activation z is then ≈ N(μω, ντ), and the map
 * g: (μ, ν) ↦ (μ̃, ν̃) = (E[selu(z)], Var[selu(z)]) gives the mean and variance of its output.
 */

/** A point of the map: input mean μ and variance ν, weight sum ω and squared-weight sum τ (ν·τ > 0). */
export interface MapPoint {
  mu: number;
  omega: number;
  nu: number;
  tau: number;
  /** α, default SELU_ALPHA (α01). Any finite number. */
  alpha?: number;
  /** λ, default SELU_SCALE (λ01). Any finite number. */
  scale?: number;
}

/** E[selu(z)], Var[selu(z)] and E[selu(z)²] for z ~ N(μω, ντ). */
export interface MeanVariance {
  mean: number;
  variance: number;
  secondMoment: number;
}

/** [[∂μ̃/∂μ, ∂μ̃/∂ν], [∂ν̃/∂μ, ∂ν̃/∂ν]] */
export type Jacobian = [[number, number], [number, number]];

export interface FixedPointInput {
  omega: number;
  /** > 0 */
  tau: number;
  alpha?: number;
  scale?: number;
  /** Where the search starts, default { mu: 0, nu: 1 }; nu > 0. */
  start?: { mu: number; nu: number };
  /** Converged when |μ̃ − μ| ≤ tolerance·(|μ| + √ν) and |ν̃ − ν| ≤ tolerance·ν; default 1e-12. */
  tolerance?: number;
  /** Default 100. */
  maxIterations?: number;
}

export interface FixedPointResult {
  mu: number;
  nu: number;
  /** Steps taken to reach the tolerance (Newton steps, or plain x ← g(x) steps where Newton does not help). */
  iterations: number;
  converged: boolean;
  /**
   * Largest singular value of the map's Jacobian at (mu, nu): < 1 means the fixed point attracts.
   * Infinity when it overflows a double (not contracting).
   */
  spectralNorm: number;
}

export interface SeluParameters {
  alpha: number;
  scale: number;
}

export interface MeanVarianceTarget {
  mean: number;
  /** > 0 */
  variance: number;
}

export interface AlphaDropoutInput {
  /** Drop probability, 0 ≤ rate < 1. */
  rate: number;
  /** The fixed point the dropout must keep: mean (default 0) … */
  mean?: number;
  /** … and variance (> 0, default 1). */
  variance?: number;
  alpha?: number;
  scale?: number;
}

export interface AlphaDropoutParameters {
  /** out = a·(x·d + α'·(1 − d)) + b */
  a: number;
  b: number;
  /** α' = −scale·alpha, the value a dropped unit is set to before the affine correction. */
  alphaPrime: number;
  /** a·α' + b, what a dropped element becomes. */
  droppedValue: number;
}

/** A box in (μ, ω, ν, τ), each [low, high]; ν and τ must be > 0 throughout. */
export interface ContractionDomain {
  mu: readonly [number, number];
  omega: readonly [number, number];
  nu: readonly [number, number];
  tau: readonly [number, number];
}

export interface ContractionBoundOptions {
  /** Grid points per axis, both ends included, 2 to 1000; default 8 (8⁴ = 4096 points). */
  steps?: number;
  alpha?: number;
  scale?: number;
}

export interface ContractionBound {
  /** The largest spectral norm of the Jacobian found on the grid (a lower bound for the true maximum over the box). */
  maxSpectralNorm: number;
  /** Where it was found (with the alpha and scale used). */
  at: Required<MapPoint>;
}
