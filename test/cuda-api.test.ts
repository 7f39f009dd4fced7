/**
 * The TypeScript GPU layer (DeviceArray, the DeviceArray paths of selu/dropout/moments, streams) against a
 * fake CUDA addon whose "device memory" is host memory and whose ops are the CPU kernels
 * (test/helpers/fake-cuda.ts): routing, argument validation and its order (nothing allocated or enqueued
 * before every check passed), mixing DeviceArrays with typed arrays, disposal. The real addon and
 * kernels are tested by test/gpu on a machine with a GPU.
 */
import { fake, fakeBindingModule } from './helpers/fake-cuda';

jest.mock('../lib/cuda/binding', () => fakeBindingModule());

// eslint-disable-next-line import/first
import { DeviceArray, DeviceStream, cuda, selu, seluAsync, seluBackward, seluBackwardAsync } from '../lib';
// eslint-disable-next-line import/first
import {
  alphaDropout, alphaDropoutAsync, alphaDropoutBackward, moments, seluAlphaDropout, seluAlphaDropoutBackward, seluMoments,
} from '../lib';

// The GPU paths, through the public functions (the op table routes DeviceArrays there).
const alphaDropoutDevice = alphaDropout as (x: DeviceArray, o: Parameters<typeof alphaDropout>[1]) => DeviceArray;
const alphaDropoutBackwardDevice = alphaDropoutBackward as (x: DeviceArray, o: Parameters<typeof alphaDropout>[1]) => DeviceArray;
const alphaDropoutDeviceAsync = alphaDropoutAsync as (x: DeviceArray, o: Parameters<typeof alphaDropout>[1]) => Promise<DeviceArray>;
const seluAlphaDropoutDevice = seluAlphaDropout as (x: DeviceArray, o: Parameters<typeof alphaDropout>[1]) => DeviceArray;
const seluAlphaDropoutBackwardDevice = seluAlphaDropoutBackward as (g: DeviceArray, x: unknown, o: Parameters<typeof alphaDropout>[1]) => DeviceArray;
const momentsDevice = moments as (x: DeviceArray, o?: object) => Promise<{ mean: number | Float64Array; variance: number | Float64Array; count: number }>;
const seluMomentsDevice = seluMoments as (x: DeviceArray, o?: object) => Promise<{ out: DeviceArray; mean: number | Float64Array; variance: number | Float64Array; count: number }>;

function expectError(f: () => unknown, name: string, code: string, argument?: string): Error {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toMatchObject({ name, code });
  if (argument !== undefined) expect(caught).toMatchObject({ argument });
  return caught as Error;
}

function data(n: number, seed = 1): Float32Array {
  const x = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; ++i) {
    s = (s * 1103515245 + 12345) >>> 0;
    x[i] = (s / 2 ** 32 - 0.5) * 8;
  }
  return x;
}

beforeEach(() => {
  fake.calls = [];
  fake.failAlloc = false;
});

describe('cuda (fake addon)', () => {
  test('available, no reason, devices', () => {
    expect(cuda.available()).toBe(true);
    expect(cuda.reason).toBeUndefined();
    expect(cuda.devices()).toHaveLength(2);
    expect(cuda.devices()[0]).toMatchObject({ id: 0, computeCapability: '9.0' });
  });
});

