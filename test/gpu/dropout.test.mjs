// Alpha-dropout on the GPU: keep masks bit-identical to the CPU's for the same (seed, offset, rate) —
// every dtype, every stream phase (offset mod 4), offsets whose Philox block index carries past 2^32,
// the end of the 2^64 index space — values bit-identical to the CPU kernels for float32/float64 (and to
// the CPU's float32 values rounded once for the half types), fused ops bit-identical to the composition
// of the unfused GPU ops, statistics of selu + alpha-dropout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DTYPES, DeviceArray, addon, capped, LARGE_SIZES, SMALL_SIZES, bitCompare, largeSizes, dev, disposeAll, encode, float32Data, hostOf, lib, normalData, result, skip, ulpCompare,
  valuesOf,
} from './helpers.mjs';

const OFFSETS = [0n, 1n, 2n, 3n, 4n, 5n, 7n, (1n << 34n) - 3n, (1n << 34n) + 2n];
const RATES = [0, 0.1, 0.5, 0.999];
const SEED = 0x9e3779b97f4a7c15n;

function ones(dtype, n) {
  if (dtype === 'float32') return new Float32Array(n).fill(1);
  if (dtype === 'float64') return new Float64Array(n).fill(1);
  return new Uint16Array(n).fill(dtype === 'float16' ? 0x3c00 : 0x3f80);
}

function isZero(dtype, v) {
  return dtype === 'float32' || dtype === 'float64' ? v === 0 : (v & 0x7fff) === 0;
}

function cpuValues(dtype, host) {
  const v = valuesOf(dtype, host);
  return dtype === 'float64' ? v : Float32Array.from(v);
}

test('keep masks are the CPU masks, bit for bit (every dtype, phase and rate)', { skip }, () => {
  let cases = 0;
  for (const dtype of DTYPES) {
    for (const n of [...SMALL_SIZES, ...LARGE_SIZES]) {
      const big = n > 2 ** 24;
      const one = DeviceArray.from(ones(dtype, n), { dtype });
      for (const offset of big ? [0n, 2n] : OFFSETS) {
        for (const rate of big ? [0.1] : RATES) {
          const opts = { rate, seed: SEED + BigInt(n), offset };
          const mask = lib.alphaDropoutMask(n, opts);
          const got = result(dev.alphaDropoutBackwardDevice(one, opts));
          for (let i = 0; i < n; ++i) {
            if (isZero(dtype, got[i]) !== (mask[i] === 0)) {
              assert.fail(`${dtype} n=${n} offset=${offset} rate=${rate}: element ${i} ${mask[i] ? 'kept' : 'dropped'} on the CPU, not on the GPU`);
            }
          }
          cases++;
        }
      }
      one.dispose();
    }
  }
  // The very end of the index space: offset + n = 2^64 − 1.
  for (const n of [1, 5, 4097]) {
    const offset = (1n << 64n) - 1n - BigInt(n);
    const opts = { rate: 0.5, seed: 12345n, offset };
    const one = DeviceArray.from(new Float32Array(n).fill(1));
    const got = result(dev.alphaDropoutBackwardDevice(one, opts));
    const mask = lib.alphaDropoutMask(n, opts);
    for (let i = 0; i < n; ++i) assert.equal(got[i] !== 0, mask[i] === 1, `end of index space n=${n} i=${i}`);
    one.dispose();
  }
  console.log(`${cases} mask comparisons`);
});

