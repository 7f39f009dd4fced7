'use strict';
// The smoke test of an installed selu-kernels, shared by smoke.cjs (require) and smoke.mjs (import):
// copied into each temporary project by test/release/run.js, so `selu-kernels` resolves as a user's
// code would. Prints one JSON line: what loaded and what cuda.reason says.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

module.exports = function check(m, how) {
  const y = m.selu(new Float32Array([-1, 0, 1]));
  assert.ok(Math.abs(y[0] - m.SELU_SCALE * m.SELU_ALPHA * Math.expm1(-1)) < 1e-6 && y[1] === 0 && Math.abs(y[2] - m.SELU_SCALE) < 1e-6);
  const dropped = m.alphaDropout(new Float32Array(10000).fill(1), { rate: 0.25, seed: 7 });
  const kept = dropped.filter((v) => v === dropped[0]).length;
  assert.ok(kept > 100 && kept < 9900, 'alphaDropout keeps some and drops some');
  const mo = m.moments(new Float64Array([1, 2, 3, 4]));
  assert.equal(mo.mean, 2.5);
  assert.equal(mo.count, 4);
  const fixed = m.theory.meanVarianceMap({ mu: 0, omega: 0, nu: 1, tau: 1 });
  assert.ok(Math.abs(fixed.mean) < 1e-9 && Math.abs(fixed.variance - 1) < 1e-6, 'SELU keeps (0, 1) fixed');
  assert.equal(typeof m.cuda.reason === 'string' || m.cuda.available(), true);

  // The binary came from the platform package: the installed selu-kernels has no build/ of its own.
  const main = path.dirname(require.resolve('selu-kernels/package.json'));
  assert.equal(fs.existsSync(path.join(main, 'build')), false, 'no source build inside the installed package');
  const platform = path.dirname(require.resolve('@selu-kernels/linux-x64-gnu/package.json', { paths: [main] }));
  console.log(JSON.stringify({ how, simd: m.runtime.simd, platformPackage: platform, cudaReason: m.cuda.reason ?? null }));
};
