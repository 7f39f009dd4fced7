/**
 * selu-kernels/tfjs: tf.selu and its gradient through selu-kernels on the cpu and wasm backends, the
 * registration rules, and unregister() restoring tfjs. The plugin is registered before the wasm backend
 * starts, so the wasm Selu kernel's setup runs through the plugin's config (and works after unregister).
 */
import { selu, seluBackward } from '../lib';
import { type TfjsPlugin, TfjsErrorCode, register } from '../lib/tfjs';
import { BACKENDS, bits, seluInputs, tf, useBackend } from './tfjs-setup';

const KERNELS = ['Selu', 'SeluKernelsSeluGrad', 'SeluKernelsAlphaDropout', 'SeluKernelsAlphaDropoutGrad'];
const originalKernels = new Map(BACKENDS.map((b) => [b, tf.getKernel('Selu', b)]));
const originalGradient = tf.getGradient('Selu');
let plugin: TfjsPlugin;

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

beforeAll(() => {
  plugin = register(tf, { backends: ['cpu', 'wasm'] });
});
afterAll(() => plugin.unregister());

describe.each(BACKENDS)('on the %s backend', (backend) => {
  beforeAll(() => useBackend(backend));

  test('tf.selu equals selu-kernels bit for bit (tiny x, subnormals, ±0, ±Inf, NaN), any shape', () => {
    const x = seluInputs(10_000);
    const expected = selu(x);
    const t = tf.tensor1d(x);
    expect(bits(tf.selu(t).dataSync() as Float32Array)).toEqual(bits(expected));
    const m = tf.tensor(x.subarray(0, 12), [3, 2, 2]);
    const y = tf.selu(m);
    expect(y.shape).toEqual([3, 2, 2]);
    expect(bits(y.dataSync() as Float32Array)).toEqual(bits(selu(x.slice(0, 12))));
    expect(tf.selu(tf.scalar(-1e-20)).dataSync()[0]).toBe(selu(new Float32Array([-1e-20]))[0]);
    expect(tf.selu(tf.tensor1d([])).shape).toEqual([0]);
  });

  test('never writes into the input', () => {
    const x = seluInputs(1000);
    const t = tf.tensor1d(x);
    tf.selu(t);
    tf.grad((v: tf.Tensor) => tf.selu(v).sum())(t);
    expect(bits(t.dataSync() as Float32Array)).toEqual(bits(x));
  });

  test('int32 tensors go to tfjs\'s own kernel', () => {
    expect(Array.from(tf.selu(tf.tensor1d([2, -1, 0], 'int32')).dataSync())).toEqual([2, -1, 0]);
  });

  test('the gradient is seluBackward, bit for bit, and close to tfjs\'s composite', () => {
    const x = seluInputs(5000).filter(Number.isFinite);
    const w = seluInputs(x.length, 7).slice(0, x.length).map((v) => v / 16);
    const g = tf.grad((v: tf.Tensor) => tf.selu(v).mul(tf.tensor1d(w)).sum())(tf.tensor1d(x));
    expect(bits(g.dataSync() as Float32Array)).toEqual(bits(seluBackward(w, x)));
    const composite = tf.tidy(() => {
      const t = tf.tensor1d(x);
      const dy = tf.tensor1d(w);
      return tf.where(tf.greater(t, 0), dy.mul(1.0507009873554805), dy.mul(1.7580993408473768).mul(tf.exp(t)));
    }).dataSync();
    const ours = g.dataSync();
    for (let i = 0; i < x.length; i++) expect(Math.abs(ours[i] - composite[i])).toBeLessThanOrEqual(4e-7 * Math.abs(composite[i]) + 1e-30);
  });

  test('second derivatives match tfjs\'s composite', () => {
    const x = tf.tensor1d([-3, -0.5, -1e-3, 0.25, 2]);
    const d2 = tf.grad(tf.grad((v: tf.Tensor) => tf.selu(v).sum()))(x).dataSync();
    const xs = x.dataSync();
    xs.forEach((v, i) => expect(d2[i]).toBeCloseTo(v > 0 ? 0 : 1.7580993408473768 * Math.exp(v), 5));
  });
});

