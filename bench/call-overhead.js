#!/usr/bin/env node
// The cost of one call at N = 1 (issue 12's "no slower", issue 16's targets), for one or more package
// roots measured in the same process, interleaved: every round times each case on each root in turn,
// so load from other processes falls on all of them alike; the medians over rounds are reported.
//
//   node bench/call-overhead.js [--rounds 41] [--calls 20000] ROOT [ROOT ...]
//   node bench/call-overhead.js --callgrind ROOT [ROOT ...]
//
// ROOT is a built package (its dist/ and build/Release/ present), e.g. `.` and a checkout of main.
// --callgrind counts instructions instead of timing (repeatable on a loaded machine): for each root and
// case, two runs under `valgrind --tool=callgrind` that differ only in the number of calls; the
// difference of their totals over the difference of the counts is the instructions per call (the
// JIT's warm-up and the process start cancel out). Needs valgrind; takes a few minutes. The children
// run with --no-concurrent-recompilation: under valgrind, which runs one thread at a time, V8's
// background compiler otherwise finished too late and most counted calls ran unoptimized code
// (selu(x, {out}) 9,637 instructions, 2,978 with the flag). Counts still move by a few percent between
// roots that run the same code (garbage collection, inlining decisions).
'use strict';
const path = require('node:path');
const os = require('node:os');

function parseArgs(argv) {
  const o = { rounds: 41, calls: 20000, roots: [], callgrind: false, only: undefined };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--rounds') o.rounds = Number(argv[++i]);
    else if (argv[i] === '--calls') o.calls = Number(argv[++i]);
    else if (argv[i] === '--callgrind') o.callgrind = true;
    else if (argv[i] === '--cases') o.cases = argv[++i].split(',');   // a subset, by case number (1 = the first)
    else if (argv[i] === '--only') o.only = argv[++i];   // internal: one case, untimed (a callgrind child)
    else o.roots.push(argv[i]);
  }
  if (o.roots.length === 0) o.roots.push('.');
  return o;
}

/**
 * The cases: the body of a function of (lib, x, out) returning the zero-argument call to time. Each root
 * gets its own compiled copy (new Function), so no call site's type feedback is shared between roots:
 * each sees one package, as a user's call site does.
 */
const CASES = {
  'selu(x, {out})': 'const o = { out }; return () => lib.selu(x, o);',
  'selu(x)': 'return () => lib.selu(x);',
  'alphaDropout(x, {rate, seed, out})': 'const o = { rate: 0.1, seed: 1, out }; return () => lib.alphaDropout(x, o);',
  'alphaDropout(x, {rate, seed})': 'const o = { rate: 0.1, seed: 1 }; return () => lib.alphaDropout(x, o);',
  'moments(x)': 'return () => lib.moments(x);',
};

/** Timed calls on each case (and its loop): also compiled per root and case. */
function timer(call) {
  // eslint-disable-next-line no-new-func
  return new Function('call', 'calls', `
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) call();
    return Number(process.hrtime.bigint() - t0) / calls;`).bind(null, call);
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Instructions per call of each case for each root, from pairs of callgrind runs. */
function callgrind(roots, cases) {
  const { spawnSync } = require('node:child_process');
  const [few, many] = [10000, 50000];
  const total = (root, name, calls) => {
    const r = spawnSync('valgrind', ['--tool=callgrind', '--smc-check=all-non-file', '--callgrind-out-file=/dev/null', process.execPath,
      '--no-concurrent-recompilation', __filename,
      '--only', name, '--calls', String(calls), root], { encoding: 'utf8' });
    const m = /Collected : (\d+)/.exec(r.stderr);
    if (!m) throw new Error(`callgrind gave no count for ${name} on ${root}: ${r.stderr.slice(-500)}`);
    return Number(m[1]);
  };
  console.log(`CPU: ${os.cpus()[0].model}; node ${process.version}; instructions per call (callgrind, ${many} − ${few} calls)`);
  const header = ['case', ...roots, ...(roots.length === 2 ? ['change'] : [])];
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const name of Object.keys(CASES).filter((_, i) => cases === undefined || cases.includes(String(i + 1)))) {
    const perCall = roots.map((root) => (total(root, name, many) - total(root, name, few)) / (many - few));
    const change = roots.length === 2 ? [`${((perCall[1] / perCall[0] - 1) * 100).toFixed(1)}%`] : [];
    console.log(`| ${[name, ...perCall.map((v) => v.toFixed(0)), ...change].join(' | ')} |`);
  }
}

function main() {
  const { rounds, calls, roots, callgrind: counting, only, cases } = parseArgs(process.argv.slice(2));
  if (counting) return callgrind(roots, cases);
  if (only !== undefined) {
    // eslint-disable-next-line no-new-func
    const call = new Function('lib', 'x', 'out', CASES[only])(require(path.resolve(roots[0])), new Float32Array([-0.5]), new Float32Array(1));
    for (let i = 0; i < calls; i++) call();
    return undefined;
  }
  const libs = roots.map((r) => require(path.resolve(r)));
  const x = new Float32Array([-0.5]);
  const out = new Float32Array(1);
  // eslint-disable-next-line no-new-func
  const timers = libs.map((lib) => Object.fromEntries(Object.entries(CASES).map(([name, body]) => [name, timer(new Function('lib', 'x', 'out', body)(lib, x, out))])));
  const times = roots.map(() => Object.fromEntries(Object.keys(CASES).map((n) => [n, []])));
  for (let r = 0; r < rounds + 3; r++) {   // the first 3 rounds warm up (tiers up) and are dropped
    for (const name of Object.keys(CASES)) {
      for (let k = 0; k < libs.length; k++) {
        const t = timers[k][name](calls);
        if (r >= 3) times[k][name].push(t);
      }
    }
  }
  console.log(`CPU: ${os.cpus()[0].model}, ${os.cpus().length} cores; node ${process.version}; ${rounds} rounds × ${calls} calls; median ns per call`);
  const header = ['case', ...roots];
  const rows = Object.keys(CASES).map((n) => [n, ...times.map((t) => median(t[n]).toFixed(0))]);
  if (roots.length === 2) {
    header.push('change');
    rows.forEach((row, i) => {
      const n = Object.keys(CASES)[i];
      row.push(`${(((median(times[1][n]) / median(times[0][n])) - 1) * 100).toFixed(1)}%`);
    });
  }
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

main();
