/**
 * The addon is context-aware: it loads in worker_threads (also in a worker started after another was
 * terminated), and workers running ops at the same time as the main thread get correct results.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { selu } from '../lib';
import { normal, sameBits } from './helpers/accuracy';

const distEntry = path.join(__dirname, '..', 'dist', 'index.js');

// The worker script uses the compiled JS (npm test builds dist/ before jest runs).
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const lib = require(${JSON.stringify(distEntry)});
(async () => {
  const x = workerData.x;
  const results = [];
  for (let i = 0; i < workerData.rounds; i++) {
    const y = i % 2 ? await lib.seluAsync(x) : lib.selu(x);
    results.push(y);
  }
  parentPort.postMessage({ simd: lib.runtime.simd, last: results[results.length - 1] });
})().catch((e) => { throw e; });
`;

function runWorker(x: Float32Array, rounds: number): { worker: Worker; done: Promise<{ simd: string; last: Float32Array }> } {
  const worker = new Worker(workerSource, { eval: true, workerData: { x, rounds } });
  const done = new Promise<{ simd: string; last: Float32Array }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { worker, done };
}

test('four workers and the main thread compute at once, all correct', async () => {
  const x = new Float32Array(normal(200_001, 21));
  const expected = selu(x);
  const runs = Array.from({ length: 4 }, () => runWorker(x, 6));
  for (let i = 0; i < 6; i++) expect(sameBits(selu(x), expected)).toBe(true);
  const results = await Promise.all(runs.map((r) => r.done));
  for (const r of results) expect(sameBits(r.last, expected)).toBe(true);
  await Promise.all(runs.map((r) => r.worker.terminate()));
});

test('a worker terminated mid-work, then a new one loads the addon again', async () => {
  const x = new Float32Array(normal(2_000_000, 22));
  const first = runWorker(x, 1000);
  await new Promise((r) => setTimeout(r, 300));
  await first.worker.terminate();
  const second = runWorker(x, 2);
  const result = await second.done;
  expect(sameBits(result.last, selu(x))).toBe(true);
  await second.worker.terminate();
});
