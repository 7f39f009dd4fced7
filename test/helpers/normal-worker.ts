/**
 * normal() of helpers/accuracy.ts, run in a worker thread. Plain JavaScript loops run several times
 * slower inside jest's module sandbox than in a worker, and the statistics tests need 10^7 samples.
 * The worker runs the very same functions (their source), so the samples equal normal(n, seed).
 */
import { Worker } from 'node:worker_threads';
import { normal, rng } from './accuracy';

/** mean + sd · normal(n, seed), computed off the jest sandbox. */
export function normalInWorker(n: number, seed: number, mean = 0, sd = 1): Promise<Float64Array> {
  const shared = new SharedArrayBuffer(n * 8);
  const source = `
    const { workerData } = require('node:worker_threads');
    ${rng.toString()}
    ${normal.toString()}
    const z = normal(workerData.n, workerData.seed);
    const out = new Float64Array(workerData.shared);
    for (let i = 0; i < z.length; i++) out[i] = workerData.mean + workerData.sd * z[i];
  `;
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: { n, seed, mean, sd, shared } });
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve(new Float64Array(shared)) : reject(new Error(`worker exited with ${code}`))));
  });
}