describe('DeviceArray', () => {
  test('from / toArraySync / toArray round trip, dtype defaults', async () => {
    const x = data(37);
    const d = DeviceArray.from(x);
    expect(d).toMatchObject({ length: 37, dtype: 'float32', device: 0, byteLength: 148, disposed: false });
    expect(d.toArraySync()).toEqual(x);
    expect(await d.toArray()).toEqual(x);
    const d64 = DeviceArray.from(new Float64Array([1, 2]));
    expect(d64.dtype).toBe('float64');
    const h = DeviceArray.from(new Uint16Array([0x3c00]));
    expect(h.dtype).toBe('float16');
    expect(DeviceArray.from(new Uint16Array(1), { dtype: 'bfloat16' }).dtype).toBe('bfloat16');
    expect(DeviceArray.from(x, { dtype: 'float16' }).toArraySync()).toBeInstanceOf(Uint16Array);
    expect(fake.calls).toContain('upload 0->2');
    expect(Object.prototype.toString.call(d)).toBe('[object DeviceArray]');
  });

  test('alloc, empty arrays', () => {
    const d = DeviceArray.alloc(0);
    expect(d).toMatchObject({ length: 0, byteLength: 0, dtype: 'float32' });
    expect(d.toArraySync()).toEqual(new Float32Array(0));
    expect(DeviceArray.alloc(5, 'bfloat16', { device: 1 })).toMatchObject({ length: 5, dtype: 'bfloat16', device: 1, byteLength: 10 });
  });

  test('argument validation comes before any allocation', () => {
    const bad: [() => unknown, string, string, string][] = [
      [() => DeviceArray.from([1, 2] as unknown as Float32Array), 'TypeError', 'ERR_SELU_INVALID_ARG', 'data'],
      [() => DeviceArray.from(new Int16Array(2) as unknown as Float32Array), 'TypeError', 'ERR_SELU_INVALID_ARG', 'data'],
      [() => DeviceArray.from(new Float32Array(2), { dtype: 'int8' as 'float32' }), 'TypeError', 'ERR_SELU_INVALID_ARG', 'options.dtype'],
      [() => DeviceArray.from(new Float32Array(2), { device: -1 }), 'RangeError', 'ERR_SELU_OUT_OF_RANGE', 'options.device'],
      [() => DeviceArray.from(new Float32Array(2), { device: 0.5 }), 'RangeError', 'ERR_SELU_OUT_OF_RANGE', 'options.device'],
      [() => DeviceArray.from(new Float32Array(2), { devcie: 1 } as object), 'TypeError', 'ERR_SELU_UNKNOWN_OPTION', 'options.devcie'],
      [() => DeviceArray.from(new Uint16Array(2), { dtype: 'float32' }), 'TypeError', 'ERR_SELU_DTYPE_MISMATCH', 'data'],
      [() => DeviceArray.alloc(-1), 'RangeError', 'ERR_SELU_OUT_OF_RANGE', 'length'],
      [() => DeviceArray.alloc(1.5), 'RangeError', 'ERR_SELU_OUT_OF_RANGE', 'length'],
      [() => DeviceArray.alloc('3' as unknown as number), 'TypeError', 'ERR_SELU_INVALID_ARG', 'length'],
      [() => DeviceArray.alloc(3, 'half' as 'float16'), 'TypeError', 'ERR_SELU_INVALID_ARG', 'dtype'],
    ];
    for (const [f, name, code, argument] of bad) expectError(f, name, code, argument);
    expect(fake.calls).toEqual([]);
    expect(() => new (DeviceArray as unknown as new () => unknown)()).toThrow(TypeError);
  });

  test('device out of range is reported by the addon', () => {
    expectError(() => DeviceArray.alloc(4, 'float32', { device: 7 }), 'RangeError', 'ERR_SELU_OUT_OF_RANGE');
  });

  test('out of memory → ERR_CUDA_OOM with the function name', () => {
    fake.failAlloc = true;
    const e = expectError(() => DeviceArray.alloc(4), 'Error', 'ERR_CUDA_OOM');
    expect(e.message).toMatch(/^DeviceArray\.alloc\(\): out of GPU memory/);
    expect(() => selu(DeviceArray.from(new Float32Array(1)))).toThrow();  // from() itself fails first
  });

  test('copyFrom checks length and type', () => {
    const d = DeviceArray.alloc(3);
    d.copyFrom(new Float64Array([1, 2, 3]));
    expect(d.toArraySync()).toEqual(new Float32Array([1, 2, 3]));
    expectError(() => d.copyFrom(new Float32Array(4)), 'RangeError', 'ERR_SELU_LENGTH_MISMATCH', 'data');
    expectError(() => d.copyFrom(new Uint16Array(3)), 'TypeError', 'ERR_SELU_DTYPE_MISMATCH', 'data');
    expectError(() => d.copyFrom(d as unknown as Float32Array), 'TypeError', 'ERR_SELU_INVALID_ARG', 'data');
  });

  test('dispose: at once, idempotent, then ERR_DISPOSED everywhere', async () => {
    const d = DeviceArray.from(data(8));
    const before = fake.freed;
    d.dispose();
    expect(d.disposed).toBe(true);
    expect(fake.freed).toBe(before + 1);
    d.dispose();
    d[Symbol.dispose]();
    expect(fake.freed).toBe(before + 1);
    expectError(() => d.toArraySync(), 'Error', 'ERR_DISPOSED');
    await expect(d.toArray()).rejects.toMatchObject({ code: 'ERR_DISPOSED' });
    expectError(() => d.copyFrom(new Float32Array(8)), 'Error', 'ERR_DISPOSED');
    expectError(() => selu(d), 'Error', 'ERR_DISPOSED', 'x');
    await expect(seluAsync(d)).rejects.toMatchObject({ code: 'ERR_DISPOSED' });
    const live = DeviceArray.alloc(8);
    expectError(() => selu(live, { out: d }), 'Error', 'ERR_DISPOSED', 'options.out');
    expectError(() => seluBackward(live, d), 'Error', 'ERR_DISPOSED', 'input');
    // length, dtype and device stay readable
    expect(d).toMatchObject({ length: 8, dtype: 'float32' });
  });

  test('dispose right after enqueueing an op (in flight) is allowed', async () => {
    const x = DeviceArray.from(data(64));
    const p = seluAsync(x);
    x.dispose();
    const y = await p;
    expect(y.disposed).toBe(false);
    y.dispose();
  });
});

