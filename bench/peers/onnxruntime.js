// onnxruntime-node: a model with one Selu node (built in code, ./onnx-model.js), one session per
// thread count (intraOpNumThreads), input and output tensors over the benchmark's own arrays.
// Its CPU Selu kernel is float32 only.
'use strict';
const { seluModel } = require('./onnx-model');

const NAME = 'onnxruntime-node';

module.exports = {
  name: NAME,
  backends: ['onnxruntime'],
  async load({ threads }) {
    const { requirePeer, versionOf } = require('./index');
    const ort = requirePeer(NAME);
    const model = seluModel('float32');
    const implementations = [];
    for (const t of threads) {
      const session = await ort.InferenceSession.create(model, {
        intraOpNumThreads: t, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
      });
      const run = (x, out) => session.run({ x: new ort.Tensor('float32', x, [x.length]) }, { y: new ort.Tensor('float32', out, [out.length]) });
      implementations.push({
        backend: NAME,
        variant: `${t} thread${t > 1 ? 's' : ''}`,
        threads: t,
        ops: {
          selu: {
            dtypes: ['float32'],
            unsupported: { float64: 'its CPU Selu kernel is float32 only' },
            async: true,
            make(d) {
              const feeds = { x: new ort.Tensor('float32', d.x, [d.n]) };
              const fetches = { y: new ort.Tensor('float32', d.out, [d.n]) };
              return { run: () => session.run(feeds, fetches) };
            },
            async apply(x) {
              const out = new Float32Array(x.length);
              await run(x, out);
              return out;
            },
          },
        },
        dispose: () => session.release(),
      });
    }
    return { version: `${NAME} ${versionOf(NAME)}`, implementations };
  },
};
