// Mean and variance in one pass, and SELU fused with them (lib/moments.ts).
// The JS baselines are the faster two-pass loops in float64 (about twice the speed of a one-pass
// Welford loop in Node 20 on a 1e7 array), so the speed-up is not flattered.
'use strict';

module.exports = (lib) => {
  const L = lib.SELU_SCALE;
  const LA = lib.SELU_SCALE * lib.SELU_ALPHA;

  function jsMoments(x) {
    const n = x.length;
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i];
    const mean = s / n;
    let m2 = 0;
    for (let i = 0; i < n; i++) {
      const dv = x[i] - mean;
      m2 += dv * dv;
    }
    return { mean, variance: m2 / n, count: n };
  }
  function jsSeluMoments(x, out) {
    const n = x.length;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i];
      const y = v > 0 ? L * v : LA * Math.expm1(v);
      out[i] = y;
      s += out[i];
    }
    const mean = s / n;
    let m2 = 0;
    for (let i = 0; i < n; i++) {
      const dv = out[i] - mean;
      m2 += dv * dv;
    }
    return { out, mean, variance: m2 / n, count: n };
  }

  return {
    order: 30,
    ops: [
      {
        name: 'moments',
        family: 'moments',
        description: 'mean and variance of all values',
        bytes: 4, // read x once (docs/MEMORY-TRAFFIC.md)
        roofline: 'read',
        inDefault: true,
        js: (d) => jsMoments(d.x),
      },
      {
        name: 'seluMoments',
        family: 'moments',
        description: 'y = selu(x) and the mean and variance of y in one pass',
        bytes: 8, // read x, write y
        roofline: 'copy',
        inDefault: true,
        options: (d) => ({ out: d.out }),
        js: (d) => jsSeluMoments(d.x, d.out),
        variants: [{
          name: 'unfused: selu, then moments',
          sync: (d) => lib.moments(lib.selu(d.x, { out: d.out })),
          async: async (d) => lib.momentsAsync(await lib.seluAsync(d.x, { out: d.out })),
        }],
      },
    ],
  };
};
