// SELU forward and backward (lib/selu.ts).
'use strict';

module.exports = (lib) => {
  const L = lib.SELU_SCALE;
  const LA = lib.SELU_SCALE * lib.SELU_ALPHA;

  /** What a JavaScript user would write: one loop, Math.expm1 on the negative branch. */
  function jsSelu(x, out) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      out[i] = v > 0 ? L * v : LA * Math.expm1(v);
    }
    return out;
  }
  function jsSeluBackward(g, x, out) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      out[i] = g[i] * (v > 0 ? L : LA * Math.exp(v));
    }
    return out;
  }

  return {
    order: 10,
    ops: [
      {
        name: 'selu',
        family: 'selu',
        description: 'y = selu(x)',
        bytes: 8, // read x, write y (docs/MEMORY-TRAFFIC.md)
        roofline: 'copy',
        inDefault: true,
        peer: 'selu',
        options: (d) => ({ out: d.out }),
        js: (d) => jsSelu(d.x, d.out),
        variants: [
          { name: 'new output', sync: (d) => lib.selu(d.x), async: (d) => lib.seluAsync(d.x) },
        ],
      },
      {
        name: 'seluBackward',
        family: 'selu',
        description: 'dx = dy · selu\'(x)',
        bytes: 12, // read dy and x, write dx
        roofline: 'copy',
        inDefault: true,
        options: (d) => ({ out: d.out }),
        js: (d) => jsSeluBackward(d.g, d.x, d.out),
      },
    ],
  };
};
