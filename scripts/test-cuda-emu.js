#!/usr/bin/env node
// `npm run test:cuda-emu`: the CUDA backend without a GPU. Builds the emulated addon (cuda/emu, see
// docs/GPU.md) if needed, runs the emulator's own tests (cuda/emu/emu_test.cc), then the whole GPU suite
// (test/gpu) against the emulated addon under two thread schedules (forward, and seeded random), with
// sizes capped (SELU_GPU_MAX_LOG2, default 22 here). Needs dist/ and the CPU addon (npm test builds both).
//
// It also checks cuda.available()/cuda.reason with no driver, no device and a too old GPU, and the memory
// tests on a device without memory pools (SELU_EMU_*, cuda/emu/fake_runtime.cc).
//
//   node scripts/test-cuda-emu.js [--sanitize] [--root DIR] [--schedules forward,reverse,...] [FILE.test.mjs ...]
//
// --sanitize: the ASan + UBSan build (test:sanitize runs it so, with the sanitizer runtime preloaded).
// --root: the sources of another copy of the repository (the mutation check). Exits 1 on any failure.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { build } = require('./build-cuda-emu.js');

function option(args, name) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

// What the real glue reports on machines the emulated runtime pretends to be (runtime.cc's reasons).
const STATUS_CASES = [
  { env: { SELU_EMU_DRIVER: 'none' }, reason: /^no NVIDIA driver found/ },
  { env: { SELU_EMU_DEVICES: '0' }, reason: /^no CUDA-capable GPU found/ },
  { env: { SELU_EMU_CC: '7.0' }, reason: /^no supported GPU: found .*compute capability 7\.0.*needs compute capability 7\.5/ },
  { env: { SELU_EMU_CC: '7.5' }, reason: undefined },
];

function statusCases(root, env) {
  const failures = [];
  const probe = `const { cuda } = require(${JSON.stringify(path.join(root, 'dist', 'index.js'))});` +
    'let code; try { require(' + JSON.stringify(path.join(root, 'dist', 'index.js')) + ').DeviceArray.alloc(4); } catch (e) { code = e.code; }' +
    'console.log(JSON.stringify({ available: cuda.available(), reason: cuda.reason, code }));';
  for (const c of STATUS_CASES) {
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', env: { ...env, ...c.env } });
    let got;
    try {
      got = JSON.parse(r.stdout.trim().split('\n').pop());
    } catch {
      failures.push(`${JSON.stringify(c.env)}: no result (${r.stderr.trim().slice(-500)})`);
      continue;
    }
    const ok = c.reason ? !got.available && c.reason.test(got.reason || '') && got.code === 'ERR_CUDA_UNAVAILABLE'
      : got.available && got.reason === undefined && got.code === undefined;
    console.log(`${ok ? 'ok' : 'FAILED'}: ${JSON.stringify(c.env)} → available ${got.available}, ${got.reason || 'no reason'}${got.code ? `, ${got.code}` : ''}`);
    if (!ok) failures.push(`status with ${JSON.stringify(c.env)}: ${JSON.stringify(got)}`);
  }
  return failures;
}

function main() {
  const args = process.argv.slice(2);
  const sanitize = args.includes('--sanitize');
  const root = path.resolve(option(args, '--root') || path.join(__dirname, '..'));
  const schedules = (option(args, '--schedules') || 'forward,random:20261207').split(',');
  const files = args.filter((a) => a.endsWith('.test.mjs'));
  const passThrough = args.filter((a) => a.startsWith('--test-name-pattern'));
  const started = Date.now();
  const { addon, test } = build({ sanitize, root });
  const env = {
    ...process.env,
    SELU_KERNELS_CUDA_ADDON: addon,
    SELU_GPU_MAX_LOG2: process.env.SELU_GPU_MAX_LOG2 || '22',
  };
  const failures = [];
  console.log('== the emulator\'s own tests (cuda/emu/emu_test)');
  const unit = spawnSync(test, [], { stdio: 'inherit', env });
  if (unit.status !== 0) failures.push(`emu_test exited with ${unit.signal || unit.status}`);
  console.log('== no driver, no device, an old GPU: cuda.available() and cuda.reason from the real glue');
  failures.push(...statusCases(root, env));
  for (const schedule of schedules) {
    console.log(`== the GPU suite (test/gpu) on the emulated addon, schedule ${schedule}`);
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [path.join(root, 'test', 'gpu', 'run.mjs'), ...files, ...passThrough],
      { stdio: 'inherit', env: { ...env, SELU_EMU_SCHEDULE: schedule } });
    console.log(`== schedule ${schedule}: exit ${r.signal || r.status} after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    if (r.status !== 0) failures.push(`the GPU suite failed under schedule ${schedule}`);
  }
  if (files.length === 0) {
    // Devices without the stream-ordered allocator: the glue's cudaMalloc/cudaFree path.
    console.log('== memory.test.mjs without memory pools (SELU_EMU_POOLS=0: cudaMalloc, cudaFree)');
    const r = spawnSync(process.execPath, [path.join(root, 'test', 'gpu', 'run.mjs'), 'memory.test.mjs',
      '--test-name-pattern=round trips|dispose|out of memory|GC finalizer'], { stdio: 'inherit', env: { ...env, SELU_EMU_POOLS: '0', SELU_GPU_MAX_LOG2: '20' } });
    if (r.status !== 0) failures.push('memory.test.mjs failed without memory pools');
  }
  const minutes = ((Date.now() - started) / 60000).toFixed(1);
  if (failures.length > 0) {
    console.error(`\ntest:cuda-emu FAILED after ${minutes} min:\n - ${failures.join('\n - ')}`);
    process.exit(1);
  }
  console.log(`\ntest:cuda-emu: passed in ${minutes} min`);
}

main();
