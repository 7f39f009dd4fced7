// Shared helpers of the GPU test suite (test/gpu): plain Node, no node_modules, run against the compiled
// JS (dist/) and the built addons (build/Release/selu_kernels.node, build-cuda/Release/selu_kernels_cuda.node).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const lib = require('../../dist/index.js');
/**
 * The GPU paths under the names these tests use (xDevice, xDeviceAsync): the public functions, which the
 * op table (lib/ops) routes to the GPU for DeviceArrays.
 */
export const dev = Object.fromEntries(require('../../dist/ops/index.js').OP_SIGNATURES.flatMap(({ name }) => [
  [`${name}Device`, lib[name]], [`${name}DeviceAsync`, lib[`${name}Async`]],
]));
export const { DeviceArray, cuda } = lib;
export const available = cuda.available();
/** The `skip` option of every GPU test: false with a GPU, the reason without one. */
export const skip = available ? false : `no GPU available: ${cuda.reason}`;
export const addon = () => require('../../dist/cuda/binding.js').cudaBinding('test');

/** log2 of the largest size tested (SELU_GPU_MAX_LOG2, default 28). */
export const MAX_LOG2 = Number(process.env.SELU_GPU_MAX_LOG2 || 28);
export const SMALL_SIZES = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 65, 255, 256, 257, 1023, 1024, 1025, 4095, 4096, 4097,
  8191, 8193, 65537];
/** n, or 2^SELU_GPU_MAX_LOG2 if less: the fixed large sizes of single tests (the emulator caps them). */
export function capped(n) {
  return Math.min(n, 2 ** MAX_LOG2);
}
export const LARGE_SIZES = [1_000_003, 2 ** 20, 2 ** 24 + 3, 2 ** 26 - 1, 2 ** 28].filter((n) => n <= 2 ** MAX_LOG2);
export const DTYPES = ['float32', 'float64', 'float16', 'bfloat16'];
/**
 * The large sizes for a dtype in the heavier tests: the half types stop at 2^26 there (their host-side
 * reference conversions run in JS); they reach 2^28 in the round trips, SELU forward and the masks.
 */
export function largeSizes(dtype) {
  return dtype === 'float16' || dtype === 'bfloat16' ? LARGE_SIZES.filter((n) => n <= 2 ** 26) : LARGE_SIZES;
}

// ---- data -------------------------------------------------------------------------------------------

const cache = new Map();

/**
 * Deterministic test data as float32 values (exactly representable in every dtype's conversion path):
 * uniform in [-12, 12] with special values (±0, ±Inf, NaN, tiny and huge) every 997th element.
 */
export function float32Data(n, seed = 1) {
  const key = `${n}:${seed}`;
  if (cache.has(key)) return cache.get(key);
  const x = new Float32Array(n);
  let s = (seed * 0x9e3779b9) >>> 0 || 1;
  const specials = [0, -0, Infinity, -Infinity, NaN, 1e-40, -1e-40, 3e38, -3e38, -20, -90, -104, 1e-8, -1e-8];
  for (let i = 0; i < n; ++i) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    x[i] = i % 997 === 500 ? specials[(i / 997) % specials.length | 0] : (s / 4294967296 - 0.5) * 24;
  }
  if (cache.size > 8) cache.clear();
  cache.set(key, x);
  return x;
}

/** Normal data N(mean, sd) (Box–Muller on a xorshift stream), float64. */
export function normalData(n, mean, sd, seed = 3) {
  const x = new Float64Array(n);
  let s = (seed * 0x85ebca6b) >>> 0 || 1;
  const u = () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(u())), t = 2 * Math.PI * u();
    x[i] = mean + sd * r * Math.cos(t);
    if (i + 1 < n) x[i + 1] = mean + sd * r * Math.sin(t);
  }
  return x;
}

// ---- half precision ---------------------------------------------------------------------------------

