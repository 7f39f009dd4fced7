#!/usr/bin/env node
// Builds the emulated CUDA addon (cuda/emu: the real glue and kernels under the SIMT emulator with a fake
// CUDA runtime) and the emulator's own test program, with cmake, into build-cuda-emu/ (or
// build-cuda-emu-sanitize/ with --sanitize: ASan + UBSan). Needs the CUDA toolkit's headers (for the
// types; nvcc is not run) and a C++17 compiler; no GPU.
//
//   node scripts/build-cuda-emu.js [--sanitize] [--root DIR] [--out DIR]
//
// --root builds the sources of another copy of the repository (the mutation check builds a scratch copy);
// node_modules is always this checkout's. Prints the addon's path as its last line.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const here = path.join(__dirname, '..');

function option(args, name) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

// The directory holding cuda_runtime_api.h: $CUDA_HOME, $CUDA_PATH, nvcc's toolkit, /usr/local/cuda.
function cudaInclude() {
  const candidates = [process.env.CUDA_HOME, process.env.CUDA_PATH].filter(Boolean);
  try {
    const nvcc = execFileSync('sh', ['-c', 'command -v nvcc'], { encoding: 'utf8' }).trim();
    if (nvcc) candidates.push(path.dirname(path.dirname(fs.realpathSync(nvcc))));
  } catch {
    // no nvcc on PATH
  }
  candidates.push('/usr/local/cuda');
  for (const c of candidates) {
    const inc = path.join(c, 'include');
    if (fs.existsSync(path.join(inc, 'cuda_runtime_api.h'))) return inc;
  }
  throw new Error('the emulated CUDA addon needs the CUDA toolkit\'s headers (cuda_runtime_api.h): set CUDA_HOME');
}

function build({ sanitize = false, root = here, out } = {}) {
  const dir = out || path.join(root, sanitize ? 'build-cuda-emu-sanitize' : 'build-cuda-emu');
  const jobs = String(Math.max(1, os.availableParallelism ? os.availableParallelism() : os.cpus().length));
  const nodeApi = require(path.join(here, 'node_modules', 'node-api-headers')).include_dir;
  const addonApi = path.resolve(here, require(path.join(here, 'node_modules', 'node-addon-api')).include_dir);
  execFileSync('cmake', ['-S', path.join(root, 'cuda', 'emu'), '-B', dir, '-DCMAKE_BUILD_TYPE=Release',
    `-DSELU_EMU_SANITIZE=${sanitize ? 'ON' : 'OFF'}`, `-DSELU_CUDA_INCLUDE=${cudaInclude()}`,
    `-DSELU_NODE_API_INCLUDE=${nodeApi}`, `-DSELU_NODE_ADDON_API_INCLUDE=${addonApi}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync('cmake', ['--build', dir, '-j', jobs], { stdio: 'inherit' });
  return { addon: path.join(dir, 'selu_kernels_cuda_emu.node'), test: path.join(dir, 'emu_test'), dir };
}

module.exports = { build };

if (require.main === module) {
  const args = process.argv.slice(2);
  const r = build({ sanitize: args.includes('--sanitize'), root: option(args, '--root'), out: option(args, '--out') });
  console.log(r.addon);
}
