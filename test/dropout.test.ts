/**
 * Alpha-dropout through the public API: the random stream against an independent JS model of
 * Philox4x32-10 (docs/ALPHA-DROPOUT.md), exact values of kept and dropped elements, the backward passes, the
 * fused kernels against the unfused sequence, and invariance under chunking (offsets, including near
 * 2^34 and 2^64), thread count and SIMD level. Statistics: dropout-stats.test.ts; bad input:
 * dropout-errors.test.ts; the SIMD kernels bit for bit against the scalar ones: cpp/tests/dropout.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import {
  SELU_ALPHA, SELU_SCALE, alphaDropout, alphaDropoutAsync, alphaDropoutBackward, alphaDropoutBackwardAsync, alphaDropoutMask,
  alphaDropoutMaskAsync, runtime, selu, seluAlphaDropout, seluAlphaDropoutAsync, seluAlphaDropoutBackward,
  seluAlphaDropoutBackwardAsync, seluBackward, setThreads, type DropoutOptions, type FloatArray,
} from '../lib';
import { alphaDropoutParameters } from '../lib/theory/dropout-parameters';
import { add, exact, exactFma, mul, round as roundExact } from './helpers/exact';
import { maxUlpError, normal, sameBits } from './helpers/accuracy';
import { philox4x32, referenceMask } from './helpers/philox';

type Dtype = 'float32' | 'float64';
const CTORS = { float32: Float32Array, float64: Float64Array } as const;
const round = (v: number, dtype: Dtype): number => (dtype === 'float32' ? Math.fround(v) : v);
// Byte equality of two masks (jest's toEqual is slow on large typed arrays).
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);

/** Standard-normal samples times `scale`; cached, since generating them is the slow part of these tests. */
const cache = new Map<string, Float64Array>();
function data(dtype: Dtype, n: number, seed: number, scale = 2): FloatArray {
  const key = `${n}:${seed}`;
  if (!cache.has(key)) cache.set(key, normal(n, seed));
  const out = new CTORS[dtype](cache.get(key) as Float64Array);
  if (scale !== 1) for (let i = 0; i < n; i++) out[i] *= scale;
  return out;
}