describe('selu on DeviceArrays', () => {
  test('routes to the GPU, same values as the CPU', async () => {
    const x = data(101);
    const d = DeviceArray.from(x);
    const y = selu(d);
    expect(y).toBeInstanceOf(DeviceArray);
    expect(y.toArraySync()).toEqual(selu(x));
    const out = DeviceArray.alloc(101);
    expect(selu(d, { out, alpha: 1, scale: 1 })).toBe(out);
    expect(out.toArraySync()).toEqual(selu(x, { alpha: 1, scale: 1 }));
    expect(selu(d, { out: d })).toBe(d);  // in place
    const g = DeviceArray.from(data(101, 7));
    const x2 = DeviceArray.from(x);
    expect(seluBackward(g, x2).toArraySync()).toEqual(seluBackward(data(101, 7), x));
    const ya = await seluAsync(x2);
    expect(ya.toArraySync()).toEqual(selu(x));
    const yb = await seluBackwardAsync(g, x2);
    expect(yb.toArraySync()).toEqual(seluBackward(data(101, 7), x));
    expect(fake.calls).toContain('whenDone');
  });

  test('mixing DeviceArrays and typed arrays is a TypeError', async () => {
    const d = DeviceArray.from(data(4));
    const t = data(4);
    expectError(() => seluBackward(d, t as unknown as DeviceArray), 'TypeError', 'ERR_SELU_DEVICE_MISMATCH', 'input');
    expectError(() => selu(d, { out: t as unknown as DeviceArray }), 'TypeError', 'ERR_SELU_DEVICE_MISMATCH', 'options.out');
    expectError(() => seluBackward(t, d as unknown as Float32Array), 'TypeError', 'ERR_SELU_INVALID_ARG', 'input');
    expectError(() => selu(t, { out: d as unknown as Float32Array }), 'TypeError', 'ERR_SELU_INVALID_ARG', 'options.out');
    await expect(seluBackwardAsync(d, t as unknown as DeviceArray)).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_SELU_DEVICE_MISMATCH' });
  });

  test('shape, dtype and device of out and input are checked before anything is enqueued', () => {
    const d = DeviceArray.from(data(4));
    fake.calls = [];
    expectError(() => selu(d, { out: DeviceArray.alloc(5) }), 'RangeError', 'ERR_SELU_LENGTH_MISMATCH', 'options.out');
    expectError(() => selu(d, { out: DeviceArray.alloc(4, 'float64') }), 'TypeError', 'ERR_SELU_DTYPE_MISMATCH', 'options.out');
    expectError(() => selu(d, { out: DeviceArray.alloc(4, 'float32', { device: 1 }) }), 'TypeError', 'ERR_SELU_DEVICE_MISMATCH', 'options.out');
    expectError(() => seluBackward(d, DeviceArray.alloc(3)), 'RangeError', 'ERR_SELU_LENGTH_MISMATCH', 'input');
    expectError(() => selu(d, { alpha: NaN }), 'RangeError', 'ERR_SELU_OUT_OF_RANGE', 'options.alpha');
    expectError(() => selu(d, { aplha: 1 } as object), 'TypeError', 'ERR_SELU_UNKNOWN_OPTION', 'options.aplha');
    expectError(() => selu(d, { stream: {} as DeviceStream }), 'TypeError', 'ERR_SELU_INVALID_ARG', 'options.stream');
    expect(fake.calls.filter((c) => c === 'selu' || c === 'seluBackward')).toEqual([]);
  });

  test('streams: used, device-checked, disposable', async () => {
    const s = cuda.createStream();
    expect(s).toBeInstanceOf(DeviceStream);
    const d = DeviceArray.from(data(4));
    selu(d, { stream: s });
    await s.synchronize();
    s.synchronizeSync();
    await d.toArray({ stream: s });
    const s1 = cuda.createStream({ device: 1 });
    expectError(() => selu(d, { stream: s1 }), 'TypeError', 'ERR_SELU_DEVICE_MISMATCH', 'options.stream');
    s.dispose();
    s.dispose();
    expect(s.disposed).toBe(true);
    expectError(() => selu(d, { stream: s }), 'Error', 'ERR_DISPOSED', 'options.stream');
    expectError(() => cuda.createStream({ device: -2 }), 'RangeError', 'ERR_SELU_OUT_OF_RANGE', 'options.device');
  });
});

