/**
 * toFloat32 / fromFloat32 against the independent reference of test/helpers/half-reference.ts:
 * widening exhaustive over the 65,536 patterns of each format; narrowing of every 16-bit value, every
 * midpoint between neighbours (ties to even) and the float32 values next to each midpoint; bad input
 * a coded error with nothing written.
 */
import { fromFloat32, toFloat32 } from '../lib';
import { allPatterns, halfToNumber, isHalfNaN, numberToHalf, type HalfDtype } from './helpers/half-reference';
import { expectError } from './helpers/expect-error';

const DTYPES: HalfDtype[] = ['float16', 'bfloat16'];

/** The float32 just above or below v (v finite, not 0). */
function nextFloat32(v: number, up: boolean): number {
  const f = new Float32Array([v]);
  const u = new Uint32Array(f.buffer);
  u[0] += (v > 0) === up ? 1 : -1;
  return f[0];
}

describe.each(DTYPES)('%s', (dtype) => {
  test('the reference round-trips every non-NaN pattern', () => {
    for (let u = 0; u < 65536; u++) {
      if (!isHalfNaN(u, dtype)) expect(numberToHalf(halfToNumber(u, dtype), dtype)).toBe(u);
    }
  });

  test('toFloat32 is exact for all 65,536 patterns (NaN stays NaN)', () => {
    const bits = allPatterns();
    const wide = toFloat32(bits, dtype);
    expect(wide).toBeInstanceOf(Float32Array);
    for (let u = 0; u < 65536; u++) {
      const want = halfToNumber(u, dtype);
      if (Number.isNaN(want)) expect(wide[u]).toBeNaN();
      else expect(Object.is(wide[u], want)).toBe(true);
    }
  });

  test('toFloat32 into options.out, and on an unaligned view', () => {
    const buf = new Uint16Array(11);
    buf.set([0x3c00, 0xc000, 0x0001, 0x8000], 1);
    const view = buf.subarray(1, 5);
    const out = new Float32Array(4);
    expect(toFloat32(view, dtype, { out })).toBe(out);
    expect([...out]).toEqual([0x3c00, 0xc000, 0x0001, 0x8000].map((u) => halfToNumber(u, dtype)));
  });

  test('fromFloat32 rounds to nearest even: every value, every midpoint and its float32 neighbours', () => {
    const src: number[] = [];
    for (let u = 0; u < 0x7fff; u++) {
      const v = halfToNumber(u, dtype);
      const w = halfToNumber(u + 1, dtype);
      if (Number.isNaN(v) || Number.isNaN(w)) continue;
      src.push(v, -v);
      if (Number.isFinite(w)) {
        const mid = (v + w) / 2;  // exact: a float32 for both formats
        src.push(mid, -mid);
        if (mid !== 0) src.push(nextFloat32(mid, true), nextFloat32(mid, false), -nextFloat32(mid, true));
      }
    }
    src.push(3.4028234663852886e38, -3.4028234663852886e38, Infinity, -Infinity, 65520, 65519.996, 1e-45);
    const x = Float32Array.from(src);
    const bits = fromFloat32(x, dtype);
    expect(bits).toBeInstanceOf(Uint16Array);
    for (let i = 0; i < x.length; i++) {
      const want = numberToHalf(x[i], dtype);
      if (bits[i] !== want) throw new Error(`fromFloat32(${x[i]}, '${dtype}') = 0x${bits[i].toString(16)}, want 0x${want.toString(16)}`);
    }
  });

  test('fromFloat32 keeps NaN a NaN (quiet, sign kept) and writes options.out', () => {
    const x = new Float32Array(4);
    new Uint32Array(x.buffer).set([0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001]);
    const out = new Uint16Array(4);
    expect(fromFloat32(x, dtype, { out })).toBe(out);
    for (const u of out) expect(isHalfNaN(u, dtype)).toBe(true);
    expect(out[1] & 0x8000).toBe(0x8000);
  });
});

describe('conversion errors (nothing written)', () => {
  test('bad dtype, bad arrays, length mismatch, Float64Array source', () => {
    const out = new Uint16Array(2).fill(7);
    expectError(() => fromFloat32(new Float32Array(2), 'float32' as HalfDtype, { out }), 'TypeError', 'ERR_SELU_INVALID_ARG', 'dtype');
    expectError(() => fromFloat32(new Float64Array(2) as unknown as Float32Array, 'float16'), 'TypeError', 'ERR_SELU_INVALID_ARG', 'array');
    expectError(() => fromFloat32(new Float32Array(3), 'float16', { out }), 'RangeError', 'ERR_SELU_LENGTH_MISMATCH', 'options.out');
    expectError(() => fromFloat32(new Float32Array(2), 'float16', { out: new Float32Array(2) as unknown as Uint16Array }), 'TypeError', 'ERR_SELU_INVALID_ARG', 'options.out');
    expectError(() => fromFloat32(new Float32Array(2), 'float16', { oot: 1 } as never), 'TypeError', 'ERR_SELU_UNKNOWN_OPTION', 'options.oot');
    expect([...out]).toEqual([7, 7]);
    const wide = new Float32Array(2).fill(7);
    expectError(() => toFloat32(new Float32Array(2) as unknown as Uint16Array, 'float16', { out: wide }), 'TypeError', 'ERR_SELU_INVALID_ARG', 'array');
    expectError(() => toFloat32(new Uint16Array(2), 'half' as HalfDtype, { out: wide }), 'TypeError', 'ERR_SELU_INVALID_ARG', 'dtype');
    expectError(() => toFloat32(new Uint16Array(3), 'bfloat16', { out: wide }), 'RangeError', 'ERR_SELU_LENGTH_MISMATCH', 'options.out');
    expectError(() => toFloat32(new Uint16Array(2), 'bfloat16', { out: new Float64Array(2) as unknown as Float32Array }), 'TypeError', 'ERR_SELU_INVALID_ARG', 'options.out');
    expect([...wide]).toEqual([7, 7]);
  });

  test('a conversion needs a separate output: overlapping memory is ERR_SELU_OVERLAP', () => {
    const buf = new ArrayBuffer(64);
    const wide = new Float32Array(buf, 0, 8).fill(3);
    const bits = new Uint16Array(buf, 8, 8);
    expectError(() => fromFloat32(wide, 'bfloat16', { out: bits }), 'RangeError', 'ERR_SELU_OVERLAP', 'options.out');
    expectError(() => toFloat32(bits, 'bfloat16', { out: wide }), 'RangeError', 'ERR_SELU_OVERLAP', 'options.out');
    expect([...new Float32Array(buf, 0, 2)]).toEqual([3, 3]);
  });

  test('a detached source is named', () => {
    const x = new Uint16Array(4);
    structuredClone(x.buffer, { transfer: [x.buffer] });
    expectError(() => toFloat32(x, 'float16'), 'TypeError', 'ERR_SELU_DETACHED', 'array');
  });
});

test('toFloat32 and fromFloat32 are exported by the CommonJS and the ES module entries', () => {
  const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
  const script = "import * as m from 'selu-kernels'; import cjs from 'selu-kernels'; const f = m.fromFloat32(new Float32Array([1.5, -2]), 'float16');"
    + " console.log(JSON.stringify([[...m.toFloat32(f, 'float16')], m.toFloat32 === cjs.toFloat32, typeof require]));";
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: `${__dirname}/..`, encoding: 'utf8' });
  expect(JSON.parse(out)).toEqual([[1.5, -2], true, 'undefined']);
});
