/**
 * erfcx(x) = e^(x²)·erfc(x) and erfc against mpmath (test/fixtures/theory-erfcx.json, written by
 * scripts/gen-theory-fixtures.py): within 1e-15 relative from x = −26.5 to 1e300.
 */
import { erfc, erfcx, expNegSquare } from '../lib/theory/erfcx';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'theory-erfcx.json'), 'utf8')) as {
  x: number[]; erfcx: number[]; erfc: number[];
};

const rel = (y: number, r: number) => (y === r ? 0 : Math.abs(y - r) / Math.abs(r));

describe('erfcx', () => {
  test('matches mpmath within 1e-15 relative', () => {
    let worst = 0;
    fixture.x.forEach((x, i) => {
      worst = Math.max(worst, rel(erfcx(x), fixture.erfcx[i]));
    });
    expect(worst).toBeLessThan(1e-15);
  });

  test('erfc matches mpmath within 1e-15 relative (where it does not underflow)', () => {
    let worst = 0;
    fixture.x.forEach((x, i) => {
      if (fixture.erfc[i] > 1e-300) worst = Math.max(worst, rel(erfc(x), fixture.erfc[i]));
    });
    expect(worst).toBeLessThan(1e-15);
  });

  test('limits and special values', () => {
    expect(erfcx(0)).toBe(1);
    expect(erfcx(Infinity)).toBe(0);
    expect(erfcx(-Infinity)).toBe(Infinity);
    expect(erfcx(-27)).toBe(Infinity);
    expect(Number.isFinite(erfcx(-26.6))).toBe(true);
    expect(erfcx(1e308) * 1e308).toBeCloseTo(1 / Math.sqrt(Math.PI), 15);
    expect(Number.isNaN(erfcx(NaN))).toBe(true);
    expect(erfc(0)).toBe(1);
    expect(erfc(-40)).toBe(2);
    expect(erfc(40)).toBe(0);
    expect(rel(expNegSquare(26), 2.6117417612840555e-294)).toBeLessThan(1e-15); // e^-676 (mpmath)
    expect(rel(expNegSquare(5.5), 7.287724095819692e-14)).toBeLessThan(1e-15);
    expect(expNegSquare(1e200)).toBe(0);
  });
});
