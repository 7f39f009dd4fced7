// Accuracy of SELU implementations (docs/ACCURACY.md): max |y − r| / ulp(r), r the float64 result,
// ulp(r) the float32 spacing at r, over inputs near 0 (|x| < 1e-6, where exp(x) − 1 loses everything)
// and over ordinary inputs. Only float32: the peers have no float64 SELU.
'use strict';

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer); // little-endian: U32[1] holds the sign, exponent and high mantissa
const POW2 = new Float64Array(2048).map((_, i) => 2 ** (i - 1074));

/**
 * Spacing of float32 numbers at r (2^-149 at and below the subnormal range), from r's own binade
 * (rounding r to float32 may carry it into the next one); as test/helpers/accuracy.ts computes it.
 */
function ulpF32(r) {
  if (!Number.isFinite(r)) return NaN;
  F64[0] = r;
  const e = ((U32[1] >>> 20) & 0x7ff) - 1023; // r's binary exponent (subnormal doubles are far below −126)
  return e < -126 ? 2 ** -149 : POW2[e - 23 + 1074];
}

function ulpError(y, r) {
  if (Number.isNaN(r)) return Number.isNaN(y) ? 0 : Infinity;
  if (!Number.isFinite(y)) return y === r ? 0 : Infinity;
  return Math.abs(y - r) / ulpF32(r);
}

/** Deterministic uniform numbers in [0, 1) (mulberry32). */
function uniform(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NEAR_ZERO = 1e-6;
const RANGE = 20;

/**
 * The two input sets, float32 values: `nearZero` (2^16 values, |x| log-uniform in [2^-126, 1e-6), both
 * signs) and `overall` (2^20 values: uniform in [−20, 20], half of them standard-normal-ish instead).
 */
function samples() {
  const u = uniform(20171108);
  const nearZero = new Float32Array(1 << 16);
  const lo = Math.log(2 ** -126);
  const hi = Math.log(NEAR_ZERO);
  for (let i = 0; i < nearZero.length; i++) {
    const m = Math.exp(lo + (hi - lo) * u());
    nearZero[i] = i & 1 ? m : -m;
  }
  const overall = new Float32Array(1 << 20);
  for (let i = 0; i < overall.length; i++) {
    overall[i] = i & 1 ? (2 * u() - 1) * RANGE : (u() + u() + u() - 1.5) * 2;
  }
  return { nearZero, overall };
}

/** SELU in float64 with the exact constants: the reference. */
function reference(x, scale, alpha) {
  const la = scale * alpha;
  const r = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    r[i] = v > 0 ? scale * v : la * Math.expm1(v);
  }
  return r;
}

/** { maxUlp, maxRelError, worstX } of outputs y for inputs x against the reference r. */
function errors(x, y, r) {
  let maxUlp = 0;
  let maxRel = 0;
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const e = ulpError(y[i], r[i]);
    if (e > maxUlp || Number.isNaN(e)) {
      maxUlp = e;
      worst = x[i];
    }
    if (r[i] !== 0) maxRel = Math.max(maxRel, Math.abs(y[i] - r[i]) / Math.abs(r[i]));
  }
  return { maxUlp, maxRelError: maxRel, worstX: worst };
}

/**
 * Accuracy of `apply(x: Float32Array) => Float32Array | Promise<Float32Array>` on both input sets.
 * Returns { nearZero: {...}, overall: {...} }.
 */
let cached;
async function seluAccuracy(apply, lib) {
  if (!cached) {
    const s = samples();
    cached = Object.entries(s).map(([name, x]) => [name, x, reference(x, lib.SELU_SCALE, lib.SELU_ALPHA)]);
  }
  const out = {};
  for (const [name, x, r] of cached) out[name] = errors(x, await apply(x), r);
  return out;
}

/**
 * Accuracy of whole-array mean and population variance, `apply(x: Float32Array) => [mean, variance]`
 * (or a Promise of it), against a float64 two-pass reference over the same float32 values: relative
 * errors on 2^20 values with mean 0 and variance ≈ 1 (`centered`) and on the same values plus 1e4
 * (`offset`: where a one-pass float32 sum of squares loses everything).
 */
let momentsCached;
async function momentsAccuracy(apply) {
  if (!momentsCached) {
    const u = uniform(7);
    const centered = new Float32Array(1 << 20).map(() => (u() + u() + u() - 1.5) * 2);
    const offset = centered.map((v) => v + 1e4);
    momentsCached = Object.entries({ centered, offset }).map(([name, x]) => {
      let mean = 0;
      for (let i = 0; i < x.length; i++) mean += x[i];
      mean /= x.length;
      let m2 = 0;
      for (let i = 0; i < x.length; i++) m2 += (x[i] - mean) ** 2;
      return [name, x, mean, m2 / x.length];
    });
  }
  const out = {};
  for (const [name, x, mean, variance] of momentsCached) {
    const [m, v] = await apply(x);
    out[name] = { meanRelError: Math.abs(m - mean) / Math.abs(mean), varianceRelError: Math.abs(v - variance) / variance };
  }
  return out;
}

module.exports = { ulpF32, ulpError, samples, reference, errors, seluAccuracy, momentsAccuracy, NEAR_ZERO, RANGE };
