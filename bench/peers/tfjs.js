// TensorFlow.js: its 'cpu' backend (plain JS) and, when @tensorflow/tfjs-backend-wasm is installed, its
// WebAssembly backend. A call is tf.selu on a tensor made once from the benchmark's array, and reading
// the result into a Float32Array (dataSync), which is what a caller needs. tfjs has no float64.
'use strict';

const CORE = ['@tensorflow/tfjs', '@tensorflow/tfjs-core'];
const WASM = '@tensorflow/tfjs-backend-wasm';

function loadTf(alsoNeeded = '') {
  const { requirePeer, skip } = require('./index');
  let tf;
  let name;
  for (const n of CORE) {
    try {
      tf = requirePeer(n);
      name = n;
      break;
    } catch { /* try the next */ }
  }
  if (!tf) throw skip(`not installed (npm install ${CORE[0]}${alsoNeeded ? ` ${alsoNeeded}` : ''} to compare with it)`);
  if (name !== CORE[0]) requirePeer('@tensorflow/tfjs-backend-cpu');
  tf.env().set('PROD', true); // no "install tfjs-node" banner, no debug checks
  return { tf, name };
}

function implementation(tf, backendName, variant) {
  const use = async () => {
    if (tf.getBackend() !== backendName) {
      if (!(await tf.setBackend(backendName))) throw new Error(`tfjs backend ${backendName} failed to initialize`);
    }
    await tf.ready();
  };
  return {
    backend: `tfjs-${backendName}`,
    variant,
    threads: 1,
    ops: {
      selu: {
        dtypes: ['float32'],
        unsupported: { float64: 'tfjs has no float64 tensors' },
        async: false,
        make(d) {
          let xt;
          return {
            async setup() {
              await use();
              xt = tf.tensor1d(d.x, 'float32');
            },
            run() {
              const y = tf.selu(xt);
              y.dataSync();
              y.dispose();
            },
            teardown() {
              xt.dispose();
            },
          };
        },
        async apply(x) {
          await use();
          // Not tf.tidy(() => ….dataSync()): tidy walks its result looking for tensors, element by element.
          const xt = tf.tensor1d(x, 'float32');
          const y = tf.selu(xt);
          const out = y.dataSync().slice();
          xt.dispose();
          y.dispose();
          return out;
        },
      },
    },
  };
}

function tfjsPeer(backendName) {
  return async () => {
    const { requirePeer, versionOf } = require('./index');
    const { tf, name } = loadTf(backendName === 'wasm' ? WASM : '');
    const version = `${name} ${versionOf(name)}`;
    if (backendName === 'cpu') return { version, implementations: [implementation(tf, 'cpu', 'js')] };
    const wasm = requirePeer(WASM);
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend failed to initialize');
    await tf.ready();
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const mt = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    const threads = mt && typeof wasm.getThreadsCount === 'function' ? wasm.getThreadsCount() : 1;
    const variant = `${simd ? 'simd' : 'no simd'}, ${threads} thread${threads > 1 ? 's' : ''}`;
    const impl = implementation(tf, 'wasm', variant);
    impl.threads = threads;
    return { version: `${WASM} ${versionOf(WASM)}`, implementations: [impl] };
  };
}

module.exports = [
  { name: 'tfjs (cpu backend)', backends: ['tfjs-cpu'], load: tfjsPeer('cpu') },
  { name: 'tfjs (wasm backend)', backends: ['tfjs-wasm'], load: tfjsPeer('wasm') },
];