function roundHalfEven(v) {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** A double rounded once to float16 (round to nearest even), as bits. */
export function f16Bits(v) {
  if (Number.isNaN(v)) return 0x7e00;
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a === Infinity) return sign | 0x7c00;
  if (a < 2 ** -14) return sign | roundHalfEven(a * 2 ** 24);  // subnormal (may round up to the smallest normal)
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e -= 1;
  if (2 ** (e + 1) <= a) e += 1;
  let q = roundHalfEven((a / 2 ** e) * 1024);
  if (q === 2048) { q = 1024; e += 1; }
  if (e > 15) return sign | 0x7c00;
  return sign | ((e + 15) << 10) | (q - 1024);
}

export function f16Value(bits) {
  const sign = bits & 0x8000 ? -1 : 1;
  const e = (bits >> 10) & 0x1f, m = bits & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 31) return m ? NaN : sign * Infinity;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** A double rounded once to bfloat16 (nearest even), as bits. Exact for float32 inputs. */
export function bf16Bits(v) {
  if (Number.isNaN(v)) return 0x7fc0;
  // bfloat16 has float32's exponent range: round the double to 8 significant bits directly.
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a === Infinity) return sign | 0x7f80;
  if (a < 2 ** -126) return sign | roundHalfEven(a * 2 ** 133);
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e -= 1;
  if (2 ** (e + 1) <= a) e += 1;
  let q = roundHalfEven((a / 2 ** e) * 128);
  if (q === 256) { q = 128; e += 1; }
  if (e > 127) return sign | 0x7f80;
  return sign | ((e + 127) << 7) | (q - 128);
}

export function bf16Value(bits) {
  u32[0] = (bits & 0xffff) << 16;
  return f32[0];
}

export const encode = { float16: f16Bits, bfloat16: bf16Bits };
export const decode = { float16: f16Value, bfloat16: bf16Value };

/** float32 bits → float16 bits, round to nearest even (fast path for float32 data; f16Bits for doubles). */
function f16FromF32Bits(u) {
  const sign = (u >>> 16) & 0x8000;
  const e = (u >>> 23) & 0xff;
  let m = u & 0x7fffff;
  if (e === 0xff) return sign | 0x7c00 | (m ? 0x200 : 0);
  const E = e - 112;  // e − 127 + 15
  if (E >= 31) return sign | 0x7c00;
  if (E <= 0) {
    if (E < -10) return sign;
    m |= 0x800000;
    const shift = 14 - E;
    let h = m >>> shift;
    const rem = m & ((1 << shift) - 1), half = 1 << (shift - 1);
    if (rem > half || (rem === half && (h & 1))) h++;
    return sign | h;
  }
  let h = (E << 10) | (m >>> 13);
  const rem = m & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1))) h++;  // a carry into the exponent is right (up to Inf)
  return sign | h;
}

function bf16FromF32Bits(u) {
  if ((u & 0x7f800000) === 0x7f800000 && (u & 0x7fffff) !== 0) return ((u >>> 16) & 0xffff) | 0x40;
  return ((u + 0x7fff + ((u >>> 16) & 1)) >>> 16) & 0xffff;
}

let f16Table = null;

/** Host data of a dtype from float32 values: a Float32Array, Float64Array or Uint16Array of bits. */
export function hostOf(dtype, x32) {
  if (dtype === 'float32') return x32 instanceof Float32Array ? x32.slice() : Float32Array.from(x32);
  if (dtype === 'float64') return Float64Array.from(x32);
  const out = new Uint16Array(x32.length);
  if (x32 instanceof Float32Array) {
    const u = new Uint32Array(x32.buffer, x32.byteOffset, x32.length);
    const enc = dtype === 'float16' ? f16FromF32Bits : bf16FromF32Bits;
    for (let i = 0; i < u.length; ++i) out[i] = enc(u[i]);
  } else {
    const enc = encode[dtype];
    for (let i = 0; i < x32.length; ++i) out[i] = enc(x32[i]);
  }
  return out;
}

