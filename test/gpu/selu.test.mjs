// SELU forward and backward on the GPU against the CPU kernels: float32 and float64 within 1 ulp,
// float16/bfloat16 (computed in float32) within 1 ulp of the half type of the CPU's float32 result;
// every size class from 0 to 2^28, unaligned lengths, special values, custom alpha/scale, in place,
// the Async forms.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DTYPES, DeviceArray, capped, LARGE_SIZES, SMALL_SIZES, largeSizes, bitCompare, disposeAll, float32Data, hostOf, lib, normalData, roundTo, skip, ulpCompare, valuesOf,
} from './helpers.mjs';

const { selu, seluBackward, seluAsync, seluBackwardAsync } = lib;

/** GPU result vs CPU reference (the CPU computes float32 for the half types, then rounds). */
function check(name, dtype, gpu, cpu32or64) {
  const want = roundTo(dtype, cpu32or64);
  const r = ulpCompare(gpu, want, 1, dtype);
  assert.ok(r.max <= 1, `${name} ${dtype}: ${r.max} ulp at ${r.first} (GPU ${gpu[r.first]} vs CPU ${want[r.first]})`);
  return r;
}

function cpuInput(dtype, host) {
  const v = valuesOf(dtype, host);
  return dtype === 'float64' ? v : Float32Array.from(v);
}

test('selu forward and backward: every dtype, sizes 0 … 2^28', { skip }, () => {
  const stats = [];
  for (const dtype of DTYPES) {
    for (const n of [...SMALL_SIZES, ...LARGE_SIZES]) {
      const xh = hostOf(dtype, float32Data(n, 3));
      const gh = hostOf(dtype, float32Data(n, 4));
      const x = DeviceArray.from(xh, { dtype });
      const g = DeviceArray.from(gh, { dtype });
      const xc = cpuInput(dtype, xh), gc = cpuInput(dtype, gh);
      const y = selu(x);
      const r1 = check(`selu n=${n}`, dtype, y.toArraySync(), selu(xc));
      let r2 = { differ: '-' };
      let b = null;
      if (largeSizes(dtype).includes(n) || n < 2 ** 20) {
        b = seluBackward(g, x);
        r2 = check(`seluBackward n=${n}`, dtype, b.toArraySync(), seluBackward(gc, xc));
      }
      if (n >= 2 ** 20) stats.push(`${dtype} n=${n}: forward ${r1.differ} and backward ${r2.differ} elements 1 ulp from the CPU`);
      disposeAll(x, g, y, b);
    }
  }
  console.log(stats.join('\n'));
});

test('float64 on data that is not float32-representable', { skip }, () => {
  for (const n of [4097, 1_000_003]) {
    const x64 = normalData(n, -2, 5, 7);
    const g64 = normalData(n, 0, 1, 8);
    const x = DeviceArray.from(x64), g = DeviceArray.from(g64);
    check('selu f64', 'float64', selu(x).toArraySync(), selu(x64));
    check('seluBackward f64', 'float64', seluBackward(g, x).toArraySync(), seluBackward(g64, x64));
    disposeAll(x, g);
  }
});

test('special values', { skip }, () => {
  const specials = [0, -0, Infinity, -Infinity, NaN, 1e-45, -1e-45, 1e-38, -1e-38, 3.4e38, -3.4e38, -17.5, -87.5, -104, -150, -1e-7, 1e-7];
  for (const dtype of ['float32', 'float64']) {
    const C = dtype === 'float32' ? Float32Array : Float64Array;
    const xs = C.from(specials);
    const gs = C.from(specials.map((_, i) => [1, -0, 0, Infinity, -3, 1e-30, NaN][i % 7]));
    const x = DeviceArray.from(xs), g = DeviceArray.from(gs);
    const y = selu(x).toArraySync();
    check('selu specials', dtype, y, selu(xs));
    for (let i = 0; i < xs.length; ++i) {
      if (xs[i] === 0) assert.equal(Object.is(y[i], -0), Object.is(xs[i], -0), `selu(${Object.is(xs[i], -0) ? '-0' : '0'}) sign`);
    }
    const b = seluBackward(g, x).toArraySync();
    const cb = seluBackward(gs, xs);
    for (let i = 0; i < xs.length; ++i) {
      if (Number.isNaN(cb[i]) && !Number.isFinite(gs[i]) && Number.isFinite(xs[i])) continue;  // CPU's wide exp underflow (see cuda/tests)
      assert.ok(Object.is(b[i], cb[i]) || Math.abs(b[i] - cb[i]) <= Math.abs(cb[i]) * 2 ** (dtype === 'float32' ? -23 : -52),
        `seluBackward(${gs[i]}, ${xs[i]}) = ${b[i]} vs CPU ${cb[i]}`);
    }
    disposeAll(x, g);
  }
});

test('custom alpha and scale, out and in place', { skip }, () => {
  const x32 = float32Data(65537, 12);
  for (const [alpha, scale] of [[1, 1], [2.5, 0.75], [-1, 3]]) {
    const x = DeviceArray.from(x32);
    const out = DeviceArray.alloc(x32.length);
    assert.equal(selu(x, { out, alpha, scale }), out);
    check(`selu α=${alpha} λ=${scale}`, 'float32', out.toArraySync(), selu(x32, { alpha, scale }));
    assert.equal(selu(x, { out: x, alpha, scale }), x);
    assert.ok(bitCompare(x.toArraySync(), out.toArraySync()).equal, 'in place = out of place');
    disposeAll(x, out);
  }
});

test('Async forms resolve with the finished result', { skip }, async () => {
  const x32 = float32Data(capped(2 ** 24), 13);
  const x = DeviceArray.from(x32);
  const g = DeviceArray.from(float32Data(capped(2 ** 24), 14));
  const y = await seluAsync(x);
  assert.ok(y instanceof DeviceArray);
  const want = selu(x).toArraySync();
  assert.ok(bitCompare(y.toArraySync(), want).equal);
  const b = await seluBackwardAsync(g, x);
  assert.ok(bitCompare(b.toArraySync(), seluBackward(g, x).toArraySync()).equal);
  disposeAll(x, g, y, b);
});

test('results are deterministic', { skip }, () => {
  const x = DeviceArray.from(float32Data(2 ** 22, 15));
  const a = selu(x).toArraySync(), b = selu(x).toArraySync();
  assert.ok(bitCompare(a, b).equal);
  x.dispose();
});
