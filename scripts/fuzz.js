#!/usr/bin/env node
/**
 * The long fuzz run: the same properties as `npx jest test/fuzz` (test/fuzz-*.test.ts), with more runs,
 * a time limit and a fresh seed, then the totals: properties, inputs tried, outcomes by error code,
 * crashes. A crash (a jest worker killed by a signal) or any property failure exits non-zero.
 *
 *   npm run fuzz                          # 50× the bounded run's inputs, at most ~5 minutes
 *   npm run fuzz -- --runs 200 --seconds 1800 --seed 42
 *
 * --runs N     multiplier on every property's run count (FUZZ_RUNS; the bounded run is 1)
 * --seconds S  total time budget; each property stops after its share of it (FUZZ_SECONDS)
 * --seed N     fast-check seed (FUZZ_SEED; default: a new one each run, printed to reproduce it)
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

function parseArgs(argv) {
  const opts = { runs: 50, seconds: 300, seed: Math.floor(Math.random() * 2 ** 31) };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    const value = Number(argv[++i]);
    if (!(key in opts) || !Number.isFinite(value) || value < 0) {
      console.error(`usage: node scripts/fuzz.js [--runs N] [--seconds S] [--seed N] (bad: ${argv[i - 1]} ${argv[i]})`);
      process.exit(2);
    }
    opts[key] = value;
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const root = path.join(__dirname, '..');
const stats = path.join(os.tmpdir(), `selu-fuzz-${process.pid}.jsonl`);
fs.rmSync(stats, { force: true });

// About 40 properties run one after another in each of 2 jest workers: give each its share of the
// budget (the runs multiplier is usually what ends a property first on a fast machine).
const WORKERS = 2;
const PROPERTIES_PER_WORKER = 20;
const perProperty = Math.max(2, Math.floor(opts.seconds / PROPERTIES_PER_WORKER));

console.log(`selu-kernels fuzz: seed ${opts.seed}, ${opts.runs}× the bounded run's inputs, ≤ ${perProperty} s per property`);
const started = Date.now();
const jest = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), 'test/fuzz', `--maxWorkers=${WORKERS}`], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FUZZ_SEED: String(opts.seed), FUZZ_RUNS: String(opts.runs), FUZZ_SECONDS: String(perProperty), FUZZ_STATS: stats },
});

const lines = fs.existsSync(stats) ? fs.readFileSync(stats, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
fs.rmSync(stats, { force: true });
const total = { properties: 0, calls: 0, ok: 0, userErrors: 0, byCode: {} };
for (const t of lines) {
  total.properties += t.properties;
  total.calls += t.calls;
  total.ok += t.ok;
  total.userErrors += t.userErrors;
  for (const [code, n] of Object.entries(t.byCode)) total.byCode[code] = (total.byCode[code] ?? 0) + n;
}
// A worker that died (SIGSEGV, abort) never writes its tally; jest reports the file as failed.
const crashed = jest.signal !== null || lines.length < 3;

console.log(`\nfuzz totals (seed ${opts.seed}, ${((Date.now() - started) / 1000).toFixed(0)} s):`);
console.log(`  properties:    ${total.properties}`);
console.log(`  inputs tried:  ${total.calls}`);
console.log(`  returned:      ${total.ok}`);
console.log(`  user errors:   ${total.userErrors} (thrown by the fuzzer's own getters and proxy traps, passed through)`);
for (const [code, n] of Object.entries(total.byCode).sort((a, b) => b[1] - a[1])) console.log(`  ${code.padEnd(26)} ${n}`);
console.log(`  crashes:       ${crashed ? 'YES (a test file did not finish: see above)' : 0}`);
console.log(`  failures:      ${jest.status === 0 ? 0 : 'yes (see above)'}`);
process.exit(jest.status === 0 && !crashed ? 0 : 1);