describe('the random stream', () => {
  test('the JS model reproduces the Random123 known-answer vectors', () => {
    const hex = (w: number[]): string[] => w.map((v) => v.toString(16).padStart(8, '0'));
    expect(hex(philox4x32([0, 0, 0, 0], [0, 0]))).toEqual(['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']);
    expect(hex(philox4x32([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff])))
      .toEqual(['408f276d', '41c83b0e', 'a20bc7c6', '6d5451fd']);
    expect(hex(philox4x32([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0])))
      .toEqual(['d16cfe09', '94fdcceb', '5001e420', '24126ea1']);
  });

  const offsets: bigint[] = [0n, 1n, 2n, 3n, 5n, (1n << 34n) - 37n, (1n << 34n) - 2n, 0xfffffffffn, (1n << 64n) - 4099n];
  test.each(offsets.map((o) => [o]))('alphaDropoutMask matches the model at offset %p', (offset) => {
    for (const [rate, seed] of [[0.1, 0n], [0.5, 123456789n], [0.9, (1n << 64n) - 1n], [0.37, 0xdeadbeefcafen]] as const) {
      const n = 4097;
      const mask = alphaDropoutMask(n, { rate, seed, offset });
      expect(sameBytes(mask, referenceMask(n, rate, seed, offset))).toBe(true);
    }
  });

  test('alphaDropoutMask writes into options.out (every byte), sync and async, views and Buffers too', async () => {
    const n = 4097;
    const o = { rate: 0.37, seed: 11n, offset: 5n };
    const expected = referenceMask(n, o.rate, o.seed, o.offset);
    const out = new Uint8Array(n).fill(9);
    expect(alphaDropoutMask(n, { ...o, out })).toBe(out);
    expect(sameBytes(out, expected)).toBe(true);
    const again = new Uint8Array(n).fill(9);
    expect(await alphaDropoutMaskAsync(n, { ...o, out: again })).toBe(again);
    expect(sameBytes(again, expected)).toBe(true);
    // A view writes its own window only; a Buffer is a Uint8Array; rate 0 (no stream) fills it too.
    const wide = new Uint8Array(n + 10).fill(9);
    alphaDropoutMask(n, { ...o, out: wide.subarray(3, 3 + n) });
    expect(sameBytes(wide.subarray(3, 3 + n), expected)).toBe(true);
    expect([...wide.subarray(0, 3), ...wide.subarray(3 + n)]).toEqual(new Array(10).fill(9));
    const buffer = Buffer.alloc(n, 9);
    expect(alphaDropoutMask(n, { ...o, out: buffer })).toBe(buffer);
    expect(sameBytes(buffer, expected)).toBe(true);
    expect(alphaDropoutMask(n, { rate: 0, seed: 1, out: new Uint8Array(n) }).every((v) => v === 1)).toBe(true);
  });

  test('rate 0 keeps everything; a rate close to 1 drops almost everything', () => {
    expect(alphaDropoutMask(1000, { rate: 0, seed: 9 }).every((v) => v === 1)).toBe(true);
    expect(alphaDropoutMask(0, { rate: 0.5, seed: 9 })).toEqual(new Uint8Array(0));
    const mask = alphaDropoutMask(100_000, { rate: 0.999, seed: 9 });
    const kept = mask.reduce((s, v) => s + v, 0);
    expect(kept).toBeGreaterThan(50);
    expect(kept).toBeLessThan(200);
  });

  test('numbers and bigints name the same seed and offset; the mask is the same for every function', () => {
    const n = 1001;
    const m = alphaDropoutMask(n, { rate: 0.3, seed: 42, offset: 7 });
    expect(sameBytes(alphaDropoutMask(n, { rate: 0.3, seed: 42n, offset: 7n }), m)).toBe(true);
    const x = data('float32', n, 3);
    const p = alphaDropoutParameters({ rate: 0.3 });
    const dropped = Math.fround(p.droppedValue);
    const y = alphaDropout(x, { rate: 0.3, seed: 42, offset: 7 });
    const z = seluAlphaDropout(x, { rate: 0.3, seed: 42, offset: 7 });
    const g = alphaDropoutBackward(x, { rate: 0.3, seed: 42, offset: 7 });
    for (let i = 0; i < n; i++) {
      expect(y[i] === dropped).toBe(m[i] === 0);
      expect(z[i] === dropped).toBe(m[i] === 0);
      if (m[i] === 0) expect(Object.is(g[i], 0)).toBe(true);
    }
  });
});