test('forward and backward values equal the CPU kernels bit for bit', { skip }, () => {
  for (const dtype of DTYPES) {
    for (const n of [...SMALL_SIZES.filter((v) => v % 7 !== 0), ...largeSizes(dtype)]) {
      const xh = hostOf(dtype, float32Data(n, 31));
      const gh = hostOf(dtype, float32Data(n, 32));
      const x = DeviceArray.from(xh, { dtype }), g = DeviceArray.from(gh, { dtype });
      const xc = cpuValues(dtype, xh), gc = cpuValues(dtype, gh);
      for (const offset of n > 2 ** 24 ? [0n] : [0n, 3n, (1n << 34n) - 3n]) {
        for (const rate of n > 2 ** 24 ? [0.1] : [0, 0.25]) {
          const opts = { rate, seed: 77n, offset };
          const fwd = result(dev.alphaDropoutDevice(x, opts));
          const bwd = result(dev.alphaDropoutBackwardDevice(g, opts));
          let wantF = lib.alphaDropout(xc, opts), wantB = lib.alphaDropoutBackward(gc, opts);
          if (dtype === 'float16' || dtype === 'bfloat16') {
            // kept values: the float32 fma rounded once to the half type; dropped: the double a·α' + b rounded once
            const mask = lib.alphaDropoutMask(n, opts);
            const dropped = encode[dtype](lib.theory.alphaDropoutParameters({ rate }).droppedValue);
            wantF = hostOf(dtype, wantF);
            for (let i = 0; i < n; ++i) if (!mask[i]) wantF[i] = dropped;
            wantB = hostOf(dtype, wantB);
          }
          const rf = bitCompare(fwd, wantF, dtype), rb = bitCompare(bwd, wantB, dtype);
          assert.ok(rf.equal, `alphaDropout ${dtype} n=${n} offset=${offset} rate=${rate}: differs at ${rf.first}: ${fwd[rf.first]} vs ${wantF[rf.first]}`);
          assert.ok(rb.equal, `alphaDropoutBackward ${dtype} n=${n} offset=${offset} rate=${rate}: differs at ${rb.first}`);
        }
      }
      disposeAll(x, g);
    }
  }
});

test('fused seluAlphaDropout (and backward) = the unfused GPU ops, bit for bit; masks = CPU masks', { skip }, () => {
  const stats = [];
  for (const dtype of DTYPES) {
    for (const n of [...SMALL_SIZES.filter((v) => v % 5 !== 0), ...largeSizes(dtype)]) {
      const xh = hostOf(dtype, float32Data(n, 41)), gh = hostOf(dtype, float32Data(n, 42));
      const x = DeviceArray.from(xh, { dtype }), g = DeviceArray.from(gh, { dtype });
      for (const offset of n > 2 ** 24 ? [0n] : [0n, 1n, 6n]) {
        const opts = { rate: 0.1, seed: 5n, offset };
        const fused = dev.seluAlphaDropoutDevice(x, opts);
        const s = lib.selu(x);
        const composed = dev.alphaDropoutDevice(s, { ...opts, out: s });
        const r = bitCompare(fused.toArraySync(), composed.toArraySync(), dtype);
        assert.ok(r.equal, `seluAlphaDropout ${dtype} n=${n} offset=${offset}: differs from the composition at ${r.first}`);
        const fusedB = dev.seluAlphaDropoutBackwardDevice(g, x, opts);
        const t = lib.seluBackward(g, x);
        const composedB = dev.alphaDropoutBackwardDevice(t, { ...opts, out: t });
        const rb = bitCompare(fusedB.toArraySync(), composedB.toArraySync(), dtype);
        assert.ok(rb.equal, `seluAlphaDropoutBackward ${dtype} n=${n} offset=${offset}: differs from the composition at ${rb.first}`);
        if (dtype === 'float32' || dtype === 'float64') {
          // Against the CPU's fused kernels: dropped elements identical, kept ones differ only through
          // SELU's ≤ 1 ulp (scaled by a, plus the final rounding).
          const cpu = lib.seluAlphaDropout(cpuValues(dtype, xh), opts);
          const gpu = fused.toArraySync();
          const mask = lib.alphaDropoutMask(n, opts);
          const cpuSelu = lib.selu(cpuValues(dtype, xh));
          const eps = dtype === 'float32' ? 2 ** -23 : 2 ** -52;
          for (let i = 0; i < n; ++i) {
            if (!mask[i]) assert.ok(Object.is(gpu[i], cpu[i]), `dropped element ${i}`);
            else if (!Object.is(gpu[i], cpu[i]) && !(Number.isNaN(gpu[i]) && Number.isNaN(cpu[i]))) {
              const bound = 0.93 * Math.abs(cpuSelu[i]) * eps + Math.abs(cpu[i]) * eps;
              assert.ok(Math.abs(gpu[i] - cpu[i]) <= bound, `kept element ${i}: ${gpu[i]} vs CPU ${cpu[i]}`);
            }
          }
          const u = ulpCompare(fusedB.toArraySync(), lib.seluAlphaDropoutBackward(cpuValues(dtype, gh), cpuValues(dtype, xh), opts));
          assert.ok(u.max <= 2, `seluAlphaDropoutBackward ${dtype} n=${n}: ${u.max} ulp from the CPU`);
          if (n >= 2 ** 20) stats.push(`${dtype} n=${n}: fused backward ${u.differ} elements ≤ ${u.max} ulp from the CPU`);
        }
        disposeAll(fused, s, fusedB, t);
      }
      disposeAll(x, g);
    }
  }
  console.log(stats.join('\n'));
});

