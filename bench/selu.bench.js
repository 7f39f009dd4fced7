// SELU forward/backward against the roofline (a same-size copy), the plain JS loop, and per-call overhead.
// Usage: node bench/selu.bench.js [--quick] [--json FILE]      (npm run bench runs every bench file)
'use strict';
const fs = require('node:fs');
const { lib, measure, addRatios, copyCase, randomArray, machine, markdownTable } = require('./harness');

const SA = lib.SELU_SCALE * lib.SELU_ALPHA;
function jsSelu(x, out) {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = v > 0 ? lib.SELU_SCALE * v : SA * Math.expm1(v);
  }
  return out;
}

function cases(quick) {
  const big = quick ? 1e6 : 1e7;
  const list = [];
  for (const Ctor of [Float32Array, Float64Array]) {
    const dtype = Ctor === Float32Array ? 'float32' : 'float64';
    const x = randomArray(Ctor, big, 1);
    const g = randomArray(Ctor, big, 2);
    const out = new Ctor(big);
    list.push(copyCase(Ctor, big));
    list.push({ op: 'selu', variant: 'native', dtype, n: big, bytesPerElement: 2 * Ctor.BYTES_PER_ELEMENT, fn: () => lib.selu(x, { out }) });
    list.push({ op: 'selu', variant: 'native, new output', dtype, n: big, bytesPerElement: 2 * Ctor.BYTES_PER_ELEMENT, fn: () => lib.selu(x) });
    list.push({ op: 'seluBackward', variant: 'native', dtype, n: big, bytesPerElement: 3 * Ctor.BYTES_PER_ELEMENT, fn: () => lib.seluBackward(g, x, { out }) });
    list.push({ op: 'selu', variant: 'js loop', dtype, n: big, bytesPerElement: 2 * Ctor.BYTES_PER_ELEMENT, fn: () => jsSelu(x, out) });
    // In cache, one thread.
    const small = 1e5;
    const xs = randomArray(Ctor, small, 3);
    const outs = new Ctor(small);
    list.push({ op: 'selu', variant: 'native', dtype, n: small, threads: 1, bytesPerElement: 2 * Ctor.BYTES_PER_ELEMENT, fn: () => lib.selu(xs, { out: outs }) });
    list.push({ op: 'selu', variant: 'js loop', dtype, n: small, threads: 1, bytesPerElement: 2 * Ctor.BYTES_PER_ELEMENT, fn: () => jsSelu(xs, outs) });
  }
  // Per-call overhead at N = 1.
  const one = new Float32Array([-0.5]);
  const oneOut = new Float32Array(1);
  list.push({ op: 'selu', variant: 'native, N=1 overhead, out given', dtype: 'float32', n: 1, bytesPerElement: 8, fn: () => lib.selu(one, { out: oneOut }) });
  list.push({ op: 'selu', variant: 'native, N=1 overhead', dtype: 'float32', n: 1, bytesPerElement: 8, fn: () => lib.selu(one) });
  list.push({ op: 'selu', variant: 'js loop', dtype: 'float32', n: 1, bytesPerElement: 8, fn: () => jsSelu(one, oneOut) });
  return list;
}

function main(argv) {
  const quick = argv.includes('--quick');
  const jsonAt = argv.indexOf('--json');
  const rows = addRatios(measure(cases(quick), {
    rounds: quick ? 1 : 5, maxTime: quick ? 0.1 : 0.5, log: (m) => process.stderr.write(`selu.bench: ${m}\n`),
  }));
  const m = machine();
  console.log(`## SELU (${m.cpu}, ${m.cores} cores, Node ${m.node}, simd=${m.simd}, ${m.date})\n`);
  console.log(markdownTable(rows));
  if (jsonAt >= 0) fs.writeFileSync(argv[jsonAt + 1], JSON.stringify({ machine: m, rows }, null, 2));
}

if (require.main === module) main(process.argv.slice(2));
module.exports = { cases };
