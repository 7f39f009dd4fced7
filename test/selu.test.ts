/**
 * SELU forward/backward through the public API: values against a float64 reference, edge values,
 * views, in-place, shared memory, thread-count invariance, custom alpha/scale.
 * The exhaustive float32 and 1e8-sample float64 accuracy tests are native (cpp/tests/selu).
 */
import { SELU_ALPHA, SELU_SCALE, runtime, selu, seluAsync, seluBackward, seluBackwardAsync, setThreads } from '../lib';
import { maxUlpError, normal, rng, sameBits } from './helpers/accuracy';

const SA = 1.7580993408473768599402175208123; // λα, docs/CONSTANTS.md

function refForward(x: number, alpha = SELU_ALPHA, scale = SELU_SCALE): number {
  return x > 0 ? scale * x : scale * alpha * Math.expm1(x);
}
function refBackward(g: number, x: number, alpha = SELU_ALPHA, scale = SELU_SCALE): number {
  return g * (x > 0 ? scale : scale * alpha * Math.exp(x));
}

function mixedInputs(n: number, seed: number): Float64Array {
  const u = rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const kind = i % 4;
    if (kind === 0) out[i] = (u() - 0.5) * 80; // [-40, 40]
    else if (kind === 1) out[i] = (u() < 0.5 ? -1 : 1) * 10 ** (u() * 16 - 12); // log-uniform 1e-12 .. 1e4
    else if (kind === 2) out[i] = (u() - 0.5) * 2e-7; // |x| < 1e-7
    else out[i] = -17 - u() * 100; // deep negative
  }
  return out;
}

const EDGES = [0, -0, 1, -1, Infinity, -Infinity, NaN, 1e-45, -1e-45, 1.1754942e-38, -1.1754942e-38, -17.33, -17.34, -88, -104,
  -1e30, 1e30, 3.4028235e38, -3.4028235e38, 1e-7, -1e-7, 5e-8, -5e-8, 0.3465, -0.3466, 0.5, -0.5, 2 ** -24, -(2 ** -24)];

describe('constants and runtime', () => {
  test('SELU_ALPHA and SELU_SCALE are the correctly rounded doubles', () => {
    expect(SELU_ALPHA).toBe(1.6732632423543772);
    expect(SELU_SCALE).toBe(1.0507009873554805);
  });
  test('runtime reports simd level, threads and version', () => {
    expect(['scalar', 'avx2', 'avx512']).toContain(runtime.simd);
    expect(runtime.threads).toBeGreaterThanOrEqual(1);
    expect(runtime.version).toBe(require('../package.json').version);
    expect(Object.isFrozen(runtime)).toBe(true);
  });
});

