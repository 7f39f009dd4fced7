/**
 * The calls scripts/leak-test.js repeats a million times per op. `makeWorkload(lib)` returns, for each
 * CPU op, `call(i)`: the i-th call, chosen by a hash of i so that every combination comes up, spread
 * evenly over the run:
 *   - sync or async (1 in 2),
 *   - the data: float32 or float64 (3 in 8 each), or float16 or bfloat16 bits in a Uint16Array with
 *     options.dtype (1 in 8 each); and 1 call in 4 of those wrapped in tensor objects { type, data, dims }
 *     (then without options.out: the result is a new tensor),
 *   - the library allocating the output or an options.out (1 in 2; a preallocated one for sync calls,
 *     a fresh one for async calls, which may overlap in time),
 *   - small (1–64 elements) or, 1 call in 64, medium (4096–69 632 elements: both sides of the
 *     65 536-element threshold where the addon's thread pool splits the work),
 *   - 1 call in 32 an error instead: a wrong type, a detached array, a bad or unknown option, a length
 *     mismatch, an output partially overlapping the input (detected in the addon), and for async calls
 *     an input transferred while the call runs (the promise rejects with ERR_SELU_DETACHED).
 * `call(i)` returns undefined (sync) or a promise; it throws, or the promise rejects, only when the
 * library does something other than expected (a missing or wrong error, an output not returned).
 * `keep` receives every small successful result: the self-check passes one that retains them all.
 */
'use strict';

const MEDIUM = [4096, 12288, 32768, 65535, 65536, 69632];
const SIZES = [...Array.from({ length: 64 }, (_, i) => i + 1), ...MEDIUM];

