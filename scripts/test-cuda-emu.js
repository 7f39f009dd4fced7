#!/usr/bin/env node
// `npm run test:cuda-emu`: the CUDA backend without a GPU. Builds the emulated addon (cuda/emu, see
// docs/GPU.md) if needed, runs the emulator's own tests (cuda/emu/emu_test.cc), then the whole GPU suite
// (test/gpu) against the emulated addon under two thread schedules (forward, and seeded random), with
// sizes capped (SELU_GPU_MAX_LOG2, default 22 here). Needs dist/ and the CPU addon (npm test builds both).
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
  for (const schedule of schedules) {
    console.log(`== the GPU suite (test/gpu) on the emulated addon, schedule ${schedule}`);
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [path.join(root, 'test', 'gpu', 'run.mjs'), ...files, ...passThrough],
      { stdio: 'inherit', env: { ...env, SELU_EMU_SCHEDULE: schedule } });
    console.log(`== schedule ${schedule}: exit ${r.signal || r.status} after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    if (r.status !== 0) failures.push(`the GPU suite failed under schedule ${schedule}`);
  }
  const minutes = ((Date.now() - started) / 60000).toFixed(1);
  if (failures.length > 0) {
    console.error(`\ntest:cuda-emu FAILED after ${minutes} min:\n - ${failures.join('\n - ')}`);
    process.exit(1);
  }
  console.log(`\ntest:cuda-emu: passed in ${minutes} min`);
}

main();
