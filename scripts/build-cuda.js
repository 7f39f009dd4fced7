#!/usr/bin/env node
// Builds the CUDA addon, build-cuda/Release/selu_kernels_cuda.node, from CMakeLists.txt (SELU_CUDA=ON).
//
//   node scripts/build-cuda.js                 `npm run build:cuda`: fails when nvcc is missing or the build fails
//   node scripts/build-cuda.js --if-available  `npm run build:addon` (the repository's prepare) and
//                                              `npx selu-kernels-build`: builds when nvcc is found, never fails
//   node scripts/build-cuda.js --check         `npm run test:cuda-build` (CI): compiles when nvcc is found and
//                                              fails if that compilation fails; passes (skipping) without nvcc
//
// Every run records its outcome in build-cuda/cuda-build.json ({ status: 'built' | 'skipped' | 'failed',
// reason, ... }) and the compiler output in build-cuda/cuda-build.log: lib/cuda/binding.ts reads them to
// say in `cuda.reason` why there is no CUDA addon.
//
// Environment: SELU_NVCC (path to nvcc, the only one tried; SELU_NVCC=none: as if nvcc were missing), CUDACXX
// (otherwise nvcc on PATH, then /usr/local/cuda/bin/nvcc),
// SELU_CUDA_ARCHS (CMAKE_CUDA_ARCHITECTURES, default "75-real;80-real;86-real;89-real;90"),
// SELU_KERNELS_SKIP_CUDA=1 (skip in --if-available mode), SELU_CUDA_JOBS (parallel compile jobs),
// SELU_CUDA_NO_CMAKE_JS=1 (use plain CMake even where cmake-js is installed, as a consumer's install does).
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const out = path.join(root, 'build-cuda');
const mode = process.argv.includes('--if-available') ? 'install' : process.argv.includes('--check') ? 'check' : 'build';

function record(status, reason, extra = {}) {
  fs.mkdirSync(out, { recursive: true });
  const info = { status, reason, mode, date: new Date().toISOString(), ...extra };
  fs.writeFileSync(path.join(out, 'cuda-build.json'), `${JSON.stringify(info, null, 2)}\n`);
  return info;
}

function findNvcc() {
  // An explicit SELU_NVCC is the only candidate (SELU_NVCC=none: behave as if there were no nvcc).
  if (process.env.SELU_NVCC) return fs.existsSync(process.env.SELU_NVCC) ? process.env.SELU_NVCC : null;
  if (process.env.CUDACXX && fs.existsSync(process.env.CUDACXX)) return process.env.CUDACXX;
  const which = spawnSync('sh', ['-c', 'command -v nvcc'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  for (const candidate of ['/usr/local/cuda/bin/nvcc', '/opt/cuda/bin/nvcc']) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

function finish(code, message) {
  if (message) console.log(`selu-kernels (CUDA): ${message}`);
  process.exit(code);
}

if (mode === 'install' && process.env.SELU_KERNELS_SKIP_CUDA === '1') {
  record('skipped', 'SELU_KERNELS_SKIP_CUDA=1 was set when the addons were built');
  finish(0, 'skipped (SELU_KERNELS_SKIP_CUDA=1)');
}

const nvcc = findNvcc();
if (nvcc === null) {
  const reason = 'nvcc (the CUDA toolkit) was not found when the package was built';
  record('skipped', reason);
  if (mode === 'build') finish(1, `${reason}: install the CUDA toolkit, or set CUDACXX to nvcc's path`);
  finish(0, `${reason}; the CPU addon works without it (the CUDA addon is optional)`);
}

// cmake-js when it is installed (a development checkout); otherwise plain CMake with the Node-API
// headers of this Node installation (a consumer's install has no devDependencies).
let cmakeJs = null;
try {
  if (process.env.SELU_CUDA_NO_CMAKE_JS !== '1') cmakeJs = require.resolve('cmake-js/bin/cmake-js', { paths: [root] });
} catch {
  cmakeJs = null;
}
const jobs = process.env.SELU_CUDA_JOBS || String(os.availableParallelism ? os.availableParallelism() : os.cpus().length);
const defines = ['SELU_CUDA=ON', `CMAKE_CUDA_COMPILER=${nvcc}`];
// Always explicit, so that a cached value from an earlier SELU_CUDA_ARCHS build does not stick.
defines.push(`CMAKE_CUDA_ARCHITECTURES=${process.env.SELU_CUDA_ARCHS || '75-real;80-real;86-real;89-real;90'}`);

const started = Date.now();
fs.mkdirSync(out, { recursive: true });
const logFile = path.join(out, 'cuda-build.log');
const log = fs.openSync(logFile, 'w');
function run(cmd, args) {
  fs.writeSync(log, `$ ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 256 << 20 });
  fs.writeSync(log, `${r.stdout || ''}${r.stderr || ''}`);
  if (r.error) fs.writeSync(log, `${r.error.message}\n`);
  return r.status === 0;
}

// cmake-js `build` configures only a fresh directory: reconfigure when the requested settings changed.
const configFile = path.join(out, 'cuda-config.json');
const wanted = JSON.stringify({ defines, cmakeJs: Boolean(cmakeJs) });
let previous = null;
try {
  previous = fs.readFileSync(configFile, 'utf8');
} catch {
  previous = null;
}
const reconfigure = previous !== wanted;
let ok;
if (cmakeJs) {
  const cd = defines.map((d) => `--CD${d}`);
  ok = (!reconfigure || run(process.execPath, [cmakeJs, 'configure', '--out', out, ...cd]))
    && run(process.execPath, [cmakeJs, 'build', '--out', out, '--target', 'selu_kernels_cuda', '--parallel', jobs, ...cd]);
} else {
  let nodeInclude = path.join(path.dirname(process.execPath), '..', 'include', 'node');
  try {
    nodeInclude = require('node-api-headers').include_dir;
  } catch {
    // keep this Node's own headers
  }
  const buildDir = path.join(out, 'cmake');
  ok = run('cmake', ['-S', root, '-B', buildDir, '-DCMAKE_BUILD_TYPE=Release', '-DCMAKE_JS_VERSION=none',
    `-DCMAKE_JS_INC=${nodeInclude}`, `-DCMAKE_LIBRARY_OUTPUT_DIRECTORY=${path.join(out, 'Release')}`,
    ...defines.map((d) => `-D${d}`)])
    && run('cmake', ['--build', buildDir, '--target', 'selu_kernels_cuda', '--parallel', jobs]);
}
fs.closeSync(log);
if (ok) fs.writeFileSync(configFile, wanted);
else fs.rmSync(configFile, { force: true });
const seconds = Math.round((Date.now() - started) / 100) / 10;
const addon = path.join(out, 'Release', 'selu_kernels_cuda.node');

if (ok && fs.existsSync(addon)) {
  record('built', null, { nvcc, seconds, addon: path.relative(root, addon) });
  finish(0, `built ${path.relative(root, addon)} in ${seconds} s (log: ${path.relative(root, logFile)})`);
}
const tail = fs.readFileSync(logFile, 'utf8').split('\n').filter((l) => /error|Error|FAILED/.test(l)).slice(0, 20).join('\n');
record('failed', `the CUDA build failed (see ${path.relative(root, logFile)})`, { nvcc, seconds });
if (mode === 'install') {
  finish(0, `the CUDA addon could not be built (see ${logFile}); the CPU addon is unaffected.\n${tail}`);
}
console.error(fs.readFileSync(logFile, 'utf8').slice(-20000));
finish(1, `the CUDA build FAILED after ${seconds} s (log: ${logFile})`);
