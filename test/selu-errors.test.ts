/**
 * Bad input to the SELU functions: the documented TypeError/RangeError with a stable code that names
 * the argument, thrown (or, for the async forms, rejected) before any output is touched.
 */
import { selu, seluAsync, seluBackward, seluBackwardAsync } from '../lib';

const NOT_FLOAT_ARRAYS: unknown[] = [
  undefined, null, 1, 'x', [1, 2], {}, new Int8Array(2), new Uint8Array(2), new Int32Array(2), new Float64Array(2).buffer,
  new DataView(new ArrayBuffer(8)), new BigInt64Array(2), Symbol('s'), () => 1, 2n,
];

// Errors raised inside the addon (the overlap check) belong to Node's main realm, not to jest's
// sandbox, so `instanceof` is checked in a plain process below and by name here.
function expectError(fn: () => unknown, name: 'TypeError' | 'RangeError', code: string, argument: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toMatchObject({ name });
  expect(Object.prototype.toString.call(caught)).toBe('[object Error]');
  expect(caught).toMatchObject({ code, argument });
  expect((caught as Error).message).toContain(argument);
}

async function expectRejection(p: Promise<unknown>, name: 'TypeError' | 'RangeError', code: string, argument: string): Promise<void> {
  const caught = await p.then(() => undefined, (e: unknown) => e);
  expect(caught).toMatchObject({ name });
  expect(caught).toMatchObject({ code, argument });
}

describe('selu input validation', () => {
  test.each(NOT_FLOAT_ARRAYS.map((v) => [Object.prototype.toString.call(v), v]))('x = %s → TypeError', (_, bad) => {
    expectError(() => selu(bad as Float32Array), 'TypeError', 'ERR_SELU_INVALID_ARG', 'x');
  });

  test('options must be an object without unknown keys', () => {
    const x = new Float32Array(4);
    for (const bad of [null, 1, 'a', [], true]) {
      expectError(() => selu(x, bad as never), 'TypeError', 'ERR_SELU_INVALID_ARG', 'options');
    }
    expectError(() => selu(x, { aplha: 2 } as never), 'TypeError', 'ERR_SELU_UNKNOWN_OPTION', 'options.aplha');
  });

  test('alpha and scale must be finite numbers', () => {
    const x = new Float64Array(4);
    for (const key of ['alpha', 'scale'] as const) {
      for (const bad of [NaN, Infinity, -Infinity]) {
        expectError(() => selu(x, { [key]: bad }), 'RangeError', 'ERR_SELU_OUT_OF_RANGE', `options.${key}`);
      }
      for (const bad of ['1', null, 1n, {}, [1]]) {
        expectError(() => selu(x, { [key]: bad } as never), 'TypeError', 'ERR_SELU_INVALID_ARG', `options.${key}`);
      }
    }
  });

  test('out: wrong type, dtype, length or partial overlap, and nothing is written', () => {
    const buf = new Float32Array(64);
    const x = buf.subarray(0, 32);
    x.fill(-1);
    const sentinel = () => new Float32Array(32).fill(7);
    const outs: Array<[unknown, 'TypeError' | 'RangeError', string]> = [
      [new Float64Array(32).fill(7), 'TypeError', 'ERR_SELU_DTYPE_MISMATCH'],
      [new Float32Array(31).fill(7), 'RangeError', 'ERR_SELU_LENGTH_MISMATCH'],
      [new Int32Array(32).fill(7), 'TypeError', 'ERR_SELU_INVALID_ARG'],
      [[7, 7], 'TypeError', 'ERR_SELU_INVALID_ARG'],
    ];
    for (const [out, name, code] of outs) {
      expectError(() => selu(x, { out: out as Float32Array }), name, code, 'options.out');
      expect(Array.from(out as ArrayLike<number>).every((v) => v === 7)).toBe(true);
    }
    // Partial overlap, both directions; the overlapping output keeps its contents.
    buf.subarray(32).fill(7);
    for (const out of [buf.subarray(16, 48), buf.subarray(1, 33)]) {
      const before = buf.slice();
      expectError(() => selu(x, { out }), 'RangeError', 'ERR_SELU_OVERLAP', 'options.out');
      expect(buf).toEqual(before);
    }
    // A bad option after a good out: out untouched.
    const out = sentinel();
    expectError(() => selu(x, { out, alpha: NaN }), 'RangeError', 'ERR_SELU_OUT_OF_RANGE', 'options.alpha');
    expect(out).toEqual(sentinel());
  });

  test('backward: types, dtypes, lengths, overlap with either input', () => {
    const g = new Float32Array(8);
    const x = new Float32Array(8);
    expectError(() => seluBackward(null as never, x), 'TypeError', 'ERR_SELU_INVALID_ARG', 'gradOutput');
    expectError(() => seluBackward(g, [1] as never), 'TypeError', 'ERR_SELU_INVALID_ARG', 'input');
    expectError(() => seluBackward(g, new Float64Array(8) as never), 'TypeError', 'ERR_SELU_DTYPE_MISMATCH', 'input');
    expectError(() => seluBackward(g, new Float32Array(9)), 'RangeError', 'ERR_SELU_LENGTH_MISMATCH', 'input');
    const buf = new Float32Array(24);
    const gg = buf.subarray(0, 8);
    const xx = buf.subarray(8, 16);
    expectError(() => seluBackward(gg, xx, { out: buf.subarray(4, 12) }), 'RangeError', 'ERR_SELU_OVERLAP', 'options.out');
    expectError(() => seluBackward(gg, xx, { out: buf.subarray(12, 20) }), 'RangeError', 'ERR_SELU_OVERLAP', 'options.out');
    // In place over either input is allowed.
    expect(() => seluBackward(gg, xx, { out: gg })).not.toThrow();
    expect(() => seluBackward(gg, xx, { out: xx })).not.toThrow();
  });

  test('detached buffers are reported, not treated as empty', () => {
    const x = new Float32Array(16);
    structuredClone(x.buffer, { transfer: [x.buffer] });
    expectError(() => selu(new Float32Array(16), { out: x }), 'TypeError', 'ERR_SELU_DETACHED', 'options.out');
    let caught: unknown;
    try {
      selu(x);
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ name: 'TypeError', code: 'ERR_SELU_DETACHED' });
  });

  test('async variants reject (never throw synchronously) with the same errors', async () => {
    const x = new Float32Array(8);
    let p: Promise<unknown> | undefined;
    expect(() => { p = seluAsync('nope' as never); }).not.toThrow();
    await expectRejection(p!, 'TypeError', 'ERR_SELU_INVALID_ARG', 'x');
    await expectRejection(seluAsync(x, { alpha: NaN }), 'RangeError', 'ERR_SELU_OUT_OF_RANGE', 'options.alpha');
    await expectRejection(seluBackwardAsync(x, new Float32Array(3)), 'RangeError', 'ERR_SELU_LENGTH_MISMATCH', 'input');
    await expectRejection(seluBackwardAsync(x, new Float64Array(8) as never), 'TypeError', 'ERR_SELU_DTYPE_MISMATCH', 'input');
  });
});

