/**
 * The CUDA addon is loaded on the first GPU use only: requiring the package, and any CPU call, leave it
 * unloaded (a machine without CUDA pays nothing, and a broken CUDA install cannot break the CPU API).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { seluBackward, selu } from '../lib';
import { CUDA_ADDON_DEFAULT, cudaAddonLoaded } from '../lib/cuda/binding';

const root = path.join(__dirname, '..');
const built = fs.existsSync(CUDA_ADDON_DEFAULT);
const distBuilt = fs.existsSync(path.join(root, 'dist', 'index.js'));

function inFreshNode(script: string): string {
  return execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
}

describe('lazy loading', () => {
  test('requiring the package does not load the CUDA addon (jest module registry)', () => {
    expect(cudaAddonLoaded()).toBe(false);
    selu(new Float32Array([1, -1]));  // the CPU path neither
    seluBackward(new Float64Array([1, -1]), new Float64Array([2, -2]));
    expect(cudaAddonLoaded()).toBe(false);
  });

  (distBuilt ? test : test.skip)('in a plain Node process: not in require.cache until cuda is used', () => {
    const out = inFreshNode(`
      const m = require('./dist/index.js');
      const cudaLoaded = () => Object.keys(require.cache).some((k) => k.endsWith('selu_kernels_cuda.node'));
      const before = cudaLoaded();
      m.selu(new Float32Array(8));
      m.seluBackward(new Float32Array(8), new Float32Array(8));
      const afterCpu = cudaLoaded();
      m.cuda.available();
      console.log(JSON.stringify({ before, afterCpu, after: cudaLoaded() }));
    `);
    const r = JSON.parse(out) as { before: boolean; afterCpu: boolean; after: boolean };
    expect(r.before).toBe(false);
    expect(r.afterCpu).toBe(false);
    expect(r.after).toBe(built);
  });
});

