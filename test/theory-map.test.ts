/**
 * The mean/variance map, its Jacobian and spectral norm against the mpmath reference
 * (test/fixtures/theory-map.json from scripts/gen-theory-fixtures.py: the paper's formulas at 50
 * digits, the Jacobian by mpmath's numerical differentiation of them, and mp.quad integrals).
 *
 * Contract: mean and second moment within 1e-12 relative, variance within 1e-12·secondMoment,
 * Jacobian entries within 1e-9 relative or 1e-12 absolute, over |μω| ≤ 3, 1e-4 ≤ ντ ≤ 500. The mean
 * crosses 0 inside the domain, where no double computation can be relatively accurate: there the
 * bound is 1e-15·λ(|μω| + √(ντ)) absolute.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SELU_ALPHA, SELU_SCALE } from '../lib/constants';
import { theory, type MapPoint } from '../lib/theory';

interface Entry {
  p: MapPoint;
  mean: number;
  secondMoment: number;
  variance: number;
  jacobian: [[number, number], [number, number]];
  spectralNorm?: number;
}
const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'theory-map.json'), 'utf8')) as {
  points: Entry[]; extreme: Entry[]; quad: Array<{ p: MapPoint; mean: number; secondMoment: number }>;
};

const rel = (y: number, r: number) => (y === r ? 0 : Math.abs(y - r) / Math.abs(r));

/** Error of the mean in units of its tolerance (≤ 1 passes). */
function meanError(p: MapPoint, y: number, r: number): number {
  const scale = Math.abs(p.scale ?? SELU_SCALE) * (Math.abs(p.mu * p.omega) + Math.sqrt(p.nu * p.tau));
  return Math.abs(y - r) / (1e-12 * Math.abs(r) + 1e-15 * scale);
}

/** Error of a Jacobian entry in units of its tolerance (1e-9 relative or 1e-12 absolute). */
function jacobianError(y: number, r: number): number {
  const e = Math.abs(y - r);
  return e === 0 ? 0 : Math.min(e / (1e-9 * Math.abs(r)), e / 1e-12);
}

describe('theory.meanVarianceMap against mpmath', () => {
  test('covers the contract domain: |μω| ≤ 3, ντ from 1e-4 to 500, non-default α and λ', () => {
    const m = fixture.points.map((e) => e.p.mu * e.p.omega);
    const v = fixture.points.map((e) => e.p.nu * e.p.tau);
    expect(fixture.points.length).toBeGreaterThan(300);
    expect(Math.min(...m)).toBeCloseTo(-3, 12);
    expect(Math.max(...m)).toBeCloseTo(3, 12);
    expect(Math.min(...v)).toBeCloseTo(1e-4, 16);
    expect(Math.max(...v)).toBeCloseTo(500, 10);
    expect(fixture.points.filter((e) => e.p.alpha !== undefined).length).toBeGreaterThan(80);
  });

  test.each([['points'], ['extreme']] as const)('mean, second moment, variance (%s)', (set) => {
    const worst = { mean: 0, second: 0, varianceVsSecond: 0, variance: 0 };
    for (const e of fixture[set]) {
      const r = theory.meanVarianceMap(e.p);
      worst.mean = Math.max(worst.mean, meanError(e.p, r.mean, e.mean));
      worst.second = Math.max(worst.second, rel(r.secondMoment, e.secondMoment));
      worst.varianceVsSecond = Math.max(worst.varianceVsSecond, Math.abs(r.variance - e.variance) / e.secondMoment);
      if (e.variance > 0) worst.variance = Math.max(worst.variance, rel(r.variance, e.variance));
    }
    expect(worst.mean).toBeLessThanOrEqual(1);
    expect(worst.second).toBeLessThan(1e-12);
    expect(worst.varianceVsSecond).toBeLessThan(1e-12);
    // stronger than the contract: the variance is computed without the cancellation of ξ̃ − μ̃²
    expect(worst.variance).toBeLessThan(1e-12);
  });

  test.each([['points'], ['extreme']] as const)('Jacobian and spectral norm (%s)', (set) => {
    let worst = 0;
    let worstNorm = 0;
    for (const e of fixture[set]) {
      const j = theory.jacobian(e.p);
      for (let i = 0; i < 2; i++) for (let k = 0; k < 2; k++) worst = Math.max(worst, jacobianError(j[i][k], e.jacobian[i][k]));
      if (e.spectralNorm !== undefined) worstNorm = Math.max(worstNorm, rel(theory.spectralNorm(e.p), e.spectralNorm));
    }
    expect(worst).toBeLessThanOrEqual(1);
    expect(worstNorm).toBeLessThan(1e-9);
  });

  test('agrees with direct numerical integration of selu(z) and selu(z)² (mp.quad)', () => {
    for (const q of fixture.quad) {
      const r = theory.meanVarianceMap(q.p);
      expect(meanError(q.p, r.mean, q.mean)).toBeLessThanOrEqual(1);
      expect(rel(r.secondMoment, q.secondMoment)).toBeLessThan(1e-12);
    }
  });
});

