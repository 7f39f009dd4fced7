/**
 * Bad input to the alpha-dropout functions: the documented TypeError/RangeError with a stable code
 * naming the argument, thrown (rejected, for the Async forms) before any output is touched.
 */
import {
  alphaDropout, alphaDropoutAsync, alphaDropoutBackward, alphaDropoutBackwardAsync, alphaDropoutMask, alphaDropoutMaskAsync,
  seluAlphaDropout, seluAlphaDropoutAsync, seluAlphaDropoutBackward, seluAlphaDropoutBackwardAsync,
} from '../lib';
import { type ErrorName, expectError, expectRejection } from './helpers/expect-error';

const T = 'TypeError';
const R = 'RangeError';
const INVALID = 'ERR_SELU_INVALID_ARG';
const RANGE = 'ERR_SELU_OUT_OF_RANGE';

type Forward = (x: Float32Array, o: never) => unknown;
// Every function as a one-array call: the backward of the fused form gets x as its input too.
const FORWARD: Array<[string, Forward]> = [
  ['alphaDropout', alphaDropout as Forward],
  ['alphaDropoutBackward', alphaDropoutBackward as Forward],
  ['seluAlphaDropout', seluAlphaDropout as Forward],
  ['seluAlphaDropoutBackward', ((g: Float32Array, o: never) => seluAlphaDropoutBackward(g, new Float32Array(8), o)) as Forward],
];

// [options, error name, code, argument]
const BAD_OPTIONS: Array<[unknown, ErrorName, string, string]> = [
  [undefined, T, INVALID, 'options'],
  [null, T, INVALID, 'options'],
  [0.5, T, INVALID, 'options'],
  [[], T, INVALID, 'options'],
  [{ rate: 0.5, seed: 1, sead: 2 }, T, 'ERR_SELU_UNKNOWN_OPTION', 'options.sead'],
  [{ seed: 1 }, T, INVALID, 'options.rate'],
  [{ rate: '0.5', seed: 1 }, T, INVALID, 'options.rate'],
  [{ rate: 1, seed: 1 }, R, RANGE, 'options.rate'],
  [{ rate: -0.1, seed: 1 }, R, RANGE, 'options.rate'],
  [{ rate: NaN, seed: 1 }, R, RANGE, 'options.rate'],
  [{ rate: Infinity, seed: 1 }, R, RANGE, 'options.rate'],
  [{ rate: 0.5 }, T, INVALID, 'options.seed'],
  [{ rate: 0.5, seed: '1' }, T, INVALID, 'options.seed'],
  [{ rate: 0.5, seed: null }, T, INVALID, 'options.seed'],
  [{ rate: 0.5, seed: 1.5 }, R, RANGE, 'options.seed'],
  [{ rate: 0.5, seed: -1 }, R, RANGE, 'options.seed'],
  [{ rate: 0.5, seed: 2 ** 53 }, R, RANGE, 'options.seed'],
  [{ rate: 0.5, seed: NaN }, R, RANGE, 'options.seed'],
  [{ rate: 0.5, seed: -1n }, R, RANGE, 'options.seed'],
  [{ rate: 0.5, seed: 1n << 64n }, R, RANGE, 'options.seed'],
  [{ rate: 0.5, seed: 1, offset: -1 }, R, RANGE, 'options.offset'],
  [{ rate: 0.5, seed: 1, offset: 0.5 }, R, RANGE, 'options.offset'],
  [{ rate: 0.5, seed: 1, offset: '0' }, T, INVALID, 'options.offset'],
  [{ rate: 0.5, seed: 1, offset: 1n << 64n }, R, RANGE, 'options.offset'],
  [{ rate: 0.5, seed: 1, offset: (1n << 64n) - 8n }, R, RANGE, 'options.offset'], // offset + 8 elements = 2^64
  [{ rate: 0.5, seed: 1, training: 'no' }, T, INVALID, 'options.training'],
  [{ rate: 0.5, seed: 1, training: 0 }, T, INVALID, 'options.training'],
  [{ rate: 0.5, seed: 1, mean: NaN }, R, RANGE, 'options.mean'],
  [{ rate: 0.5, seed: 1, mean: '0' }, T, INVALID, 'options.mean'],
  [{ rate: 0.5, seed: 1, variance: 0 }, R, RANGE, 'options.variance'],
  [{ rate: 0.5, seed: 1, variance: -1 }, R, RANGE, 'options.variance'],
  [{ rate: 0.5, seed: 1, alpha: Infinity }, R, RANGE, 'options.alpha'],
  [{ rate: 0.5, seed: 1, scale: NaN }, R, RANGE, 'options.scale'],
  [{ rate: 0.5, seed: 1, out: new Float64Array(8) }, T, 'ERR_SELU_DTYPE_MISMATCH', 'options.out'],
  [{ rate: 0.5, seed: 1, out: new Float32Array(7) }, R, 'ERR_SELU_LENGTH_MISMATCH', 'options.out'],
  [{ rate: 0.5, seed: 1, out: [0] }, T, INVALID, 'options.out'],
];