describe.each(['float32', 'float64'] as const)('alpha-dropout %s values', (dtype) => {
  const n = 20_011;
  const x = data(dtype, n, 11);
  const options: DropoutOptions = { rate: 0.2, seed: 77n, offset: 3n };
  const mask = referenceMask(n, 0.2, 77n, 3n);

  test.each([
    [{}], [{ mean: 0.5, variance: 2 }], [{ alpha: 1.5, scale: 1.1 }], [{ rate: 0.05 }], [{ rate: 0.5 }],
  ] as const)('kept = fma(a, x, b) in the array precision, dropped = a·α′ + b rounded once (%p)', (extra) => {
    const o = { ...options, ...extra };
    const p = alphaDropoutParameters({ rate: o.rate, mean: o.mean, variance: o.variance, alpha: o.alpha, scale: o.scale });
    const m = referenceMask(n, o.rate, 77n, 3n);
    const y = alphaDropout(x, o);
    const a = round(p.a, dtype);
    const b = round(p.b, dtype);
    for (let i = 0; i < n; i++) {
      const want = m[i] ? exactFma(a, x[i], b, dtype) : round(p.droppedValue, dtype);
      if (!Object.is(y[i], want)) throw new Error(`element ${i}: ${y[i]} vs ${want}`);
    }
  });

  test('the documented example: rate 0.1 gives a = 0.92128, b = 0.16197, dropped −1.45774', () => {
    const p = alphaDropoutParameters({ rate: 0.1 });
    expect(p.a).toBeCloseTo(0.92128, 5);
    expect(p.b).toBeCloseTo(0.16197, 5);
    expect(p.droppedValue).toBeCloseTo(-1.45774, 5);
    const y = alphaDropout(new CTORS[dtype](1000), { rate: 0.1, seed: 1 });
    expect(new Set(y)).toEqual(new Set([round(p.b, dtype), round(p.droppedValue, dtype)]));
  });

  test('rate 0 is fma(1, x, 0): x itself, except that −0 becomes +0', () => {
    const z = new CTORS[dtype]([...x.subarray(0, 100), -0, 0, Infinity, -Infinity]);
    const y = alphaDropout(z, { rate: 0, seed: 5 });
    const want = new CTORS[dtype](z.map((v) => (Object.is(v, -0) ? 0 : v)));
    expect(sameBits(y, want)).toBe(true);
  });

  test('backward: a·gradOutput where kept, +0 where dropped (even for NaN and infinite gradients)', () => {
    const g = new CTORS[dtype](x);
    g[10] = NaN;
    g[11] = Infinity;
    g[12] = -Infinity;
    const a = round(alphaDropoutParameters({ rate: 0.2 }).a, dtype);
    const out = alphaDropoutBackward(g, options);
    for (let i = 0; i < n; i++) {
      const want = mask[i] ? round(a * g[i], dtype) : 0;
      if (!Object.is(out[i], want)) throw new Error(`element ${i}: ${out[i]} vs ${want}`);
    }
  });

  test('seluAlphaDropout equals alphaDropout(selu(x)) bit for bit, also with custom parameters', () => {
    for (const extra of [{}, { alpha: 1.3, scale: 0.9, mean: 0.2, variance: 0.7 }]) {
      const o = { ...options, ...extra };
      const unfused = alphaDropout(selu(x, { alpha: o.alpha ?? SELU_ALPHA, scale: o.scale ?? SELU_SCALE }), o);
      expect(sameBits(seluAlphaDropout(x, o), unfused)).toBe(true);
    }
  });

  test('seluAlphaDropoutBackward equals alphaDropoutBackward(seluBackward(g, x)) bit for bit', () => {
    const g = data(dtype, n, 12, 1);
    const fused = seluAlphaDropoutBackward(g, x, options);
    expect(sameBits(fused, alphaDropoutBackward(seluBackward(g, x), options))).toBe(true);
  });

  test('seluAlphaDropoutBackward is within the stated bound of a reference', () => {
    // The kernel rounds t = g·selu′(x) as seluBackward does (≤ 1 ulp float32, ≤ 1.5 ulp float64, see
    // selu_math_avx2.h), then a·t once more (a rounded to the precision: 0.5 ulp float32, exact
    // float64): ≤ 2 ulp. The reference is a·g·λα·eˣ (λα, λ as double-doubles) computed exactly but for
    // Math.exp (faithful: < 1 ulp), rounded once: so ≤ 2 ulp float32, ≤ 3.5 ulp float64 overall.
    const g = data(dtype, n, 13, 1);
    const p = alphaDropoutParameters({ rate: 0.2 });
    const LAMBDA = add(exact(1.0507009873554805), exact(3.9874847667154144e-17));
    const LAMBDA_ALPHA = add(exact(1.7580993408473768), exact(1.4153519380084446e-17));
    const got = seluAlphaDropoutBackward(g, x, options);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      if (!mask[i]) {
        expect(got[i]).toBe(0);
        continue;
      }
      const slope = x[i] > 0 ? LAMBDA : mul(LAMBDA_ALPHA, exact(Math.exp(x[i])));
      const ref = roundExact(mul(mul(exact(p.a), exact(g[i])), slope), 'float64');
      if (ref === 0 || !Number.isFinite(ref)) continue;
      worst = Math.max(worst, maxUlpError([got[i]], [ref], dtype).max);
    }
    expect(worst).toBeLessThanOrEqual(dtype === 'float32' ? 2 : 3.5);
  });

  test('in place (out === x) gives the same values', () => {
    for (const fn of [alphaDropout, seluAlphaDropout, alphaDropoutBackward] as const) {
      const copy = new CTORS[dtype](x);
      const expected = fn(x, options);
      expect(fn(copy, { ...options, out: copy })).toBe(copy);
      expect(sameBits(copy, expected)).toBe(true);
    }
    const g = data(dtype, n, 14, 1);
    const expected = seluAlphaDropoutBackward(g, x, options);
    const copy = new CTORS[dtype](g);
    expect(seluAlphaDropoutBackward(copy, x, { ...options, out: copy })).toBe(copy);
    expect(sameBits(copy, expected)).toBe(true);
  });

  test('the Async forms give the same results', async () => {
    const g = data(dtype, n, 15, 1);
    expect(sameBits(await alphaDropoutAsync(x, options), alphaDropout(x, options))).toBe(true);
    expect(sameBits(await alphaDropoutBackwardAsync(g, options), alphaDropoutBackward(g, options))).toBe(true);
    expect(sameBits(await seluAlphaDropoutAsync(x, options), seluAlphaDropout(x, options))).toBe(true);
    expect(sameBits(await seluAlphaDropoutBackwardAsync(g, x, options), seluAlphaDropoutBackward(g, x, options))).toBe(true);
    expect(sameBytes(await alphaDropoutMaskAsync(n, { rate: 0.2, seed: 77n, offset: 3n }), alphaDropoutMask(n, { rate: 0.2, seed: 77n, offset: 3n }))).toBe(true);
  });

  test('training: false is the identity (forward and backward), and the SELU alone for the fused forms', async () => {
    const off = { ...options, training: false };
    const g = data(dtype, n, 16, 1);
    expect(alphaDropout(x, off)).toBe(x);
    expect(await alphaDropoutAsync(x, off)).toBe(x);
    expect(alphaDropoutBackward(g, off)).toBe(g);
    const out = new CTORS[dtype](n);
    expect(alphaDropout(x, { ...off, out })).toBe(out);
    expect(sameBits(out, x)).toBe(true);
    expect(sameBits(seluAlphaDropout(x, off), selu(x))).toBe(true);
    expect(sameBits(await seluAlphaDropoutAsync(x, off), selu(x))).toBe(true);
    expect(sameBits(seluAlphaDropoutBackward(g, x, off), seluBackward(g, x))).toBe(true);
    expect(sameBits(await seluAlphaDropoutBackwardAsync(g, x, off), seluBackward(g, x))).toBe(true);
  });
});

