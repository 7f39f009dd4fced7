/** The Jacobian of the mean/variance map and its spectral norm. */
import { type ParsedPoint, parseMapPoint } from './map-point';
import { seluGaussianMoments } from './moments';
import type { Jacobian, MapPoint } from './types';
import { finiteResult } from './validate';

/**
 * The Jacobian at a parsed point, from the closed-form derivatives of lib/theory/moments.ts:
 * ∂/∂μ = ω·∂/∂m, ∂/∂ν = τ·∂/∂v, and ν̃ = ξ̃ − μ̃² gives ∂ν̃ = ∂ξ̃ − 2μ̃·∂μ̃.
 */
export function jacobianAt(q: Pick<ParsedPoint, 'omega' | 'tau' | 'alpha' | 'scale' | 'm' | 'v'>): Jacobian {
  const r = seluGaussianMoments(q.m, q.v, q.alpha, q.scale);
  return [
    [q.omega * r.dMeanDm, q.tau * r.dMeanDv],
    [q.omega * (r.dSecondDm - 2 * r.mean * r.dMeanDm), q.tau * (r.dSecondDv - 2 * r.mean * r.dMeanDv)],
  ];
}

/** The largest singular value of [[a, b], [c, d]], as (|(a + d, c − b)| + |(a − d, b + c)|)/2 (no cancellation). */
export function spectralNorm2x2(j: Jacobian): number {
  const [[a, b], [c, d]] = j;
  return 0.5 * (Math.hypot(a + d, c - b) + Math.hypot(a - d, b + c));
}

/** [[∂μ̃/∂μ, ∂μ̃/∂ν], [∂ν̃/∂μ, ∂ν̃/∂ν]] at p, analytic (not finite differences). */
export function jacobian(p: MapPoint): Jacobian {
  const fn = 'theory.jacobian';
  const q = parseMapPoint(fn, p);
  const j = jacobianAt(q);
  finiteResult(fn, 'p', 'the Jacobian', j[0][0], j[0][1], j[1][0], j[1][1]);
  return j;
}

/** The spectral norm (largest singular value) of the Jacobian at p: < 1 means the map contracts there. */
export function spectralNorm(p: MapPoint): number {
  const fn = 'theory.spectralNorm';
  const q = parseMapPoint(fn, p);
  const j = jacobianAt(q);
  finiteResult(fn, 'p', 'the Jacobian', j[0][0], j[0][1], j[1][0], j[1][1]);
  // Finite entries near the largest double can still sum past it (found by test/fuzz-api.test.ts):
  // throw as contractionBound does rather than return Infinity.
  const norm = spectralNorm2x2(j);
  finiteResult(fn, 'p', 'the spectral norm', norm);
  return norm;
}
