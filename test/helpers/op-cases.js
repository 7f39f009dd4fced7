/**
 * Calls of every CPU op with their inputs and options as plain data ("cases"), shared by
 * test/concurrency.test.ts (in jest) and test/helpers/pool-worker.js (in worker_threads). It is plain
 * CommonJS that takes the library as an argument, so the very same code runs against lib/ on the main
 * thread and against dist/ in a worker, and a case can be posted to a worker (structured clone).
 *
 * A result is reduced to its bytes (output array, then mean, variance and count as float64), so
 * "same result" means bit-identical, −0 and NaN payloads included, and the comparison is one
 * Buffer.equals (JS loops over typed arrays are slow inside jest's sandbox).
 */
'use strict';

/** Every CPU op with an async form, and which array a call writes in place (the one `out` is shaped after). */
const OPS = [
  { op: 'selu', inPlace: 'x' },
  { op: 'seluBackward', inPlace: 'grad' },
  { op: 'alphaDropout', inPlace: 'x' },
  { op: 'alphaDropoutBackward', inPlace: 'grad' },
  { op: 'alphaDropoutMask', inPlace: undefined },
  { op: 'seluAlphaDropout', inPlace: 'x' },
  { op: 'seluAlphaDropoutBackward', inPlace: 'grad' },
  { op: 'moments', inPlace: undefined },
  { op: 'seluMoments', inPlace: 'x' },
];

const OUT_MODES = ['none', 'new', 'inplace'];

/** Deterministic numbers in [0, 1) (mulberry32), so a failing case reproduces. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The values every case reads its inputs from: roughly normal, with the special values kernels must
 * get right (±0, ±Infinity, NaN, subnormals, huge magnitudes) sprinkled in.
 */
function makePool(length, seed) {
  const next = rng(seed);
  const pool = new Float64Array(length);
  const specials = [0, -0, Infinity, -Infinity, NaN, 5e-324, -1e-310, 1e-40, -1e30, 88.7, -745.2, 3.4e38];
  for (let i = 0; i < length; i++) {
    pool[i] = i % 997 === 0 ? specials[(i / 997) % specials.length] : (next() + next() + next() - 1.5) * 2.8;
  }
  return { f64: pool, f32: new Float32Array(pool) };
}

/** Length 1 … maxLength, mostly small; a `largeShare` of them above 4096, crossing the 65 536-element thread-pool threshold. */
function pickLength(next, maxLength, largeShare) {
  if (next() < largeShare) return 4097 + Math.floor(next() * (maxLength - 4096));
  return Math.floor(Math.exp(next() * Math.log(4097)));
}

/** Options of a dropout op; the mask takes only rate, seed and offset. */
function dropoutOptions(next, id, maskOnly) {
  const o = {
    rate: [0, 0.05, 0.1, 0.5, 0.9][Math.floor(next() * 5)],
    // Seeds and offsets as numbers and as bigints above 2^53.
    seed: next() < 0.5 ? id * 7919 : (1n << 63n) + BigInt(id),
  };
  const v = next();
  if (v < 0.3) o.offset = Math.floor(next() * 1e6);
  else if (v < 0.5) o.offset = (1n << 60n) + BigInt(id);
  if (maskOnly) return o;
  if (next() < 0.15) o.training = false;
  if (next() < 0.25) {
    o.mean = 0.1;
    o.variance = 0.9;
  }
  return o;
}

function seluOptions(next) {
  return next() < 0.5 ? {} : { alpha: 1.5, scale: 1.1 };
}

/** Options for moments on `length` values: all values, or per column / per row of a rows × cols view. */
function momentsOptions(next, length) {
  if (next() < 0.4) return next() < 0.5 ? {} : { correction: length > 1 ? 1 : 0 };
  let rows = 1;
  for (let d = Math.floor(Math.sqrt(length)); d > 1; d--) {
    if (length % d === 0) {
      rows = d;
      break;
    }
  }
  if (next() < 0.5) rows = length / rows; // tall as well as wide views
  const axis = next() < 0.5 ? 0 : 1;
  const count = axis === 0 ? rows : length / rows;
  return { shape: [rows, length / rows], axis, correction: count > 1 && next() < 0.5 ? 1 : 0 };
}

/**
 * `count` cases cycling through every op × dtype × output mode (none: the library allocates, new: a
 * fresh options.out, inplace: out is the input itself), with random lengths and options. Inputs are
 * subarray views into one pool (non-zero byte offsets; x and gradOutput views may overlap each other,
 * which is allowed: only an output must not partially overlap an input).
 */