describe('dropout on DeviceArrays (lib/ops/dropout.ts)', () => {
  const opts = { rate: 0.2, seed: 42, offset: 6 };

  test('same results as the CPU', async () => {
    const x = data(257);
    const d = DeviceArray.from(x);
    expect(alphaDropoutDevice(d, opts).toArraySync()).toEqual(alphaDropout(x, opts));
    expect(alphaDropoutBackwardDevice(d, opts).toArraySync()).toEqual(alphaDropoutBackward(x, opts));
    expect(seluAlphaDropoutDevice(d, opts).toArraySync()).toEqual(seluAlphaDropout(x, opts));
    const g = data(257, 3);
    expect(seluAlphaDropoutBackwardDevice(DeviceArray.from(g), d, opts).toArraySync()).toEqual(seluAlphaDropoutBackward(g, x, opts));
    expect((await alphaDropoutDeviceAsync(d, opts)).toArraySync()).toEqual(alphaDropout(x, opts));
  });

  test('training: false', () => {
    const x = data(9);
    const d = DeviceArray.from(x);
    expect(alphaDropoutDevice(d, { ...opts, training: false })).toBe(d);
    const out = DeviceArray.alloc(9);
    expect(alphaDropoutDevice(d, { ...opts, training: false, out })).toBe(out);
    expect(out.toArraySync()).toEqual(x);
    expect(seluAlphaDropoutDevice(d, { ...opts, training: false }).toArraySync()).toEqual(selu(x));
  });

  test('validation mirrors the CPU API', () => {
    const d = DeviceArray.from(data(4));
    fake.calls = [];
    expectError(() => alphaDropoutDevice(d, undefined as unknown as typeof opts), 'TypeError', 'ERR_SELU_INVALID_ARG', 'options');
    expectError(() => alphaDropoutDevice(d, { ...opts, rate: 1 }), 'RangeError', 'ERR_SELU_OUT_OF_RANGE', 'options.rate');
    expectError(() => alphaDropoutDevice(d, { ...opts, seed: -1 }), 'RangeError', 'ERR_SELU_OUT_OF_RANGE', 'options.seed');
    expectError(() => alphaDropoutDevice(d, { ...opts, offset: 2n ** 64n - 2n }), 'RangeError', 'ERR_SELU_OUT_OF_RANGE', 'options.offset');
    expectError(() => alphaDropoutDevice(d, { ...opts, training: 1 as unknown as boolean }), 'TypeError', 'ERR_SELU_INVALID_ARG', 'options.training');
    expectError(() => alphaDropoutDevice(d, { ...opts, out: data(4) as unknown as DeviceArray }), 'TypeError', 'ERR_SELU_DEVICE_MISMATCH', 'options.out');
    expectError(() => seluAlphaDropoutBackwardDevice(d, data(4), opts), 'TypeError', 'ERR_SELU_DEVICE_MISMATCH', 'input');
    expectError(() => alphaDropoutDevice(d, { ...opts, sed: 1 } as typeof opts), 'TypeError', 'ERR_SELU_UNKNOWN_OPTION', 'options.sed');
    expect(fake.calls).toEqual([]);
  });
});

