/** @jest-environment ./test/helpers/main-realm-environment.js */
/**
 * Tensor objects { type, data, dims } in the ops: onnxruntime-node's ort.Tensor from a real
 * InferenceSession (an Add model written by bench/peers/onnx-model.js) and a stand-in for
 * transformers.js's Tensor class. Results are built by the input's own class and equal the typed-array
 * path bit for bit; `out` may be a tensor (returned as is) or a typed array (wrapped); moments with
 * `axis` take the dims as the shape; bad tensors are coded errors with nothing written.
 */
import * as ort from 'onnxruntime-node';
import * as lib from '../lib';

// The bench's hand-written ONNX encoder (no protobuf dependency): y = Add(x, x) of a dtype, dims [N, C].
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { oneNodeModel } = require('../bench/peers/onnx-model') as { oneNodeModel(op: string, dtype: string, o: { inputs: number; dims: string[] }): Buffer };
const addModel = (dtype: string): Buffer => oneNodeModel('Add', dtype, { inputs: 2, dims: ['N', 'C'] });
import { expectError, expectRejection } from './helpers/expect-error';

const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1 };
const same = (a: ArrayBufferView, b: ArrayBufferView): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** transformers.js's Tensor, as far as the ops see it: a class constructed as new Tensor(type, data, dims). */
class OtherTensor {
  constructor(readonly type: string, readonly data: ArrayBufferView, readonly dims: number[]) {}
}

describe('onnxruntime-node: a session\'s output through the ops', () => {
  let add32: ort.InferenceSession;
  let add16: ort.InferenceSession;
  beforeAll(async () => {
    add32 = await ort.InferenceSession.create(addModel('float32'), SESSION_OPTIONS);
    add16 = await ort.InferenceSession.create(addModel('float16'), SESSION_OPTIONS);
  });
  afterAll(async () => {
    await add32.release();
    await add16.release();
  });

  const values = Float32Array.from({ length: 6 * 5 }, (_, i) => Math.sin(i * 1.7) * 3);

  test('float32: selu and seluMoments of the output equal the typed-array path bit for bit; the result feeds the session again', async () => {
    const { y: Y } = await add32.run({ x: new ort.Tensor('float32', values, [6, 5]) });
    const y = lib.selu(Y as never) as unknown as ort.Tensor;
    expect(y).toBeInstanceOf(ort.Tensor);
    expect(y.type).toBe('float32');
    expect(y.dims).toEqual([6, 5]);
    expect(same(y.data as Float32Array, lib.selu(Y.data as Float32Array))).toBe(true);

    const m = lib.seluMoments(Y as never, { axis: 0 }) as unknown as { out: ort.Tensor; mean: Float64Array; variance: Float64Array; count: number };
    const want = lib.seluMoments(Y.data as Float32Array, { shape: [6, 5], axis: 0 });
    expect(m.out).toBeInstanceOf(ort.Tensor);
    expect(same(m.out.data as Float32Array, want.out)).toBe(true);
    expect(m.mean).toEqual(want.mean);
    expect(m.variance).toEqual(want.variance);
    expect(m.count).toBe(6);

    const again = await add32.run({ x: y });
    expect(again.y.data).toEqual((y.data as Float32Array).map((v) => v + v));
    const a = await lib.seluAsync(Y as never) as unknown as ort.Tensor;
    expect(same(a.data as Float32Array, y.data as Float32Array)).toBe(true);
  });

  test('float16 (Uint16Array data): selu and seluMoments equal the Uint16Array path with dtype float16', async () => {
    const x16 = lib.fromFloat32(values, 'float16');
    const { y: Y } = await add16.run({ x: new ort.Tensor('float16', x16, [6, 5]) });
    expect(Y.type).toBe('float16');
    const y = lib.selu(Y as never) as unknown as ort.Tensor;
    expect(y).toBeInstanceOf(ort.Tensor);
    expect(y.type).toBe('float16');
    expect(same(y.data as Uint16Array, lib.selu(Y.data as Uint16Array, { dtype: 'float16' }))).toBe(true);
    const m = await lib.seluMomentsAsync(Y as never, { axis: 1 }) as unknown as { out: ort.Tensor; mean: Float64Array };
    const want = lib.seluMoments(Y.data as Uint16Array, { dtype: 'float16', shape: [6, 5], axis: 1 });
    expect(same(m.out.data as Uint16Array, want.out)).toBe(true);
    expect(m.mean).toEqual(want.mean);
    const again = await add16.run({ x: y });
    expect(again.y.type).toBe('float16');
  });

  test('a GPU tensor (location gpu-buffer, whose data getter throws) is ERR_SELU_DEVICE_MISMATCH', async () => {
    const gpu = ort.Tensor.fromGpuBuffer({} as never, { dataType: 'float32', dims: [2] });
    expectError(() => lib.selu(gpu as never), 'TypeError', 'ERR_SELU_DEVICE_MISMATCH', 'x.location');
    await expectRejection(lib.momentsAsync(gpu as never), 'TypeError', 'ERR_SELU_DEVICE_MISMATCH', 'x.location');
  });
});

