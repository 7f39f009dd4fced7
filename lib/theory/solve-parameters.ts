/** SELU parameters (α, λ) for a chosen fixed point (docs/THEORY.md). */
import { ErrorCode, describe, rangeError } from '../errors';
import { gaussianPieces } from './moments';
import type { MeanVarianceTarget, SeluParameters } from './types';
import { finiteNumber, record } from './validate';

const KEYS: ReadonlySet<string> = new Set(['mean', 'variance']);
const START: SeluParameters = { alpha: 1.67, scale: 1.05 };

/**
 * (α, λ) with α > 0, λ > 0 such that E[selu(z)] = mean and Var[selu(z)] = variance for
 * z ~ N(mean, variance): the paper's construction of a fixed point (μω = mean, ντ = variance).
 * { mean: 0, variance: 1 } gives (α01, λ01), the fixed point (0, 1) for ω = 0, τ = 1.
 *
 * Method: with z's distribution fixed, the equations are
 *   λ·(P₁ + α·N₁) = mean,  λ²·(P₂ + α²·N₂) = variance + mean²
 * (lib/theory/moments.ts), solved by Newton's method in (α, λ) from (1.67, 1.05) with a backtracking
 * line search. Eliminating λ leaves a quadratic in α, whose roots tell whether a solution exists at
 * all; where Newton fails, the valid root closest to α = 1.67 is polished by Newton instead.
 * Where mean ≫ √variance (or mean ≪ −√variance), z is almost never negative (positive) and the
 * target hardly depends on α (λ): such targets are rejected as ill-conditioned rather than answered
 * with digits that mean nothing.
 *
 * @throws RangeError NO_SOLUTION when variance ≤ 0, when no α > 0, λ > 0 reach the target, or when
 *   the target determines them too poorly (condition number > 1e10)
 */
export function solveParameters(target: MeanVarianceTarget): SeluParameters {
  const fn = 'theory.solveParameters';
  const o = record(fn, 'target', target, KEYS);
  const mean = finiteNumber(fn, 'target.mean', o.mean);
  const variance = finiteNumber(fn, 'target.variance', o.variance);
  if (!(variance > 0)) {
    throw rangeError(fn, ErrorCode.NO_SOLUTION, 'target.variance',
      `target.variance must be > 0 (no SELU output has variance ${describe(variance)}), got ${describe(variance)}`);
  }
  const noSolution = (why: string) => rangeError(fn, ErrorCode.NO_SOLUTION, 'target',
    `no SELU parameters (alpha > 0, scale > 0) reach target (mean ${mean}, variance ${variance}) for z ~ N(${mean}, ${variance}): ${why}`);

  const q = gaussianPieces(mean, variance);
  const sys: System = { A: q.P1, B: q.N1, C: q.P2, D: q.N2, mean, second: variance + mean * mean, variance };
  if (!Number.isFinite(sys.second) || !(q.N1 < 0) || !(q.N2 > 0)) throw noSolution('the problem is out of double range');

  let solution = polish(sys, START);
  const roots = solution === undefined ? quadraticRoots(sys) : [];
  roots.sort((x, y) => Math.abs(x.alpha - START.alpha) - Math.abs(y.alpha - START.alpha));
  for (let i = 0; solution === undefined && i < roots.length; i++) solution = polish(sys, roots[i]);
  if (solution === undefined) {
    throw noSolution(roots.length === 0 ? 'the equations have no root with alpha > 0, scale > 0' : 'Newton\'s method did not converge');
  }
  const kappa = conditionNumber(sys, solution);
  if (!(kappa <= MAX_CONDITION)) {
    throw noSolution(`the target hardly depends on alpha (condition number ${kappa.toExponential(1)}), so alpha is not determined in double precision`);
  }
  return solution;
}

/** Beyond this condition number of the (relative) Jacobian, α or λ is not determined to ~1e-6. */
const MAX_CONDITION = 1e10;

/** σmax/σmin of the Jacobian of the scaled residuals in (log α, log λ). */
function conditionNumber(s: System, p: SeluParameters): number {
  const w1 = 1 / (Math.sqrt(s.variance) + Math.abs(s.mean));
  const w2 = 1 / s.second;
  const { alpha, scale } = p;
  const a = w1 * scale * s.B * alpha;
  const b = w1 * (s.A + alpha * s.B) * scale;
  const c = w2 * 2 * scale * scale * alpha * s.D * alpha;
  const d = w2 * 2 * scale * (s.C + alpha * alpha * s.D) * scale;
  const h1 = Math.hypot(a + d, c - b);
  const h2 = Math.hypot(a - d, b + c);
  return (h1 + h2) / Math.abs(h1 - h2);
}

