// Alpha-dropout and SELU + alpha-dropout, forward and backward, and the keep mask (lib/dropout.ts).
// The native mask comes from the Philox stream (docs/ALPHA-DROPOUT.md) and is regenerated in the backward
// pass; the JS baselines do what a JavaScript user would: Math.random() per element, and a stored byte
// mask that the backward pass reads.
'use strict';

const RATE = 0.1;
const SEED = 42;

module.exports = (lib) => {
  const L = lib.SELU_SCALE;
  const LA = lib.SELU_SCALE * lib.SELU_ALPHA;
  // docs/ALPHA-DROPOUT.md for (mean, variance) = (0, 1).
  const q = 1 - RATE;
  const ap = -LA;
  const a = 1 / Math.sqrt(q + ap * ap * q * (1 - q));
  const b = -a * (1 - q) * ap;
  const dropped = a * ap + b;
  const opts = (out) => ({ rate: RATE, seed: SEED, offset: 0, out });
  const maskOpts = { rate: RATE, seed: SEED, offset: 0 };

  /** A stored keep mask for the JS backward baselines (what their forward pass would have kept). */
  const masks = new WeakMap();
  function jsMask(d) {
    if (!masks.has(d)) {
      const m = new Uint8Array(d.n);
      for (let i = 0; i < m.length; i++) m[i] = Math.random() < q ? 1 : 0;
      masks.set(d, m);
    }
    return masks.get(d);
  }

  function jsAlphaDropout(x, out, mask) {
    for (let i = 0; i < x.length; i++) {
      const keep = Math.random() < q;
      mask[i] = keep ? 1 : 0;
      out[i] = keep ? a * x[i] + b : dropped;
    }
    return out;
  }
  function jsAlphaDropoutBackward(g, out, mask) {
    for (let i = 0; i < g.length; i++) out[i] = mask[i] ? a * g[i] : 0;
    return out;
  }
  function jsSeluAlphaDropout(x, out, mask) {
    for (let i = 0; i < x.length; i++) {
      const keep = Math.random() < q;
      mask[i] = keep ? 1 : 0;
      const v = x[i];
      out[i] = keep ? a * (v > 0 ? L * v : LA * Math.expm1(v)) + b : dropped;
    }
    return out;
  }
  function jsSeluAlphaDropoutBackward(g, x, out, mask) {
    for (let i = 0; i < g.length; i++) {
      const v = x[i];
      out[i] = mask[i] ? a * g[i] * (v > 0 ? L : LA * Math.exp(v)) : 0;
    }
    return out;
  }
  function jsMaskOnly(n) {
    const m = new Uint8Array(n);
    for (let i = 0; i < n; i++) m[i] = Math.random() < q ? 1 : 0;
    return m;
  }

  return {
    order: 20,
    ops: [
      {
        name: 'alphaDropout',
        family: 'dropout',
        description: `y = alpha-dropout(x), rate ${RATE}`,
        bytes: 8, // read x, write y; the mask is regenerated, not stored (docs/MEMORY-TRAFFIC.md)
        roofline: 'copy',
        inDefault: true,
        options: (d) => opts(d.out),
        js: (d) => jsAlphaDropout(d.x, d.out, d.mask),
      },
      {
        name: 'alphaDropoutBackward',
        family: 'dropout',
        description: 'dx = a · mask · dy, mask regenerated from the seed',
        bytes: 8, // read dy, write dx
        roofline: 'copy',
        inDefault: false,
        options: (d) => opts(d.out),
        js: (d) => jsAlphaDropoutBackward(d.g, d.out, jsMask(d)),
      },
      {
        name: 'seluAlphaDropout',
        family: 'dropout',
        description: 'y = alpha-dropout(selu(x)) in one pass',
        bytes: 8,
        roofline: 'copy',
        inDefault: true,
        options: (d) => opts(d.out),
        js: (d) => jsSeluAlphaDropout(d.x, d.out, d.mask),
        variants: [{
          name: 'unfused: selu, then alphaDropout',
          sync: (d) => lib.alphaDropout(lib.selu(d.x, { out: d.out2 }), opts(d.out)),
          async: async (d) => lib.alphaDropoutAsync(await lib.seluAsync(d.x, { out: d.out2 }), opts(d.out)),
        }],
      },
      {
        name: 'seluAlphaDropoutBackward',
        family: 'dropout',
        description: 'dx = a · mask · dy · selu\'(x) in one pass',
        bytes: 12, // read dy and x, write dx
        roofline: 'copy',
        inDefault: false,
        options: (d) => opts(d.out),
        js: (d) => jsSeluAlphaDropoutBackward(d.g, d.x, d.out, jsMask(d)),
        variants: [{
          name: 'unfused: seluBackward, then alphaDropoutBackward',
          sync: (d) => lib.alphaDropoutBackward(lib.seluBackward(d.g, d.x, { out: d.out2 }), opts(d.out)),
          async: async (d) => lib.alphaDropoutBackwardAsync(await lib.seluBackwardAsync(d.g, d.x, { out: d.out2 }), opts(d.out)),
        }],
      },
      {
        name: 'alphaDropoutMask',
        family: 'dropout',
        description: 'the keep mask as a new Uint8Array',
        dtypes: ['uint8'], // no float data: it runs once whatever --dtype says
        bytes: () => 1, // write one byte per element
        roofline: 'write',
        inDefault: false,
        options: () => maskOpts,
        js: (d) => jsMaskOnly(d.n),
      },
    ],
  };
};
