// The CUDA addon in worker_threads: each worker has its own addon instance (streams, completions,
// staging buffers), results equal the main thread's, and a worker terminated with work in flight does
// not disturb the others.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { bitCompare, float32Data, lib, skip, DeviceArray } from './helpers.mjs';

const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

// A worker that computes selu (async download) and moments of its data on the GPU, and posts them.
const body = `
const { parentPort, workerData } = require('node:worker_threads');
const lib = require(${JSON.stringify(dist)});
(async () => {
  const x = lib.DeviceArray.from(new Float32Array(workerData.x));
  const y = lib.selu(x);
  const host = await y.toArray();
  const m = await lib.moments(y);
  if (workerData.abandon) { lib.selu(y, { out: y }); y.toArray(); parentPort.postMessage('busy'); return; }
  x.dispose(); y.dispose();
  parentPort.postMessage({ y: host, mean: m.mean, variance: m.variance });
})().catch((e) => parentPort.postMessage({ error: String(e && e.stack || e) }));
`;

function run(workerData) {
  return new Promise((resolve, reject) => {
    const w = new Worker(body, { eval: true, workerData });
    w.once('message', (m) => resolve({ w, m }));
    w.once('error', reject);
  });
}

test('worker_threads: each worker computes on the GPU like the main thread', { skip }, async () => {
  const n = 100_003;
  const xs = [float32Data(n, 41), float32Data(n, 42), float32Data(n, 43)];
  const results = await Promise.all(xs.map((x) => run({ x: Array.from(x) })));
  for (let i = 0; i < xs.length; ++i) {
    const { w, m } = results[i];
    assert.equal(m.error, undefined, m.error);
    const d = DeviceArray.from(xs[i]);
    const want = lib.selu(d);
    assert.ok(bitCompare(m.y, want.toArraySync()).equal, `worker ${i}: selu differs from the main thread's`);
    const mm = await lib.moments(want);
    assert.ok(Object.is(m.mean, mm.mean) && Object.is(m.variance, mm.variance), `worker ${i}: moments differ`);
    d.dispose();
    want.dispose();
    await w.terminate();
  }
});

test('worker_threads: terminating a worker with work in flight leaves the others working', { skip }, async () => {
  const x = Array.from(float32Data(1 << 18, 44));
  const { w, m } = await run({ x, abandon: true });
  assert.equal(m, 'busy');
  await w.terminate();  // its promise can no longer settle; its memory is freed by its teardown
  const { w: w2, m: m2 } = await run({ x });
  assert.equal(m2.error, undefined, m2.error);
  assert.equal(m2.y.length, x.length);
  await w2.terminate();
});
