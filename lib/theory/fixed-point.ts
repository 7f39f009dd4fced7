/** The fixed point of the mean/variance map for given weights (ω, τ). */
import { SELU_ALPHA, SELU_SCALE } from '../constants';
import { ErrorCode, rangeError } from '../errors';
import { jacobianAt, spectralNorm2x2 } from './jacobian';
import { seluGaussianMoments } from './moments';
import type { FixedPointInput, FixedPointResult, Jacobian } from './types';
import { finiteNumber, finiteProduct, integerInRange, optionalRecord, positive, positiveProduct, record } from './validate';

const KEYS: ReadonlySet<string> = new Set(['omega', 'tau', 'alpha', 'scale', 'start', 'tolerance', 'maxIterations']);
const START_KEYS: ReadonlySet<string> = new Set(['mu', 'nu']);

/**
 * Below this ν·τ selu acts on z as a linear function to ~1e-10, the map is ν ↦ c·ν, and a "fixed
 * point" there is the variance collapsing to 0 (it occurs for c = 1, e.g. ELU with ω = 0, τ = 1).
 */
const MIN_VARIANCE = 1e-20;

interface State {
  mu: number;
  nu: number;
  /** μ̃ − μ and ν̃ − ν */
  g0: number;
  g1: number;
  /** log(ν̃/ν) */
  logRatio: number;
  /** |(μ̃ − μ, log(ν̃/ν))|, what the line search reduces */
  residual: number;
}

/**
 * Solves g(μ, ν) = (μ, ν) for the map g of {@link meanVarianceMap} with weights (ω, τ), by Newton's
 * method on (μ̃ − μ, log(ν̃/ν)) in (μ, log ν) with a backtracking line search (falling back to the
 * plain iteration x ← g(x) where a Newton step does not reduce the residual). Working in log ν keeps
 * ν > 0 and keeps Newton away from the degenerate root ν = 0 (a zero-variance "fixed point" that
 * g(x) − x has for ω = 0). Newton also finds fixed points that do not attract (spectralNorm ≥ 1),
 * so the result tells whether (α, λ) is self-normalizing for these weights: converged with
 * spectralNorm < 1.
 *
 * Converged means |μ̃ − μ| ≤ tolerance·(|μ| + √ν), |ν̃ − ν| ≤ tolerance·ν, and a Newton
 * correction below 1e-6 (relative), which rules out a variance sliding to 0, and ν·τ > 1e-20. Returns
 * converged: false (and the last iterate) when that is not reached within maxIterations steps,
 * e.g. when the variance runs off to infinity or to 0 (ELU, α = λ = 1, for ω = 0, τ = 1).
 */
