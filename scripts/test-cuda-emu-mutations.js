#!/usr/bin/env node
// The check that test:cuda-emu can fail (CI): on a scratch copy of the sources, each mutation below is
// applied to cuda/kernels, the emulated addon rebuilt, and the GPU test file that must catch it run on
// the emulator; the check fails unless every mutant fails its tests. The checkout is never modified.
//
//   node scripts/test-cuda-emu-mutations.js [--keep]   (--keep: leave the scratch copy for inspection)
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');

const MUTATIONS = [
  {
    name: 'no barriers: every __syncthreads() removed from cuda/kernels',
    files: ['moments.cu'],
    apply: (src) => src.replace(/^\s*__syncthreads\(\);\s*$/gm, ''),
    test: ['moments.test.mjs'],
  },
  {
    name: 'broken grid stride: convert_kernel steps by twice the grid',
    files: ['convert.cu'],
    apply: (src) => src.replace('i += stride', 'i += 2 * stride'),
    test: ['memory.test.mjs', '--test-name-pattern=conversions|round trips'],
  },
];

function main() {
  const keep = process.argv.includes('--keep');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'selu-cuda-emu-mutant-'));
  const started = Date.now();
  const problems = [];
  try {
    // The sources the emulated addon is built from, and the GPU suite; dist/ and the CPU addon are
    // this checkout's (symlinks: Node resolves them to here).
    for (const dir of ['cuda', 'cpp', 'cmake', path.join('test', 'gpu')]) {
      fs.cpSync(path.join(root, dir), path.join(scratch, dir), { recursive: true });
    }
    fs.symlinkSync(path.join(root, 'dist'), path.join(scratch, 'dist'));
    fs.symlinkSync(path.join(root, 'build'), path.join(scratch, 'build'));
    for (const m of MUTATIONS) {
      const originals = new Map();
      for (const f of m.files) {
        const file = path.join(scratch, 'cuda', 'kernels', f);
        const src = fs.readFileSync(file, 'utf8');
        const mutated = m.apply(src);
        if (mutated === src) throw new Error(`mutation "${m.name}" changes nothing in ${f}: update this script`);
        originals.set(file, src);
        fs.writeFileSync(file, mutated);
      }
      console.log(`== mutant: ${m.name}`);
      const r = spawnSync(process.execPath, [path.join(__dirname, 'test-cuda-emu.js'), '--root', scratch, '--schedules', 'forward', ...m.test],
        { encoding: 'utf8', env: process.env, maxBuffer: 1 << 28 });
      const output = `${r.stdout}${r.stderr}`;
      const failed = output.split('\n').filter((l) => /^not ok|^# fail|failed \(schedule/.test(l));
      console.log(failed.slice(0, 8).map((l) => `   ${l}`).join('\n'));
      if (!/emu_test: all passed/.test(output)) {  // the build (or the emulator itself) failed first
        problems.push(`mutant "${m.name}" did not build: the check proves nothing\n${output.slice(-3000)}`);
      } else if (r.status === 0) {
        problems.push(`mutant "${m.name}" PASSED test:cuda-emu (${m.test.join(' ')}): the suite cannot see it`);
      } else {
        console.log(`   caught (exit ${r.status})`);
      }
      for (const [file, src] of originals) fs.writeFileSync(file, src);
    }
  } finally {
    if (!keep) fs.rmSync(scratch, { recursive: true, force: true });
    else console.log(`scratch copy kept in ${scratch}`);
  }
  const minutes = ((Date.now() - started) / 60000).toFixed(1);
  if (problems.length > 0) {
    console.error(`\ncuda-emu mutation check FAILED after ${minutes} min:\n - ${problems.join('\n - ')}`);
    process.exit(1);
  }
  console.log(`\ncuda-emu mutation check: every mutant was caught (${minutes} min)`);
}

main();
