/**
 * The analytic map against sampling: moments(selu(z)) over 1e7 samples of z ~ N(μω, ντ) must match
 * theory.meanVarianceMap within 5 standard errors (docs/THEORY.md; issue 4's Monte Carlo check).
 */
import { moments, selu, theory } from '../lib';
import { normalInWorker } from './helpers/normal-worker';

const N = 1e7;

const POINTS: Array<{ mu: number; nu: number; alpha?: number; scale?: number }> = [
  { mu: 0, nu: 1 },
  { mu: 0.5, nu: 0.7 },
  { mu: -1, nu: 2 },
  { mu: 0.2, nu: 0.05 },
  { mu: 1.5, nu: 4 },
  { mu: -0.3, nu: 1.3, alpha: 1.2, scale: 1.1 },
];

test.each(POINTS)('E[selu(z)] and Var[selu(z)] at μω=$mu, ντ=$nu match sampling', async ({ mu, nu, alpha, scale }) => {
  const z = await normalInWorker(N, 1000 + Math.round(mu * 100 + nu * 10), mu, Math.sqrt(nu));
  const y = selu(z, { alpha, scale });
  const sample = moments(y);
  const exact = theory.meanVarianceMap({ mu, omega: 1, nu, tau: 1, alpha, scale });
  // Standard errors from the sample: σ/√n for the mean, √((m4 − σ⁴)/n) for the variance.
  let m4 = 0;
  for (let i = 0; i < y.length; i++) m4 += (y[i] - sample.mean) ** 4;
  m4 /= y.length;
  const seMean = Math.sqrt(sample.variance / N);
  const seVariance = Math.sqrt((m4 - sample.variance ** 2) / N);
  expect(sample.count).toBe(N);
  expect(Math.abs(sample.mean - exact.mean)).toBeLessThan(5 * seMean);
  expect(Math.abs(sample.variance - exact.variance)).toBeLessThan(5 * seVariance);
});
