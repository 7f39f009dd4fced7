#!/usr/bin/env node
// What one element costs each kernel family on one thread, in picoseconds: the figures that
// cpp/common/elementwise_split.h (op_cost::k…) decides splitting by. float32, the process's best
// SIMD level, N = 1e5 (in L2), the fastest of 9 batches of 200 calls.
//
//   node bench/native/split/op_costs.js [N]
'use strict';
const lib = require('../../..');

const n = Number(process.argv[2] || 1e5);
lib.setThreads(1);
const x = new Float32Array(n).map((_, i) => Math.sin(i) * 3);
const g = new Float32Array(n).fill(0.5);
const out = new Float32Array(n);
const drop = { out, rate: 0.1, seed: 1 };
const families = {
  kSelu: () => lib.selu(x, { out }),
  kSeluBackward: () => lib.seluBackward(g, x, { out }),
  kAlphaDropout: () => lib.alphaDropout(x, drop),
  kSeluAlphaDropout: () => lib.seluAlphaDropout(x, drop),
  kDropoutMask: () => lib.alphaDropoutMask(n, { rate: 0.1, seed: 1 }),
  kMoments: () => lib.moments(x),
  kSeluMoments: () => lib.seluMoments(x, { out }),
};
console.log(`${lib.runtime.simd}, 1 thread, N = ${n}, float32`);
for (const [name, f] of Object.entries(families)) {
  f();
  let best = Infinity;
  for (let r = 0; r < 9; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 200; i++) f();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 200);
  }
  console.log(`${name.padEnd(18)} ${Math.round((1000 * best) / n)} ps/element`);
}
