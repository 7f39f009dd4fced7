/**
 * TensorFlow.js for the tfjs tests: the union package (cpu backend, layers) and the wasm backend, whose
 * binary is loaded from node_modules (offline). jest gives each test file its own module registry, so
 * each file has a fresh tfjs with its own kernel registry.
 */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

setWasmPaths(`${path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}${path.sep}`);
tf.env().set('IS_TEST', true); // no "use tfjs-node" banner

export { tf };
export const BACKENDS = ['cpu', 'wasm'] as const;

export async function useBackend(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend '${name}' failed to start`);
}

/** The bits of a float32 array, so that NaNs and −0 compare exactly. */
export const bits = (a: Float32Array): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, a.length);

/** Float32 values: a seeded uniform spread over [−lo, hi] and the edge cases of SELU. */
export function seluInputs(n: number, seed = 1): Float32Array {
  const edges = [0, -0, 1e-20, -1e-20, 1e-45, -1e-45, 1.2e-38, -1.2e-38, 1e-8, -1e-8, -87.5, -104, -1e4, 88, 3.4e38,
    -3.4e38, Infinity, -Infinity, NaN, 1, -1];
  const x = new Float32Array(n + edges.length);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = (s / 2 ** 32) * 24 - 16;
  }
  x.set(edges, n);
  return x;
}
