// A stand-in for selu_kernels_cuda.node in plain JS, for checking the GPU suite's own logic (and the
// TypeScript layer end to end) on a machine without a GPU:
//   SELU_KERNELS_CUDA_ADDON=test/gpu/fake-addon.cjs SELU_GPU_MAX_LOG2=20 node test/gpu/run.mjs
// "Device memory" is host memory (allocated on first write, so the GC/OOM tests cost nothing); ops are
// the CPU addon's, with the GPU's rules for float16/bfloat16 (compute in float32, round once to the
// half type; fused ops = composition of the unfused ones; dropped values rounded once from double).
// It says nothing about the CUDA kernels: passing here means the suite runs and the JS layer is sound.
'use strict';
const path = require('node:path');

const cpu = require(path.join(__dirname, '..', '..', 'build', 'Release', 'selu_kernels.node'));
const BYTES = [4, 8, 2, 2];
const TOTAL = 8 * 2 ** 30;
let used = 0;
const registry = new FinalizationRegistry((bytes) => { used -= bytes; });

// ---- half conversions --------------------------------------------------------------------------------
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function roundHalfEven(v) {
  const f = Math.floor(v), d = v - f;
  return d > 0.5 ? f + 1 : d < 0.5 ? f : (f % 2 === 0 ? f : f + 1);
}
function encodeHalf(v, bf) {  // a double rounded once
  if (Number.isNaN(v)) return bf ? 0x7fc0 : 0x7e00;
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  const [mant, bias, emax, minNormal] = bf ? [7, 127, 127, -126] : [10, 15, 15, -14];
  const inf = bf ? 0x7f80 : 0x7c00;
  if (a === Infinity) return sign | inf;
  if (a < 2 ** minNormal) return sign | roundHalfEven(a * 2 ** (mant - minNormal));
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e -= 1;
  if (2 ** (e + 1) <= a) e += 1;
  let q = roundHalfEven((a / 2 ** e) * 2 ** mant);
  if (q === 2 ** (mant + 1)) { q = 2 ** mant; e += 1; }
  if (e > emax) return sign | inf;
  return sign | ((e + bias) << mant) | (q - 2 ** mant);
}
function decodeHalf(h, bf) {
  if (bf) { u32[0] = h << 16; return f32[0]; }
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

// ---- buffers ---------------------------------------------------------------------------------------
class Buffer_ {
  constructor(bytes, device) { this.bytes = bytes; this.device = device; this.freed = false; this.mem = null; }
  data() {
    if (this.freed) throw Object.assign(new Error('has been disposed'), { code: 'ERR_DISPOSED' });
    if (this.mem === null) this.mem = new ArrayBuffer(this.bytes);
    return this.mem;
  }
}
function live(h) {
  if (!(h instanceof Buffer_)) throw Object.assign(new TypeError('expected a device buffer handle'), { code: 'ERR_SELU_INVALID_ARG' });
  if (h.freed) throw Object.assign(new Error('has been disposed'), { code: 'ERR_DISPOSED' });
  return h;
}
function raw(h, dtype, n) {
  const b = live(h).data();
  return dtype === 0 ? new Float32Array(b, 0, n) : dtype === 1 ? new Float64Array(b, 0, n) : new Uint16Array(b, 0, n);
}
/** The values as float32/float64 (a copy for the half types). */
function values(h, dtype, n) {
  const r = raw(h, dtype, n);
  if (dtype < 2) return r;
  const out = new Float32Array(n);
  for (let i = 0; i < n; ++i) out[i] = decodeHalf(r[i], dtype === 3);
  return out;
}
/** Writes float values into h, rounding once to a half type. */
function store(h, dtype, n, v) {
  const r = raw(h, dtype, n);
  if (dtype < 2) { if (r !== v) r.set(v); return; }
  for (let i = 0; i < n; ++i) r[i] = encodeHalf(v[i], dtype === 3);
}
const work = (dtype, n) => (dtype === 1 ? new Float64Array(n) : new Float32Array(n));

module.exports = {
  status: () => ({ available: true, error: 0, errorName: 'cudaSuccess', deviceCount: 1, driverVersion: 13000, runtimeVersion: 13000 }),
  devices: () => [{ id: 0, name: 'Fake GPU (test/gpu/fake-addon.cjs)', computeCapability: '9.0', totalMemory: TOTAL, multiProcessorCount: 4, supported: true }],
  memInfo: () => ({ free: TOTAL - used, total: TOTAL }),
  alloc(bytes, device) {
    if (device !== 0) throw Object.assign(new RangeError(`device ${device} does not exist (1 device(s))`), { code: 'ERR_SELU_OUT_OF_RANGE' });
    if (used + bytes > TOTAL) throw Object.assign(new Error(`out of GPU memory: cannot allocate ${bytes} bytes`), { code: 'ERR_CUDA_OOM' });
    used += bytes;
    const h = new Buffer_(bytes, device);
    registry.register(h, bytes, h);
    return h;
  },
  free(h) {
    if (!h.freed) { h.freed = true; h.mem = null; used -= h.bytes; registry.unregister(h); }
  },
  upload(h, data, src, dst, n) {
    if (src === dst) { raw(h, dst, n).set(data.subarray(0, n)); return; }
    const v = src < 2 ? data : Float32Array.from(data.subarray(0, n), (b) => decodeHalf(b, src === 3));
    if (dst < 2) { raw(h, dst, n).set(v.subarray(0, n)); return; }
    const r = raw(h, dst, n);
    for (let i = 0; i < n; ++i) r[i] = encodeHalf(v[i], dst === 3);
  },
  downloadSync: (h, dtype, n) => raw(h, dtype, n).slice(),
  download: (h, dtype, n) => { try { return Promise.resolve(raw(h, dtype, n).slice()); } catch (e) { return Promise.reject(e); } },
  copy(dst, src, bytes) { new Uint8Array(live(dst).data(), 0, bytes).set(new Uint8Array(live(src).data(), 0, bytes)); },
  whenDone: () => Promise.resolve(),
  synchronize() {},
  createStream: (device) => ({ device }),
  destroyStream() {},
  selu(dtype, n, x, out, _s, ...k) {
    const r = work(dtype, n);
    cpu.selu(values(x, dtype, n), r, ...k);
    store(out, dtype, n, r);
    return out;
  },
  seluBackward(dtype, n, g, x, out, _s, ...k) {
    const r = work(dtype, n);
    cpu.seluBackward(values(g, dtype, n), values(x, dtype, n), r, ...k);
    store(out, dtype, n, r);
    return out;
  },
  alphaDropout(dtype, n, x, out, _s, seed, offset, rate, a, b, dropped) {
    const r = work(dtype, n);
    cpu.alphaDropout(values(x, dtype, n), r, seed, offset, rate, a, b, dropped);
    store(out, dtype, n, r);
    if (dtype >= 2 && n > 0) {  // dropped values: the double rounded once to the half type
      const mask = cpu.alphaDropoutMask(new Uint8Array(n), seed, offset, rate);
      const o = raw(out, dtype, n), d = encodeHalf(dropped, dtype === 3);
      for (let i = 0; i < n; ++i) if (!mask[i]) o[i] = d;
    }
    return out;
  },
  alphaDropoutBackward(dtype, n, g, out, _s, seed, offset, rate, a) {
    const r = work(dtype, n);
    cpu.alphaDropoutBackward(values(g, dtype, n), r, seed, offset, rate, a);
    store(out, dtype, n, r);
    return out;
  },
  seluAlphaDropout(dtype, n, x, out, s, seed, offset, rate, a, b, dropped, ...k) {
    module.exports.selu(dtype, n, x, out, s, ...k);
    return module.exports.alphaDropout(dtype, n, out, out, s, seed, offset, rate, a, b, dropped);
  },
  seluAlphaDropoutBackward(dtype, n, g, x, out, s, seed, offset, rate, a, ...k) {
    module.exports.seluBackward(dtype, n, g, x, out, s, ...k);
    return module.exports.alphaDropoutBackward(dtype, n, out, out, s, seed, offset, rate, a);
  },
  moments(dtype, x, rows, cols, axis, correction, s, out, ...k) {
    try {
      const n = rows * cols;
      let v = values(x, dtype, n);
      if (out !== null) {
        module.exports.selu(dtype, n, x, out, s, ...k);
        v = values(out, dtype, n);
      }
      const groups = axis === 0 ? cols : axis === 1 ? rows : 1;
      const mean = new Float64Array(groups), variance = new Float64Array(groups);
      cpu.moments(dtype === 1 ? v : Float32Array.from(v), mean, variance, rows, cols, axis, correction);
      const r = new Float64Array(2 * groups);
      r.set(mean);
      r.set(variance, groups);
      return Promise.resolve(r);
    } catch (e) {
      return Promise.reject(e);
    }
  },
  bench: {
    eventCreate: () => ({ t: 0 }),
    eventRecord: (e) => { e.t = performance.now(); },
    eventElapsed: (a, b) => b.t - a.t,
    readBandwidth() {},
  },
};