interface System {
  /** P₁, N₁, P₂, N₂ */
  A: number;
  B: number;
  C: number;
  D: number;
  mean: number;
  /** variance + mean² */
  second: number;
  variance: number;
}

/** Residuals scaled to O(1): λ(A + αB) − mean over √variance + |mean|, λ²(C + α²D) − second over second. */
function residuals(s: System, alpha: number, scale: number): [number, number] {
  return [
    (scale * (s.A + alpha * s.B) - s.mean) / (Math.sqrt(s.variance) + Math.abs(s.mean)),
    (scale * scale * (s.C + alpha * alpha * s.D) - s.second) / s.second,
  ];
}

/** Damped Newton from `start`; the solution when it converges to α > 0, λ > 0, else undefined. */
function polish(s: System, start: SeluParameters): SeluParameters | undefined {
  const w1 = 1 / (Math.sqrt(s.variance) + Math.abs(s.mean));
  const w2 = 1 / s.second;
  let alpha = start.alpha;
  let scale = start.scale;
  let r = residuals(s, alpha, scale);
  let norm = Math.hypot(r[0], r[1]);
  for (let iteration = 0; iteration < 100; iteration++) {
    if (norm === 0) break;
    // Jacobian of the scaled residuals in (α, λ)
    const j00 = w1 * scale * s.B;
    const j01 = w1 * (s.A + alpha * s.B);
    const j10 = w2 * 2 * scale * scale * alpha * s.D;
    const j11 = w2 * 2 * scale * (s.C + alpha * alpha * s.D);
    const det = j00 * j11 - j01 * j10;
    const da = -(r[0] * j11 - j01 * r[1]) / det;
    const dl = -(j00 * r[1] - j10 * r[0]) / det;
    if (!Number.isFinite(da) || !Number.isFinite(dl)) return undefined;
    let accepted = false;
    for (let t = 1, k = 0; k < 60; k++, t *= 0.5) {
      const a = alpha + t * da;
      const l = scale + t * dl;
      const rn = residuals(s, a, l);
      const nn = Math.hypot(rn[0], rn[1]);
      if (nn < norm * (1 - 1e-4 * t) || (nn <= norm && nn < 1e-15)) {
        const small = Math.abs(a - alpha) <= 1e-16 * Math.abs(a) && Math.abs(l - scale) <= 1e-16 * Math.abs(l);
        alpha = a;
        scale = l;
        r = rn;
        norm = nn;
        accepted = !small;
        break;
      }
    }
    if (!accepted) break;
  }
  if (!(norm <= 1e-13) || !(alpha > 0) || !(scale > 0)) return undefined;
  return { alpha, scale };
}

/**
 * The candidate solutions with α > 0, λ > 0 from the quadratic that eliminating λ leaves.
 * mean = 0: A + αB = 0. Otherwise, with K = second/mean²: (D − KB²)α² − 2KABα + (C − KA²) = 0 and
 * λ = mean/(A + αB).
 */
function quadraticRoots(s: System): SeluParameters[] {
  const out: SeluParameters[] = [];
  const push = (alpha: number) => {
    if (!(alpha > 0) || !Number.isFinite(alpha)) return;
    const scale = s.mean === 0 ? Math.sqrt(s.second / (s.C + alpha * alpha * s.D)) : s.mean / (s.A + alpha * s.B);
    if (scale > 0 && Number.isFinite(scale)) out.push({ alpha, scale });
  };
  if (s.mean === 0) {
    push(-s.A / s.B);
    return out;
  }
  const K = s.second / (s.mean * s.mean);
  if (!Number.isFinite(K)) return out;
  const qa = s.D - K * s.B * s.B;
  const qb = -2 * K * s.A * s.B;
  const qc = s.C - K * s.A * s.A;
  if (qa === 0) {
    push(-qc / qb);
    return out;
  }
  const disc = qb * qb - 4 * qa * qc;
  if (disc < 0) return out;
  const root = -0.5 * (qb + Math.sign(qb || 1) * Math.sqrt(disc)); // no cancellation
  push(root / qa);
  if (root !== 0) push(qc / root);
  return out;
}
