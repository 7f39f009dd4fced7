/**
 * The detach rule, spelled out, then fuzzed; regression tests for the bugs the fuzzer found; and the
 * few huge-length cases (too big to generate at random).
 *
 * The rule (README, RELIABILITY): an async call keeps the memory of every array it uses alive until its
 * promise settles (the addon pins the ArrayBuffer's backing store), so transferring an array meanwhile
 * can never crash or corrupt memory: the work runs to completion on that memory (which the transfer's
 * receiver now owns), then the promise rejects with TypeError ERR_SELU_DETACHED naming the array.
 * An array detached before a call gives the same error at once (sync: thrown; async: rejected).
 */
import fc from 'fast-check';
import * as lib from '../lib';
import {
  DeviceArray, alphaDropoutMask, alphaDropoutMaskAsync, moments, momentsAsync, selu, seluAsync, seluBackward,
  seluBackwardAsync, seluMoments,
} from '../lib';
import { params, tally, timeout, writeTally } from './fuzz/config';
import { checkError } from './fuzz/harness';
import { KERNEL_ENTRIES } from './fuzz/registry';
import { Materialized, UserCodeError } from './fuzz/values';
import { expectError, expectRejection } from './helpers/expect-error';

afterAll(() => writeTally('fuzz-detach'));

function transfer(a: ArrayBufferView): ArrayBuffer {
  return structuredClone(a.buffer as ArrayBuffer, { transfer: [a.buffer as ArrayBuffer] });
}

function ramp(n: number, Ctor: Float32ArrayConstructor | Float64ArrayConstructor = Float32Array): Float32Array | Float64Array {
  const a = new Ctor(n);
  for (let i = 0; i < n; i += 1 + (i >> 4)) a[i] = ((i % 13) - 6) * 0.37; // sparse: fast to fill in jest's sandbox
  return a;
}

const DROPOUT = { rate: 0.25, seed: 7, offset: 3 };

/**
 * Every native async op, with the arrays it uses: [argument name, how to make the call from them].
 * `out` is passed explicitly so that it can be detached too.
 */
const ASYNC_OPS: { name: string; arrays: string[]; call: (a: Record<string, Float32Array | Float64Array>) => Promise<unknown> }[] = [
  { name: 'seluAsync', arrays: ['x', 'options.out'], call: (a) => seluAsync(a.x, { out: a['options.out'] }) },
  { name: 'seluBackwardAsync', arrays: ['gradOutput', 'input', 'options.out'], call: (a) => seluBackwardAsync(a.gradOutput, a.input, { out: a['options.out'] }) },
  { name: 'alphaDropoutAsync', arrays: ['x', 'options.out'], call: (a) => lib.alphaDropoutAsync(a.x, { ...DROPOUT, out: a['options.out'] }) },
  { name: 'alphaDropoutBackwardAsync', arrays: ['gradOutput', 'options.out'], call: (a) => lib.alphaDropoutBackwardAsync(a.gradOutput, { ...DROPOUT, out: a['options.out'] }) },
  { name: 'seluAlphaDropoutAsync', arrays: ['x', 'options.out'], call: (a) => lib.seluAlphaDropoutAsync(a.x, { ...DROPOUT, out: a['options.out'] }) },
  {
    name: 'seluAlphaDropoutBackwardAsync', arrays: ['gradOutput', 'input', 'options.out'],
    call: (a) => lib.seluAlphaDropoutBackwardAsync(a.gradOutput, a.input, { ...DROPOUT, out: a['options.out'] }),
  },
  { name: 'momentsAsync', arrays: ['x'], call: (a) => momentsAsync(a.x) },
  { name: 'seluMomentsAsync', arrays: ['x', 'options.out'], call: (a) => lib.seluMomentsAsync(a.x, { out: a['options.out'] }) },
];

function arraysFor(names: string[], n: number): Record<string, Float32Array | Float64Array> {
  return Object.fromEntries(names.map((k) => [k, ramp(n)]));
}

