/**
 * selu-kernels/tfjs: the AlphaDropout layer. Statistics at n = 1e6 within 3 standard errors of the
 * fixed point, bit-exact agreement with the library's alphaDropout / alphaDropoutBackward at the
 * layer's stream offsets, reproducibility, noiseShape, serialization and model.fit; and the sign bug
 * of tfjs-layers' own AlphaDropout that the README shows.
 */
import { alphaDropout, alphaDropoutBackward, theory } from '../lib';
import { type AlphaDropoutLayer, type TfjsPlugin, register } from '../lib/tfjs';
import { BACKENDS, bits, tf, useBackend } from './tfjs-setup';

let plugin: TfjsPlugin;
beforeAll(() => {
  plugin = register(tf);
});
afterAll(() => plugin.unregister());

const apply = (layer: AlphaDropoutLayer, x: tf.Tensor, training = true) => layer.apply(x, { training }) as tf.Tensor;
const normal = (n: number, seed: number) => tf.randomNormal([n], 0, 1, 'float32', seed);
/** 1e6 draws from N(0, 1), made once (tfjs's randomNormal is slow) and shared by the statistics tests. */
let z: Float32Array;
beforeAll(async () => {
  await useBackend('cpu');
  z = normal(1e6, 99).dataSync() as Float32Array;
});

/** Sample mean and variance with their standard errors (the variance's from the fourth moment). */
function stats(y: Float32Array) {
  const n = y.length;
  let s = 0;
  for (const v of y) s += v;
  const mean = s / n;
  let m2 = 0;
  let m4 = 0;
  for (const v of y) {
    const d = (v - mean) ** 2;
    m2 += d;
    m4 += d * d;
  }
  const variance = m2 / n;
  return { mean, variance, seMean: Math.sqrt(variance / n), seVariance: Math.sqrt((m4 / n - variance ** 2) / n) };
}

describe.each(BACKENDS)('on the %s backend', (backend) => {
  beforeAll(() => useBackend(backend));

  test.each([0.05, 0.1, 0.2, 0.3, 0.5])('rate %p keeps mean 0 and variance 1 within 3 standard errors (n = 1e6)', (rate) => {
    const layer = new plugin.AlphaDropout({ rate, seed: 1234 });
    const y = apply(layer, tf.tensor1d(z)).dataSync() as Float32Array;
    const s = stats(y);
    expect(Math.abs(s.mean)).toBeLessThan(3 * s.seMean);
    expect(Math.abs(s.variance - 1)).toBeLessThan(3 * s.seVariance);
  });

  test('a custom fixed point (mean 0.5, variance 2) is kept within 3 standard errors (n = 1e6)', () => {
    const layer = new plugin.AlphaDropout({ rate: 0.2, seed: 5, mean: 0.5, variance: 2 });
    const x = tf.tidy(() => tf.tensor1d(z).mul(Math.SQRT2).add(0.5));
    const s = stats(apply(layer, x).dataSync() as Float32Array);
    expect(Math.abs(s.mean - 0.5)).toBeLessThan(3 * s.seMean);
    expect(Math.abs(s.variance - 2)).toBeLessThan(3 * s.seVariance);
  });

  test('each training call draws at the next stream offset: equal to alphaDropout bit for bit', () => {
    const layer = new plugin.AlphaDropout({ rate: 0.2, seed: 42 });
    const x = normal(1000, 5);
    const xs = x.dataSync() as Float32Array;
    const first = apply(layer, x).dataSync() as Float32Array;
    const second = apply(layer, x).dataSync() as Float32Array;
    expect(bits(first)).toEqual(bits(alphaDropout(xs, { rate: 0.2, seed: 42, offset: 0 })));
    expect(bits(second)).toEqual(bits(alphaDropout(xs, { rate: 0.2, seed: 42, offset: 1000 })));
    expect(layer.offset).toBe(2000);
    expect(bits(x.dataSync() as Float32Array)).toEqual(bits(xs)); // the input is untouched
  });

  test('two layers with the same seed reproduce each other; another seed differs', () => {
    const x = normal(500, 6);
    const [a, b, c] = [7, 7, 8].map((seed) => new plugin.AlphaDropout({ rate: 0.3, seed }));
    for (let i = 0; i < 3; i++) {
      const ya = apply(a, x).dataSync() as Float32Array;
      expect(bits(apply(b, x).dataSync() as Float32Array)).toEqual(bits(ya));
      expect(bits(apply(c, x).dataSync() as Float32Array)).not.toEqual(bits(ya));
    }
  });

  test('training: false (or no training flag) is the identity', () => {
    const layer = new plugin.AlphaDropout({ rate: 0.5, seed: 1 });
    const x = normal(100, 7);
    expect(apply(layer, x, false).dataSync()).toEqual(x.dataSync());
    expect((layer.apply(x) as tf.Tensor).dataSync()).toEqual(x.dataSync());
    expect(layer.offset).toBe(0);
  });

  test('the gradient regenerates the mask: alphaDropoutBackward at the forward offset, bit for bit', () => {
    const layer = new plugin.AlphaDropout({ rate: 0.25, seed: 3 });
    apply(layer, normal(64, 1)); // move the offset on first
    const x = normal(256, 8);
    const w = normal(256, 9);
    const g = tf.grad((v: tf.Tensor) => apply(layer, v).mul(w).sum())(x).dataSync() as Float32Array;
    expect(bits(g)).toEqual(bits(alphaDropoutBackward(w.dataSync() as Float32Array, { rate: 0.25, seed: 3, offset: 64 })));
  });

  test('noiseShape: one decision per mask element, broadcast over the other axes', () => {
    const layer = new plugin.AlphaDropout({ rate: 0.5, seed: 11, noiseShape: [null, 1] });
    const x = normal(40 * 8, 10).reshape([40, 8]);
    const y = apply(layer, x).arraySync() as number[][];
    const xs = x.arraySync() as number[][];
    const p = theory.alphaDropoutParameters({ rate: 0.5 });
    const dropped = Math.fround(p.a * p.alphaPrime + p.b);
    const kinds = y.map((row, i) => row.map((v, j) => (Math.abs(v - dropped) < 1e-6 ? 'd' : Math.abs(v - (p.a * xs[i][j] + p.b)) < 1e-5 ? 'k' : '?')));
    for (const row of kinds) expect(new Set(row).size).toBe(1);
    expect(new Set(kinds.map((r) => r[0]))).toEqual(new Set(['d', 'k']));
    expect(layer.offset).toBe(40);
  });
});

