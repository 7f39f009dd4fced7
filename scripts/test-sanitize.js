#!/usr/bin/env node
// `npm run test:sanitize`: the CPU addon built with AddressSanitizer + UndefinedBehaviorSanitizer
// (CMakeLists.txt, SELU_SANITIZE=ON) into build-sanitize/, and the whole jest suite run against it;
// then the native test programs (cpp/tests, cuda/tests), built in the same build directory (the kernels
// are compiled once for both) and run with ctest; then the emulated CUDA addon (cuda/emu,
// scripts/test-cuda-emu.js --sanitize) and the GPU suite on it. Fails (exit 1) on any test failure
// and on any sanitizer report.
//
//   npm run test:sanitize                      everything
//   npm run test:sanitize -- test/selu.test.ts jest arguments select what jest runs
//   node scripts/test-sanitize.js --no-native  no native tests (also: --no-cuda-emu; --skip-ts, when
//                                              dist/ is already built)
//
// Node itself is not instrumented, so the sanitizer runtime the addon links to (libasan) is put in
// front of every process with LD_PRELOAD; the environment (LD_PRELOAD, SELU_KERNELS_ADDON, *SAN_OPTIONS)
// is inherited by jest, by the child processes the tests spawn and by their worker_threads, so all of
// them load the sanitized addon (checked below for a child process that loads dist/).
//
// Where reports show: ASan writes each process's report to build-sanitize/reports/asan.<pid>, printed
// at the end (a child process whose stderr a test swallows is caught there too). UBSan can only write
// to stderr here: jest's own is searched; in a child process whose stderr a test swallows, the report
// is caught by the abort alone (every test that spawns a process checks how it ended).
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const addonBuild = path.join(root, 'build-sanitize');
const addon = path.join(addonBuild, 'Release', 'selu_kernels.node');
const reports = path.join(addonBuild, 'reports');
const jobs = String(Math.max(1, os.availableParallelism ? os.availableParallelism() : os.cpus().length));

const args = process.argv.slice(2);
const runNative = !args.includes('--no-native');
const runCudaEmu = !args.includes('--no-cuda-emu');
const buildTs = !args.includes('--skip-ts');
const jestArgs = args.filter((a) => a !== '--no-native' && a !== '--no-cuda-emu' && a !== '--skip-ts');

const run = (cmd, cmdArgs, options = {}) => execFileSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', ...options });
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

// What makes a sanitizer report, in any output we see.
const REPORT = /ERROR: AddressSanitizer|: runtime error: |SUMMARY: \w+Sanitizer/;

function sanitizerEnv(runtime) {
  return {
    ...process.env,
    SELU_KERNELS_ADDON: addon,
    // Tests whose assertion is a latency bound scale it under instrumentation (ASan makes every
    // allocation and the addon several times slower); the plain `npm test` run checks the real bound.
    SELU_TEST_SANITIZED: '1',
    LD_PRELOAD: [runtime, process.env.LD_PRELOAD].filter(Boolean).join(':'),
    ASAN_OPTIONS: [
      // Node's allocations go through ASan's malloc too, and Node does not free everything at exit:
      // LeakSanitizer would report those. Leaks are covered by the RSS/external-memory tests instead.
      'detect_leaks=0',
      'halt_on_error=1',
      // Abort (SIGABRT) rather than exit 1: no test can mistake a report for an expected exit status.
      'abort_on_error=1',
      // An allocation too large for memory fails as in production (Node's RangeError), not as a report.
      'allocator_may_return_null=1',
      `log_path=${path.join(reports, 'asan')}`,
    ].join(':'),
    // UBSan ignores log_path when it runs beside ASan (GCC's separate runtimes): its reports go to
    // stderr, where this script looks for them, and the abort fails the process that hit one.
    UBSAN_OPTIONS: [
      'halt_on_error=1',
      'abort_on_error=1',
      'print_stacktrace=1',
      `suppressions=${path.join(__dirname, 'sanitize', 'ubsan.supp')}`,
    ].join(':'),
  };
}

// The sanitizer runtime the addon itself links to (libasan.so.N), so that the preloaded one matches.
function asanRuntime() {
  const ldd = execFileSync('ldd', [addon], { encoding: 'utf8' });
  const match = /\blibasan\.so[.\d]*\s+=>\s+(\S+)/.exec(ldd);
  if (!match) throw new Error(`${addon} does not link libasan: was it built with SELU_SANITIZE=ON?\n${ldd}`);
  return match[1];
}

// Runs a command with its output shown as it comes and kept, to be searched for reports afterwards.
function runTee(cmd, cmdArgs, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    child.stdout.on('data', (d) => { chunks.push(d); process.stdout.write(d); });
    child.stderr.on('data', (d) => { chunks.push(d); process.stderr.write(d); });
    child.on('close', (code, signal) => resolve({ code, signal, output: Buffer.concat(chunks).toString('utf8') }));
  });
}

const started = Date.now();
// Each step's heading, with the time since the start (to see what the CI time goes to).
function step(text) {
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(`== [${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}] ${text}`);
}

