/**
 * Fixed points, SELU parameters for a chosen fixed point, the contraction grid search and the
 * alpha-dropout parameters, against the paper's numbers and the mpmath reference
 * (test/fixtures/theory-solutions.json from scripts/gen-theory-fixtures.py).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SELU_ALPHA, SELU_SCALE } from '../lib/constants';
import { theory } from '../lib/theory';
import { alphaDropoutParameters } from '../lib/theory/dropout-parameters';

const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'theory-solutions.json'), 'utf8')) as {
  fixedPoints: Array<{ omega: number; tau: number; alpha: number; scale: number; mu: number; nu: number; spectralNorm: number }>;
  parameters: Array<{ mean: number; variance: number; alpha: number; scale: number }>;
  contraction: {
    domain: { mu: [number, number]; omega: [number, number]; nu: [number, number]; tau: [number, number] };
    steps: number; maxSpectralNorm: number; at: { mu: number; omega: number; nu: number; tau: number };
  };
  dropout: Array<{ rate: number; mean: number; variance: number; a: number; b: number; droppedValue: number }>;
};

const rel = (y: number, r: number) => (y === r ? 0 : Math.abs(y - r) / Math.abs(r));

describe('theory.fixedPoint', () => {
  test('the paper: (α01, λ01) with ω = 0, τ = 1 has the fixed point (0, 1), spectral norm 0.787673', () => {
    const r = theory.fixedPoint({ omega: 0, tau: 1 });
    expect(r.converged).toBe(true);
    expect(Math.abs(r.mu)).toBeLessThan(1e-15);
    expect(Math.abs(r.nu - 1)).toBeLessThan(1e-14);
    expect(r.spectralNorm).toBeCloseTo(0.787673, 6);
    expect(r.spectralNorm).toBeLessThan(1);
  });

  test('converges from elsewhere too', () => {
    for (const start of [{ mu: 0.5, nu: 3 }, { mu: -1, nu: 0.1 }, { mu: 2, nu: 10 }]) {
      const r = theory.fixedPoint({ omega: 0, tau: 1, start });
      expect(r.converged).toBe(true);
      expect(r.iterations).toBeGreaterThan(0);
      expect(Math.abs(r.mu)).toBeLessThan(1e-14);
      expect(Math.abs(r.nu - 1)).toBeLessThan(1e-13);
    }
  });

  test('matches mpmath for other weights and parameters', () => {
    for (const f of fixture.fixedPoints) {
      const r = theory.fixedPoint({ omega: f.omega, tau: f.tau, alpha: f.alpha, scale: f.scale });
      expect(r.converged).toBe(true);
      expect(Math.abs(r.mu - f.mu)).toBeLessThan(1e-13);
      expect(rel(r.nu, f.nu)).toBeLessThan(1e-13);
      expect(rel(r.spectralNorm, f.spectralNorm)).toBeLessThan(1e-12);
      // it is a fixed point of the map
      const g = theory.meanVarianceMap({ mu: r.mu, omega: f.omega, nu: r.nu, tau: f.tau, alpha: f.alpha, scale: f.scale });
      expect(Math.abs(g.mean - r.mu)).toBeLessThan(1e-14);
      expect(Math.abs(g.variance - r.nu)).toBeLessThan(1e-14);
    }
  });

  test('reports non-convergence instead of returning NaN', () => {
    // λ large: the variance grows without bound
    const r = theory.fixedPoint({ omega: 0, tau: 1, scale: 3, maxIterations: 20 });
    expect(r.converged).toBe(false);
    expect(Number.isFinite(r.mu) && Number.isFinite(r.nu) && r.nu > 0).toBe(true);
    expect(Number.isNaN(r.spectralNorm)).toBe(false);
    // ELU (α = λ = 1): the variance only decays towards 0, which is not reported as a fixed point
    const elu = theory.fixedPoint({ omega: 0, tau: 1, alpha: 1, scale: 1 });
    expect(elu.converged).toBe(false);
    expect(elu.nu).toBeLessThan(1e-20);
    const zero = theory.fixedPoint({ omega: 0, tau: 1, maxIterations: 0, start: { mu: 0.3, nu: 2 } });
    expect(zero).toMatchObject({ mu: 0.3, nu: 2, iterations: 0, converged: false });
  });
});

describe('theory.solveParameters', () => {
  test('{ mean: 0, variance: 1 } gives (α01, λ01) to 1e-12', () => {
    const r = theory.solveParameters({ mean: 0, variance: 1 });
    expect(rel(r.alpha, SELU_ALPHA)).toBeLessThan(1e-12);
    expect(rel(r.scale, SELU_SCALE)).toBeLessThan(1e-12);
  });

  test('matches mpmath for other targets, and the parameters reproduce the target', () => {
    for (const t of fixture.parameters) {
      const r = theory.solveParameters({ mean: t.mean, variance: t.variance });
      expect(rel(r.alpha, t.alpha)).toBeLessThan(1e-12);
      expect(rel(r.scale, t.scale)).toBeLessThan(1e-12);
      const g = theory.meanVarianceMap({ mu: t.mean, omega: 1, nu: t.variance, tau: 1, ...r });
      expect(Math.abs(g.mean - t.mean)).toBeLessThan(1e-14 * (1 + Math.abs(t.mean)));
      expect(rel(g.variance, t.variance)).toBeLessThan(1e-13);
    }
  });

  test('impossible or ill-posed targets are RangeError NO_SOLUTION', () => {
    const bad = [
      { mean: 0, variance: 0 },
      { mean: 0.5, variance: -1 },
      { mean: 3, variance: 0.01 }, // z is never negative: no α > 0 gives this variance
      { mean: -3, variance: 1e-4 }, // would need λ ~ 1e9775
    ];
    for (const target of bad) {
      let caught: unknown;
      try {
        theory.solveParameters(target);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(RangeError);
      expect(caught).toMatchObject({ code: 'ERR_SELU_NO_SOLUTION' });
      expect((caught as Error).message).toMatch(/^theory\.solveParameters\(\): /);
    }
  });
});

describe('theory.contractionBound', () => {
  const { domain, steps, maxSpectralNorm, at } = fixture.contraction;

  test('the paper\'s domain (Theorem 1): the largest grid norm matches mpmath, and is < 1', () => {
    const r = theory.contractionBound(domain, { steps });
    expect(rel(r.maxSpectralNorm, maxSpectralNorm)).toBeLessThan(1e-12);
    expect(r.at.mu).toBeCloseTo(at.mu, 15);
    expect(r.at.omega).toBeCloseTo(at.omega, 15);
    expect(r.at.nu).toBeCloseTo(at.nu, 15);
    expect(r.at.tau).toBeCloseTo(at.tau, 15);
    expect(r.at).toMatchObject({ alpha: SELU_ALPHA, scale: SELU_SCALE });
    expect(theory.spectralNorm(r.at)).toBe(r.maxSpectralNorm);
    const fine = theory.contractionBound(domain); // default 8 points per axis
    expect(fine.maxSpectralNorm).toBeLessThan(1);
    expect(fine.maxSpectralNorm).toBeGreaterThanOrEqual(maxSpectralNorm - 1e-12); // the corner is on both grids
  });

  test('a degenerate box is one point', () => {
    const p = { mu: 0.1, omega: -0.2, nu: 1.2, tau: 0.9 };
    const r = theory.contractionBound({ mu: [p.mu, p.mu], omega: [p.omega, p.omega], nu: [p.nu, p.nu], tau: [p.tau, p.tau] });
    expect(r.maxSpectralNorm).toBe(theory.spectralNorm(p));
  });

  test('alpha and scale options', () => {
    const r = theory.contractionBound(domain, { steps: 3, alpha: 1, scale: 1 });
    expect(r.at).toMatchObject({ alpha: 1, scale: 1 });
    expect(r.maxSpectralNorm).toBe(theory.spectralNorm(r.at));
  });
});

describe('theory.alphaDropoutParameters', () => {
  /** Mean and variance of a·(x·d + α'(1 − d)) + b for x of mean μ, variance ν, d ~ Bernoulli(q), independent. */
  function outputMoments(rate: number, mu: number, nu: number, a: number, b: number, alphaPrime: number) {
    const q = 1 - rate;
    const m = q * mu + (1 - q) * alphaPrime; // E[x·d + α'(1 − d)]
    const variance = q * nu + q * (1 - q) * (mu - alphaPrime) ** 2; // Var of the two-component mixture
    return { mean: a * m + b, variance: a * a * variance };
  }

  test('docs/ALPHA-DROPOUT.md example: rate 0.1 at (0, 1)', () => {
    const r = theory.alphaDropoutParameters({ rate: 0.1 });
    expect(r.a).toBeCloseTo(0.92128, 5);
    expect(r.b).toBeCloseTo(0.16197, 5);
    expect(r.droppedValue).toBeCloseTo(-1.45774, 5);
    expect(r.alphaPrime).toBe(-SELU_SCALE * SELU_ALPHA);
    // and the closed form for (0, 1): a = (q + α'²q(1 − q))^(−1/2), b = −a(1 − q)α'
    const q = 0.9;
    const ap = r.alphaPrime;
    expect(rel(r.a, 1 / Math.sqrt(q + ap * ap * q * (1 - q)))).toBeLessThan(1e-15);
    expect(rel(r.b, -r.a * (1 - q) * ap)).toBeLessThan(1e-15);
  });

  test('rate 0 is the identity', () => {
    expect(theory.alphaDropoutParameters({ rate: 0 })).toEqual({ a: 1, b: 0, alphaPrime: -SELU_SCALE * SELU_ALPHA, droppedValue: -SELU_SCALE * SELU_ALPHA });
    expect(theory.alphaDropoutParameters({ rate: 0, mean: 0.3, variance: 2 })).toMatchObject({ a: 1, b: 0 });
  });

  test('matches mpmath, custom (mean, variance) included', () => {
    for (const d of fixture.dropout) {
      const r = theory.alphaDropoutParameters({ rate: d.rate, mean: d.mean, variance: d.variance });
      expect(rel(r.a, d.a)).toBeLessThan(1e-14);
      expect(Math.abs(r.b - d.b)).toBeLessThan(1e-14);
      expect(rel(r.droppedValue, d.droppedValue)).toBeLessThan(1e-14);
    }
  });

  test('keeps the mean μ and variance ν exactly, in theory', () => {
    for (const rate of [0.01, 0.05, 0.1, 0.2, 0.5, 0.9, 0.999]) {
      for (const [mu, nu] of [[0, 1], [0.1, 0.9], [-0.5, 2], [1, 0.01]]) {
        for (const [alpha, scale] of [[SELU_ALPHA, SELU_SCALE], [1.2, 1.3]]) {
          const r = theory.alphaDropoutParameters({ rate, mean: mu, variance: nu, alpha, scale });
          expect(r.alphaPrime).toBe(-scale * alpha);
          expect(r.droppedValue).toBe(r.a * r.alphaPrime + r.b);
          const o = outputMoments(rate, mu, nu, r.a, r.b, r.alphaPrime);
          expect(Math.abs(o.mean - mu)).toBeLessThan(1e-14 * (1 + Math.abs(r.alphaPrime)));
          expect(rel(o.variance, nu)).toBeLessThan(1e-13);
        }
      }
    }
  });

  test('the module function is the same, with the caller\'s name and argument prefix in errors', () => {
    expect(alphaDropoutParameters({ rate: 0.1 })).toEqual(theory.alphaDropoutParameters({ rate: 0.1 }));
    expect(() => alphaDropoutParameters({ rate: 1 }, 'alphaDropout')).toThrow(/^alphaDropout\(\): p\.rate must be in \[0, 1\), got 1$/);
    let caught: unknown;
    try {
      alphaDropoutParameters({ rate: -0.5 }, 'alphaDropout', 'options');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RangeError);
    expect(caught).toMatchObject({ code: 'ERR_SELU_OUT_OF_RANGE', argument: 'options.rate' });
    expect((caught as Error).message).toBe('alphaDropout(): options.rate must be in [0, 1), got -0.5');
  });
});
