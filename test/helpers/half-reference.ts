/**
 * An independent float16 / bfloat16 reference in plain JavaScript numbers, for the tests of the 16-bit
 * paths: decoding by the formats' definitions (sign, exponent, significand), and rounding by exact
 * double arithmetic (every float32 and every midpoint between 16-bit values is a double), not by the
 * bit tricks the kernels use.
 */
export type HalfDtype = 'float16' | 'bfloat16';

interface Format {
  /** Significand bits after the point. */
  mant: number;
  /** Exponent bits. */
  exp: number;
}

const FORMATS: Readonly<Record<HalfDtype, Format>> = { float16: { mant: 10, exp: 5 }, bfloat16: { mant: 7, exp: 8 } };

const bias = (f: Format): number => (1 << (f.exp - 1)) - 1;

/** The value of 16-bit pattern `bits` in `dtype`. */
export function halfToNumber(bits: number, dtype: HalfDtype): number {
  const f = FORMATS[dtype];
  const sign = bits & 0x8000 ? -1 : 1;
  const e = (bits >> f.mant) & ((1 << f.exp) - 1);
  const m = bits & ((1 << f.mant) - 1);
  if (e === (1 << f.exp) - 1) return m === 0 ? sign * Infinity : NaN;
  if (e === 0) return sign * m * 2 ** (1 - bias(f) - f.mant);
  return sign * (1 + m / 2 ** f.mant) * 2 ** (e - bias(f));
}

/** Rounds a non-negative integer-valued-or-not double to an integer, ties to even. */
function roundEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  return d > 0.5 || (d === 0.5 && f % 2 === 1) ? f + 1 : f;
}

/** The 16-bit pattern nearest to `x` in `dtype` (ties to even; overflow to ±Infinity; NaN to 0x7fc0/0x7e00 with x's sign). */
export function numberToHalf(x: number, dtype: HalfDtype): number {
  const f = FORMATS[dtype];
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const expMax = (1 << f.exp) - 1;
  if (Number.isNaN(x)) return 0x7fff & ((expMax << f.mant) | (1 << (f.mant - 1)));
  const a = Math.abs(x);
  const minNormal = 2 ** (1 - bias(f));
  const quantumSub = 2 ** (1 - bias(f) - f.mant);
  if (a < minNormal) {
    const m = roundEven(a / quantumSub);  // may reach 2^mant: the smallest normal, encoded the same way
    return sign | m;
  }
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e -= 1;
  if (2 ** (e + 1) <= a) e += 1;
  let m = roundEven(a / 2 ** (e - f.mant));  // in [2^mant, 2^(mant+1)]
  if (m === 2 ** (f.mant + 1)) {
    m /= 2;
    e += 1;
  }
  const biased = e + bias(f);
  if (biased >= expMax) return sign | (expMax << f.mant);
  return sign | (biased << f.mant) | (m - 2 ** f.mant);
}

/** Distance in units in the last place between two non-NaN 16-bit patterns (through the ordered integers). */
export function ulpDistance(a: number, b: number): number {
  const ordered = (u: number): number => (u & 0x8000 ? -(u & 0x7fff) : u);
  return Math.abs(ordered(a) - ordered(b));
}

/** Whether a 16-bit pattern is NaN in `dtype`. */
export function isHalfNaN(bits: number, dtype: HalfDtype): boolean {
  return Number.isNaN(halfToNumber(bits, dtype));
}

/** Every 16-bit pattern, in order. */
export function allPatterns(): Uint16Array {
  const u = new Uint16Array(65536);
  for (let i = 0; i < 65536; i++) u[i] = i;
  return u;
}