describe('the detach rule', () => {
  describe.each(ASYNC_OPS.map((op) => [op.name, op] as const))('%s', (_name, op) => {
    test.each(op.arrays)('%s detached before the call: rejected with ERR_SELU_DETACHED naming it', async (name) => {
      const a = arraysFor(op.arrays, 1000);
      transfer(a[name]);
      await expectRejection(op.call(a), 'TypeError', lib.ErrorCode.DETACHED, name);
    });

    test.each(op.arrays)('%s detached while the work runs: it completes, then rejects naming it; the process stays healthy', async (name) => {
      const n = 1 << 20; // large enough that the work is still in flight when the transfer happens
      const a = arraysFor(op.arrays, n);
      const pending = op.call(a);
      const moved = transfer(a[name]); // the receiver's buffer: the same memory, kept alive by the call
      await expectRejection(pending, 'TypeError', lib.ErrorCode.DETACHED, name);
      expect(moved.byteLength).toBe(n * 4);
      // A later call on fresh arrays works and is right.
      const x = ramp(4096);
      expect(Buffer.from((await seluAsync(x)).buffer).equals(Buffer.from(selu(x).buffer))).toBe(true);
    });
  });

  test('the output\'s memory, moved to the receiver during the call, holds the finished result', async () => {
    const x = ramp(1 << 20);
    const out = new Float32Array(x.length);
    const pending = seluAsync(x, { out });
    const moved = new Float32Array(transfer(out));
    await expectRejection(pending, 'TypeError', lib.ErrorCode.DETACHED, 'options.out');
    expect(Buffer.from(moved.buffer).equals(Buffer.from(selu(x).buffer))).toBe(true);
  });

  test('sync forms throw ERR_SELU_DETACHED for an array detached before the call', () => {
    const x = ramp(100);
    transfer(x);
    expectError(() => selu(x), 'TypeError', lib.ErrorCode.DETACHED, 'x');
    expectError(() => selu(x, {}), 'TypeError', lib.ErrorCode.DETACHED, 'x');
    expectError(() => seluBackward(ramp(0), x), 'TypeError', lib.ErrorCode.DETACHED, 'input');
    expectError(() => lib.alphaDropout(x, DROPOUT), 'TypeError', lib.ErrorCode.DETACHED, 'x');
    // training: false runs no kernel (the identity), and still reports it.
    expectError(() => lib.alphaDropout(x, { ...DROPOUT, training: false }), 'TypeError', lib.ErrorCode.DETACHED, 'x');
    expectError(() => lib.alphaDropoutBackward(x, { ...DROPOUT, training: false }), 'TypeError', lib.ErrorCode.DETACHED, 'gradOutput');
    expectError(() => lib.alphaDropout(ramp(0), { ...DROPOUT, training: false, out: x }), 'TypeError', lib.ErrorCode.DETACHED, 'options.out');
    expectError(() => moments(x), 'TypeError', lib.ErrorCode.DETACHED, 'x');
    expectError(() => seluMoments(ramp(5), { out: x }), 'TypeError', lib.ErrorCode.DETACHED, 'options.out');
    expectError(() => DeviceArray.from(x), 'TypeError', lib.ErrorCode.DETACHED, 'data');
  });

  test('fuzzed: any async op, any of its arrays, detached at once or a little later', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...ASYNC_OPS), fc.nat(2), fc.constantFrom(0, 1, 100, 70_000, 1 << 19), fc.constantFrom('now', 'tick', 'immediate'),
      async (op, which, n, when) => {
        const name = op.arrays[which % op.arrays.length];
        const a = arraysFor(op.arrays, n);
        const pending = op.call(a);
        if (when === 'tick') await Promise.resolve();
        if (when === 'immediate') await new Promise((r) => setImmediate(r));
        transfer(a[name]);
        const outcome = await pending.then(() => undefined, (e: unknown) => e);
        tally.calls++;
        if (outcome === undefined) {
          // Resolved: only possible when the promise had settled before the transfer (small arrays
          // can finish within a turn of the loop); a transfer right after the call always rejects.
          expect(when).not.toBe('now');
          tally.ok++;
        } else if ((outcome as { code?: string }).code === lib.ErrorCode.OUT_OF_RANGE) {
          expect(op.name.includes('oments') && n === 0).toBe(true); // moments of nothing
          tally.byCode[lib.ErrorCode.OUT_OF_RANGE] = (tally.byCode[lib.ErrorCode.OUT_OF_RANGE] ?? 0) + 1;
        } else {
          expect(outcome).toMatchObject({ name: 'TypeError', code: lib.ErrorCode.DETACHED, argument: name });
          tally.byCode[lib.ErrorCode.DETACHED] = (tally.byCode[lib.ErrorCode.DETACHED] ?? 0) + 1;
        }
      },
    ), params(40));
    tally.properties++;
  }, timeout(60_000));
});

