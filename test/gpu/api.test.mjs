// The public API on DeviceArrays: every op of the CPU API accepts DeviceArrays (and then returns
// DeviceArrays, or a Promise for the moments), mixing with typed arrays is a TypeError, and the Async
// forms resolve with finished DeviceArrays. If this file fails while the others pass, the routing in
// lib/dropout.ts or lib/moments.ts is missing (see docs/GPU.md).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeviceArray, disposeAll, float32Data, lib, skip } from './helpers.mjs';

const opts = { rate: 0.1, seed: 3 };

test('every op routes DeviceArrays to the GPU', { skip }, async () => {
  const x = DeviceArray.from(float32Data(1000, 1));
  const g = DeviceArray.from(float32Data(1000, 2));
  const calls = {
    selu: [x],
    seluBackward: [g, x],
    alphaDropout: [x, opts],
    alphaDropoutBackward: [g, opts],
    seluAlphaDropout: [x, opts],
    seluAlphaDropoutBackward: [g, x, opts],
  };
  for (const [name, args] of Object.entries(calls)) {
    const r = lib[name](...args);
    assert.ok(r instanceof DeviceArray, `${name} did not return a DeviceArray`);
    r.dispose();
    const ra = await lib[`${name}Async`](...args);
    assert.ok(ra instanceof DeviceArray, `${name}Async did not resolve to a DeviceArray`);
    ra.dispose();
  }
  for (const name of ['moments', 'momentsAsync']) {
    const p = lib[name](x);
    assert.ok(p instanceof Promise, `${name} on a DeviceArray must return a Promise`);
    const m = await p;
    assert.equal(m.count, 1000);
  }
  for (const name of ['seluMoments', 'seluMomentsAsync']) {
    const m = await lib[name](x);
    assert.ok(m.out instanceof DeviceArray);
    m.out.dispose();
  }
  disposeAll(x, g);
});

test('mixing DeviceArrays and typed arrays is a TypeError', { skip }, async () => {
  const d = DeviceArray.from(float32Data(16, 1));
  const t = float32Data(16, 2);
  for (const f of [
    () => lib.seluBackward(d, t), () => lib.seluBackward(t, d), () => lib.selu(d, { out: t }), () => lib.selu(t, { out: d }),
    () => lib.alphaDropout(d, { ...opts, out: t }), () => lib.alphaDropout(t, { ...opts, out: d }),
    () => lib.seluAlphaDropoutBackward(d, t, opts), () => lib.seluAlphaDropoutBackward(t, d, opts),
  ]) assert.throws(f, TypeError);
  await assert.rejects(lib.seluMoments(d, { out: t }), TypeError);
  d.dispose();
});