test('the gradient on a backend the plugin does not cover is tfjs\'s composite', async () => {
  plugin.unregister();
  await useBackend('wasm');
  const x = tf.tensor1d(seluInputs(200).filter(Number.isFinite));
  const f = tf.grad((v: tf.Tensor) => tf.selu(v).sum());
  const tfjsGrad = f(x).dataSync() as Float32Array;
  const cpuOnly = register(tf, { backends: ['cpu'] });
  try {
    expect(bits(f(x).dataSync() as Float32Array)).toEqual(bits(tfjsGrad));
  } finally {
    cpuOnly.unregister();
    plugin = register(tf, { backends: ['cpu', 'wasm'] });
  }
});

describe('registration', () => {
  test('registering again with the same backends returns the same plugin; other backends are an error', () => {
    expect(register(tf, { backends: ['wasm', 'cpu'] })).toBe(plugin);
    expect(plugin.backends).toEqual(['cpu', 'wasm']);
    expect(caught(() => register(tf, { backends: ['cpu'] }))).toMatchObject({ code: TfjsErrorCode.ALREADY_REGISTERED });
  });

  test('unsupported backends, versions and options are coded errors', () => {
    for (const b of ['tensorflow', 'webgl', 'webgpu']) {
      const e = caught(() => register(tf, { backends: [b] })) as Error;
      expect(e).toMatchObject({ name: 'RangeError', code: TfjsErrorCode.BACKEND, argument: 'options.backends' });
      expect(e.message).toContain(b);
    }
    expect(caught(() => register({ ...tf, version_core: '3.21.0' }))).toMatchObject({ code: TfjsErrorCode.VERSION });
    expect(caught(() => register({ version_core: '4.22.0' }))).toMatchObject({ code: TfjsErrorCode.VERSION });
    expect(caught(() => register(null))).toMatchObject({ name: 'TypeError', code: 'ERR_SELU_INVALID_ARG', argument: 'tf' });
    expect(caught(() => register(tf, { backend: ['cpu'] } as never))).toMatchObject({ code: 'ERR_SELU_UNKNOWN_OPTION' });
    expect(caught(() => register(tf, { backends: 'cpu' } as never))).toMatchObject({ code: 'ERR_SELU_INVALID_ARG' });
  });
});

test('unregister() restores every original kernel and gradient; a tf without layers has no AlphaDropout', async () => {
  plugin.unregister();
  plugin.unregister(); // a no-op the second time
  expect(plugin.backends).toEqual([]);
  for (const b of BACKENDS) {
    expect(tf.getKernel('Selu', b)).toBe(originalKernels.get(b));
    for (const k of KERNELS.slice(1)) expect(tf.getKernel(k, b)).toBeUndefined();
  }
  expect(tf.getGradient('Selu')).toBe(originalGradient);
  for (const k of KERNELS.slice(1)) expect(tf.getGradient(k)).toBeUndefined();
  // tfjs's own kernels again: its cpu Selu returns 0 for tiny negative x, and the wasm one (set up
  // through the plugin's config when the backend started) runs.
  await useBackend('cpu');
  expect(tf.selu(tf.scalar(-1e-20)).dataSync()[0]).toBe(0);
  await useBackend('wasm');
  expect(tf.selu(tf.scalar(-1)).dataSync()[0]).toBeCloseTo(-1.1113307, 6);

  const noLayers = register({ ...tf, layers: undefined });
  try {
    expect(caught(() => noLayers.AlphaDropout)).toMatchObject({ code: TfjsErrorCode.NO_LAYERS });
  } finally {
    noLayers.unregister();
  }
  plugin = register(tf);
  expect(plugin.backends).toEqual(['cpu', 'wasm']);
});