describe('regressions found by the fuzzer', () => {
  test('a Proxy of a Float32Array is not a Float32Array: INVALID_ARG, not V8\'s "incompatible receiver"', async () => {
    const proxy = new Proxy(new Float32Array(4), {}) as Float32Array;
    expectError(() => selu(proxy), 'TypeError', lib.ErrorCode.INVALID_ARG, 'x');
    expectError(() => selu(proxy, {}), 'TypeError', lib.ErrorCode.INVALID_ARG, 'x');
    expectError(() => seluBackward(new Float32Array(4), proxy), 'TypeError', lib.ErrorCode.INVALID_ARG, 'input');
    expectError(() => selu(new Float32Array(4), { out: proxy }), 'TypeError', lib.ErrorCode.INVALID_ARG, 'options.out');
    expectError(() => moments(proxy), 'TypeError', lib.ErrorCode.INVALID_ARG, 'x');
    expectError(() => DeviceArray.from(proxy), 'TypeError', lib.ErrorCode.INVALID_ARG, 'data');
    await expectRejection(seluAsync(proxy), 'TypeError', lib.ErrorCode.INVALID_ARG, 'x');
  });

  test('impostors of a Float32Array are rejected; a Float32Array with another prototype is still one', () => {
    expectError(() => selu(Object.create(Float32Array.prototype)), 'TypeError', lib.ErrorCode.INVALID_ARG, 'x');
    const int8 = Object.setPrototypeOf(new Int8Array(4), Float32Array.prototype) as Float32Array;
    expectError(() => selu(int8, {}), 'TypeError', lib.ErrorCode.INVALID_ARG, 'x');
    // Its real type decides (the addon reads that): a Float32Array result, no dtype mismatch.
    const f32 = Object.setPrototypeOf(new Float32Array([1, -1]), Float64Array.prototype) as Float32Array;
    const y = seluMoments(f32).out;
    expect(Object.prototype.toString.call(y)).toBe('[object Float32Array]');
    expect(Array.from(y)).toEqual(Array.from(selu(new Float32Array([1, -1]))));
  });

  test('errors raised in the addon name their argument (an options getter detached x after validation)', () => {
    const x = ramp(16);
    const options = { get alpha() { transfer(x); return 1; } };
    expectError(() => selu(x, options), 'TypeError', lib.ErrorCode.DETACHED, 'x');
    const y = ramp(16);
    const out = new Float32Array(16);
    expectError(() => lib.alphaDropout(y, { ...DROPOUT, get mean() { transfer(out); return 0; }, out }), 'TypeError', lib.ErrorCode.DETACHED, 'options.out');
  });

  test('async functions reject, never throw, when a Proxy trap throws', async () => {
    const hostile = new Proxy({}, { getPrototypeOf() { throw new UserCodeError('getPrototypeOf'); } });
    let pending: Promise<unknown> | undefined;
    expect(() => { pending = seluAsync(hostile as Float32Array); }).not.toThrow();
    await expect(pending).rejects.toBeInstanceOf(UserCodeError);
    expect(() => { pending = seluBackwardAsync(hostile as Float32Array, new Float32Array(1)); }).not.toThrow();
    await expect(pending).rejects.toBeInstanceOf(UserCodeError);
  });

  test('an object made from DeviceArray.prototype is INVALID_ARG, not V8\'s private-field TypeError', async () => {
    const fake = Object.create(DeviceArray.prototype) as DeviceArray;
    expectError(() => selu(fake), 'TypeError', lib.ErrorCode.INVALID_ARG, 'x');
    await expectRejection(moments(fake), 'TypeError', lib.ErrorCode.INVALID_ARG, 'x');
  });

  test('dropout reads each option once: a getter cannot change a value after it was checked', () => {
    let reads = 0;
    const options = { ...DROPOUT, get alpha() { reads++; return reads === 1 ? 1.5 : 'changed'; } };
    const x = ramp(64);
    const y = lib.seluAlphaDropout(x, options as unknown as lib.DropoutOptions);
    expect(reads).toBe(1);
    expect(Buffer.from(y.buffer).equals(Buffer.from(lib.seluAlphaDropout(x, { ...DROPOUT, alpha: 1.5 }).buffer))).toBe(true);
  });

  test('theory.spectralNorm throws OUT_OF_RANGE when the norm of a finite Jacobian overflows, as contractionBound does', () => {
    const p = { mu: 0, omega: -1e308, nu: 5e-324, tau: 256 };
    expect(() => lib.theory.jacobian(p)).not.toThrow();
    expectError(() => lib.theory.spectralNorm(p), 'RangeError', lib.ErrorCode.OUT_OF_RANGE, 'p');
  });

  test('the random generator reaches these cases (a smoke check of the harness itself)', () => {
    const m = new Materialized([{ t: 'fake', kind: 'proxyOfFloat32', length: 3 }]);
    let caught: unknown;
    try {
      selu(m.args[0] as Float32Array);
    } catch (e) {
      caught = e;
    }
    expect(() => checkError(KERNEL_ENTRIES[0], m, caught)).not.toThrow();
  });
});