test('on a backend the plugin does not cover, the layer draws the same mask and applies it with tfjs ops', async () => {
  plugin.unregister();
  const cpuOnly = register(tf, { backends: ['cpu'] });
  try {
    await useBackend('wasm');
    const layer = new cpuOnly.AlphaDropout({ rate: 0.4, seed: 21 });
    const x = normal(2000, 12);
    const y = apply(layer, x).dataSync();
    const expected = alphaDropout(x.dataSync() as Float32Array, { rate: 0.4, seed: 21 });
    for (let i = 0; i < y.length; i++) expect(Math.abs(y[i] - expected[i])).toBeLessThanOrEqual(4e-7 * Math.abs(expected[i]) + 1e-7);
  } finally {
    cpuOnly.unregister();
    plugin = register(tf);
  }
});

test('bad arguments are coded errors', () => {
  const bad: [Record<string, unknown>, string][] = [
    [{ rate: 1 }, 'args.rate'], [{ rate: -0.1 }, 'args.rate'], [{ rate: 0.1, seed: -1 }, 'args.seed'],
    [{ rate: 0.1, seed: 1.5 }, 'args.seed'], [{ rate: 0.1, variance: 0 }, 'args.variance'], [{ rate: 0.1, noiseShape: [0] }, 'args.noiseShape'],
  ];
  for (const [args, argument] of bad) expect(() => new plugin.AlphaDropout(args as never)).toThrow(expect.objectContaining({ argument }));
  const layer = new plugin.AlphaDropout({ rate: 0.1, noiseShape: [2, 3] });
  expect(() => apply(layer, tf.zeros([2, 4]))).toThrow(expect.objectContaining({ code: 'ERR_SELU_OUT_OF_RANGE', argument: 'args.noiseShape' }));
});

/**
 * A self-normalizing MLP: dense layers with SELU and LeCun-normal weights N(0, 1/fan_in) (not tfjs's
 * leCunNormal, which truncates without rescaling), AlphaDropout between.
 */
function snn(inputs: number, width: number, depth: number, rate: number, seed: number): tf.Sequential {
  const model = tf.sequential();
  for (let i = 0; i < depth; i++) {
    model.add(tf.layers.dense({
      units: width, activation: 'selu', kernelInitializer: tf.initializers.randomNormal({ stddev: 1 / Math.sqrt(i === 0 ? inputs : width), seed: seed + i }),
      ...(i === 0 ? { inputShape: [inputs] } : {}),
    }));
    model.add(new plugin.AlphaDropout({ rate, seed: seed + 100 + i }) as unknown as tf.layers.Layer);
  }
  model.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.leCunNormal({ seed: seed + 99 }) }));
  return model;
}

test('serialization: model.toJSON() / tf.models.modelFromJSON round-trip with the layer\'s config', async () => {
  const model = snn(8, 16, 2, 0.1, 5);
  const withNoise = new plugin.AlphaDropout({ rate: 0.2, seed: 77, noiseShape: [null, 1], mean: 0.5, variance: 2 });
  model.add(withNoise as unknown as tf.layers.Layer);
  const json = JSON.parse(model.toJSON(undefined, true) as string);
  const restored = await tf.models.modelFromJSON(json);
  const layers = restored.layers.filter((l) => l instanceof plugin.AlphaDropout) as unknown as AlphaDropoutLayer[];
  expect(layers.map((l) => l.seed)).toEqual([105, 106, 77]);
  expect(layers[2].getConfig()).toMatchObject({ rate: 0.2, seed: 77, noiseShape: [null, 1], mean: 0.5, variance: 2 });
  expect(layers[0].getConfig()).toMatchObject({ rate: 0.1, seed: 105, mean: 0, variance: 1 });
});

test('a self-normalizing MLP trains with model.fit: the loss falls', async () => {
  await useBackend('cpu');
  const n = 512;
  const x = tf.randomNormal([n, 16], 0, 1, 'float32', 3);
  const y = x.slice([0, 0], [n, 4]).sum(1, true).sin();
  const model = snn(16, 32, 3, 0.05, 11);
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  const history = await model.fit(x, y, { epochs: 8, batchSize: 64, shuffle: false, verbose: 0 });
  const loss = history.history.loss as number[];
  expect(loss.every(Number.isFinite)).toBe(true);
  expect(loss[loss.length - 1]).toBeLessThan(0.6 * loss[0]);
});

test('tfjs-layers\' own AlphaDropout (the bug the README shows): dropped units at +λα, mean 1.56 at rate 0.5', () => {
  const y = tf.layers.alphaDropout({ rate: 0.5 }).apply(tf.tensor1d(z), { training: true }) as tf.Tensor;
  const s = stats(y.dataSync() as Float32Array);
  expect(s.mean).toBeGreaterThan(1.5);
  expect(s.mean).toBeLessThan(1.62);
});