describe.each(FORWARD)('%s', (name, fn) => {
  test.each(['x', 1, [1, 2], new Int16Array(8), new Uint8Array(8), null])('a non-float array %p is a TypeError', (bad) => {
    const argument = name.endsWith('Backward') ? 'gradOutput' : 'x';
    expectError(() => fn(bad as never, { rate: 0.5, seed: 1 } as never), T, INVALID, argument);
  });

  test.each(BAD_OPTIONS.map((c, i) => [i, ...c]))('bad options #%p → %p', (_, options, errorName, code, argument) => {
    const x = new Float32Array(8).fill(3);
    expectError(() => fn(x, options as never), errorName, code, argument);
    expect(x.every((v) => v === 3)).toBe(true);
  });

  test('out overlapping the input partially is a RangeError, also with training: false; nothing is written', () => {
    const buf = new Float32Array(24).fill(5);
    for (const training of [true, false]) {
      expectError(() => fn(buf.subarray(0, 8), { rate: 0.5, seed: 1, training, out: buf.subarray(4, 12) } as never),
        R, 'ERR_SELU_OVERLAP', 'options.out');
      expect(buf.every((v) => v === 5)).toBe(true);
    }
  });

  test('a bad option after a valid out leaves out untouched', () => {
    const out = new Float32Array(8).fill(9);
    expectError(() => fn(new Float32Array(8), { rate: 2, seed: 1, out } as never), R, RANGE, 'options.rate');
    expectError(() => fn(new Float32Array(8), { rate: 0.1, seed: -5, out } as never), R, RANGE, 'options.seed');
    expect(out.every((v) => v === 9)).toBe(true);
  });

  test('a detached input is reported', () => {
    const x = new Float32Array(8);
    structuredClone(x.buffer, { transfer: [x.buffer] });
    let caught: unknown;
    try {
      fn(x, { rate: 0.5, seed: 1 } as never);
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ name: T, code: 'ERR_SELU_DETACHED' });
  });
});

test('seluAlphaDropoutBackward: gradOutput and input must match', () => {
  const g = new Float32Array(8);
  const o = { rate: 0.5, seed: 1 };
  expectError(() => seluAlphaDropoutBackward(g, [1] as never, o), T, INVALID, 'input');
  expectError(() => seluAlphaDropoutBackward(g, new Float64Array(8) as never, o), T, 'ERR_SELU_DTYPE_MISMATCH', 'input');
  expectError(() => seluAlphaDropoutBackward(g, new Float32Array(9), o), R, 'ERR_SELU_LENGTH_MISMATCH', 'input');
  const buf = new Float32Array(24);
  expectError(() => seluAlphaDropoutBackward(buf.subarray(0, 8), buf.subarray(8, 16), { ...o, out: buf.subarray(12, 20) }),
    R, 'ERR_SELU_OVERLAP', 'options.out');
});

