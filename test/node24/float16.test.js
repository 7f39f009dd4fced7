// Float16Array in the ops and the conversions, under Node 24 (npm run test:node24: node:test, not jest;
// Node 20, which runs jest here, has no Float16Array). Float16Array's own element conversion (the
// engine's) is the independent reference for toFloat32 / fromFloat32; every op on a Float16Array must
// equal, bit for bit, the same op on a Uint16Array view of its bits with dtype 'float16', and come back
// as a Float16Array (or as the caller's out).
'use strict';
const assert = require('node:assert/strict');
const { test } = require('node:test');
const lib = require('../../dist');

const bitsOf = (a) => new Uint16Array(a.buffer, a.byteOffset, a.length);
const sameBits = (a, b) => assert.deepEqual(bitsOf(a), b instanceof Uint16Array ? b : bitsOf(b));

/** All 65,536 float16 patterns as a Float16Array. */
function allFloat16() {
  const u = new Uint16Array(65536);
  for (let i = 0; i < u.length; i++) u[i] = i;
  return new Float16Array(u.buffer);
}

const DROP = { rate: 0.3, seed: 99, offset: 5 };
const OPS = [
  ['selu', false, {}], ['seluBackward', true, {}], ['alphaDropout', false, DROP], ['alphaDropoutBackward', false, DROP],
  ['seluAlphaDropout', false, DROP], ['seluAlphaDropoutBackward', true, DROP],
];
const run = (name, binary, async, a, b, o) => (binary ? lib[async ? `${name}Async` : name](a, b, o) : lib[async ? `${name}Async` : name](a, o));

test('this is Node 24 with Float16Array', () => {
  assert.match(process.versions.node, /^24\./);
  assert.equal(typeof Float16Array, 'function');
});

test('toFloat32 of every float16 pattern equals the engine\'s Float16Array element (exact)', () => {
  const x = allFloat16();
  const wide = lib.toFloat32(x, 'float16');
  for (let i = 0; i < x.length; i++) assert.ok(Object.is(wide[i], x[i]), `pattern ${i}: ${wide[i]} vs ${x[i]}`);
});

test('fromFloat32 into a Float16Array equals the engine\'s rounding (nearest even) for midpoints and neighbours', () => {
  const x = allFloat16();
  const src = [];
  for (let i = 0; i < 0x7c00; i++) {
    const v = x[i];
    const w = x[i + 1];
    const mid = (v + w) / 2;
    src.push(v, -v, mid, -mid, Math.fround(mid * (1 + 2 ** -20)), Math.fround(mid * (1 - 2 ** -20)));
  }
  src.push(65520, 65519.99, 1e30, -1e30, Infinity, -Infinity, 0, -0);
  const f32 = Float32Array.from(src);
  const out = new Float16Array(f32.length);
  assert.equal(lib.fromFloat32(f32, 'float16', { out }), out);
  sameBits(out, Float16Array.from(f32));
  assert.ok(Number.isNaN(lib.fromFloat32(new Float32Array([NaN]), 'float16', { out: new Float16Array(1) })[0]));
  const plain = lib.fromFloat32(f32, 'float16');
  assert.ok(plain instanceof Uint16Array);
  sameBits(out, plain);
});

for (const [name, binary, options] of OPS) {
  test(`${name}: a Float16Array gives a Float16Array with the Uint16Array path's bits; out, in place, views, Async`, async () => {
    const x = allFloat16();
    const y = new Float16Array(x.length).map((_, i) => x[(i * 7919) % x.length]);
    const want = run(name, binary, false, bitsOf(x), bitsOf(y), { ...options, dtype: 'float16' });
    const got = run(name, binary, false, x, y, options);
    assert.ok(got instanceof Float16Array);
    sameBits(got, want);
    const gotAsync = await run(name, binary, true, x, y, { ...options, dtype: 'float16' });
    assert.ok(gotAsync instanceof Float16Array);
    sameBits(gotAsync, want);
    const out = new Float16Array(x.length);
    assert.equal(run(name, binary, false, x, y, { ...options, out }), out);
    sameBits(out, want);
    const a = x.slice();
    assert.equal(run(name, binary, false, a, y, { ...options, out: a }), a);
    sameBits(a, want);
    const n = x.length - 5;
    const xs = new Float16Array(x.length + 1).subarray(1, 1 + n);
    xs.set(x.subarray(0, n));
    sameBits(run(name, binary, false, xs, y.subarray(0, n), options), want.subarray(0, n));
  });
}

test('moments and seluMoments of a Float16Array equal those of its bits with dtype float16', async () => {
  const x = Float16Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 50);
  const o = { shape: [40, 25], axis: 0 };
  assert.deepEqual(lib.moments(x, o), lib.moments(bitsOf(x), { ...o, dtype: 'float16' }));
  const r = await lib.seluMomentsAsync(x, o);
  assert.ok(r.out instanceof Float16Array);
  const want = lib.seluMoments(bitsOf(x), { ...o, dtype: 'float16' });
  sameBits(r.out, want.out);
  assert.deepEqual(r.mean, want.mean);
});

test('a Float16Array is float16: other dtypes, out of another kind, mixed arrays are coded errors, nothing written', () => {
  const x = new Float16Array([1, -1, 2]);
  const out = new Float16Array(3).fill(7);
  const code = (fn, c, argument) => assert.throws(fn, (e) => e.code === c && e.argument === argument);
  code(() => lib.selu(x, { dtype: 'bfloat16', out }), 'ERR_SELU_DTYPE_MISMATCH', 'options.dtype');
  code(() => lib.selu(x, { out: new Uint16Array(3) }), 'ERR_SELU_DTYPE_MISMATCH', 'options.out');
  code(() => lib.selu(new Uint16Array(3), { dtype: 'float16', out }), 'ERR_SELU_DTYPE_MISMATCH', 'options.out');
  code(() => lib.seluBackward(x, new Uint16Array(3), { out }), 'ERR_SELU_DTYPE_MISMATCH', 'input');
  code(() => lib.toFloat32(x, 'bfloat16'), 'ERR_SELU_DTYPE_MISMATCH', 'dtype');
  code(() => lib.fromFloat32(new Float32Array(3), 'bfloat16', { out }), 'ERR_SELU_DTYPE_MISMATCH', 'options.out');
  assert.deepEqual([...out], [7, 7, 7]);
});

test('onnxruntime-node float16 tensors hold Float16Array data here: selu keeps the class and the kind', () => {
  const ort = require('onnxruntime-node');
  const t = new ort.Tensor('float16', new Float16Array([1, -1, 0.5, -2]), [2, 2]);
  const r = lib.selu(t);
  assert.ok(r instanceof ort.Tensor);
  assert.ok(r.data instanceof Float16Array);
  sameBits(r.data, lib.selu(bitsOf(t.data), { dtype: 'float16' }));
});

test('a detached Float16Array is ERR_SELU_DETACHED naming it, sync and Async', async () => {
  const x = new Float16Array(4);
  structuredClone(x.buffer, { transfer: [x.buffer] });
  assert.throws(() => lib.selu(x), (e) => e.code === 'ERR_SELU_DETACHED' && e.argument === 'x');
  await assert.rejects(lib.seluAsync(x), (e) => e.code === 'ERR_SELU_DETACHED' && e.argument === 'x');
  assert.throws(() => lib.toFloat32(x, 'float16'), (e) => e.code === 'ERR_SELU_DETACHED' && e.argument === 'array');
});