test('errors from the addon are real RangeErrors/TypeErrors in a plain Node process', () => {
  const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
  const script = `
    const lib = require(${JSON.stringify(require('node:path').join(__dirname, '..'))});
    const buf = new Float32Array(8);
    try { lib.selu(buf.subarray(0, 4), { out: buf.subarray(2, 6) }); } catch (e) {
      console.log(e instanceof RangeError, e.code, e.argument);
    }
    try { lib.selu([1]); } catch (e) { console.log(e instanceof TypeError, e.code, e.argument); }`;
  const lines = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim().split('\n');
  expect(lines).toEqual(['true ERR_SELU_OVERLAP options.out', 'true ERR_SELU_INVALID_ARG x']);
});

describe('the native layer checks its arguments too', () => {
  // lib/ validates first with full messages; the addon must still never crash when misused.
  const { binding } = require('../lib/binding') as typeof import('../lib/binding');
  const k = [1, 0, 1, 0] as const;
  // Errors made by the addon come from the main realm, not jest's sandbox: compare names, not classes.
  const TypeErr = expect.objectContaining({ name: 'TypeError' });
  test('bad arrays and numbers throw instead of crashing', () => {
    expect(() => binding.selu({} as never, new Float32Array(1), ...k)).toThrow(expect.objectContaining({ code: 'ERR_SELU_INVALID_ARG' }));
    expect(() => binding.selu(new Int32Array(1) as never, new Float32Array(1), ...k)).toThrow(TypeErr);
    expect(() => binding.selu(new Float32Array(2), new Float32Array(1), ...k)).toThrow(expect.objectContaining({ code: 'ERR_SELU_LENGTH_MISMATCH' }));
    expect(() => binding.selu(new Float32Array(2), new Float64Array(2) as never, ...k)).toThrow(expect.objectContaining({ code: 'ERR_SELU_DTYPE_MISMATCH' }));
    const buf = new Float32Array(8);
    expect(() => binding.selu(buf.subarray(0, 4), buf.subarray(2, 6), ...k)).toThrow(expect.objectContaining({ code: 'ERR_SELU_OVERLAP' }));
    expect(() => (binding.selu as (...a: unknown[]) => unknown)(new Float32Array(1), new Float32Array(1), 'a', 0, 1, 0)).toThrow(TypeErr);
    expect(() => (binding.selu as (...a: unknown[]) => unknown)()).toThrow(TypeErr);
    expect(() => (binding.seluBackward as (...a: unknown[]) => unknown)(new Float32Array(1))).toThrow(TypeErr);
  });
});