describe('chunking, thread and SIMD invariance', () => {
  // Two calls over [o, o + n) and [o + n, o + 2n) equal one call over [o, o + 2n), for every function.
  const offsets: bigint[] = [0n, 1n, 2n, 3n, 6n, (1n << 34n) - 1_000_003n, (1n << 34n) - 5n, (1n << 64n) - 2n * 100_003n - 1n];
  test.each(offsets.map((o) => [o]))('split calls equal one call, offset %p', (offset) => {
    const n = 100_003; // odd: the second call starts mid-block; ≥ 2^16, so each call is split over the pool
    for (const dtype of ['float32', 'float64'] as const) {
      const x = data(dtype, 2 * n, 21);
      const g = data(dtype, 2 * n, 22, 1);
      const whole = { rate: 0.25, seed: 99n, offset };
      const first = { ...whole };
      const second = { ...whole, offset: offset + BigInt(n) };
      const join = (a: FloatArray, b: FloatArray): FloatArray => {
        const out = new CTORS[dtype](2 * n);
        out.set(a);
        out.set(b, n);
        return out;
      };
      const lo = x.subarray(0, n);
      const hi = x.subarray(n);
      const glo = g.subarray(0, n);
      const ghi = g.subarray(n);
      expect(sameBits(join(alphaDropout(lo, first), alphaDropout(hi, second)), alphaDropout(x, whole))).toBe(true);
      expect(sameBits(join(alphaDropoutBackward(glo, first), alphaDropoutBackward(ghi, second)), alphaDropoutBackward(g, whole))).toBe(true);
      expect(sameBits(join(seluAlphaDropout(lo, first), seluAlphaDropout(hi, second)), seluAlphaDropout(x, whole))).toBe(true);
      expect(sameBits(join(seluAlphaDropoutBackward(glo, lo, first), seluAlphaDropoutBackward(ghi, hi, second)),
        seluAlphaDropoutBackward(g, x, whole))).toBe(true);
      const m = new Uint8Array(2 * n);
      m.set(alphaDropoutMask(n, first));
      m.set(alphaDropoutMask(n, second), n);
      expect(sameBytes(m, alphaDropoutMask(2 * n, whole))).toBe(true);
    }
  });

  test('the output does not depend on the thread count', () => {
    const before = runtime.threads;
    try {
      for (const dtype of ['float32', 'float64'] as const) {
        const x = data(dtype, (1 << 18) + 3, 23);
        const o = { rate: 0.1, seed: 5, offset: 1 };
        setThreads(1);
        const one = [alphaDropout(x, o), seluAlphaDropout(x, o), alphaDropoutBackward(x, o), seluAlphaDropoutBackward(x, x, o)];
        const mask = alphaDropoutMask(x.length, o);
        setThreads(2);
        const two = [alphaDropout(x, o), seluAlphaDropout(x, o), alphaDropoutBackward(x, o), seluAlphaDropoutBackward(x, x, o)];
        one.forEach((y, i) => expect(sameBits(y, two[i])).toBe(true));
        expect(sameBytes(alphaDropoutMask(x.length, o), mask)).toBe(true);
      }
    } finally {
      setThreads(before);
    }
  });

  test('SELU_KERNELS_SIMD=scalar gives the same masks and the same dropout values as the default level', () => {
    // A child process with the scalar kernels (the compiled package in dist/, built by npm test).
    const dist = path.join(__dirname, '..', 'dist', 'index.js');
    const script = `
      const lib = require(${JSON.stringify(dist)});
      const crypto = require('node:crypto');
      const n = 100003, x = new Float32Array(n), y = new Float64Array(n);
      for (let i = 0; i < n; i++) { x[i] = Math.sin(i) * 3; y[i] = Math.cos(i) * 3; }
      const o = { rate: 0.3, seed: 1234567n, offset: 5n };
      const h = (a) => crypto.createHash('sha256').update(Buffer.from(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
      const dropped = (a, v) => Uint8Array.from(a, (e) => (e === v ? 1 : 0));
      const d32 = Math.fround(lib.theory.alphaDropoutParameters({ rate: o.rate }).droppedValue);
      console.log(JSON.stringify({
        simd: lib.runtime.simd,
        hashes: [lib.alphaDropoutMask(n, o), lib.alphaDropout(x, o), lib.alphaDropout(y, o), lib.alphaDropoutBackward(x, o),
                 lib.alphaDropoutBackward(y, o), dropped(lib.seluAlphaDropout(x, o), d32)].map(h),
      }));`;
    const run = (env: NodeJS.ProcessEnv): { simd: string; hashes: string[] } =>
      JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, ...env } }));
    const scalar = run({ SELU_KERNELS_SIMD: 'scalar' });
    const best = run({ SELU_KERNELS_SIMD: '' });
    expect(scalar.simd).toBe('scalar');
    expect(best.simd).toBe(runtime.detectedSimd);
    expect(best.hashes).toEqual(scalar.hashes);
  });
});