describe('moments on DeviceArrays (lib/ops/moments.ts)', () => {
  test('same results as the CPU, as promises', async () => {
    const x = data(600);
    const d = DeviceArray.from(x);
    const m = await momentsDevice(d, { correction: 1 });
    expect(m).toEqual(moments(x, { correction: 1 }));
    const a0 = await momentsDevice(d, { shape: [20, 30], axis: 0 });
    expect(a0).toEqual(moments(x, { shape: [20, 30], axis: 0 }));
    const a1 = await momentsDevice(d, { shape: [20, 30], axis: 1 });
    expect(a1).toEqual(moments(x, { shape: [20, 30], axis: 1 }));
    const s = await seluMomentsDevice(d);
    const cpu = seluMoments(x);
    expect(s.out.toArraySync()).toEqual(cpu.out);
    expect({ mean: s.mean, variance: s.variance, count: s.count }).toEqual({ mean: cpu.mean, variance: cpu.variance, count: cpu.count });
  });

  test('validation (rejections, nothing enqueued)', async () => {
    const d = DeviceArray.from(data(6));
    fake.calls = [];
    await expect(momentsDevice(DeviceArray.alloc(0))).rejects.toMatchObject({ name: 'RangeError', code: 'ERR_SELU_OUT_OF_RANGE' });
    await expect(momentsDevice(d, { shape: [4, 2] })).rejects.toMatchObject({ code: 'ERR_SELU_LENGTH_MISMATCH' });
    await expect(momentsDevice(d, { axis: 0 })).rejects.toMatchObject({ code: 'ERR_SELU_INVALID_ARG', argument: 'options.shape' });
    await expect(momentsDevice(d, { shape: [6, 1], axis: 1, correction: 1 })).rejects.toMatchObject({ code: 'ERR_SELU_OUT_OF_RANGE' });
    await expect(seluMomentsDevice(d, { out: data(6) })).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_SELU_DEVICE_MISMATCH' });
    await expect(seluMomentsDevice(d, { out: DeviceArray.alloc(5) })).rejects.toMatchObject({ code: 'ERR_SELU_LENGTH_MISMATCH' });
    expect(fake.calls.filter((c) => c.endsWith('oments'))).toEqual([]);
  });
});
