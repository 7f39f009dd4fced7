// selu-kernels/tfjs against TensorFlow.js's own kernels, in one run: tf.selu on the cpu and wasm
// backends at N = 1e3, 1e5, 1e6, and one epoch of model.fit of a self-normalizing MLP (dense + selu +
// AlphaDropout) on the cpu backend. "tfjs" rows use tfjs's kernels and its tf.layers.alphaDropout;
// "plugin" rows run after register(tf), with the plugin's AlphaDropout. The two are interleaved round
// by round (unregister / register in between), and each figure is the median over rounds.
//
// Run: npm run bench:tfjs [-- --quick] [-- --json FILE]; also part of `npm run bench`.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');

const SIZES = [1e3, 1e5, 1e6];
const BACKENDS = ['cpu', 'wasm'];

function loadTf() {
  try {
    const tf = require('@tensorflow/tfjs');
    const wasm = require('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(`${path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}${path.sep}`);
    tf.env().set('PROD', true); // no banner, no debug checks
    return tf;
  } catch {
    return undefined;
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Seconds per call of fn: calls in batches until `budget` seconds have passed; the median batch. */
function timePerCall(fn, budget) {
  fn(); // warm up
  let calls = 1;
  for (;;) { // grow the batch until one takes ≥ 1/10 of the budget
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) fn();
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    if (dt >= budget / 10) break;
    calls *= 4;
  }
  const samples = [];
  const end = process.hrtime.bigint() + BigInt(Math.round(budget * 1e9));
  while (samples.length < 5 || process.hrtime.bigint() < end) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e9 / calls);
  }
  return median(samples);
}

/** The SNN of test/tfjs-alpha-dropout.test.ts and examples/tfjs-snn: dense + selu + alpha-dropout. */
function snn(tf, dropout, { inputs, width, depth }) {
  const model = tf.sequential();
  for (let i = 0; i < depth; i++) {
    model.add(tf.layers.dense({
      units: width, activation: 'selu', kernelInitializer: tf.initializers.randomNormal({ stddev: 1 / Math.sqrt(i === 0 ? inputs : width), seed: i + 1 }),
      ...(i === 0 ? { inputShape: [inputs] } : {}),
    }));
    model.add(dropout(i));
  }
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
  return model;
}

async function main() {
  const { values } = parseArgs({ options: { quick: { type: 'boolean' }, json: { type: 'string' } }, strict: false });
  const tf = loadTf();
  if (!tf) {
    console.log('tfjs-plugin: skipped (npm install @tensorflow/tfjs @tensorflow/tfjs-backend-wasm to run it)');
    return;
  }
  const { register } = require('../dist/tfjs');
  const rounds = values.quick ? 1 : 3;
  const budget = values.quick ? 0.05 : 0.3;
  const shape = values.quick ? { inputs: 32, width: 64, depth: 3, samples: 512 } : { inputs: 64, width: 256, depth: 4, samples: 4096 };
  const results = {}; // key → { tfjs: [s...], plugin: [s...] }
  const record = (key, who, s) => {
    results[key] ??= { tfjs: [], plugin: [] };
    results[key][who].push(s);
  };

  let plugin = register(tf, { backends: BACKENDS });
  const AlphaDropout = plugin.AlphaDropout; // usable after unregister too (then its tfjs-ops path)
  plugin.unregister();
  for (let r = 0; r < rounds; r++) {
    for (const who of ['tfjs', 'plugin']) {
      if (who === 'plugin') plugin = register(tf, { backends: BACKENDS });
      for (const backend of BACKENDS) {
        await tf.setBackend(backend);
        for (const n of SIZES) {
          const x = tf.randomNormal([n], 0, 1, 'float32', 1);
          record(`selu ${backend} ${n}`, who, timePerCall(() => tf.selu(x).dispose(), budget));
          x.dispose();
        }
      }
      await tf.setBackend('cpu');
      const dropout = who === 'plugin'
        ? (i) => new AlphaDropout({ rate: 0.05, seed: 100 + i })
        : () => tf.layers.alphaDropout({ rate: 0.05 });
      const model = snn(tf, dropout, shape);
      const xs = tf.randomNormal([shape.samples, shape.inputs], 0, 1, 'float32', 2);
      const ys = xs.sum(1, true).sin();
      await model.fit(xs, ys, { epochs: 1, batchSize: 128, verbose: 0 }); // warm up
      const t0 = process.hrtime.bigint();
      await model.fit(xs, ys, { epochs: 1, batchSize: 128, verbose: 0 });
      record(`epoch cpu ${shape.samples}`, who, Number(process.hrtime.bigint() - t0) / 1e9);
      tf.dispose([xs, ys]);
      model.dispose();
      if (who === 'plugin') plugin.unregister();
    }
  }

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`## selu-kernels/tfjs vs TensorFlow.js ${tf.version_core} (${cpu}, ${os.cpus().length} CPUs, Node ${process.version}; median of ${rounds} round(s))\n`);
  console.log(`MLP: ${shape.depth} × dense(${shape.width}, selu) + AlphaDropout(0.05), ${shape.inputs} inputs, ${shape.samples} samples, batch 128, SGD.\n`);
  console.log('| case | backend | N | tfjs | plugin | speed-up | plugin elements/s |');
  console.log('|---|---|---:|---:|---:|---:|---:|');
  const rows = [];
  for (const [key, { tfjs, plugin: p }] of Object.entries(results)) {
    const [what, backend, n] = key.split(' ');
    const a = median(tfjs);
    const b = median(p);
    const fmt = (s) => (s >= 1e-3 ? `${(s * 1e3).toFixed(2)} ms` : `${(s * 1e6).toFixed(1)} µs`);
    const rate = what === 'selu' ? `${(Number(n) / b / 1e6).toFixed(0)} M` : '';
    console.log(`| ${what === 'selu' ? 'tf.selu' : 'one epoch of model.fit'} | ${backend} | ${Number(n).toExponential(0)} | ${fmt(a)} | ${fmt(b)} | ${(a / b).toFixed(1)}× | ${rate} |`);
    rows.push({ case: what, backend, n: Number(n), tfjsSeconds: a, pluginSeconds: b, speedup: a / b });
  }
  if (values.json) fs.writeFileSync(values.json, JSON.stringify({ cpu, tfjs: tf.version_core, rounds, rows }, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
