/**
 * moments / seluMoments through the public API: accuracy against a compensated two-pass reference on
 * adversarial data (mean/std up to 1e6) for whole arrays and both axes, lengths 1 to 10^7 + 19 (2^24 + 1
 * included), float32 and float64; bit-identical results for any thread count and SIMD level; the
 * fused form equal to selu then moments; typing of the overloads. Bad input: moments-errors.test.ts;
 * the kernels bit for bit across instruction sets and the 1e-12 bound on more shapes: cpp/tests/moments.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import {
  type AxisMoments, type Moments, moments, momentsAsync, runtime, selu, seluMoments, seluMomentsAsync, setThreads,
} from '../lib';
import { sameBits } from './helpers/accuracy';
import { normalInWorker } from './helpers/normal-worker';
import { referenceMoments, referenceMomentsInWorker, type Reference } from './helpers/reference-moments';

type Dtype = 'float32' | 'float64';
const CTORS = { float32: Float32Array, float64: Float64Array } as const;
const BOUND = 1e-12;

const relative = (got: number, want: number): number => (want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want));

function expectClose(got: Moments | AxisMoments, ref: Reference): void {
  const mean = typeof got.mean === 'number' ? [got.mean] : Array.from(got.mean);
  const variance = typeof got.variance === 'number' ? [got.variance] : Array.from(got.variance);
  expect(mean).toHaveLength(ref.mean.length);
  let worstMean = 0;
  let worstVariance = 0;
  for (let g = 0; g < mean.length; g++) {
    worstMean = Math.max(worstMean, relative(mean[g], ref.mean[g]));
    worstVariance = Math.max(worstVariance, relative(variance[g], ref.variance[g]));
  }
  expect(worstMean).toBeLessThanOrEqual(BOUND);
  expect(worstVariance).toBeLessThanOrEqual(BOUND);
}

const DISTS = [
  ['mean 1e4, std 1e-2', 1e4, 1e-2],
  ['mean -3e5, std 1', -3e5, 1],
] as const;

const samples = new Map<string, Float64Array>();
async function normalData(n: number, mean: number, sd: number): Promise<Float64Array> {
  const key = `${n}:${mean}:${sd}`;
  if (!samples.has(key)) samples.set(key, await normalInWorker(n, n % 1000, mean, sd));
  return samples.get(key) as Float64Array;
}

describe.each(DISTS)('accuracy, %s', (_, mu, sd) => {
  describe.each(['float32', 'float64'] as const)('%s', (dtype: Dtype) => {
    test.each([1, 2, 3, 15, 16, 17, 31, 2047, 2048, 2049, 65535, 65537, 100_003])('all values, n = %p', async (n) => {
      const x = new CTORS[dtype](await normalData(n, mu, sd));
      for (const correction of n > 1 ? [0, 1] as const : [0] as const) {
        const got = moments(x, { correction });
        expect(got.count).toBe(n);
        expectClose(got, referenceMoments(x, 1, n, -1, correction));
      }
      if (n === 1) expect(moments(x).variance).toBe(0);
    });

    test.each([[(1 << 24) + 1], [10_000_019]])('all values, n = %p', async (n) => {
      const x = new CTORS[dtype](await normalData(n, mu, sd));
      expectClose(moments(x), await referenceMomentsInWorker(x, 1, n, -1, 0));
    }, 120_000);

    test.each([[1000, 37], [37, 1000], [65, 257], [4099, 3], [3, 70_001], [1, 17], [17, 1]])('per axis, shape [%p, %p]', async (rows, cols) => {
      const x = new CTORS[dtype](await normalData(rows * cols, mu, sd));
      for (const axis of [0, 1] as const) {
        const got = moments(x, { shape: [rows, cols], axis });
        expect(got.count).toBe(axis === 0 ? rows : cols);
        expect(got.mean).toHaveLength(axis === 0 ? cols : rows);
        expectClose(got, referenceMoments(x, rows, cols, axis, 0));
        const count = axis === 0 ? rows : cols;
        if (count > 1) expectClose(moments(x, { shape: [rows, cols], axis, correction: 1 }), referenceMoments(x, rows, cols, axis, 1));
      }
      // A shape without an axis changes nothing.
      expect(moments(x, { shape: [rows, cols] })).toEqual(moments(x));
    });

    test('per axis at 10^7 values: [10007, 1000] columns and rows', async () => {
      const rows = 10_007;
      const cols = 1000;
      const x = new CTORS[dtype](await normalData(rows * cols, mu, sd));
      expectClose(moments(x, { shape: [rows, cols], axis: 0 }), await referenceMomentsInWorker(x, rows, cols, 0, 0));
      expectClose(moments(x, { shape: [rows, cols], axis: 1 }), await referenceMomentsInWorker(x, rows, cols, 1, 0));
    }, 120_000);
  });
});

describe('semantics', () => {
  test('a small example, whole and per axis, population and sample variance', () => {
    const x = new Float64Array([1, 2, 3, 4, 5, 6]); // [[1, 2, 3], [4, 5, 6]]
    expect(moments(x)).toEqual({ mean: 3.5, variance: 35 / 12, count: 6 });
    expect(moments(x, { correction: 1 })).toEqual({ mean: 3.5, variance: 3.5, count: 6 });
    expect(moments(x, { shape: [2, 3], axis: 0 })).toEqual({
      mean: new Float64Array([2.5, 3.5, 4.5]), variance: new Float64Array([2.25, 2.25, 2.25]), count: 2,
    });
    expect(moments(x, { shape: [2, 3], axis: 1, correction: 1 })).toEqual({
      mean: new Float64Array([2, 5]), variance: new Float64Array([1, 1]), count: 3,
    });
  });

  test('NaN or ±Infinity in a group makes its mean and variance NaN; other groups are unaffected', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const x = new Float32Array(5000).fill(1);
      x[1234] = bad;
      const whole = moments(x);
      expect(whole.mean).toBeNaN();
      expect(whole.variance).toBeNaN();
      const cols = moments(x, { shape: [1000, 5], axis: 0 });
      expect(Array.from(cols.mean).map(Number.isNaN)).toEqual([false, false, false, false, true]);
      expect(Array.from(cols.variance)).toEqual([0, 0, 0, 0, NaN]);
    }
  });

  test('constant data has variance exactly 0, never negative', () => {
    for (const v of [1e4, -3e5, 0.1, 7]) {
      for (const n of [3, 17, 2049, 100_001]) {
        const m = moments(new Float64Array(n).fill(v));
        expect(m.variance).toBe(0);
        expect(m.mean).toBe(v);
      }
    }
  });

  test('the overloads type the results', async () => {
    const x = new Float32Array(12);
    const whole: Moments = moments(x);
    const perColumn: AxisMoments = moments(x, { shape: [3, 4], axis: 0 });
    const perRowAsync: AxisMoments = await momentsAsync(x, { shape: [3, 4], axis: 1 });
    const fused: { out: Float32Array } & Moments = seluMoments(x);
    const fusedAxis: { out: Float32Array } & AxisMoments = seluMoments(x, { shape: [3, 4], axis: 0, alpha: 1.5 });
    expect(typeof whole.mean).toBe('number');
    expect(perColumn.mean).toHaveLength(4);
    expect(perRowAsync.mean).toHaveLength(3);
    expect(fused.out).toHaveLength(12);
    expect(fusedAxis.variance).toHaveLength(4);
  });

  test('momentsAsync and seluMomentsAsync give the same results', async () => {
    const x = new Float32Array(await normalData(100_003, 1e4, 1e-2));
    expect(await momentsAsync(x)).toEqual(moments(x));
    await expect(momentsAsync(x, { shape: [7, 14286], axis: 1 })).rejects.toMatchObject({ code: 'ERR_SELU_LENGTH_MISMATCH' });
    const y = new Float64Array(x);
    const a = await seluMomentsAsync(y, { shape: [100_003, 1], axis: 0, correction: 1 });
    const b = seluMoments(y, { shape: [100_003, 1], axis: 0, correction: 1 });
    expect(sameBits(a.out, b.out)).toBe(true);
    expect(a.mean).toEqual(b.mean);
    expect(a.variance).toEqual(b.variance);
  });

  test('whole-array results stay their own: sync calls between an async call and its settling change nothing', async () => {
    // Sync whole-array calls share the arrays the addon writes into (lib/ops/moments.ts): results are numbers,
    // read out before the call returns, and async calls and per-axis results have arrays of their own.
    const x = new Float64Array(100_003).map((_, i) => i % 97);
    const y = new Float64Array([1, 2, 3, 4]);
    const pending = [momentsAsync(x), seluMomentsAsync(x)];
    const small = moments(y);
    const perRow = moments(y, { shape: [2, 2], axis: 1 });
    const other = seluMoments(new Float32Array([-1, 0, 1]));
    const [big, bigSelu] = await Promise.all(pending);
    expect(big).toEqual(moments(x));
    expect(bigSelu.mean).toBe(seluMoments(x).mean);
    expect(small).toEqual({ mean: 2.5, variance: 1.25, count: 4 });
    expect(Array.from(perRow.mean as Float64Array)).toEqual([1.5, 3.5]);
    expect(moments(new Float64Array([10, 20])).mean).toBe(15);
    expect(perRow.mean).not.toBe(moments(y, { shape: [2, 2], axis: 1 }).mean);
    expect(other.count).toBe(3);
    expect(typeof other.mean).toBe('number');
  });
});

describe('seluMoments', () => {
  test.each(['float32', 'float64'] as const)('%s: out = selu(x) and the moments of out, bit for bit, for every axis', async (dtype) => {
    const x = new CTORS[dtype](await normalData(300_000, 0, 2));
    for (const options of [{}, { shape: [300, 1000] as const, axis: 0 as const }, { shape: [300, 1000] as const, axis: 1 as const, correction: 1 as const }, { alpha: 1.2, scale: 0.8 }]) {
      const fused = seluMoments(x, options);
      const y = selu(x, 'alpha' in options ? { alpha: options.alpha, scale: options.scale } : undefined);
      const { alpha: _a, scale: _s, ...momentOptions } = options as { alpha?: number; scale?: number };
      expect(sameBits(fused.out, y)).toBe(true);
      const m = moments(y, momentOptions);
      expect(fused.mean).toEqual(m.mean);
      expect(fused.variance).toEqual(m.variance);
      expect(fused.count).toBe(m.count);
    }
  });

  test('in place and into a given out', () => {
    const x = new Float32Array(70_001).map((_, i) => Math.sin(i));
    const expected = seluMoments(x);
    const out = new Float32Array(x.length);
    expect(seluMoments(x, { out }).out).toBe(out);
    expect(sameBits(out, expected.out)).toBe(true);
    const copy = new Float32Array(x);
    const inPlace = seluMoments(copy, { out: copy });
    expect(inPlace.out).toBe(copy);
    expect(sameBits(copy, expected.out)).toBe(true);
    expect(inPlace.mean).toBe(expected.mean);
  });
});

describe('reproducibility', () => {
  const shapes = [[3, 1_000_003], [1_000_003, 3], [3001, 700]] as const;
  /** The bytes of every mean and variance of some results (compared bit for bit, natively: they can be long). */
  const bytes = (results: Array<Moments | AxisMoments>): Buffer => Buffer.concat(results.flatMap((r) =>
    [r.mean, r.variance].map((v) => (typeof v === 'number' ? new Float64Array([v]) : v)).map((v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength))));

  test('bit-identical for 1 and 2 threads, whole and per axis, plain and fused', async () => {
    const before = runtime.threads;
    try {
      for (const [rows, cols] of shapes) {
        const x = new Float32Array(await normalData(rows * cols, 5, 2));
        const run = (): Buffer => bytes([
          moments(x), moments(x, { shape: [rows, cols], axis: 0 }), moments(x, { shape: [rows, cols], axis: 1 }),
          seluMoments(x, { shape: [rows, cols], axis: 0 }), seluMoments(x),
        ]);
        setThreads(1);
        const one = run();
        setThreads(2);
        expect(run().equals(one)).toBe(true);
      }
    } finally {
      setThreads(before);
    }
  }, 120_000);

  test('bit-identical with SELU_KERNELS_SIMD=scalar (a child process on the compiled package)', () => {
    const dist = path.join(__dirname, '..', 'dist', 'index.js');
    const script = `
      const lib = require(${JSON.stringify(dist)});
      const n = 1009 * 991, x = new Float32Array(n), y = new Float64Array(n);
      for (let i = 0; i < n; i++) { x[i] = 1e4 + Math.sin(i) * 1e-2; y[i] = -3e5 + Math.cos(i * 0.7); }
      const r = [];
      for (const a of [x, y]) {
        r.push(lib.moments(a), lib.moments(a, { shape: [1009, 991], axis: 0 }), lib.moments(a, { shape: [991, 1009], axis: 1, correction: 1 }));
      }
      console.log(JSON.stringify({ simd: lib.runtime.simd, r: r.map((m) => [Array.from(typeof m.mean === 'number' ? [m.mean] : m.mean), Array.from(typeof m.variance === 'number' ? [m.variance] : m.variance)]) }));`;
    const run = (env: NodeJS.ProcessEnv): { simd: string; r: number[][][] } =>
      JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26 }));
    const scalar = run({ SELU_KERNELS_SIMD: 'scalar' });
    const best = run({ SELU_KERNELS_SIMD: '' });
    expect(scalar.simd).toBe('scalar');
    expect(best.simd).toBe(runtime.detectedSimd);
    expect(best.r).toEqual(scalar.r);
  });
});
