// Mean/variance on the GPU: within 1e-12 of the CPU kernels (relative to the data's scale: |mean| + std
// for the mean, the variance itself for the variance), deterministic bit for bit, every dtype, whole
// arrays up to 2^28 and both axes, adversarial data (mean/std = 1e6), NaN/Inf propagation, the fused
// seluMoments.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DTYPES, DeviceArray, capped, dev, largeSizes, disposeAll, float32Data, hostOf, lib, normalData, skip, valuesOf } from './helpers.mjs';

let worst = 0;

function close(name, got, want) {
  const gm = got.mean instanceof Float64Array ? got.mean : [got.mean];
  const gv = got.variance instanceof Float64Array ? got.variance : [got.variance];
  const wm = want.mean instanceof Float64Array ? want.mean : [want.mean];
  const wv = want.variance instanceof Float64Array ? want.variance : [want.variance];
  assert.equal(got.count, want.count, `${name}: count`);
  assert.equal(gm.length, wm.length);
  for (let i = 0; i < gm.length; ++i) {
    if (Number.isNaN(wm[i]) || Number.isNaN(wv[i])) {
      assert.ok(Number.isNaN(gm[i]) === Number.isNaN(wm[i]) && Number.isNaN(gv[i]) === Number.isNaN(wv[i]), `${name}[${i}]: NaN`);
      continue;
    }
    const scale = Math.abs(wm[i]) + Math.sqrt(wv[i]);
    const em = scale === 0 ? Math.abs(gm[i] - wm[i]) : Math.abs(gm[i] - wm[i]) / scale;
    const ev = wv[i] === 0 ? Math.abs(gv[i]) : Math.abs(gv[i] - wv[i]) / wv[i];
    worst = Math.max(worst, em, ev);
    assert.ok(em <= 1e-12 && ev <= 1e-12, `${name}[${i}]: mean ${gm[i]} vs ${wm[i]}, variance ${gv[i]} vs ${wv[i]}`);
  }
}

function cpuOf(dtype, host) {
  const v = valuesOf(dtype, host);
  return dtype === 'float64' ? v : Float32Array.from(v);
}

test('whole arrays, every dtype, sizes 1 … 2^28', { skip }, async () => {
  for (const dtype of DTYPES) {
    for (const n of [1, 2, 3, 4095, 4096, 4097, 65 * 4096 + 3, 2048 * 4096 + 1, 1_000_003, ...largeSizes(dtype)]) {
      const x32 = new Float32Array(normalData(n, 3, 2, n));
      const host = hostOf(dtype, x32);
      const x = DeviceArray.from(host, { dtype });
      for (const correction of n > 1 ? [0, 1] : [0]) {
        const got = await dev.momentsDevice(x, { correction });
        close(`moments ${dtype} n=${n} c=${correction}`, got, lib.moments(cpuOf(dtype, host), { correction }));
      }
      x.dispose();
    }
  }
  console.log(`largest scaled difference from the CPU: ${worst.toExponential(2)}`);
});

test('axes: per column and per row, odd shapes', { skip }, async () => {
  const shapes = [[1, 7], [7, 1], [3, 5], [33, 17], [1000, 3], [3, 100003], [65, 4099], [2049, 2], [4096, 256], [100, 70001], [20000, 1000]];
  for (const dtype of DTYPES) {
    for (const [rows, cols] of shapes) {
      const n = rows * cols;
      const host = hostOf(dtype, new Float32Array(normalData(n, -1, 3, rows)));
      const x = DeviceArray.from(host, { dtype });
      const xc = cpuOf(dtype, host);
      for (const axis of [0, 1]) {
        const count = axis === 0 ? rows : cols;
        const correction = count > 1 ? 1 : 0;
        const got = await dev.momentsDevice(x, { shape: [rows, cols], axis, correction });
        close(`moments ${dtype} ${rows}x${cols} axis ${axis}`, got, lib.moments(xc, { shape: [rows, cols], axis, correction }));
      }
      x.dispose();
    }
  }
});

test('adversarial data: mean/std = 1e6 and large offsets, float32 and float64', { skip }, async () => {
  for (const [mean, sd] of [[1e4, 1e-2], [-3e5, 1], [0, 1e-20]]) {
    for (const n of [4097, 1_000_003, capped(2 ** 24) + 1]) {
      for (const C of [Float64Array, Float32Array]) {
        const xs = C.from(normalData(n, mean, sd, 17));
        const x = DeviceArray.from(xs);
        close(`adversarial ${C.name} (${mean}, ${sd}) n=${n}`, await dev.momentsDevice(x), lib.moments(xs));
        x.dispose();
      }
    }
  }
});

test('deterministic: the same bits every time', { skip }, async () => {
  const x = DeviceArray.from(new Float32Array(normalData(capped(2 ** 24) + 5, 1, 1, 2)));
  const a = await dev.momentsDevice(x);
  for (let i = 0; i < 5; ++i) {
    const b = await dev.momentsDevice(x);
    assert.ok(Object.is(a.mean, b.mean) && Object.is(a.variance, b.variance));
  }
  const s = cudaStreamOrNot();
  const c = await dev.momentsDevice(x, s ? { stream: s } : undefined);
  assert.ok(Object.is(a.mean, c.mean) && Object.is(a.variance, c.variance));
  if (s) s.dispose();
  x.dispose();
});

function cudaStreamOrNot() {
  return lib.cuda.createStream();
}

test('NaN and infinities propagate as on the CPU', { skip }, async () => {
  for (const special of [NaN, Infinity, -Infinity]) {
    const xs = new Float32Array(10000).fill(1);
    xs[5000] = special;
    const x = DeviceArray.from(xs);
    const got = await dev.momentsDevice(x);
    const want = lib.moments(xs);
    assert.equal(Number.isNaN(got.mean), Number.isNaN(want.mean), `mean with ${special}`);
    assert.equal(Number.isNaN(got.variance), Number.isNaN(want.variance), `variance with ${special}`);
    x.dispose();
  }
});

test('seluMoments: out = selu(x) as the GPU selu computes it, moments of out', { skip }, async () => {
  for (const dtype of DTYPES) {
    for (const [rows, cols, axis] of [[1, 2 ** 20 + 7, undefined], [300, 501, 0], [301, 500, 1], [1, capped(2 ** 28), undefined]]) {
      if (rows * cols > 2 ** 24 && dtype !== 'float32') continue;
      const n = rows * cols;
      const host = hostOf(dtype, float32Data(n, 61).map((v) => (Number.isFinite(v) ? v : 0)));
      const x = DeviceArray.from(host, { dtype });
      const opts = axis === undefined ? {} : { shape: [rows, cols], axis };
      const r = await dev.seluMomentsDevice(x, opts);
      const ref = lib.selu(x);
      const outHost = r.out.toArraySync();
      assert.deepEqual(outHost, ref.toArraySync(), `seluMoments ${dtype}: out differs from selu`);
      close(`seluMoments ${dtype} ${rows}x${cols}`, r, lib.moments(cpuOf(dtype, outHost), opts));
      disposeAll(x, r.out, ref);
    }
  }
});
