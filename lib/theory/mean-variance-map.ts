/** The paper's mean/variance map (Eq. 4 and 5, docs/THEORY.md). */
import { parseMapPoint } from './map-point';
import { seluGaussianMoments } from './moments';
import type { MapPoint, MeanVariance } from './types';
import { finiteResult } from './validate';

/**
 * The mean, variance and second moment of selu(z) for z ~ N(μω, ντ): the map
 * (μ, ν) ↦ (μ̃, ν̃) of Klambauer et al. (2017). Accurate to ~1e-15 relative (the variance to
 * ~1e-14) for every ν·τ > 0, from 1e-12 to 1e300; never Infinity or NaN (a RangeError when the
 * second moment overflows a double).
 */
export function meanVarianceMap(p: MapPoint): MeanVariance {
  const fn = 'theory.meanVarianceMap';
  const q = parseMapPoint(fn, p);
  const r = seluGaussianMoments(q.m, q.v, q.alpha, q.scale);
  finiteResult(fn, 'p', 'the second moment', r.mean, r.second, r.variance);
  return { mean: r.mean, variance: r.variance, secondMoment: r.second };
}