test('selu + alpha-dropout keeps mean 0 and variance 1', { skip }, async () => {
  const n = capped(2 ** 24);
  const x = DeviceArray.from(Float32Array.from(normalData(n, 0, 1, 5)));
  for (const rate of [0.05, 0.1, 0.3]) {
    const y = dev.seluAlphaDropoutDevice(x, { rate, seed: 99n });
    const m = await dev.momentsDevice(y);
    assert.ok(Math.abs(m.mean) < 3e-3 && Math.abs(m.variance - 1) < 5e-3, `rate ${rate}: mean ${m.mean} variance ${m.variance}`);
    y.dispose();
  }
  x.dispose();
});

test('training: false, out, in place, Async forms', { skip }, async () => {
  const x32 = float32Data(10007, 51);
  const x = DeviceArray.from(x32);
  const opts = { rate: 0.2, seed: 8n, offset: 12n };
  assert.equal(dev.alphaDropoutDevice(x, { ...opts, training: false }), x);
  const out = DeviceArray.alloc(x32.length);
  assert.equal(dev.alphaDropoutDevice(x, { ...opts, training: false, out }), out);
  assert.ok(bitCompare(out.toArraySync(), x32).equal);
  assert.ok(bitCompare(result(dev.seluAlphaDropoutDevice(x, { ...opts, training: false })), result(lib.selu(x))).equal);
  const y = await dev.alphaDropoutDeviceAsync(x, opts);
  assert.ok(bitCompare(y.toArraySync(), lib.alphaDropout(x32, opts)).equal);
  const inPlace = DeviceArray.from(x32);
  assert.equal(dev.alphaDropoutDevice(inPlace, { ...opts, out: inPlace }), inPlace);
  assert.ok(bitCompare(inPlace.toArraySync(), lib.alphaDropout(x32, opts)).equal);
  for (const f of [dev.alphaDropoutBackwardDeviceAsync, dev.seluAlphaDropoutDeviceAsync]) {
    const r = await f(x, opts);
    assert.ok(r instanceof DeviceArray);
    r.dispose();
  }
  const r = await dev.seluAlphaDropoutBackwardDeviceAsync(x, x, opts);
  assert.ok(r instanceof DeviceArray);
  disposeAll(x, out, y, inPlace, r);
});

test('a bad rate is the CPU\'s RangeError ERR_SELU_OUT_OF_RANGE, from lib/ and from the addon itself', { skip }, () => {
  const x = DeviceArray.from(float32Data(64, 3));
  const want = { name: 'RangeError', code: 'ERR_SELU_OUT_OF_RANGE' };
  const h = x.handle('test', 'x');
  for (const rate of [-0.5, 1, 1.5, NaN]) {
    assert.throws(() => lib.alphaDropout(new Float32Array(64), { rate, seed: 1 }), want);
    assert.throws(() => dev.alphaDropoutDevice(x, { rate, seed: 1 }), want);
    // The glue's own check, reached only by a direct call: (dtype, n, x, out, stream, seed, offset, rate, a, b, dropped)
    assert.throws(() => addon().alphaDropout(0, 64, h, h, undefined, 1n, 0n, rate, 1, 0, 0), want);
    assert.throws(() => addon().alphaDropoutBackward(0, 64, h, h, undefined, 1n, 0n, rate, 1), want);
  }
  x.dispose();
});
