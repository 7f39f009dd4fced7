/**
 * Exact arithmetic on doubles with BigInt, rounded once at the end: the references for "kept elements
 * are exactly fma(a, x, b) in the array's precision" and for products whose float64 evaluation would
 * round several times. Finite values whose results are normal numbers (what the tests produce).
 */

/** An exact binary number m · 2^e (m an integer with the value's sign). */
export interface Exact {
  m: bigint;
  e: number;
}

export function exact(v: number): Exact {
  if (v === 0) return { m: 0n, e: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const bits = view.getBigUint64(0);
  const exponent = Number((bits >> 52n) & 0x7ffn);
  let m = bits & ((1n << 52n) - 1n);
  if (exponent !== 0) m |= 1n << 52n;
  const e = (exponent === 0 ? 1 : exponent) - 1075;
  return { m: v < 0 ? -m : m, e };
}

export function mul(p: Exact, q: Exact): Exact {
  return { m: p.m * q.m, e: p.e + q.e };
}

export function add(p: Exact, q: Exact): Exact {
  const e = Math.min(p.e, q.e);
  return { m: (p.m << BigInt(p.e - e)) + (q.m << BigInt(q.e - e)), e };
}

/** p rounded to nearest (ties to even) to float64 or float32. */
export function round(p: Exact, dtype: 'float32' | 'float64'): number {
  if (p.m === 0n) return 0;
  const precision = dtype === 'float32' ? 24 : 53;
  const negative = p.m < 0n;
  let q = negative ? -p.m : p.m;
  let exp = p.e;
  const length = q.toString(2).length;
  if (length > precision) {
    const shift = BigInt(length - precision);
    const rest = q & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    q >>= shift;
    exp += length - precision;
    if (rest > half || (rest === half && (q & 1n) === 1n)) q += 1n;
  }
  const value = Number(q) * 2 ** exp; // q < 2^53 and a power of two: exact
  return negative ? -value : value;
}

/** fma(a, x, b) rounded once to the array's precision (a·x = −b exactly gives +0, as in hardware). */
export function exactFma(a: number, x: number, b: number, dtype: 'float32' | 'float64'): number {
  return round(add(mul(exact(a), exact(x)), exact(b)), dtype);
}
