#!/usr/bin/env node
// Runs the GPU test suite: `node test/gpu/run.mjs` (plain Node ≥ 20, no node_modules; needs dist/ and the
// built addons). Without a usable GPU it says why and exits with status 2 (not part of `npm test`);
// with --allow-skip it then runs the files anyway, every test reported as skipped with the reason.
// Extra arguments go to `node --test` (e.g. --test-name-pattern=dropout). SELU_GPU_MAX_LOG2 caps the
// largest size (default 28: 2^28 elements).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { available, cuda, lib } from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const allowSkip = args.includes('--allow-skip');
// Files named on the command line (e.g. selu.test.mjs) restrict the run; otherwise all of them.
const named = args.filter((a) => a.endsWith('.test.mjs')).map((a) => a.split('/').pop());
const files = readdirSync(here).filter((f) => f.endsWith('.test.mjs') && (named.length === 0 || named.includes(f))).sort()
  .map((f) => join(here, f));

console.log(`selu-kernels ${lib.runtime.version}, node ${process.version}, CPU kernels: ${lib.runtime.simd}`);
if (!available) {
  console.log(`NO GPU AVAILABLE: ${cuda.reason}`);
  if (!allowSkip) {
    console.log('The GPU suite needs a machine with an NVIDIA GPU and driver; nothing was run (see docs/GPU.md).');
    process.exit(2);
  }
} else {
  for (const d of cuda.devices()) console.log(`GPU ${d.id}: ${d.name}, compute capability ${d.computeCapability}, ${(d.totalMemory / 2 ** 30).toFixed(1)} GiB`);
}
const r = spawnSync(process.execPath, ['--expose-gc', '--test', '--test-concurrency=1', ...args.filter((a) => a !== '--allow-skip' && !a.endsWith('.test.mjs')), ...files],
  { stdio: 'inherit' });
process.exit(r.status ?? 1);
