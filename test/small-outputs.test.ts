/**
 * Sync calls without `out` whose output fits in 64 bytes compute into a private scratch buffer and
 * return a copy (lib/validate.ts, outputFor / ownOutput): the results must be exactly those of the
 * same call with an `out` array, in arrays of their own that later calls never touch, and async calls
 * and larger arrays must be unaffected.
 */
import {
  alphaDropout, alphaDropoutAsync, alphaDropoutBackward, selu, seluAlphaDropout, seluAlphaDropoutBackward, seluAsync,
  seluBackward, seluMoments,
} from '../lib';
import { sameBits } from './helpers/accuracy';

type FloatArray = Float32Array | Float64Array;
const CTORS = [Float32Array, Float64Array] as const;
const DROP = { rate: 0.3, seed: 7 };

/** Each op with an output, called without and with `out`. */
const OPS: [string, (x: FloatArray, g: FloatArray, out?: FloatArray) => FloatArray][] = [
  ['selu', (x, _g, out) => selu(x, { out })],
  ['seluBackward', (x, g, out) => seluBackward(g, x, { out })],
  ['alphaDropout', (x, _g, out) => alphaDropout(x, { ...DROP, out })],
  ['alphaDropoutBackward', (_x, g, out) => alphaDropoutBackward(g, { ...DROP, out })],
  ['seluAlphaDropout', (x, _g, out) => seluAlphaDropout(x, { ...DROP, out })],
  ['seluAlphaDropoutBackward', (x, g, out) => seluAlphaDropoutBackward(g, x, { ...DROP, out })],
  ['seluMoments', (x, _g, out) => seluMoments(x, { out }).out],
];

/** n values with every edge kind: ±0, ±Inf, a NaN with a payload, subnormals, tiny and large values. */
function inputs(Ctor: typeof Float32Array | typeof Float64Array, n: number): [FloatArray, FloatArray] {
  const x = new Ctor(n);
  const g = new Ctor(n);
  const edges = [-0, 0, Infinity, -Infinity, NaN, 1e-40, -1e-40, 1e-8, -1e-8, -20, 3.5, -0.75, 1e30, -1e30, 0.1, -88.5];
  for (let i = 0; i < n; i++) {
    x[i] = edges[i % edges.length];
    g[i] = (i % 3) - 1.25;
  }
  // A NaN with a payload (a quiet NaN with low mantissa bits set): copies must keep its bits.
  if (n > 4) {
    if (x instanceof Float32Array) new Uint32Array(x.buffer)[4] = 0x7fc01234;
    else new Uint32Array(x.buffer)[8] = 0x1234;  // low word of element 4 (little-endian), a NaN already
  }
  return [x, g];
}

describe.each(OPS)('%s', (name, op) => {
  test.each(CTORS)('%p: every length 0 … 20 gives the out= result, in a new array of its own', (Ctor) => {
    for (let n = name === 'seluMoments' ? 1 : 0; n <= 20; n++) {  // moments of nothing is a RangeError
      const [x, g] = inputs(Ctor, n);
      const want = op(x, g, new Ctor(n));
      const first = op(x, g);
      expect(first).toBeInstanceOf(Ctor);
      expect(first.length).toBe(n);
      expect(first.buffer.byteLength).toBe(first.byteLength);  // not a view of a shared buffer
      expect(sameBits(first, want)).toBe(true);
      const kept = first.slice();
      const [x2, g2] = inputs(Ctor, n);
      x2.reverse();
      const second = op(x2, g2);
      expect(second).not.toBe(first);
      expect(sameBits(first, kept)).toBe(true);  // a later call leaves an earlier result alone
    }
  });
});

test('a small NaN payload in x survives selu: the copy out of the scratch buffer keeps every bit', () => {
  const x = new Float32Array(3);
  new Uint32Array(x.buffer)[1] = 0x7fc0beef;
  const y = selu(x);
  expect(new Uint32Array(y.buffer)[1]).toBe(new Uint32Array(selu(x, { out: new Float32Array(3) }).buffer)[1]);
});

test('async calls without out, interleaved with small sync calls, keep their own arrays', async () => {
  const x = new Float32Array([-1, 0.5, 2, -3]);
  const pending = [seluAsync(x), alphaDropoutAsync(x, DROP)];
  const syncs = [selu(new Float32Array([9, 9, 9, 9])), alphaDropout(new Float32Array([5, 5, 5, 5]), DROP)];
  const [a, b] = await Promise.all(pending);
  expect(sameBits(a, selu(x))).toBe(true);
  expect(sameBits(b, alphaDropout(x, DROP))).toBe(true);
  expect(a).not.toBe(syncs[0]);
  expect(Array.from(syncs[0])).toEqual(Array.from(selu(new Float32Array([9, 9, 9, 9]))));
});