async function main() {
  const failures = [];

  step('building the addon with ASan + UBSan into build-sanitize/');
  // The addon alone first; the native test programs of the same build directory after jest.
  run(bin('cmake-js'), ['build', '--out', addonBuild, '--CDSELU_SANITIZE=ON', '--target', 'selu_kernels', '--parallel', jobs]);
  const runtime = asanRuntime();
  const env = sanitizerEnv(runtime);
  // dist/, which child processes and workers load; its build loads the addon too (write-esm-entry.js).
  if (buildTs) run('npm', ['run', 'build:ts'], { env });
  fs.rmSync(reports, { recursive: true, force: true });
  fs.mkdirSync(reports, { recursive: true });

  // Child processes load the package from dist/: check that such a process really maps this addon.
  const probe = "require('./dist'); const maps = require('node:fs').readFileSync('/proc/self/maps', 'utf8');" +
    `console.log(maps.includes(${JSON.stringify(addon)}) ? 'sanitized' : 'NOT sanitized')`;
  const loaded = execFileSync(process.execPath, ['-e', probe], { cwd: root, env, encoding: 'utf8' }).trim();
  step(`a child process loads the ${loaded} addon (LD_PRELOAD=${runtime})`);
  if (loaded !== 'sanitized') failures.push('child processes do not load build-sanitize/Release/selu_kernels.node');

  step('jest, whole suite, under the sanitizers');
  // In band: a jest worker process that aborts takes its stderr with it (jest only says SIGABRT), and
  // UBSan reports only there. On a 2-core machine jest runs in band by default anyway.
  const jest = await runTee(process.execPath, [path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--runInBand', ...jestArgs], env);
  if (jest.code !== 0) failures.push(`jest exited with ${jest.signal || jest.code}`);
  if (REPORT.test(jest.output)) failures.push('a sanitizer report appeared in the output of jest (above)');

  if (runNative) {
    // All of them; the exhaustive float32 ones over a deterministic subset (SELU_TEST_SAMPLE, see
    // cpp/tests/common/sampled_sweep.h: the edge regions complete, 1 chunk of inputs in 32 elsewhere,
    // about 15% of the forward sweep), since `npm test` runs them over all 2^32 inputs unsanitized:
    // what the sanitizers add here is the memory and UB checking of the same code paths, which the
    // subset covers. (The full sweeps took 10 and 6 of the 28 minutes of this script in CI.)
    step('native tests (cpp/tests, cuda/tests) built with ASan + UBSan in build-sanitize/, run with ctest');
    run('cmake', ['--build', addonBuild, '-j', jobs]);
    // The test programs are instrumented themselves: no preload; leak checking is on for them.
    const nativeEnv = { ...env, LD_PRELOAD: process.env.LD_PRELOAD || '', ASAN_OPTIONS: env.ASAN_OPTIONS.replace('detect_leaks=0', 'detect_leaks=1'),
      SELU_TEST_SAMPLE: '32' };
    const ctest = await runTee('ctest', ['--test-dir', addonBuild, '--output-on-failure', '-j', jobs], nativeEnv);
    if (ctest.code !== 0) failures.push(`ctest exited with ${ctest.signal || ctest.code}`);
    if (REPORT.test(ctest.output)) failures.push('a sanitizer report appeared in the output of ctest (above)');
  }

  if (runCudaEmu) {
    // The real CUDA glue and kernels under the SIMT emulator and the fake runtime (fibers, stream worker
    // threads, stream-ordered frees), instrumented; the CPU addon beside it is the sanitized one too.
    // One schedule, sizes up to 2^20, the files that drive the glue and the runtime (about 1 CPU-minute);
    // moments and dropout (kernel arithmetic, several CPU-minutes more under ASan) run unsanitized in
    // test:cuda-emu.
    step('the emulated CUDA addon (cuda/emu) with ASan + UBSan into build-cuda-emu-sanitize/, GPU tests on it');
    const emuEnv = { ...env, SELU_GPU_MAX_LOG2: '20' };
    const emu = await runTee(process.execPath, [path.join(__dirname, 'test-cuda-emu.js'), '--sanitize', '--schedules', 'random:11',
      'api.test.mjs', 'memory.test.mjs', 'selu.test.mjs', 'workers.test.mjs'], emuEnv);
    if (emu.code !== 0) failures.push(`test-cuda-emu.js --sanitize exited with ${emu.signal || emu.code}`);
    if (REPORT.test(emu.output)) failures.push('a sanitizer report appeared in the output of the emulated CUDA run (above)');
  }

  const logged = fs.readdirSync(reports);
  for (const file of logged) {
    console.error(`\n== AddressSanitizer report ${file}:\n${fs.readFileSync(path.join(reports, file), 'utf8')}`);
  }
  if (logged.length > 0) failures.push(`${logged.length} AddressSanitizer report(s) in build-sanitize/reports/ (above)`);

  step('done');
  const minutes = ((Date.now() - started) / 60000).toFixed(1);
  if (failures.length > 0) {
    console.error(`\ntest:sanitize FAILED after ${minutes} min:\n - ${failures.join('\n - ')}`);
    process.exit(1);
  }
  console.log(`\ntest:sanitize: clean (no sanitizer report, every test passed) in ${minutes} min`);
}

main().catch((error) => {
  console.error(`test:sanitize: ${error.stack || error}`);
  process.exit(1);
});