/** The float32 values of host data (decoding half bits). */
export function valuesOf(dtype, h) {
  if (dtype === 'float32' || dtype === 'float64') return h;
  const out = new Float32Array(h.length);
  if (dtype === 'bfloat16') {
    const u = new Uint32Array(out.buffer);
    for (let i = 0; i < h.length; ++i) u[i] = h[i] << 16;
    return out;
  }
  if (f16Table === null) {
    f16Table = new Float32Array(65536);
    for (let i = 0; i < 65536; ++i) f16Table[i] = f16Value(i);
  }
  for (let i = 0; i < h.length; ++i) out[i] = f16Table[h[i]];
  return out;
}

// ---- comparisons ------------------------------------------------------------------------------------

function ordered32(i) {
  return i < 0 ? -(i & 0x7fffffff) : i;
}

/**
 * Largest distance in units in the last place between two float32 / float64 arrays or two Uint16Arrays of
 * `dtype` half bits (NaN equals NaN; ±0 are 0 apart) and how many elements differ at all. Stops at the
 * first element beyond `limit` and reports its index.
 */
export function ulpCompare(a, b, limit = Infinity, dtype = 'float16') {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let max = 0, differ = 0, first = -1;
  const note = (d, i) => {
    if (d === 0) return false;
    differ++;
    if (d > max) max = d;
    if (d > limit) { first = i; return true; }
    return false;
  };
  if (a instanceof Uint16Array) {
    const isNaN16 = dtype === 'bfloat16' ? (v) => (v & 0x7f80) === 0x7f80 && (v & 0x7f) !== 0 : (v) => (v & 0x7c00) === 0x7c00 && (v & 0x3ff) !== 0;
    for (let i = 0; i < a.length; ++i) {
      if (a[i] === b[i] || (isNaN16(a[i]) && isNaN16(b[i]))) continue;
      const oa = a[i] & 0x8000 ? -(a[i] & 0x7fff) : a[i], ob = b[i] & 0x8000 ? -(b[i] & 0x7fff) : b[i];
      if (note(Math.abs(oa - ob), i)) break;
    }
    return { max, differ, first };
  }
  if (a instanceof Float32Array) {
    const ia = new Int32Array(a.buffer, a.byteOffset, a.length), ib = new Int32Array(b.buffer, b.byteOffset, b.length);
    for (let i = 0; i < a.length; ++i) {
      if (ia[i] === ib[i] || a[i] === b[i] || (a[i] !== a[i] && b[i] !== b[i])) continue;
      if (note(Math.abs(ordered32(ia[i]) - ordered32(ib[i])), i)) break;
    }
    return { max, differ, first };
  }
  const ba = new BigInt64Array(a.buffer, a.byteOffset, a.length), bb = new BigInt64Array(b.buffer, b.byteOffset, b.length);
  const o64 = (v) => (v < 0n ? -(v & 0x7fffffffffffffffn) : v);
  for (let i = 0; i < a.length; ++i) {
    if (a[i] === b[i] || (a[i] !== a[i] && b[i] !== b[i])) continue;
    const dd = o64(ba[i]) - o64(bb[i]);
    if (note(Number(dd < 0n ? -dd : dd), i)) break;
  }
  return { max, differ, first };
}

/** Bit-for-bit equality (NaNs of any payload count as equal), with the first differing index. */
export function bitCompare(a, b, dtype) {
  const r = ulpCompare(a, b, 0, dtype);
  return { equal: r.differ === 0, first: r.first };
}

/** The CPU result rounded to a half type, from a float32 CPU result. */
export function roundTo(dtype, y32) {
  if (dtype === 'float32' || dtype === 'float64') return y32;
  return hostOf(dtype, y32);
}

export function describeMismatch(name, a, b, i) {
  return `${name}: element ${i}: GPU ${a[i]} vs CPU ${b[i]}`;
}

/**
 * The contents of a DeviceArray an op just returned, which is then disposed: the loops of the suite
 * would otherwise leave their results to the GC, which does not run in time on a GPU with little memory.
 */
export function result(d) {
  const host = d.toArraySync();
  d.dispose();
  return host;
}

/** Frees every DeviceArray given (ignoring already-disposed ones). */
export function disposeAll(...arrays) {
  for (const a of arrays) if (a && !a.disposed) a.dispose();
}