export function fixedPoint(p: FixedPointInput): FixedPointResult {
  const fn = 'theory.fixedPoint';
  const o = record(fn, 'p', p, KEYS);
  const omega = finiteNumber(fn, 'p.omega', o.omega);
  const tau = positive(fn, 'p.tau', o.tau);
  const alpha = finiteNumber(fn, 'p.alpha', o.alpha, SELU_ALPHA);
  const scale = finiteNumber(fn, 'p.scale', o.scale, SELU_SCALE);
  const s = optionalRecord(fn, 'p.start', o.start, START_KEYS);
  const mu0 = o.start === undefined ? 0 : finiteNumber(fn, 'p.start.mu', s.mu);
  const nu0 = o.start === undefined ? 1 : positive(fn, 'p.start.nu', s.nu);
  const tolerance = positive(fn, 'p.tolerance', o.tolerance, 1e-12);
  const maxIterations = integerInRange(fn, 'p.maxIterations', o.maxIterations, 0, 1e6, 100);
  finiteProduct(fn, 'p.start.mu', mu0, 'p.omega', omega);
  positiveProduct(fn, 'p.start.nu', nu0, 'p.tau', tau);

  const evaluate = (mu: number, nu: number): State | undefined => {
    const m = mu * omega;
    const v = nu * tau;
    if (!(nu > 0) || !(v > 0) || !Number.isFinite(m) || !Number.isFinite(v)) return undefined;
    const r = seluGaussianMoments(m, v, alpha, scale);
    const g0 = r.mean - mu;
    const g1 = r.variance - nu;
    const logRatio = Math.log1p(g1 / nu);
    const residual = Math.hypot(g0, logRatio);
    if (!Number.isFinite(residual)) return undefined;
    return { mu, nu, g0, g1, logRatio, residual };
  };
  const jacobianOf = (x: State): Jacobian => jacobianAt({ omega, tau, alpha, scale, m: x.mu * omega, v: x.nu * tau });
  // Small residuals, and a small Newton correction: near ν = 0 the relative residual can fall below
  // the tolerance (ν̃/ν → 1 for ELU-like maps) while Newton keeps dividing ν by a constant factor.
  const done = (x: State) => {
    if (!(x.nu * tau > MIN_VARIANCE)) return false;
    if (!(Math.abs(x.g0) <= tolerance * (Math.abs(x.mu) + Math.sqrt(x.nu)) && Math.abs(x.g1) <= tolerance * x.nu)) return false;
    const [d0, d1] = newtonDirection(x, jacobianOf(x));
    return Math.abs(d1) <= 1e-6 && Math.abs(d0) <= 1e-6 * (Math.abs(x.mu) + Math.sqrt(x.nu)); // false for NaN (singular)
  };

  const first = evaluate(mu0, nu0);
  if (first === undefined) {
    throw rangeError(fn, ErrorCode.OUT_OF_RANGE, 'p.start', 'the map overflows at p.start');
  }
  let x: State = first;
  let iterations = 0;
  let converged = done(x);
  while (!converged && iterations < maxIterations) {
    const next: State | undefined = newtonStep(x, jacobianOf(x), evaluate) ?? evaluate(x.mu + x.g0, x.nu + x.g1);
    if (next === undefined) break;
    x = next;
    iterations++;
    converged = done(x);
  }
  // Polish: up to two more Newton steps, while they still reduce the residual (not counted).
  for (let k = 0; converged && k < 2 && x.residual > 0; k++) {
    const y = newtonStep(x, jacobianOf(x), evaluate);
    if (y === undefined) break;
    x = y;
  }
  const sn = spectralNorm2x2(jacobianOf(x));
  return { mu: x.mu, nu: x.nu, iterations, converged, spectralNorm: Number.isFinite(sn) ? sn : Infinity };
}

/** The Newton correction (Δμ, Δlog ν) for (μ̃ − μ, log ν̃ − log ν) = 0 (non-finite where singular). */
function newtonDirection(x: State, j: Jacobian): [number, number] {
  // d/d(μ, log ν) of (μ̃ − μ, log ν̃ − log ν), with ν̃ = ν + g1
  const nuTilde = x.nu + x.g1;
  const a = j[0][0] - 1;
  const b = j[0][1] * x.nu;
  const c = j[1][0] / nuTilde;
  const d = (j[1][1] * x.nu) / nuTilde - 1;
  const det = a * d - b * c;
  return [(-x.g0 * d + b * x.logRatio) / det, (c * x.g0 - a * x.logRatio) / det];
}

/** One damped Newton step in (μ, log ν); undefined when no step length reduces the residual. */
function newtonStep(x: State, j: Jacobian, evaluate: (mu: number, nu: number) => State | undefined): State | undefined {
  const [d0, direction1] = newtonDirection(x, j);
  let d1 = direction1;
  if (!Number.isFinite(d0) || !Number.isFinite(d1)) return undefined;
  const cap = Math.min(1, 8 / Math.abs(d1)); // at most a factor e^8 in ν per step
  d1 *= cap;
  for (let t = 1, k = 0; k < 40; k++, t *= 0.5) {
    const y = evaluate(x.mu + t * cap * d0, x.nu * Math.exp(t * d1));
    if (y !== undefined && y.residual < (1 - 1e-4 * t) * x.residual) return y;
  }
  return undefined;
}
