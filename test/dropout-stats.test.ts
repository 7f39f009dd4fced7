/**
 * Alpha-dropout keeps the fixed point (docs/ALPHA-DROPOUT.md): for x ~ N(0, 1), selu(x) has mean 0 and
 * variance 1, and so has alphaDropout(selu(x), { rate }); with a custom target (mean μ, variance ν) an
 * input of that mean and variance keeps it. n = 10^7; every check is within 5 standard errors, and
 * the kept fraction within 5σ of 1 − rate. Means and variances come from moments() (tested to 1e-12
 * in cpp/tests/moments); standard errors from the sample's fourth moment.
 */
import { type FloatArray, alphaDropout, alphaDropoutMask, moments, selu, seluAlphaDropout } from '../lib';
import { normalInWorker } from './helpers/normal-worker';

const N = 10_000_000;
let z: Float64Array;

beforeAll(async () => {
  z = await normalInWorker(N, 20261127);
}, 120_000);

/** Mean and variance of y with their standard errors (m4 from the first 10^6 values). */
function stats(y: FloatArray): { mean: number; variance: number; seMean: number; seVariance: number } {
  const { mean, variance } = moments(y);
  let m4 = 0;
  const k = 1_000_000;
  for (let i = 0; i < k; i++) m4 += (y[i] - mean) ** 4;
  m4 /= k;
  return { mean, variance, seMean: Math.sqrt(variance / N), seVariance: Math.sqrt((m4 - variance * variance) / N) };
}

function expectFixedPoint(y: FloatArray, mu: number, nu: number): void {
  const s = stats(y);
  expect(Math.abs(s.mean - mu)).toBeLessThan(5 * s.seMean);
  expect(Math.abs(s.variance - nu)).toBeLessThan(5 * s.seVariance);
}

describe.each([0.05, 0.1, 0.2, 0.5])('rate %p', (rate) => {
  test('alphaDropout(selu(x)) has mean 0 and variance 1 (float32)', () => {
    const x = selu(new Float32Array(z));
    expectFixedPoint(x, 0, 1); // the SELU fixed point itself
    expectFixedPoint(alphaDropout(x, { rate, seed: Math.round(rate * 1000) }), 0, 1);
  });

  test('the fused seluAlphaDropout(x) has mean 0 and variance 1 (float32)', () => {
    expectFixedPoint(seluAlphaDropout(new Float32Array(z), { rate, seed: 7 + Math.round(rate * 1000) }), 0, 1);
  });

  test('the kept fraction is within 5σ of 1 − rate', () => {
    const mask = alphaDropoutMask(N, { rate, seed: 99, offset: 12345 });
    const kept = moments(new Float32Array(mask)).mean;
    expect(Math.abs(kept - (1 - rate))).toBeLessThan(5 * Math.sqrt((rate * (1 - rate)) / N));
  });
});

test('the check has power: a 10% variance error or a wrong scale a is detected', () => {
  const x = selu(new Float32Array(z));
  // Parameters for variance 1.1 applied to data of variance 1: the output variance is off by ~10%.
  expect(() => expectFixedPoint(alphaDropout(x, { rate: 0.2, seed: 1, variance: 1.1 }), 0, 1)).toThrow();
  // Parameters for mean 0.01 on data of mean 0 shift the output mean by 0.01·(1 − a·q) ≈ 0.003: 9 standard errors.
  expect(() => expectFixedPoint(alphaDropout(x, { rate: 0.2, seed: 1, mean: 0.01 }), 0, 1)).toThrow();
});

test('float64: alphaDropout(selu(x), { rate: 0.1 }) has mean 0 and variance 1', () => {
  expectFixedPoint(alphaDropout(selu(new Float64Array(z)), { rate: 0.1, seed: 3n }), 0, 1);
});

test.each([
  [0.5, 2, 0.2], [-1, 0.25, 0.1], [0, 1, 0.5],
])('a custom target (mean %p, variance %p) at rate %p is kept', async (mu, nu, rate) => {
  const x = new Float32Array(await normalInWorker(N, 11, mu, Math.sqrt(nu)));
  expectFixedPoint(x, mu, nu);
  expectFixedPoint(alphaDropout(x, { rate, seed: 5, mean: mu, variance: nu }), mu, nu);
}, 120_000);
