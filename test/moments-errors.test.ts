/**
 * Bad input to moments / seluMoments (and their Async forms): the documented TypeError/RangeError
 * with a stable code naming the argument, thrown (rejected) before any output is touched.
 * Decisions documented in the README: empty x is a RangeError; `axis` requires `shape`; a correction
 * of 1 needs at least 2 values per group.
 */
import { moments, momentsAsync, seluMoments, seluMomentsAsync } from '../lib';
import { type ErrorName, expectError, expectRejection } from './helpers/expect-error';

const T = 'TypeError';
const R = 'RangeError';
const INVALID = 'ERR_SELU_INVALID_ARG';
const RANGE = 'ERR_SELU_OUT_OF_RANGE';

// [options, error name, code, argument] for x of 12 values.
const BAD_OPTIONS: Array<[unknown, ErrorName, string, string]> = [
  [null, T, INVALID, 'options'],
  [3, T, INVALID, 'options'],
  [[3, 4], T, INVALID, 'options'],
  [{ axes: 0 }, T, 'ERR_SELU_UNKNOWN_OPTION', 'options.axes'],
  [{ shape: 12 }, T, INVALID, 'options.shape'],
  [{ shape: [12] }, T, INVALID, 'options.shape'],
  [{ shape: [2, 3, 2] }, T, INVALID, 'options.shape'],
  [{ shape: ['3', 4] }, T, INVALID, 'options.shape[0]'],
  [{ shape: [3, 4.5] }, R, RANGE, 'options.shape[1]'],
  [{ shape: [0, 12] }, R, RANGE, 'options.shape[0]'],
  [{ shape: [-3, -4] }, R, RANGE, 'options.shape[0]'],
  [{ shape: [3, 5] }, R, 'ERR_SELU_LENGTH_MISMATCH', 'options.shape'],
  [{ axis: 0 }, T, INVALID, 'options.shape'],
  [{ shape: [3, 4], axis: '0' }, T, INVALID, 'options.axis'],
  [{ shape: [3, 4], axis: 2 }, R, RANGE, 'options.axis'],
  [{ shape: [3, 4], axis: -1 }, R, RANGE, 'options.axis'],
  [{ shape: [3, 4], axis: 0.5 }, R, RANGE, 'options.axis'],
  [{ correction: 2 }, R, RANGE, 'options.correction'],
  [{ correction: -1 }, R, RANGE, 'options.correction'],
  [{ correction: 0.5 }, R, RANGE, 'options.correction'],
  [{ correction: true }, T, INVALID, 'options.correction'],
  [{ shape: [1, 12], axis: 0, correction: 1 }, R, RANGE, 'options.correction'], // 1 value per column
  [{ shape: [12, 1], axis: 1, correction: 1 }, R, RANGE, 'options.correction'], // 1 value per row
];

const FNS = [
  ['moments', (x: unknown, o?: unknown) => moments(x as Float32Array, o as never)],
  ['seluMoments', (x: unknown, o?: unknown) => seluMoments(x as Float32Array, o as never)],
] as const;

describe.each(FNS)('%s', (_, fn) => {
  test.each(['x', 1, [1, 2], new Int32Array(4), new Uint8Array(4), undefined, null])('a non-float array %p is a TypeError', (bad) => {
    expectError(() => fn(bad), T, INVALID, 'x');
  });

  test('empty x is a RangeError (the mean of no values is undefined), a detached one a TypeError', () => {
    expectError(() => fn(new Float32Array(0)), R, RANGE, 'x');
    expectError(() => fn(new Float64Array(0), { correction: 1 }), R, RANGE, 'x');
    const x = new Float32Array(8);
    structuredClone(x.buffer, { transfer: [x.buffer] });
    expectError(() => fn(x), T, 'ERR_SELU_DETACHED', 'x');
  });

  test.each(BAD_OPTIONS.map((c, i) => [i, ...c]))('bad options #%p → %p', (_i, options, name, code, argument) => {
    expectError(() => fn(new Float32Array(12), options), name, code, argument);
  });

  test('a single value: variance 0 with correction 0, a RangeError with correction 1', () => {
    expect(fn(new Float64Array([4])).variance).toBe(0);
    expectError(() => fn(new Float64Array([4]), { correction: 1 }), R, RANGE, 'options.correction');
  });
});

test('seluMoments: out, alpha and scale; nothing written on error', () => {
  const x = new Float32Array(12);
  const sentinel = new Float32Array(12).fill(9);
  expectError(() => seluMoments(x, { out: new Float64Array(12) as never }), T, 'ERR_SELU_DTYPE_MISMATCH', 'options.out');
  expectError(() => seluMoments(x, { out: new Float32Array(11) }), R, 'ERR_SELU_LENGTH_MISMATCH', 'options.out');
  expectError(() => seluMoments(x, { out: sentinel, alpha: NaN }), R, RANGE, 'options.alpha');
  expectError(() => seluMoments(x, { out: sentinel, scale: '1' as never }), T, INVALID, 'options.scale');
  expectError(() => seluMoments(x, { out: sentinel, shape: [5, 5] }), R, 'ERR_SELU_LENGTH_MISMATCH', 'options.shape');
  expect(sentinel.every((v) => v === 9)).toBe(true);
  const buf = new Float32Array(24).fill(9);
  expectError(() => seluMoments(buf.subarray(0, 12), { out: buf.subarray(6, 18) }), R, 'ERR_SELU_OVERLAP', 'options.out');
  expect(buf.every((v) => v === 9)).toBe(true);
  expectError(() => moments(x, { out: x } as never), T, 'ERR_SELU_UNKNOWN_OPTION', 'options.out');
});

test('the Async forms reject, never throw, with the same errors', async () => {
  let p: Promise<unknown> | undefined;
  expect(() => { p = momentsAsync('x' as never); }).not.toThrow();
  await expectRejection(p!, T, INVALID, 'x');
  await expectRejection(momentsAsync(new Float32Array(0)), R, RANGE, 'x');
  await expectRejection(momentsAsync(new Float32Array(12), { axis: 1 } as never), T, INVALID, 'options.shape');
  await expectRejection(seluMomentsAsync(new Float32Array(12), { shape: [3, 4], axis: 3 as never }), R, RANGE, 'options.axis');
  await expectRejection(seluMomentsAsync(new Float32Array(12), { out: new Float32Array(2) }), R, 'ERR_SELU_LENGTH_MISMATCH', 'options.out');
});