describe('tensor objects of any class', () => {
  const t = (type: string, data: ArrayBufferView, dims: number[]): OtherTensor => new OtherTensor(type, data, dims);
  const x64 = Float64Array.from({ length: 24 }, (_, i) => i / 3 - 4);

  test('float64 and bfloat16 come back as the same class, every op, sync and Async', async () => {
    const x = t('float64', x64, [2, 3, 4]);
    const r = lib.selu(x as never) as unknown as OtherTensor;
    expect(r).toBeInstanceOf(OtherTensor);
    expect(r.dims).toEqual([2, 3, 4]);
    expect(r.data).toEqual(lib.selu(x64));
    const drop = { rate: 0.5, seed: 3 };
    expect((lib.seluAlphaDropout(x as never, drop) as unknown as OtherTensor).data).toEqual(lib.seluAlphaDropout(x64, drop));
    expect((await lib.seluBackwardAsync(x as never, x as never) as unknown as OtherTensor).data).toEqual(lib.seluBackward(x64, x64));
    expect((lib.alphaDropoutBackward(x as never, drop) as unknown as OtherTensor).data).toEqual(lib.alphaDropoutBackward(x64, drop));

    const b16 = lib.fromFloat32(Float32Array.from(x64), 'bfloat16');
    const xb = t('bfloat16', b16, [4, 6]);
    const rb = await lib.alphaDropoutAsync(xb as never, drop) as unknown as OtherTensor;
    expect(rb.type).toBe('bfloat16');
    expect(rb.data).toEqual(lib.alphaDropout(b16, { ...drop, dtype: 'bfloat16' }));
    expect(lib.moments(xb as never)).toEqual(lib.moments(b16, { dtype: 'bfloat16' }));
    expect(lib.moments(xb as never, { dtype: 'bfloat16' })).toEqual(lib.moments(b16, { dtype: 'bfloat16' }));
  });

  test('moments with axis: dims [d0, …, dk] as [d0·…·dk−1, dk]; rank 1 as [1, d0]; options.shape wins', () => {
    const x = t('float64', x64, [2, 3, 4]);
    expect(lib.moments(x as never, { axis: 0 })).toEqual(lib.moments(x64, { shape: [6, 4], axis: 0 }));
    expect(lib.moments(x as never, { axis: 1 })).toEqual(lib.moments(x64, { shape: [6, 4], axis: 1 }));
    expect(lib.moments(x as never, { axis: 1, shape: [3, 8] })).toEqual(lib.moments(x64, { shape: [3, 8], axis: 1 }));
    expect(lib.moments(t('float64', x64, [24]) as never, { axis: 1 })).toEqual(lib.moments(x64, { shape: [1, 24], axis: 1 }));
  });

  test('out: a tensor is written and returned; a typed array is wrapped; out === x is in place', () => {
    const x = t('float64', x64, [24]);
    const want = lib.selu(x64);
    const outT = t('float64', new Float64Array(24), [24]);
    expect(lib.selu(x as never, { out: outT as never })).toBe(outT);
    expect(outT.data).toEqual(want);
    const out = new Float64Array(24);
    const r = lib.selu(x as never, { out }) as unknown as OtherTensor;
    expect(r).toBeInstanceOf(OtherTensor);
    expect(r.data).toBe(out);
    const y = t('float64', x64.slice(), [24]);
    expect(lib.selu(y as never, { out: y as never })).toBe(y);
    expect(y.data).toEqual(want);
    const dropped = lib.alphaDropout(x as never, { rate: 0.5, seed: 1, training: false });
    expect(dropped).toBe(x);
  });

  describe('bad tensors: coded errors, nothing written', () => {
    const sentinel = (): Float32Array => new Float32Array(4).fill(9);
    const cases: [string, () => unknown, 'TypeError' | 'RangeError', string, string][] = [
      ['missing dims', () => ({ type: 'float32', data: new Float32Array(4) }), 'TypeError', 'ERR_SELU_INVALID_ARG', 'x.dims'],
      ['non-array dims', () => ({ type: 'float32', data: new Float32Array(4), dims: '4' }), 'TypeError', 'ERR_SELU_INVALID_ARG', 'x.dims'],
      ['negative dim', () => ({ type: 'float32', data: new Float32Array(4), dims: [-4] }), 'TypeError', 'ERR_SELU_INVALID_ARG', 'x.dims'],
      ['dims not matching the data length', () => ({ type: 'float32', data: new Float32Array(4), dims: [2, 3] }), 'RangeError', 'ERR_SELU_LENGTH_MISMATCH', 'x.dims'],
      ['unsupported type', () => new ort.Tensor('int32', new Int32Array(4), [4]), 'TypeError', 'ERR_SELU_INVALID_ARG', 'x.type'],
      ['a string tensor', () => new ort.Tensor('string', ['a', 'b'], [2]), 'TypeError', 'ERR_SELU_INVALID_ARG', 'x.type'],
      ['data of another kind', () => ({ type: 'float32', data: new Float64Array(4), dims: [4] }), 'TypeError', 'ERR_SELU_INVALID_ARG', 'x.data'],
      ['bfloat16 as Float32Array', () => ({ type: 'bfloat16', data: new Float32Array(4), dims: [4] }), 'TypeError', 'ERR_SELU_INVALID_ARG', 'x.data'],
      ['missing data', () => ({ type: 'float32', dims: [4] }), 'TypeError', 'ERR_SELU_INVALID_ARG', 'x.data'],
      ['a throwing data getter', () => ({ type: 'float32', dims: [4], get data(): never { throw new Error('boom'); } }), 'TypeError', 'ERR_SELU_INVALID_ARG', 'x.data'],
      ['a throwing dims getter', () => ({ type: 'float32', data: new Float32Array(4), get dims(): never { throw new Error('boom'); } }), 'TypeError', 'ERR_SELU_INVALID_ARG', 'x.dims'],
      ['a throwing type getter', () => ({ get type(): never { throw new Error('boom'); } }), 'TypeError', 'ERR_SELU_INVALID_ARG', 'x.type'],
      ['a non-CPU location', () => ({ location: 'gpu-buffer', type: 'float32', data: new Float32Array(4), dims: [4] }), 'TypeError', 'ERR_SELU_DEVICE_MISMATCH', 'x.location'],
      ['no constructor', () => Object.assign(Object.create(null), { type: 'float32', data: new Float32Array(4), dims: [4] }), 'TypeError', 'ERR_SELU_INVALID_ARG', 'x.constructor'],
    ];
    test.each(cases)('%s', async (_, make, name, code, argument) => {
      const out = sentinel();
      expectError(() => lib.selu(make() as never, { out } as never), name, code, argument);
      await expectRejection(lib.seluMomentsAsync(make() as never, { out } as never), name, code, argument);
      expect(out.every((v) => v === 9)).toBe(true);
    });

    test('options that do not fit the tensor', async () => {
      const x = (): OtherTensor => t('float32', new Float32Array(4), [2, 2]);
      const out = t('float32', sentinel(), [2, 2]);
      expectError(() => lib.selu(x() as never, { dtype: 'float16', out } as never), 'TypeError', 'ERR_SELU_DTYPE_MISMATCH', 'options.dtype');
      expectError(() => lib.selu(x() as never, { out: t('float32', sentinel(), [4]) } as never), 'RangeError', 'ERR_SELU_LENGTH_MISMATCH', 'options.out.dims');
      expectError(() => lib.selu(x() as never, { out: t('float64', new Float64Array(4), [2, 2]) } as never), 'TypeError', 'ERR_SELU_DTYPE_MISMATCH', 'options.out');
      expectError(() => lib.selu(x() as never, { out: new Float64Array(4) } as never), 'TypeError', 'ERR_SELU_DTYPE_MISMATCH', 'options.out');
      expectError(() => lib.seluBackward(x() as never, t('float32', new Float32Array(4), [4, 1]) as never, { out } as never), 'RangeError', 'ERR_SELU_LENGTH_MISMATCH', 'input.dims');
      await expectRejection(lib.seluBackwardAsync(x() as never, t('float64', new Float64Array(4), [2, 2]) as never, { out } as never), 'TypeError', 'ERR_SELU_DTYPE_MISMATCH', 'input');
      expect((out.data as Float32Array).every((v) => v === 9)).toBe(true);
    });
  });
});