describe('theory.meanVarianceMap properties', () => {
  test('the paper: at μ = 0, ν = 1, ω = 0, τ = 1 the map is (0, 1), Jacobian [[0, 0.088835], [0, 0.782648]], norm 0.787673', () => {
    const p = { mu: 0, omega: 0, nu: 1, tau: 1 };
    const r = theory.meanVarianceMap(p);
    expect(Math.abs(r.mean)).toBeLessThan(1e-15);
    expect(r.variance).toBeCloseTo(1, 15);
    expect(r.secondMoment).toBeCloseTo(1, 15);
    const j = theory.jacobian(p);
    expect(j[0][0]).toBe(0);
    expect(j[1][0]).toBe(0);
    expect(j[0][1]).toBeCloseTo(0.088835, 6);
    expect(j[1][1]).toBeCloseTo(0.782648, 6);
    expect(theory.spectralNorm(p)).toBeCloseTo(0.787673, 6);
  });

  test('defaults are SELU_ALPHA and SELU_SCALE', () => {
    const p = { mu: 0.3, omega: 1.1, nu: 0.7, tau: 0.9 };
    expect(theory.meanVarianceMap(p)).toEqual(theory.meanVarianceMap({ ...p, alpha: SELU_ALPHA, scale: SELU_SCALE }));
    expect(theory.jacobian(p)).toEqual(theory.jacobian({ ...p, alpha: SELU_ALPHA, scale: SELU_SCALE }));
  });

  test('ω = 0: μ drops out', () => {
    const a = theory.meanVarianceMap({ mu: -5, omega: 0, nu: 1.3, tau: 0.8 });
    const b = theory.meanVarianceMap({ mu: 7, omega: 0, nu: 1.3, tau: 0.8 });
    expect(a).toEqual(b);
  });

  test('large and tiny arguments never give Infinity or NaN, and variance ≤ second moment', () => {
    const ms = [-1e6, -1e4, -700, -100, -30, -3, -1e-8, 0, 1e-8, 3, 30, 100, 700, 1e4, 1e6];
    const vs = [1e-300, 1e-100, 1e-12, 1e-4, 0.5, 1, 2, 500, 900, 1e4, 1e10, 1e100, 1e300];
    for (const m of ms) {
      for (const v of vs) {
        for (const [alpha, scale] of [[SELU_ALPHA, SELU_SCALE], [2.5, 0.9]]) {
          const p = { mu: m, omega: 1, nu: v, tau: 1, alpha, scale };
          const r = theory.meanVarianceMap(p);
          const values = [r.mean, r.variance, r.secondMoment, ...theory.jacobian(p).flat(), theory.spectralNorm(p)];
          for (const x of values) expect(Number.isFinite(x)).toBe(true);
          expect(r.variance).toBeGreaterThanOrEqual(0);
          expect(r.secondMoment).toBeGreaterThanOrEqual(r.variance * (1 - 1e-15));
          expect(r.secondMoment).toBeGreaterThanOrEqual(r.mean * r.mean * (1 - 1e-15));
        }
      }
    }
  });

  test('limits: z ≫ 0 gives selu linear, z ≪ 0 gives the saturation −λα', () => {
    const pos = theory.meanVarianceMap({ mu: 3, omega: 1, nu: 1e-4, tau: 1 });
    expect(rel(pos.mean, SELU_SCALE * 3)).toBeLessThan(1e-15);
    expect(rel(pos.variance, SELU_SCALE ** 2 * 1e-4)).toBeLessThan(1e-14);
    const neg = theory.meanVarianceMap({ mu: -700, omega: 1, nu: 1, tau: 1 });
    expect(rel(neg.mean, -SELU_SCALE * SELU_ALPHA)).toBeLessThan(1e-15);
    expect(neg.variance).toBe(0); // e^-700-sized, below double resolution relative to λα
    // the variance of the near-linear negative branch: λ²α²e^(2m)·v to first order
    const tiny = theory.meanVarianceMap({ mu: -2, omega: 1, nu: 1e-10, tau: 1 });
    expect(rel(tiny.variance, (SELU_SCALE * SELU_ALPHA * Math.exp(-2)) ** 2 * 1e-10)).toBeLessThan(1e-9);
  });

  test('a second moment beyond double range is a RangeError, not Infinity', () => {
    expect(() => theory.meanVarianceMap({ mu: 1e200, omega: 1, nu: 1, tau: 1 })).toThrow(RangeError);
    expect(() => theory.meanVarianceMap({ mu: 0, omega: 1, nu: 1e308, tau: 1.7 })).toThrow(RangeError);
  });
});
