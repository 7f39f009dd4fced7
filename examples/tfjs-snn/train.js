// Trains a self-normalizing MLP with TensorFlow.js and selu-kernels/tfjs (tf.selu and its gradient run
// by selu-kernels, the plugin's seeded AlphaDropout between layers), then prints each hidden layer's
// activation mean and variance (seluMoments, one pass) next to the fixed point the SNN theory predicts
// for that layer's weights, before and after training.
//
// Run: npm run build:ts && node examples/tfjs-snn/train.js [--backend cpu|wasm] [--epochs N]
'use strict';
const path = require('node:path');
const { parseArgs } = require('node:util');
const tf = require('@tensorflow/tfjs');
const { setWasmPaths } = require('@tensorflow/tfjs-backend-wasm');
const { seluMoments, theory } = require('selu-kernels');
const { register } = require('selu-kernels/tfjs');

const { values } = parseArgs({ options: { backend: { type: 'string', default: 'cpu' }, epochs: { type: 'string', default: '5' } } });
const INPUTS = 32;
const WIDTH = 128;
const DEPTH = 6;
const RATE = 0.05;

/**
 * LeCun-normal weights N(0, 1/fan_in), which the theory's fixed point (0, 1) assumes. Not
 * tf.initializers.leCunNormal: tfjs draws that from a normal truncated at 2σ without rescaling it, so
 * its weights' variance is 0.774/fan_in (τ ≈ 0.77) and activations settle near ν ≈ 0.35 instead of 1.
 */
const lecunNormal = (fanIn, seed) => tf.initializers.randomNormal({ mean: 0, stddev: 1 / Math.sqrt(fanIn), seed });

/** The MLP: DEPTH × (dense(WIDTH) with SELU, LeCun-normal weights, then AlphaDropout), a linear output. */
function snn(plugin) {
  const model = tf.sequential();
  for (let i = 0; i < DEPTH; i++) {
    model.add(tf.layers.dense({
      units: WIDTH, activation: 'selu', kernelInitializer: lecunNormal(i === 0 ? INPUTS : WIDTH, i + 1),
      ...(i === 0 ? { inputShape: [INPUTS] } : {}),
    }));
    model.add(new plugin.AlphaDropout({ rate: RATE, seed: 1000 + i }));
  }
  model.add(tf.layers.dense({ units: 1 }));
  return model;
}

/**
 * Each hidden layer's activations on `x` (inference: dropout is the identity): the pre-activation
 * h·W + b from the layer's weights, then seluMoments gives selu of it and its mean and variance in
 * one pass. ω and τ are the layer's mean column sum of weights and of squared weights, which the
 * theory's fixed point depends on.
 */
function report(title, model, x) {
  console.log(`\n${title}`);
  console.log('layer   mean      variance   | weights ω      τ       | theory fixed point μ*   ν*');
  let h = x;
  const dense = model.layers.filter((l) => l.getClassName() === 'Dense').slice(0, DEPTH);
  dense.forEach((layer, i) => {
    const [w, b] = layer.getWeights();
    const pre = tf.tidy(() => tf.matMul(h, w).add(b));
    const { out, mean, variance } = seluMoments(pre.dataSync());
    const [omega, tau] = tf.tidy(() => [w.sum(0).mean().dataSync()[0], w.square().sum(0).mean().dataSync()[0]]);
    const fp = theory.fixedPoint({ omega, tau });
    console.log(`${String(i + 1).padStart(5)}   ${mean.toFixed(4).padStart(7)}   ${variance.toFixed(4).padStart(8)}   | `
      + `${omega.toFixed(4).padStart(8)}   ${tau.toFixed(4)}  | ${fp.mu.toFixed(4).padStart(12)}   ${fp.nu.toFixed(4)}`);
    if (h !== x) h.dispose();
    h = tf.tensor(out, pre.shape);
    pre.dispose();
  });
  if (h !== x) h.dispose();
}

async function main() {
  setWasmPaths(`${path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}${path.sep}`);
  tf.env().set('PROD', true);
  await tf.setBackend(values.backend);
  const plugin = register(tf);
  console.log(`tfjs ${tf.version_core}, backend ${tf.getBackend()}, selu-kernels on: ${plugin.backends.join(', ')}`);

  const n = 2048;
  const x = tf.randomNormal([n, INPUTS], 0, 1, 'float32', 7);
  const y = tf.tidy(() => x.slice([0, 0], [n, 8]).sum(1, true).div(Math.sqrt(8)).sin());
  const model = snn(plugin);
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });

  const probe = x.slice([0, 0], [1024, INPUTS]);
  report('At initialisation (the theory\'s fixed point for normalized weights is μ = 0, ν = 1):', model, probe);
  await model.fit(x, y, {
    epochs: Number(values.epochs), batchSize: 64, verbose: 0,
    callbacks: { onEpochEnd: (epoch, logs) => console.log(`epoch ${epoch + 1}: loss ${logs.loss.toFixed(4)}`) },
  });
  report('After training:', model, probe);
  plugin.unregister();
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
