/**
 * SELU_ALPHA and SELU_SCALE are the correctly rounded doubles of α01 and λ01 (docs/CONSTANTS.md),
 * checked against the 40-digit values mpmath computes in scripts/gen-theory-fixtures.py
 * (test/fixtures/theory-constants.json), against the closed form of α01, and against the theory
 * module's solution of E[selu(z)] = 0, Var[selu(z)] = 1 for z ~ N(0, 1).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SELU_ALPHA, SELU_SCALE, seluKernelConstants } from '../lib/constants';
import { theory } from '../lib/theory';
import { erfc } from '../lib/theory/erfcx';

const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'theory-constants.json'), 'utf8')) as {
  alpha01: string; lambda01: string; scaleAlpha01: string;
  alpha01Double: number; lambda01Double: number;
  lambda01Hi: number; lambda01Lo: number; scaleAlpha01Hi: number; scaleAlpha01Lo: number;
};

const rel = (y: number, r: number) => (y === r ? 0 : Math.abs(y - r) / Math.abs(r));

describe('SELU constants', () => {
  test('the 40-digit values agree with the 32 digits of docs/CONSTANTS.md', () => {
    // decimal strings as integers in units of 1e-40; docs/CONSTANTS.md rounds to 31 decimals (±5e-32)
    const units = (s: string) => {
      const [whole, fraction = ''] = s.split('.');
      return BigInt(whole + fraction.padEnd(40, '0').slice(0, 40));
    };
    const agree = (a: string, b: string) => {
      const d = units(a) - units(b);
      return (d < 0n ? -d : d) <= 5n * 10n ** 8n;
    };
    expect(agree(fixture.alpha01, '1.6732632423543772848170429916717')).toBe(true);
    expect(agree(fixture.lambda01, '1.0507009873554804934193349852946')).toBe(true);
    expect(agree(fixture.scaleAlpha01, '1.7580993408473768599402175208123')).toBe(true);
    expect(agree(fixture.alpha01, '1.6732632423543772848170429916718')).toBe(false); // the check can fail
  });

  test('SELU_ALPHA and SELU_SCALE are the correctly rounded doubles (JS parses decimal strings correctly rounded)', () => {
    expect(SELU_ALPHA).toBe(Number(fixture.alpha01));
    expect(SELU_SCALE).toBe(Number(fixture.lambda01));
    expect(SELU_ALPHA).toBe(fixture.alpha01Double);
    expect(SELU_SCALE).toBe(fixture.lambda01Double);
    expect(SELU_ALPHA).toBe(1.6732632423543772);
    expect(SELU_SCALE).toBe(1.0507009873554805);
  });

  test('α01 = −√(2/π) / (erfc(1/√2)·√e − 1), evaluated in double', () => {
    const closedForm = -Math.sqrt(2 / Math.PI) / (erfc(Math.SQRT1_2) * Math.sqrt(Math.E) - 1);
    expect(rel(closedForm, SELU_ALPHA)).toBeLessThan(4e-16);
  });

  test('both agree with theory.solveParameters({ mean: 0, variance: 1 }) to 1e-12', () => {
    const p = theory.solveParameters({ mean: 0, variance: 1 });
    expect(rel(p.alpha, SELU_ALPHA)).toBeLessThan(1e-12);
    expect(rel(p.scale, SELU_SCALE)).toBeLessThan(1e-12);
  });

  test('the kernels get λ01 and λ01·α01 as double-doubles accurate to ~1e-31', () => {
    const [scaleHi, scaleLo, scaleAlphaHi, scaleAlphaLo] = seluKernelConstants(SELU_ALPHA, SELU_SCALE);
    expect(scaleHi).toBe(fixture.lambda01Hi);
    expect(scaleAlphaHi).toBe(fixture.scaleAlpha01Hi); // the correctly rounded λα, 1.7580993408473768
    expect(scaleAlphaHi).toBe(Number(fixture.scaleAlpha01));
    // lo within 1e-14 of the exact remainder: hi + lo within ~1e-31 relative of the true constant
    expect(rel(scaleLo, fixture.lambda01Lo)).toBeLessThan(1e-14);
    expect(rel(scaleAlphaLo, fixture.scaleAlpha01Lo)).toBeLessThan(1e-14);
  });
});