test('alphaDropoutMask: length and options', () => {
  const o = { rate: 0.5, seed: 1 };
  for (const bad of [-1, 1.5, NaN, Infinity, 2 ** 53]) expectError(() => alphaDropoutMask(bad, o), R, RANGE, 'length');
  for (const bad of ['8', 8n, null, undefined]) expectError(() => alphaDropoutMask(bad as never, o), T, INVALID, 'length');
  expectError(() => alphaDropoutMask(8, undefined as never), T, INVALID, 'options');
  expectError(() => alphaDropoutMask(8, { ...o, training: true } as never), T, 'ERR_SELU_UNKNOWN_OPTION', 'options.training');
  expectError(() => alphaDropoutMask(8, { rate: 1, seed: 1 }), R, RANGE, 'options.rate');
  expectError(() => alphaDropoutMask(8, { rate: 0.5 } as never), T, INVALID, 'options.seed');
  expectError(() => alphaDropoutMask(8, { ...o, offset: (1n << 64n) - 8n }), R, RANGE, 'options.offset');
  expect(alphaDropoutMask(7, { ...o, offset: (1n << 64n) - 8n })).toHaveLength(7); // the last position is 2^64 − 2
});

test('alphaDropoutMask: options.out must be a Uint8Array of length elements, still attached; nothing is written otherwise', async () => {
  const o = { rate: 0.5, seed: 1 };
  const out = new Uint8Array(8).fill(7);
  for (const bad of [new Float32Array(8), new Uint8ClampedArray(8), new Int8Array(8), new DataView(new ArrayBuffer(8)), [0, 1], 'mask', null]) {
    expectError(() => alphaDropoutMask(8, { ...o, out: bad } as never), T, INVALID, 'options.out');
  }
  expectError(() => alphaDropoutMask(7, { ...o, out }), R, 'ERR_SELU_LENGTH_MISMATCH', 'options.out');
  expectError(() => alphaDropoutMask(8, { ...o, out: out.subarray(1) }), R, 'ERR_SELU_LENGTH_MISMATCH', 'options.out');
  expect(out.every((v) => v === 7)).toBe(true);
  const detached = new Uint8Array(8);
  structuredClone(detached.buffer, { transfer: [detached.buffer] });
  expectError(() => alphaDropoutMask(8, { ...o, out: detached }), T, 'ERR_SELU_DETACHED', 'options.out');
  expectError(() => alphaDropoutMask(0, { ...o, out: detached }), T, 'ERR_SELU_DETACHED', 'options.out');
  await expectRejection(alphaDropoutMaskAsync(8, { ...o, out: new Uint8Array(3) }), R, 'ERR_SELU_LENGTH_MISMATCH', 'options.out');
  await expectRejection(alphaDropoutMaskAsync(8, { ...o, out: detached }), T, 'ERR_SELU_DETACHED', 'options.out');
  // Transferred while the work runs: the work completes on the pinned memory, then the call rejects.
  const during = new Uint8Array(1 << 22);
  const pending = alphaDropoutMaskAsync(during.length, { ...o, out: during });
  const moved = new Uint8Array(structuredClone(during.buffer, { transfer: [during.buffer] }));
  await expectRejection(pending, T, 'ERR_SELU_DETACHED', 'options.out');
  expect(moved.every((v) => v <= 1)).toBe(true);
});

test('the Async forms reject, never throw, with the same errors', async () => {
  const x = new Float32Array(8);
  let p: Promise<unknown> | undefined;
  expect(() => { p = alphaDropoutAsync('x' as never, { rate: 0.5, seed: 1 }); }).not.toThrow();
  await expectRejection(p!, T, INVALID, 'x');
  await expectRejection(alphaDropoutAsync(x, { rate: 1, seed: 1 }), R, RANGE, 'options.rate');
  await expectRejection(alphaDropoutBackwardAsync(x, { rate: 0.5, seed: -1 }), R, RANGE, 'options.seed');
  await expectRejection(seluAlphaDropoutAsync(x, { rate: 0.5, seed: 1, offset: 1n << 64n }), R, RANGE, 'options.offset');
  await expectRejection(seluAlphaDropoutBackwardAsync(x, new Float32Array(3), { rate: 0.5, seed: 1 }), R, 'ERR_SELU_LENGTH_MISMATCH', 'input');
  await expectRejection(alphaDropoutMaskAsync(-1, { rate: 0.5, seed: 1 }), R, RANGE, 'length');
  const buf = new Float32Array(16);
  await expectRejection(alphaDropoutAsync(buf.subarray(0, 8), { rate: 0.5, seed: 1, out: buf.subarray(4, 12) }), R, 'ERR_SELU_OVERLAP', 'options.out');
});
