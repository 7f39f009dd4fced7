/**
 * Bad 16-bit input to every op: a Uint16Array without options.dtype, a dtype string that is not one,
 * a dtype that does not fit the array, an out of another kind or length, mixed formats in the binary
 * ops: each a coded TypeError/RangeError naming the argument, thrown (rejected, for the Async forms)
 * before anything is written.
 */
import * as lib from '../lib';
import { expectError, expectRejection } from './helpers/expect-error';

const DROP = { rate: 0.3, seed: 1 };
const fns = lib as unknown as Record<string, (...args: unknown[]) => unknown>;

/** Each op with its required options, and whether it takes two arrays and writes an output. */
const OPS: { name: string; binary: boolean; output: boolean; options: Record<string, unknown> }[] = [
  { name: 'selu', binary: false, output: true, options: {} },
  { name: 'seluBackward', binary: true, output: true, options: {} },
  { name: 'alphaDropout', binary: false, output: true, options: DROP },
  { name: 'alphaDropoutBackward', binary: false, output: true, options: DROP },
  { name: 'seluAlphaDropout', binary: false, output: true, options: DROP },
  { name: 'seluAlphaDropoutBackward', binary: true, output: true, options: DROP },
  { name: 'moments', binary: false, output: false, options: {} },
  { name: 'seluMoments', binary: false, output: true, options: {} },
];

describe.each(OPS)('$name', ({ name, binary, output, options }) => {
  const call = (async: boolean, a: unknown, b: unknown, o: unknown): unknown => (binary ? fns[async ? `${name}Async` : name](a, b, o) : fns[async ? `${name}Async` : name](a, o));
  const bits = (): Uint16Array => new Uint16Array([0x3c00, 0xbc00, 0x0000, 0x7c00, 0x4000]);
  const sentinel = (): Uint16Array => new Uint16Array(5).fill(0x1234);

  /** Runs the sync and the Async form with these arguments: each must fail with the same coded error, `out` untouched. */
  async function bad(args: { a?: unknown; b?: unknown; o: Record<string, unknown> | undefined }, errName: 'TypeError' | 'RangeError', code: string, argument: string): Promise<void> {
    const out = sentinel();
    const o = args.o === undefined ? undefined : { ...options, ...args.o, ...(output && !('out' in args.o) ? { out } : {}) };
    const a = args.a ?? bits();
    const b = args.b ?? bits();
    expectError(() => call(false, a, b, o), errName, code, argument);
    await expectRejection(call(true, a, b, o) as Promise<unknown>, errName, code, argument);
    expect(out.every((v) => v === 0x1234)).toBe(true);
  }

  test('a Uint16Array without options.dtype says to pass it', async () => {
    await bad({ o: {} }, 'TypeError', 'ERR_SELU_INVALID_ARG', 'options.dtype');
    if (Object.keys(options).length === 0) {
      expectError(() => call(false, bits(), bits(), undefined), 'TypeError', 'ERR_SELU_INVALID_ARG', 'options.dtype');
      expect(() => call(false, bits(), bits(), undefined)).toThrow(/pass options\.dtype 'float16' or 'bfloat16'/);
    }
  });

  test('a dtype that is not one names options.dtype and lists the valid ones', async () => {
    for (const dtype of ['half', 'Float16', 1, null, {}]) {
      await bad({ o: { dtype } }, 'TypeError', 'ERR_SELU_INVALID_ARG', 'options.dtype');
    }
    expect(() => call(false, bits(), bits(), { ...options, dtype: 'half' })).toThrow(/'float32', 'float64', 'float16', 'bfloat16'/);
  });

  test('a dtype that does not fit the array is ERR_SELU_DTYPE_MISMATCH', async () => {
    await bad({ o: { dtype: 'float32' } }, 'TypeError', 'ERR_SELU_DTYPE_MISMATCH', 'options.dtype');
    await bad({ o: { dtype: 'float64' } }, 'TypeError', 'ERR_SELU_DTYPE_MISMATCH', 'options.dtype');
    const f32 = new Float32Array(5);
    const out32 = new Float32Array(5).fill(3);
    for (const dtype of ['float16', 'bfloat16', 'float64']) {
      const o = { ...options, dtype, ...(output ? { out: out32 } : {}) };
      expectError(() => call(false, f32, f32, o), 'TypeError', 'ERR_SELU_DTYPE_MISMATCH', 'options.dtype');
      await expectRejection(call(true, f32, f32, o) as Promise<unknown>, 'TypeError', 'ERR_SELU_DTYPE_MISMATCH', 'options.dtype');
    }
    expect(out32.every((v) => v === 3)).toBe(true);
    expect(() => call(false, f32, f32, { ...options, dtype: 'float32' })).not.toThrow();
  });

  test('a detached Uint16Array is ERR_SELU_DETACHED naming it', async () => {
    const a = bits();
    structuredClone(a.buffer, { transfer: [a.buffer as ArrayBuffer] });
    const first = name.endsWith('Backward') ? 'gradOutput' : 'x';
    const o = { ...options, dtype: 'float16' };
    expectError(() => call(false, a, binary ? new Uint16Array(0) : undefined, o), 'TypeError', 'ERR_SELU_DETACHED', first);
    await expectRejection(call(true, a, binary ? new Uint16Array(0) : undefined, o) as Promise<unknown>, 'TypeError', 'ERR_SELU_DETACHED', first);
  });

  test('other typed arrays are not data', async () => {
    for (const a of [new Int16Array(5), new Uint8Array(5), new Uint32Array(5)]) {
      await bad({ a, o: { dtype: 'float16' } }, 'TypeError', 'ERR_SELU_INVALID_ARG', name.endsWith('Backward') ? 'gradOutput' : 'x');
    }
  });

  if (output) {
    test('out of another kind or length', async () => {
      await bad({ o: { dtype: 'float16', out: new Float32Array(5) } }, 'TypeError', 'ERR_SELU_DTYPE_MISMATCH', 'options.out');
      await bad({ o: { dtype: 'bfloat16', out: new Uint16Array(4) } }, 'RangeError', 'ERR_SELU_LENGTH_MISMATCH', 'options.out');
      await bad({ o: { dtype: 'bfloat16', out: { type: 'bfloat16', data: new Uint16Array(5), dims: [5] } } }, 'TypeError', 'ERR_SELU_INVALID_ARG', 'options.out');
    });
  }

  if (binary) {
    test('both arrays in one format', async () => {
      await bad({ b: new Float32Array(5), o: { dtype: 'float16' } }, 'TypeError', 'ERR_SELU_DTYPE_MISMATCH', 'input');
      await bad({ b: new Uint16Array(4), o: { dtype: 'float16' } }, 'RangeError', 'ERR_SELU_LENGTH_MISMATCH', 'input');
      await bad({ a: new Float32Array(5), o: { dtype: 'float16' } }, 'TypeError', 'ERR_SELU_INVALID_ARG', 'input');
    });
  }
});