function makeCases({ count, seed, maxLength, largeShare }) {
  const next = rng(seed);
  const pool = makePool(maxLength + 1000, seed + 1);
  const cases = [];
  for (let id = 0; id < count; id++) {
    const { op, inPlace } = OPS[id % OPS.length];
    const dtype = Math.floor(id / OPS.length) % 2 === 0 ? 'f32' : 'f64';
    const mode = inPlace === undefined ? 'none' : OUT_MODES[Math.floor(id / (2 * OPS.length)) % 3];
    const length = pickLength(next, maxLength, largeShare);
    const src = pool[dtype];
    const view = () => {
      const start = Math.floor(next() * 1000);
      return src.subarray(start, start + length);
    };
    const c = { id, op, dtype, mode, inPlace, length, x: view(), grad: undefined, options: undefined };
    if (op === 'seluBackward' || op.endsWith('DropoutBackward')) c.grad = view();
    if (op === 'selu' || op === 'seluBackward') c.options = seluOptions(next);
    else if (op.includes('Dropout')) c.options = dropoutOptions(next, id, op === 'alphaDropoutMask');
    else c.options = momentsOptions(next, length);
    if (op === 'seluMoments' && next() < 0.5) Object.assign(c.options, seluOptions(next));
    if (op === 'alphaDropoutMask') c.x = undefined;
    // No options argument at all (the default path) for a share of the ops where it is optional.
    if (Object.keys(c.options).length === 0 && mode !== 'new' && next() < 0.5) c.options = undefined;
    cases.push(c);
  }
  return { cases, pool };
}

function invoke(lib, c, x, grad, options, sync) {
  switch (c.op) {
    case 'selu': return sync ? lib.selu(x, options) : lib.seluAsync(x, options);
    case 'seluBackward': return sync ? lib.seluBackward(grad, x, options) : lib.seluBackwardAsync(grad, x, options);
    case 'alphaDropout': return sync ? lib.alphaDropout(x, options) : lib.alphaDropoutAsync(x, options);
    case 'alphaDropoutBackward': return sync ? lib.alphaDropoutBackward(grad, options) : lib.alphaDropoutBackwardAsync(grad, options);
    case 'alphaDropoutMask': return sync ? lib.alphaDropoutMask(c.length, options) : lib.alphaDropoutMaskAsync(c.length, options);
    case 'seluAlphaDropout': return sync ? lib.seluAlphaDropout(x, options) : lib.seluAlphaDropoutAsync(x, options);
    case 'seluAlphaDropoutBackward':
      return sync ? lib.seluAlphaDropoutBackward(grad, x, options) : lib.seluAlphaDropoutBackwardAsync(grad, x, options);
    case 'moments': return sync ? lib.moments(x, options) : lib.momentsAsync(x, options);
    case 'seluMoments': return sync ? lib.seluMoments(x, options) : lib.seluMomentsAsync(x, options);
    default: throw new Error(`unknown op ${c.op}`);
  }
}

function bytes(a) {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** A result as bytes: the output array, then mean, variance (numbers or per-group arrays) and count. */
function digest(result) {
  if (ArrayBuffer.isView(result)) return Buffer.from(bytes(result));
  const parts = [];
  if (result.out !== undefined) parts.push(bytes(result.out));
  if (typeof result.mean === 'number') parts.push(bytes(Float64Array.of(result.mean, result.variance, result.count)));
  else parts.push(bytes(result.mean), bytes(result.variance), bytes(Float64Array.of(result.count)));
  return Buffer.concat(parts);
}

/**
 * Runs case `c` once (sync: the result; async: a promise of it) and returns its digest. In-place cases
 * work on a fresh copy of the input, so the shared views are never written; a call given options.out
 * must return that very array.
 */
function run(lib, c, sync) {
  let x = c.x;
  let grad = c.grad;
  let out;
  if (c.mode === 'inplace') {
    if (c.inPlace === 'grad') grad = out = grad.slice();
    else x = out = x.slice();
  } else if (c.mode === 'new') {
    out = c.dtype === 'f32' ? new Float32Array(c.length) : new Float64Array(c.length);
  }
  const options = out === undefined ? c.options : { ...c.options, out };
  const check = (result) => {
    const returned = ArrayBuffer.isView(result) ? result : result.out;
    if (out !== undefined && returned !== out) throw new Error(`case ${c.id} (${c.op}): options.out was not returned`);
    return digest(result);
  };
  if (sync) return check(invoke(lib, c, x, grad, options, true));
  return invoke(lib, c, x, grad, options, false).then(check);
}

/** Bit-identical bytes (Uint8Arrays arrive from another thread as plain Uint8Arrays, not Buffers). */
function sameBytes(a, b) {
  return bytes(a).equals(bytes(b));
}

/** A short description of a case, for failure messages. */
function describeCase(c) {
  return `#${c.id} ${c.op} ${c.dtype} n=${c.length} out=${c.mode}`;
}

module.exports = { OPS, makeCases, run, sameBytes, describeCase };
