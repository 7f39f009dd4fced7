/**
 * Every op on 16-bit data (a Uint16Array with options.dtype 'float16' / 'bfloat16') against the same op
 * on the data widened to float32, its result narrowed once by the independent reference
 * (test/helpers/half-reference.ts): within 1 ulp of the 16-bit format (backward ops 2), NaN where the
 * float32 path gives NaN; moments within 1e-12 relative of the widened data's. The inputs are all
 * 65,536 patterns (every edge value: ±0, subnormals, ±Infinity, NaNs, the largest values). Also the
 * Async forms, in place (out === x), unaligned subarray views, and the dropout mask.
 */
import * as lib from '../lib';
import { allPatterns, halfToNumber, isHalfNaN, numberToHalf, ulpDistance, type HalfDtype } from './helpers/half-reference';

const DTYPES: HalfDtype[] = ['float16', 'bfloat16'];
const DROP = { rate: 0.3, seed: 12345, offset: 17 };

/** An op as the test runs it: on (a, b) with options, sync or async. */
interface Case {
  name: string;
  binary: boolean;
  ulps: number;
  options: Record<string, unknown>;
  run(a: unknown, b: unknown, o: Record<string, unknown>, async: boolean): unknown;
}

const fns = lib as unknown as Record<string, (...args: unknown[]) => unknown>;
function op(name: string, binary: boolean, ulps: number, options: Record<string, unknown> = {}): Case {
  const call = (async: boolean) => fns[async ? `${name}Async` : name];
  return { name, binary, ulps, options, run: (a, b, o, async) => (binary ? call(async)(a, b, o) : call(async)(a, o)) };
}

const CASES: Case[] = [
  op('selu', false, 1),
  op('seluBackward', true, 2),
  op('alphaDropout', false, 1, DROP),
  op('alphaDropoutBackward', false, 1, DROP),
  op('seluAlphaDropout', false, 1, DROP),
  op('seluAlphaDropoutBackward', true, 2, DROP),
];

/** A permutation of the patterns, for the second argument of the binary ops. */
function shuffled(u: Uint16Array): Uint16Array {
  const v = u.slice();
  let s = 0x9e3779b9;
  for (let i = v.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [v[i], v[j]] = [v[j], v[i]];
  }
  return v;
}

const widen = (u: Uint16Array, dtype: HalfDtype): Float32Array => Float32Array.from(u, (b) => halfToNumber(b, dtype));

/** Throws at the first element of `got` (16-bit bits) farther than `ulps` from `want` (float32) narrowed once. */
function expectNear(got: Uint16Array, want: Float32Array, dtype: HalfDtype, ulps: number, what: string): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    const w = numberToHalf(want[i], dtype);
    const ok = Number.isNaN(want[i]) ? isHalfNaN(got[i], dtype) : !isHalfNaN(got[i], dtype) && ulpDistance(got[i], w) <= ulps;
    if (!ok) throw new Error(`${what}: element ${i}: got 0x${got[i].toString(16)}, want 0x${w.toString(16)} (${want[i]}) within ${ulps} ulp`);
  }
}