/** A bijective integer hash (murmur3's finalizer): the bits of call i's choices. */
function mix(i) {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function filled(Ctor, n, seed) {
  const a = new Ctor(n);
  for (let i = 0; i < n; i++) a[i] = Math.sin(seed + i * 12.9898) * 4;
  return a;
}

/** rows × cols with rows the largest divisor of n up to √n: the 2-D view the axis calls use. */
function shapeOf(n) {
  let rows = 1;
  for (let d = Math.floor(Math.sqrt(n)); d > 1; d--) {
    if (n % d === 0) {
      rows = d;
      break;
    }
  }
  return [rows, n / rows];
}

function detached(Ctor, n) {
  const a = new Ctor(n);
  structuredClone(a.buffer, { transfer: [a.buffer] });
  return a;
}

/**
 * The arrays every call reads, per dtype and size; a sync call's preallocated outputs; the arrays the
 * error calls use (an overlapping pair: views of one buffer one element apart).
 */
/** A tensor class of the shape onnxruntime-node's and transformers.js's have: the library builds its results with it. */
class LeakTensor {
  constructor(type, data, dims) {
    this.type = type;
    this.data = data;
    this.dims = dims;
  }
}

function makeData(lib) {
  const byDtype = (Ctor) => ({
    Ctor,
    x: SIZES.map((n, k) => filled(Ctor, n, k)),
    grad: SIZES.map((n, k) => filled(Ctor, n, 1000 + k)),
    out: SIZES.map((n) => new Ctor(n)),
    shape: SIZES.map(shapeOf),
  });
  const shared = new Float32Array(9);
  const f32 = byDtype(Float32Array);
  // 16-bit data: the float32 data's float16 bits; read as bfloat16 the same bits are other values, as good.
  const u16 = {
    Ctor: Uint16Array,
    x: f32.x.map((a) => lib.fromFloat32(a, 'float16')),
    grad: f32.grad.map((a) => lib.fromFloat32(a, 'float16')),
    out: SIZES.map((n) => new Uint16Array(n)),
    shape: f32.shape,
  };
  const f64 = byDtype(Float64Array);
  return {
    f32,
    f64,
    // [data, dtype]: the four kinds a call's data can be (3 : 3 : 1 : 1).
    kinds: [[f32, 'float32'], [f32, 'float32'], [f32, 'float32'], [f64, 'float64'], [f64, 'float64'], [f64, 'float64'],
      [u16, 'float16'], [u16, 'bfloat16']],
    wrongType: new Int16Array(8),
    detached: detached(Float32Array, 8),
    overlapIn: shared.subarray(0, 8),
    overlapOut: shared.subarray(1, 9),
    other8: new Float32Array(8),
    long9: new Float32Array(9),
  };
}

const C = {
  INVALID_ARG: 'ERR_SELU_INVALID_ARG',
  UNKNOWN_OPTION: 'ERR_SELU_UNKNOWN_OPTION',
  DETACHED: 'ERR_SELU_DETACHED',
  LENGTH_MISMATCH: 'ERR_SELU_LENGTH_MISMATCH',
  OVERLAP: 'ERR_SELU_OVERLAP',
  OUT_OF_RANGE: 'ERR_SELU_OUT_OF_RANGE',
};

/**
 * The ops. Each names its function pair, how its arguments are laid out (`args`: from x, gradOutput and
 * the options to the argument list), its options for call i (`options(variant, n, shape, i)`), whether it
 * takes an options.out (`hasOut`), the array that options.out is shaped after (`target`), and one
 * invalid option of its own with the error code it must give (`bad`).
 */
function opTable() {
  const dropout = (v, n, shape, i) => ({ rate: 0.1, seed: v & 1 ? v : BigInt(v) << 20n, offset: i });
  const seluOpts = (v) => (v & 2 ? { alpha: 1.5, scale: 1.1 } : undefined);
  const axis = (v, n, shape) => ({ shape, axis: v & 1, correction: 0 });
  const fwd = (x, g, o) => [x, o];
  const bwd = (x, g, o) => [g, x, o];
  return [
    { name: 'selu', fn: 'selu', args: fwd, options: seluOpts, hasOut: true, target: 'x', bad: [{ alpha: NaN }, C.OUT_OF_RANGE] },
    { name: 'seluBackward', fn: 'seluBackward', args: bwd, options: seluOpts, hasOut: true, target: 'grad', bad: [{ scale: Infinity }, C.OUT_OF_RANGE] },
    { name: 'alphaDropout', fn: 'alphaDropout', args: fwd, options: dropout, hasOut: true, target: 'x', bad: [{ rate: 1 }, C.OUT_OF_RANGE] },
    {
      name: 'alphaDropoutBackward', fn: 'alphaDropoutBackward', args: (x, g, o) => [g, o], options: dropout, hasOut: true, target: 'grad',
      bad: [{ seed: -1 }, C.OUT_OF_RANGE],
    },
    { name: 'alphaDropoutMask', fn: 'alphaDropoutMask', mask: true, options: dropout, bad: [{ rate: -0.5 }, C.OUT_OF_RANGE] },
    { name: 'seluAlphaDropout', fn: 'seluAlphaDropout', args: fwd, options: dropout, hasOut: true, target: 'x', bad: [{ offset: 0.5 }, C.OUT_OF_RANGE] },
    {
      name: 'seluAlphaDropoutBackward', fn: 'seluAlphaDropoutBackward', args: bwd, options: dropout, hasOut: true, target: 'grad',
      bad: [{ rate: NaN }, C.OUT_OF_RANGE],
    },
    { name: 'moments', fn: 'moments', args: fwd, options: () => undefined, hasOut: false, target: 'x', bad: [{ correction: 2 }, C.OUT_OF_RANGE] },
    { name: 'moments (axis)', fn: 'moments', args: fwd, options: axis, hasOut: false, target: 'x', bad: [{ shape: [3, 3], axis: 0 }, C.LENGTH_MISMATCH] },
    {
      name: 'seluMoments', fn: 'seluMoments', args: fwd, hasOut: true, target: 'x', bad: [{ axis: 2, shape: [1, 8] }, C.OUT_OF_RANGE],
      options: (v, n, shape) => (v & 1 ? axis(v >>> 1, n, shape) : undefined),
    },
  ];
}

function makeWorkload(lib, keep) {
  const data = makeData(lib);

  /** Checks a successful call's result (sync) or promise (async): a value, and options.out when one was given. */
  const expectValue = (result, out, async, small) => {
    const check = (value) => {
      if (value === undefined || value === null) throw new Error('no result');
      if (out !== undefined && (ArrayBuffer.isView(value) ? value : value.out) !== out) throw new Error('options.out was not returned');
      if (small) keep(value);
    };
    if (!async) return check(result);
    return result.then(check);
  };

  /** Checks that the call `thunk` makes throws (sync) or rejects (async) with error code `code`. */
  const expectError = (thunk, code, async, what) => {
    const check = (e) => {
      if (!e || e.code !== code) throw new Error(`${what}: expected ${code}, got ${e && e.code} (${e && e.message})`);
    };
    if (!async) {
      try {
        thunk();
      } catch (e) {
        return check(e);
      }
      throw new Error(`${what}: expected ${code}, nothing thrown`);
    }
    return thunk().then(() => {
      throw new Error(`${what}: expected ${code}, the promise resolved`);
    }, check);
  };

  return opTable().map((op) => {
    const sync = lib[op.fn];
    const asyncFn = lib[`${op.fn}Async`];
    const invoke = (async, args) => (async ? asyncFn(...args) : sync(...args));

    /**
     * Error call number `pick` (modulo the kinds this op has): [a thunk making the call, the code its
     * error must have]. The kinds are built lazily: only the chosen one allocates anything.
     */
    const errorCall = (async, pick, variant, i) => {
      const base = op.options(variant, 8, [2, 4], i) || {};
      const args = op.args;
      const withOut = (out) => ({ ...base, out });
      let kinds;
      if (op.mask) {
        kinds = [
          () => [[8n, base], C.INVALID_ARG],
          () => [[-1, base], C.OUT_OF_RANGE],
          () => [[8, { ...base, ...op.bad[0] }], op.bad[1]],
          () => [[8, { ...base, bogus: 1 }], C.UNKNOWN_OPTION],
        ];
      } else {
        kinds = [
          () => [args(data.wrongType, data.wrongType, base), C.INVALID_ARG],
          () => [op.target === 'x' ? args(data.detached, data.other8, base) : args(data.other8, data.detached, base), C.DETACHED],
          () => [args(data.other8, data.other8, { ...base, ...op.bad[0] }), op.bad[1]],
          () => [args(data.other8, data.other8, { ...base, bogus: 1 }), C.UNKNOWN_OPTION],
        ];
        if (op.hasOut) {
          kinds.push(() => [args(data.other8, data.other8, withOut(data.long9)), C.LENGTH_MISMATCH]);
          // Checked in the addon, by address: an output one element past the input's start.
          kinds.push(() => [op.target === 'x' ? args(data.overlapIn, data.other8, withOut(data.overlapOut))
            : args(data.other8, data.overlapIn, withOut(data.overlapOut)), C.OVERLAP]);
        }
      }
      if (async && !op.mask) {
        // The input transferred while the call runs: the addon keeps its memory alive, the work
        // completes, and the promise rejects (the library's rule for detaching during async work).
        // 4096 elements (16 KiB, off the V8 heap): a pin that were never released would leak the
        // backing store and show in external memory.
        kinds.push(() => {
          const d = data.f32;
          const fresh = new Float32Array(d.x[64]);
          const o = op.options(variant, 4096, d.shape[64], i);
          const a = op.target === 'x' ? args(fresh, d.grad[64], o) : args(d.x[64], fresh, o);
          return [a, C.DETACHED, () => structuredClone(fresh.buffer, { transfer: [fresh.buffer] })];
        });
      }
      const [a, code, after] = kinds[pick % kinds.length]();
      return [() => {
        const p = invoke(async, a);
        if (after) after();
        return p;
      }, code];
    };

    const call = (i) => {
      const r = mix(i);
      const async = ((r >>> 11) & 1) === 1;
      const pick = r >>> 14; // which size, which error
      const variant = r >>> 24; // which options
      if (r % 32 === 0) {
        const [thunk, code] = errorCall(async, pick, variant, i);
        return expectError(thunk, code, async, `${op.name} error call ${i}`);
      }
      const r2 = mix(~i);  // the data's kind and form, independent of r's choices
      const [d, dtype] = data.kinds[r2 & 7];
      const tensor = ((r2 >>> 3) & 3) === 0;
      const k = ((r >>> 5) & 63) === 0 ? 64 + (pick % MEDIUM.length) : pick % 64;
      const n = SIZES[k];
      const small = k < 64;
      let options = op.options(variant, n, d.shape[k], i);
      if (d.Ctor === Uint16Array && !tensor && !op.mask) options = { ...options, dtype };
      let out;
      if (tensor) {
        const wrap = (a) => new LeakTensor(dtype, a, [a.length]);
        const result = op.mask ? invoke(async, [n, options]) : invoke(async, op.args(wrap(d.x[k]), wrap(d.grad[k]), options));
        return expectValue(result, undefined, async, small);
      }
      if (op.hasOut && ((r >>> 12) & 1) === 1) {
        out = async ? new d.Ctor(n) : d.out[k];
        options = { ...options, out };
      }
      const result = op.mask ? invoke(async, [n, options]) : invoke(async, op.args(d.x[k], d.grad[k], options));
      return expectValue(result, out, async, small);
    };
    return { name: op.name, call };
  });
}

module.exports = { makeWorkload };
