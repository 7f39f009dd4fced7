/**
 * Accuracy helpers shared by the kernel tests (docs/ACCURACY.md): ulp distance of a float32 or
 * float64 result from a reference computed in float64 or better.
 */

/** Spacing of float32 numbers at r (2^-149 at and below the subnormal range). */
export function ulpF32(r: number): number {
  const a = Math.abs(r);
  if (!Number.isFinite(a)) return NaN;
  if (a < 2 ** -126) return 2 ** -149;
  // Rounding r to float32 may carry it into the next binade; use r's own binade.
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e -= 1;
  if (2 ** (e + 1) <= a) e += 1;
  return 2 ** (e - 23);
}

/** Spacing of float64 numbers at r. */
export function ulpF64(r: number): number {
  const a = Math.abs(r);
  if (!Number.isFinite(a)) return NaN;
  if (a < 2 ** -1022) return 2 ** -1074;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e -= 1;
  if (2 ** (e + 1) <= a) e += 1;
  return 2 ** (e - 52);
}

/**
 * Error of y against reference r in ulps of the output type. Equal infinities and NaN-for-NaN are 0;
 * anything else non-finite is Infinity.
 */
export function ulpError(y: number, r: number, dtype: 'float32' | 'float64'): number {
  if (Number.isNaN(r)) return Number.isNaN(y) ? 0 : Infinity;
  if (!Number.isFinite(r)) return y === r ? 0 : Infinity;
  // A reference beyond the float32 range must round to ±Infinity (overflow is the right answer).
  if (dtype === 'float32' && !Number.isFinite(Math.fround(r))) return y === Math.fround(r) ? 0 : Infinity;
  if (!Number.isFinite(y)) return Infinity;
  return Math.abs(y - r) / (dtype === 'float32' ? ulpF32(r) : ulpF64(r));
}

export function maxUlpError(y: ArrayLike<number>, ref: ArrayLike<number>, dtype: 'float32' | 'float64'): { max: number; at: number } {
  let max = 0;
  let at = -1;
  for (let i = 0; i < y.length; i++) {
    const e = ulpError(y[i], ref[i], dtype);
    if (e > max || Number.isNaN(e)) {
      max = e;
      at = i;
    }
  }
  return { max, at };
}

/** Bit-exact equality of two arrays' bytes (distinguishes −0 from 0 and NaN payloads). */
export function sameBits(a: Float32Array | Float64Array, b: Float32Array | Float64Array): boolean {
  if (a.length !== b.length || a.BYTES_PER_ELEMENT !== b.BYTES_PER_ELEMENT) return false;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** Deterministic pseudo-random numbers in [0, 1) (two mulberry32 streams → 53 bits), so failures reproduce. */
export function rng(seed = 12345): () => number {
  let a = seed >>> 0;
  let b = (seed * 2654435761) >>> 0;
  const next = (s: number): number => {
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    b = (b + 0x9e3779b9) >>> 0;
    return ((next(a) >>> 5) * 67108864 + (next(b) >>> 6)) / 9007199254740992;
  };
}

/** Standard normal samples (Box–Muller) from a deterministic stream. */
export function normal(n: number, seed = 1): Float64Array {
  const u = rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    const t = 2 * Math.PI * u();
    out[i] = r * Math.cos(t);
    if (i + 1 < n) out[i + 1] = r * Math.sin(t);
  }
  return out;
}