describe.each(['float32', 'float64'] as const)('selu %s', (dtype) => {
  const Ctor = dtype === 'float32' ? Float32Array : Float64Array;
  const bound = dtype === 'float32' ? 1 : 2;
  // Math.expm1 is itself only faithful in float64, so the float64 checks here allow one ulp of
  // slack for the reference; the native tests check ≤ 2 ulp against long double.
  const slack = dtype === 'float32' ? 0 : 1;

  test('forward matches the float64 reference on random and edge inputs', () => {
    const x = new Ctor([...EDGES, ...mixedInputs(200_003, 7)]);
    const y = selu(x);
    expect(y).toBeInstanceOf(Ctor);
    expect(y).not.toBe(x);
    const ref = Array.from(x, (v) => refForward(v));
    expect(maxUlpError(y, ref, dtype).max).toBeLessThanOrEqual(bound + slack);
  });

  test('forward edge values follow docs/CONSTANTS.md', () => {
    const y = selu(new Ctor([NaN, Infinity, -Infinity, -0, 0, -17.34, -1000]));
    expect(y[0]).toBeNaN();
    expect(y[1]).toBe(Infinity);
    expect(y[2]).toBe(dtype === 'float32' ? Math.fround(-SA) : -SA);
    expect(Object.is(y[3], -0)).toBe(true);
    expect(Object.is(y[4], 0)).toBe(true);
    if (dtype === 'float32') expect(y[5]).toBe(Math.fround(-SA));
    expect(y[6]).toBe(dtype === 'float32' ? Math.fround(-SA) : -SA);
  });

  test('tiny negative inputs keep full relative accuracy (no exp(x) - 1 cancellation)', () => {
    const x = new Ctor([-1e-7, -6e-8, -1e-10, -1e-20, -1e-30]);
    const y = selu(x);
    for (let i = 0; i < x.length; i++) {
      const r = refForward(x[i]);
      expect(Math.abs(y[i] - r) / Math.abs(r)).toBeLessThan(dtype === 'float32' ? 1.2e-7 : 5e-16);
    }
  });

  test('backward matches the float64 reference and is computed from x', () => {
    const x = new Ctor([...EDGES, ...mixedInputs(100_001, 8)]);
    const u = rng(9);
    const g = new Ctor(x.length).map(() => (u() - 0.5) * 4);
    const dx = seluBackward(g, x);
    const ref = Array.from(x, (v, i) => refBackward(g[i], v));
    // The float64 reference g·(λα·Math.exp(x)) carries up to 2 ulp itself (exp is faithful, then two
    // roundings), so allow 2 more; cpp/tests/selu checks ≤ 2 ulp against long double.
    expect(maxUlpError(dx, ref, dtype).max).toBeLessThanOrEqual(2 + 2 * slack);
    // For x << 0 the slope λα·eˣ is tiny but exact; from y + λα it would cancel to 0.
    const deep = seluBackward(new Ctor([1]), new Ctor([-30]));
    expect(deep[0] / refBackward(1, -30)).toBeCloseTo(1, 6);
    const at0 = seluBackward(new Ctor([1, 1, 1]), new Ctor([0, -0, 1e-45]));
    expect(at0[0]).toBeCloseTo(SA, 6);
    expect(at0[1]).toBeCloseTo(SA, 6);
    expect(at0[2]).toBeCloseTo(SELU_SCALE, 6);
  });

  test('custom alpha and scale reach every kernel', () => {
    const x = new Ctor(mixedInputs(50_000, 10));
    for (const [alpha, scale] of [[1, 1], [2.5, 0.7], [0, 3], [-1, 1e-3]]) {
      const y = selu(x, { alpha, scale });
      const ref = Array.from(x, (v) => refForward(v, alpha, scale));
      expect(maxUlpError(y, ref, dtype).max).toBeLessThanOrEqual(bound + slack + 0.5);
      const g = new Ctor(x.length).fill(1.5);
      const dx = seluBackward(g, x, { alpha, scale });
      const refb = Array.from(x, (v) => refBackward(1.5, v, alpha, scale));
      expect(maxUlpError(dx, refb, dtype).max).toBeLessThanOrEqual(2 + slack + 0.5);
    }
  });

  test('out option, in place, subarray views at every offset, zero length', () => {
    const base = new Ctor(mixedInputs(4099, 11));
    const expected = selu(base);
    // out given
    const out = new Ctor(base.length);
    expect(selu(base, { out })).toBe(out);
    expect(sameBits(out, expected)).toBe(true);
    // in place
    const copy = base.slice();
    expect(selu(copy, { out: copy })).toBe(copy);
    expect(sameBits(copy, expected)).toBe(true);
    // unaligned views (element offsets 0..17) and all tail lengths
    for (let off = 0; off < 18; off++) {
      for (const len of [0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 100]) {
        const view = base.subarray(off, off + len);
        const res = selu(view);
        expect(sameBits(res, expected.subarray(off, off + len))).toBe(true);
        const outView = new Ctor(len + 40).subarray(off + 1, off + 1 + len);
        selu(view, { out: outView });
        expect(sameBits(outView, expected.subarray(off, off + len))).toBe(true);
      }
    }
    expect(selu(new Ctor(0)).length).toBe(0);
    expect(seluBackward(new Ctor(0), new Ctor(0)).length).toBe(0);
  });

  test('SharedArrayBuffer-backed arrays work', () => {
    const Shared = Ctor as unknown as new (buffer: ArrayBufferLike) => Float32Array | Float64Array;
    const sab = new SharedArrayBuffer(1000 * Ctor.BYTES_PER_ELEMENT);
    const x = new Shared(sab);
    x.set(new Ctor(mixedInputs(1000, 12)));
    const expected = selu(x.slice());
    const out = new Shared(new SharedArrayBuffer(sab.byteLength));
    selu(x, { out });
    expect(sameBits(out, expected)).toBe(true);
    selu(x, { out: x });
    expect(sameBits(x, expected)).toBe(true);
  });

  test('results are bit-identical for any thread count and through the async path', async () => {
    const x = new Ctor(normal(300_007, 13));
    const g = new Ctor(normal(x.length, 14));
    const before = runtime.threads;
    try {
      setThreads(1);
      const y1 = selu(x);
      const b1 = seluBackward(g, x);
      for (const t of [2, 3, 8]) {
        setThreads(t);
        expect(runtime.threads).toBe(t);
        expect(sameBits(selu(x), y1)).toBe(true);
        expect(sameBits(seluBackward(g, x), b1)).toBe(true);
        expect(sameBits(await seluAsync(x), y1)).toBe(true);
        expect(sameBits(await seluBackwardAsync(g, x), b1)).toBe(true);
      }
    } finally {
      setThreads(before);
    }
  });

  test('huge array (2^25 + 5 elements, streaming stores) matches small-chunk results', () => {
    const n = 2 ** 25 + 5;
    const x = new Ctor(n);
    const u = rng(15);
    for (let i = 0; i < n; i += 4099) x[i] = (u() - 0.6) * 40;
    const y = selu(x);
    for (let i = 0; i < n; i += 4099) {
      expect(Object.is(y[i], selu(x.subarray(i, i + 1))[0])).toBe(true);
    }
    expect(y[n - 1]).toBe(0);
  });
});

describe('setThreads', () => {
  test('validates its argument', () => {
    for (const bad of [0, -1, 1.5, NaN, Infinity, 1e9]) {
      expect(() => setThreads(bad)).toThrow(expect.objectContaining({ name: 'RangeError', code: 'ERR_SELU_OUT_OF_RANGE', argument: 'n' }));
    }
    for (const bad of ['2', null, undefined, {}, 2n]) {
      expect(() => setThreads(bad as never)).toThrow(expect.objectContaining({ name: 'TypeError', code: 'ERR_SELU_INVALID_ARG' }));
    }
  });
});