describe.each(DTYPES)('%s', (dtype) => {
  const x = allPatterns();
  const y = shuffled(x);
  const x32 = widen(x, dtype);
  const y32 = widen(y, dtype);

  describe.each(CASES)('$name', (c) => {
    const want = c.run(x32, y32, c.options, false) as Float32Array;

    test('sync and Async: within the ulp bound of the float32 path narrowed once', async () => {
      const got = c.run(x, y, { ...c.options, dtype }, false) as Uint16Array;
      expect(got).toBeInstanceOf(Uint16Array);
      expectNear(got, want, dtype, c.ulps, c.name);
      const gotAsync = await (c.run(x, y, { ...c.options, dtype }, true) as Promise<Uint16Array>);
      expect(Buffer.from(gotAsync.buffer).equals(Buffer.from(got.buffer))).toBe(true);
    });

    test('in place (out === x) and on unaligned subarray views: the same bits', async () => {
      const ref = c.run(x, y, { ...c.options, dtype }, false) as Uint16Array;
      const a = x.slice();
      expect(c.run(a, y, { ...c.options, dtype, out: a }, false)).toBe(a);
      expect(a).toEqual(ref);
      // Views starting at element 1 (byte offset 2: not 4-, 16- or 64-byte aligned), odd length.
      const n = x.length - 3;
      const xs = new Uint16Array(x.length + 1).subarray(1, 1 + n);
      xs.set(x.subarray(0, n));
      const ys = new Uint16Array(x.length + 1).subarray(1, 1 + n);
      ys.set(y.subarray(0, n));
      const out = new Uint16Array(x.length + 2).subarray(1, 1 + n);
      expect(await (c.run(xs, ys, { ...c.options, dtype, out }, true) as Promise<Uint16Array>)).toBe(out);
      expect(out).toEqual(ref.subarray(0, n));
    });
  });

  test('the dropout mask is alphaDropoutMask\'s: every dropped element holds one value, every kept one is a·x + b', () => {
    const ones = new Uint16Array(4096).fill(numberToHalf(1, dtype));
    const got = lib.alphaDropout(ones, { ...DROP, dtype });
    const mask = lib.alphaDropoutMask(ones.length, DROP);
    const dropped = new Set<number>();
    const kept = new Set<number>();
    mask.forEach((m, i) => (m ? kept : dropped).add(got[i]));
    expect(dropped.size).toBe(1);
    expect(kept.size).toBe(1);
    expect([...dropped][0]).not.toBe([...kept][0]);
  });

  test('training: false is the identity (x itself, or x copied into out)', () => {
    expect(lib.alphaDropout(x, { ...DROP, dtype, training: false })).toBe(x);
    const out = new Uint16Array(x.length);
    expect(lib.alphaDropoutBackward(x, { ...DROP, dtype, training: false, out })).toBe(out);
    expect(out).toEqual(x);
    expect(lib.seluAlphaDropout(x, { ...DROP, dtype, training: false })).toEqual(lib.selu(x, { dtype }));
  });

  describe('moments', () => {
    // Finite values of moderate size only (a NaN or infinity makes every moment NaN), as a rows × 128 matrix.
    const moderate = shuffled(x).filter((u) => Number.isFinite(halfToNumber(u, dtype)) && Math.abs(halfToNumber(u, dtype)) < 1e4);
    const rows = Math.floor(moderate.length / 128);
    const finite = moderate.slice(0, rows * 128);
    const finite32 = widen(finite, dtype);
    const relClose = (got: number, want: number): void => {
      expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12 * Math.abs(want));
    };

    test.each([undefined, 0, 1] as const)('axis %s, sync and Async: the widened data\'s moments within 1e-12', async (axis) => {
      const shape = [rows, 128] as const;
      const o = axis === undefined ? { correction: 1 as const } : { axis, shape, correction: 1 as const };
      const want = lib.moments(finite32, o) as { mean: number | Float64Array; variance: number | Float64Array; count: number };
      for (const got of [lib.moments(finite, { ...o, dtype }), await lib.momentsAsync(finite, { ...o, dtype })] as typeof want[]) {
        expect(got.count).toBe(want.count);
        const wm = typeof want.mean === 'number' ? [want.mean] : [...want.mean];
        const gm = typeof got.mean === 'number' ? [got.mean] : [...got.mean];
        const wv = typeof want.variance === 'number' ? [want.variance] : [...want.variance];
        const gv = typeof got.variance === 'number' ? [got.variance] : [...got.variance];
        wm.forEach((w, i) => relClose(gm[i], w));
        wv.forEach((w, i) => relClose(gv[i], w));
      }
    });

    test('seluMoments: out is selu(x) bit for bit, its moments those of out widened', async () => {
      const r = lib.seluMoments(finite, { dtype });
      expect(r.out).toEqual(lib.selu(finite, { dtype }));
      const want = lib.moments(widen(r.out as Uint16Array, dtype));
      relClose(r.mean, want.mean);
      relClose(r.variance, want.variance);
      const a = await lib.seluMomentsAsync(finite.slice(), { dtype });
      expect(a.out).toEqual(r.out);
      expect(a.mean).toBe(r.mean);
    });
  });
});