describe('huge lengths (a few large allocations; the rest is validated without allocating)', () => {
  test('a 2^27-element array: mismatches fail before any work, a real call completes', async () => {
    const x = new Float32Array(2 ** 27);
    x[12345] = -1;
    expectError(() => selu(x, { out: new Float32Array(2 ** 27 - 1) }), 'RangeError', lib.ErrorCode.LENGTH_MISMATCH, 'options.out');
    expectError(() => moments(x, { shape: [2 ** 14, 2 ** 14], axis: 0 }), 'RangeError', lib.ErrorCode.LENGTH_MISMATCH, 'options.shape');
    expectError(() => selu(x, { out: x.subarray(1) }), 'RangeError', lib.ErrorCode.LENGTH_MISMATCH, 'options.out');
    const y = await seluAsync(x, { out: x }); // in place, 512 MB
    expect(y[12345]).toBeCloseTo(selu(new Float32Array([-1]))[0], 6);
    expect(y[0]).toBe(0);
  }, 60_000);

  test('lengths beyond what a buffer can hold are RangeErrors, without allocating', async () => {
    const { MAX_LENGTH } = await import('node:buffer').then((b) => b.constants);
    for (const n of [MAX_LENGTH + 1, 2 ** 53, 2 ** 64, Infinity]) {
      expectError(() => alphaDropoutMask(n, DROPOUT), 'RangeError', lib.ErrorCode.OUT_OF_RANGE, 'length');
      await expectRejection(alphaDropoutMaskAsync(n, DROPOUT), 'RangeError', lib.ErrorCode.OUT_OF_RANGE, 'length');
    }
    expectError(() => alphaDropoutMask(10, { ...DROPOUT, offset: 2n ** 64n - 5n }), 'RangeError', lib.ErrorCode.OUT_OF_RANGE, 'options.offset');
    expectError(() => DeviceArray.alloc(2 ** 53), 'RangeError', lib.ErrorCode.OUT_OF_RANGE, 'length');
  });
});
