/**
 * Reference means and variances for the moments tests: two passes with Neumaier-compensated sums in
 * float64 (error ~1e-16 relative, far below the 1e-12 checked), plus the Σ(x − mean) correction, per
 * group of a row-major rows × cols view (axis 0: columns, axis 1: rows, -1: everything). The same
 * function runs in a worker for the 10^7-element cases (plain JavaScript loops are slow inside jest).
 */
import { Worker } from 'node:worker_threads';

export interface Reference {
  mean: number[];
  variance: number[];
}

export function referenceMoments(x: ArrayLike<number>, rows: number, cols: number, axis: -1 | 0 | 1, correction: number): Reference {
  const groups = axis === 0 ? cols : axis === 1 ? rows : 1;
  const count = axis === 0 ? rows : axis === 1 ? cols : rows * cols;
  const at = (g: number, i: number): number => (axis === 0 ? x[i * cols + g] : x[g * count + i]);
  const mean: number[] = [];
  const variance: number[] = [];
  for (let g = 0; g < groups; g++) {
    // Neumaier: s + c carries the sum with the rounding errors of each addition.
    let s = 0;
    let c = 0;
    const add = (v: number): void => {
      const t = s + v;
      c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
      s = t;
    };
    for (let i = 0; i < count; i++) add(at(g, i));
    const m0 = (s + c) / count;
    s = 0;
    c = 0;
    for (let i = 0; i < count; i++) add(at(g, i) - m0);
    const dev = s + c;
    s = 0;
    c = 0;
    for (let i = 0; i < count; i++) add((at(g, i) - m0) ** 2);
    mean.push(m0 + dev / count);
    variance.push((s + c - (dev * dev) / count) / (count - correction));
  }
  return { mean, variance };
}

/** referenceMoments in a worker thread, on a copy of x in shared memory. */
export function referenceMomentsInWorker(x: Float32Array | Float64Array, rows: number, cols: number, axis: -1 | 0 | 1, correction: number): Promise<Reference> {
  const shared = new SharedArrayBuffer(x.byteLength);
  const copy = x instanceof Float32Array ? new Float32Array(shared) : new Float64Array(shared);
  copy.set(x);
  const source = `
    const { workerData, parentPort } = require('node:worker_threads');
    ${referenceMoments.toString()}
    const x = workerData.f32 ? new Float32Array(workerData.shared) : new Float64Array(workerData.shared);
    parentPort.postMessage(referenceMoments(x, workerData.rows, workerData.cols, workerData.axis, workerData.correction));
  `;
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: { shared, f32: x instanceof Float32Array, rows, cols, axis, correction } });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}
