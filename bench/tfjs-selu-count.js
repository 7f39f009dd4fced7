// A repeatable companion to bench/tfjs-plugin.bench.js for loaded machines: runs tf.selu `calls` times
// on N = 1e6 float32 values on one backend, with or without selu-kernels/tfjs, after a warm-up, and
// nothing else. Run it under `valgrind --tool=callgrind` with calls = 0 and calls = 10: the difference in
// instructions (Ir), divided by 10, is the instruction count of one call (BENCHMARKS.md shows the
// commands). The native kernels run with one thread here so that the count does not depend on scheduling.
//
//   node bench/tfjs-selu-count.js <cpu|wasm> <tfjs|plugin> <calls>
'use strict';
const path = require('node:path');
const tf = require('@tensorflow/tfjs');
const wasm = require('@tensorflow/tfjs-backend-wasm');
const { setThreads } = require('../dist');
const { register } = require('../dist/tfjs');

const [backend, who, calls] = [process.argv[2], process.argv[3], Number(process.argv[4])];
wasm.setWasmPaths(`${path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}${path.sep}`);
tf.env().set('PROD', true);
setThreads(1);

(async () => {
  await tf.setBackend(backend);
  if (who === 'plugin') register(tf, { backends: [backend] });
  const x = tf.randomNormal([1e6], 0, 1, 'float32', 1);
  for (let i = 0; i < 3; i++) tf.selu(x).dispose(); // warm-up: JIT and allocations
  for (let i = 0; i < calls; i++) tf.selu(x).dispose();
})();
