// selu-bench: the command-line microbenchmark (bin/selu-bench.js). Options → a plan → bench/runner.js
// → a table on stdout, and optionally JSON and a chart. Exit status: 0 done, 1 the run failed,
// 2 bad options (with a message saying which and why).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { markdownTable, si, formatTime, formatN, TIMING } = require('./harness');

const DEFAULTS = Object.freeze({
  sizes: [1e3, 1e5, 1e7],
  dtypes: ['float32'],
  modes: ['sync'],
  rounds: 3,
  time: 0.06,
  minTime: 0.008,
});
const QUICK = Object.freeze({ sizes: [1e3, 1e5], rounds: 1, timing: { maxTime: 0.04, minTime: 0.004, minSamples: 3 } });
const BACKENDS = ['native', 'js', 'cuda'];

const HELP = `selu-bench: how fast selu-kernels runs on this machine, against native memory passes, a plain JS
loop and (when installed) onnxruntime-node, TensorFlow.js and PyTorch (a python3 that imports torch).

Usage: selu-bench [options]

With no options: the default ops, float32, N = 1e3, 1e5, 1e7, this CPU's best SIMD level, the default
thread count, sync calls, every backend available, 3 interleaved rounds; a table on stdout.

Options (LIST = comma-separated values):
  --ops LIST        ops or op families, or 'default', 'all' (see --list)        [default]
  --sizes LIST      element counts: 1000, 1e6, 10k, 2.5M                            [1e3,1e5,1e7]
  --dtype LIST      float32, float64                                                [float32]
  --simd LIST       scalar, avx2, avx512, or 'all' (each level this CPU has)        [best]
  --threads LIST    native thread counts (also onnxruntime's); 'default' is the
                    library's default (the CPU count); 'all': 1, 2, 4, … CPUs      [default]
  --backend LIST    native, js, cuda, onnxruntime, tfjs-cpu, tfjs-wasm, pytorch;
                    'peers' (the last four), 'all'                                  [all]
  --mode LIST       sync, async, or 'both' (the Promise API)                        [sync]
  --variants V      'default', or 'all' to add variants such as selu with a new output array
  --rounds N        interleaved rounds; each row is the median over rounds          [3]
  --time SECONDS    benchmark.js time per case and round                            [${DEFAULTS.time}]
  --quick           a few seconds: N = 1e3, 1e5, one short round (for tests and a first look)
  --json FILE       write the results as JSON; '-' writes JSON alone to stdout
  --chart FILE      write a chart of elements/s against N, with the rooflines: .svg or .html
  --no-accuracy     skip the peers' accuracy check (max ulp error near 0 and overall)
  --no-progress     no progress line on stderr (it is shown only when stderr is a terminal)
  --from FILE       print (and --chart) a saved --json result again instead of running
  --list            list the ops, backends and peers, then exit
  -h, --help        this text

Every row: median time per call, benchmark.js's relative margin of error, elements/s, GB/s (bytes per
element as REFERENCE.md §7 counts them), the percentage of a same-size memory pass measured in the same
run (a copy, or a read-only pass for moments), and the speed-up over the plain JS loop.
Peers are optional: npm install onnxruntime-node @tensorflow/tfjs @tensorflow/tfjs-backend-wasm.
`;

class UsageError extends Error {}

const list = (v) => String(v).split(',').map((s) => s.trim()).filter(Boolean);

/** "1e6", "1000000", "10k", "2.5M", "1_000" → an integer ≥ 1. */
function parseSize(s) {
  const m = /^(\d+(?:\.\d+)?(?:e\d+)?)([kKmMgG]?)$/.exec(s.replace(/_/g, ''));
  const mult = { '': 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6, g: 1e9, G: 1e9 };
  const v = m ? Number(m[1]) * mult[m[2]] : NaN;
  if (!Number.isInteger(v) || v < 1 || v > 2 ** 30) {
    throw new UsageError(`--sizes: '${s}' is not a whole number of elements between 1 and 2^30 (e.g. 1000, 1e6, 10k, 2.5M)`);
  }
  return v;
}

function positiveNumber(name, s, { integer = false, max = Infinity } = {}) {
  const v = Number(s);
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v)) || v > max) {
    throw new UsageError(`${name}: '${s}' is not a ${integer ? 'positive whole number' : 'positive number'}${max < Infinity ? ` up to ${max}` : ''}`);
  }
  return v;
}

function oneOf(name, values, allowed, aliases = []) {
  const bad = values.filter((v) => !allowed.includes(v));
  if (bad.length) {
    throw new UsageError(`${name}: unknown value${bad.length > 1 ? 's' : ''} ${bad.map((b) => `'${b}'`).join(', ')}; use ${[...allowed, ...aliases].join(', ')}`);
  }
  return values;
}

const uniq = (xs) => [...new Set(xs)];

/** argv → { plan, output } or throws UsageError. Needs the library for op names and the CPU's levels. */
function parseOptions(argv, lib) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        ops: { type: 'string' }, sizes: { type: 'string' }, dtype: { type: 'string' }, simd: { type: 'string' },
        threads: { type: 'string' }, backend: { type: 'string' }, mode: { type: 'string' }, variants: { type: 'string' },
        rounds: { type: 'string' }, time: { type: 'string' }, quick: { type: 'boolean' }, json: { type: 'string' },
        chart: { type: 'string' }, 'no-accuracy': { type: 'boolean' }, 'no-progress': { type: 'boolean' },
        list: { type: 'boolean' }, from: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error.message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const v = parsed.values;
  if (v.help) return { help: true };
  if (v.list) return { list: true };
  const output = outputOptions(v);
  if (v.from !== undefined) {
    const other = Object.keys(v).filter((k) => !['from', 'json', 'chart'].includes(k));
    if (other.length) throw new UsageError(`--from re-renders a saved run; it takes only --json and --chart, not --${other[0]}`);
    let saved;
    try {
      saved = JSON.parse(fs.readFileSync(v.from, 'utf8'));
    } catch (error) {
      throw new UsageError(`--from: cannot read ${v.from}: ${error.message}`);
    }
    if (saved.tool !== 'selu-bench' || !Array.isArray(saved.rows)) throw new UsageError(`--from: ${v.from} is not a selu-bench --json file`);
    return { from: saved, output };
  }

  const ops = require('./ops');
  const { simdLevels } = require('./runner');
  const { backendNames } = require('./peers');
  const registry = ops.load(lib);
  const opNames = list(v.ops ?? 'default');
  if (!opNames.length) throw new UsageError('--ops: give at least one op (see --list)');
  try {
    ops.select(registry, opNames);
  } catch (error) {
    throw new UsageError(`--ops: ${error.message}`);
  }

  const quick = Boolean(v.quick);
  const sizes = v.sizes !== undefined ? uniq(list(v.sizes).map(parseSize)).sort((a, b) => a - b) : [...(quick ? QUICK.sizes : DEFAULTS.sizes)];
  if (!sizes.length) throw new UsageError('--sizes: give at least one size');
  const dtypes = v.dtype !== undefined ? uniq(oneOf('--dtype', list(v.dtype), ['float32', 'float64'])) : [...DEFAULTS.dtypes];
  if (!dtypes.length) throw new UsageError('--dtype: give float32, float64 or both');

  const allLevels = ['scalar', 'avx2', 'avx512'];
  let simd = v.simd !== undefined ? list(v.simd) : [lib.runtime.simd];
  simd = simd.flatMap((l) => (l === 'all' ? simdLevels(lib.runtime.detectedSimd) : [l]));
  simd = uniq(oneOf('--simd', simd, allLevels, ['all']));
  if (!simd.length) throw new UsageError('--simd: give at least one level');

  let threads;
  if (v.threads === undefined) threads = [lib.runtime.threads];
  else if (v.threads === 'all') {
    const n = os.cpus().length;
    threads = uniq([1, 2, 4, 8, 16, 32, 64, 128, 256].filter((t) => t < n).concat(n));
  } else threads = uniq(list(v.threads).map((t) => (t === 'default' ? lib.runtime.threads : positiveNumber('--threads', t, { integer: true, max: 256 }))));
  if (!threads.length) throw new UsageError('--threads: give at least one thread count');

  const peerBackends = backendNames();
  const knownBackends = [...BACKENDS, ...peerBackends];
  let backends = list(v.backend ?? 'all');
  backends = backends.flatMap((b) => (b === 'all' ? knownBackends : b === 'peers' ? peerBackends : [b]));
  backends = uniq(oneOf('--backend', backends, knownBackends, ['peers', 'all']));
  if (!backends.length) throw new UsageError('--backend: give at least one backend');

  let modes = list(v.mode ?? 'sync');
  modes = uniq(modes.flatMap((m) => (m === 'both' ? ['sync', 'async'] : [m])));
  oneOf('--mode', modes, ['sync', 'async'], ['both']);
  if (!modes.length) throw new UsageError('--mode: give sync, async or both');

  const variants = v.variants ?? 'default';
  oneOf('--variants', [variants], ['default', 'all']);

  const rounds = v.rounds !== undefined ? positiveNumber('--rounds', v.rounds, { integer: true, max: 1000 }) : quick ? QUICK.rounds : DEFAULTS.rounds;
  let timing = quick ? { ...QUICK.timing } : { ...TIMING, maxTime: DEFAULTS.time, minTime: DEFAULTS.minTime };
  if (v.time !== undefined) {
    const t = positiveNumber('--time', v.time, { max: 60 });
    timing = { ...timing, maxTime: t, minTime: Math.min(timing.minTime, t / 5) };
  }

  return {
    plan: {
      ops: opNames, sizes, dtypes, simd, threads, backends, modes, variants, rounds, timing, quick, accuracy: !v['no-accuracy'],
    },
    output,
  };
}

/** Fails before a long run, not after it, when an output file cannot be written. */
function writable(option, file) {
  const dir = path.dirname(path.resolve(file));
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new UsageError(`${option}: cannot write ${file} (${dir} does not exist or is not writable)`);
  }
}

function outputOptions(v) {
  if (v.json !== undefined && v.json === '') throw new UsageError('--json: give a file name, or - for stdout');
  if (v.json !== undefined && v.json !== '-') writable('--json', v.json);
  let chart = null;
  if (v.chart !== undefined) {
    const ext = path.extname(v.chart).toLowerCase();
    if (!['.svg', '.html', '.htm'].includes(ext)) throw new UsageError(`--chart: '${v.chart}' must end in .svg or .html`);
    writable('--chart', v.chart);
    chart = { file: v.chart, format: ext === '.svg' ? 'svg' : 'html' };
  }
  return { json: v.json ?? null, chart, progress: !v['no-progress'] };
}

const pct = (x) => (x === null || x === undefined ? '' : `${x.toFixed(0)}%`);
const times = (x) => (x === null || x === undefined ? '' : `${x >= 10 ? x.toFixed(0) : x.toFixed(1)}×`);

function speedTable(rows) {
  const header = ['op', 'backend', 'variant', 'dtype', 'N', 'median/call', '±rme', 'elements/s', 'GB/s', '% of roofline', 'vs JS loop'];
  const align = ['l', 'l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'];
  const lines = rows.map((r) => [
    r.backend === 'roofline' ? `(${r.op})` : r.op, r.backend, r.variant, r.dtype, formatN(r.n), formatTime(r.medianSeconds),
    `${r.rmePercent.toFixed(1)}%`, si(r.elementsPerSecond), r.gbPerSecond.toFixed(r.gbPerSecond < 10 ? 2 : 1),
    r.backend === 'roofline' ? 'roofline' : pct(r.percentOfRoofline), r.backend === 'js' ? '1×' : times(r.speedupVsJs),
  ]);
  return markdownTable(header, lines, align);
}

const ulp = (x) => (!Number.isFinite(x) ? String(x) : x >= 1e4 ? x.toExponential(1).replace('e+', 'e') : x.toFixed(x < 10 ? 2 : 0));
const rel = (x) => (x >= 0.01 ? `${(100 * x).toFixed(1)}%` : x.toExponential(1).replace('e-', 'e−'));

/** The SELU float32 row an accuracy entry's implementation produced at size n (fastest thread count for native). */
function speedRowOf(a, rows, n) {
  const cands = rows.filter((r) => r.op === 'selu' && r.dtype === 'float32' && r.n === n && r.backend === a.backend
    && (a.backend === 'native' ? r.simd === a.variant && r.mode === 'sync' && !/new output/.test(r.variant) : !a.variant || r.variant === a.variant));
  return cands.sort((p, q) => q.elementsPerSecond - p.elementsPerSecond)[0];
}

/** Accuracy next to speed: one line per implementation (native per SIMD level, the JS loop, each peer). */
function accuracyTable(acc, rows = []) {
  const n = Math.max(0, ...rows.filter((r) => r.op === 'selu' && r.dtype === 'float32').map((r) => r.n));
  const header = ['SELU, float32', ...(n ? [`elements/s, N=${formatN(n)}`, 'vs JS loop'] : []),
    'max ulp, 0 < abs(x) < 1e-6', 'max rel. error there', 'max ulp, x in [-20, 20]', 'max rel. error there'];
  const lines = acc.map((a) => {
    const r = n ? speedRowOf(a, rows, n) : undefined;
    const speed = n ? [r ? si(r.elementsPerSecond) : '', r ? (r.backend === 'js' ? '1×' : times(r.speedupVsJs)) : ''] : [];
    return [a.implementation, ...speed, ulp(a.nearZero.maxUlp), rel(a.nearZero.maxRelError), ulp(a.overall.maxUlp), rel(a.overall.maxRelError)];
  });
  return markdownTable(header, lines, ['l', ...header.slice(1).map(() => 'r')]);
}

function commandLine(argv) {
  const q = (a) => (/^[\w./,=:@+-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);
  return ['selu-bench', ...argv].map(q).join(' ');
}

/** The text report: a heading, the speed table, accuracy, what was skipped. */
function report(result) {
  const m = result.machine;
  const p = result.plan;
  const out = [];
  out.push(`selu-bench · ${m.cpu}, ${m.cores} cores, ${m.platform.split(' ').slice(0, 2).join(' ')}, Node ${m.node}, ${m.package}, CPU best SIMD ${m.detectedSimd}`);
  out.push(`${result.command} · ${p.rounds} round${p.rounds > 1 ? 's' : ''}, ${p.timing.maxTime} s per case per round · ${m.date.slice(0, 16).replace('T', ' ')} UTC · took ${result.elapsedSeconds.toFixed(1)} s`);
  out.push('');
  out.push(speedTable(result.rows));
  out.push('');
  out.push('% of roofline: bytes/s (REFERENCE.md §7 counts) over the fastest same-size native memory pass timed in the');
  out.push('same run on at most as many threads (plain or non-temporal stores; a read-only pass for reductions);');
  out.push('vs JS loop: elements/s over the plain loop\'s.');
  if (result.accuracy.length) {
    out.push('');
    out.push(accuracyTable(result.accuracy, result.rows));
    out.push('');
    out.push('ulp error |y − r| / ulp(r) against a float64 reference r (REFERENCE.md §6); < 1 is faithful.');
  }
  if (result.skipped.length) {
    out.push('');
    out.push('Skipped:');
    for (const s of result.skipped) out.push(`- ${s.backend}${s.what ? ` (${s.what})` : ''}: ${s.reason}`);
  }
  return out.join('\n');
}

function listing(lib) {
  const ops = require('./ops').load(lib);
  const { peers } = require('./peers');
  const cuda = require('./backends/cuda').probe(lib);
  const out = ['Ops (--ops takes names or families):'];
  out.push(markdownTable(['op', 'family', 'bytes/elem (f32)', 'roofline', 'JS baseline', 'peers', 'default', 'what'],
    ops.map((o) => [o.name, o.family, typeof o.bytes === 'number' ? o.bytes : o.bytes('float32'), o.roofline, o.js ? 'yes' : '', o.peer ? 'yes' : '', o.inDefault ? 'yes' : '', o.description || '']),
    ['l', 'l', 'r', 'l', 'l', 'l', 'l', 'l']));
  out.push('');
  out.push(`Backends: native (SIMD levels on this CPU: ${require('./runner').simdLevels(lib.runtime.detectedSimd).join(', ')}; in use: ${lib.runtime.simd}), js, `
    + `cuda (${cuda.available ? `available: ${cuda.device}` : `unavailable: ${cuda.reason}`})`);
  out.push(`Peers: ${peers.map((p) => `${p.backends.join('/')} (${p.name})`).join(', ')}`);
  return out.join('\n');
}

/** A progress line on stderr, redrawn in place; only when stderr is a terminal. */
function progressBar(enabled) {
  if (!enabled || !process.stderr.isTTY) return { update() {}, done() {} };
  const started = Date.now();
  let last = 0;
  return {
    update({ done, total, round, rounds, label }) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const width = 24;
      const filled = Math.round((width * done) / total);
      const elapsed = (now - started) / 1000;
      const eta = done ? (elapsed * (total - done)) / done : 0;
      const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} round ${round}/${rounds} · ${elapsed.toFixed(0)} s, ~${eta.toFixed(0)} s left · ${label}`;
      const cols = process.stderr.columns || 100;
      process.stderr.write(`\r\x1b[K${line.slice(0, cols - 1)}`);
    },
    done() {
      process.stderr.write('\r\x1b[K');
    },
  };
}

async function main(argv, { stdout = process.stdout, stderr = process.stderr } = {}) {
  let lib;
  try {
    lib = require('..');
  } catch (error) {
    stderr.write(`selu-bench: cannot load selu-kernels: ${error.message}\n(build it with npm install, or npm run build in a checkout)\n`);
    return 1;
  }
  let options;
  try {
    options = parseOptions(argv, lib);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr.write(`selu-bench: ${error.message}\nRun selu-bench --help for the options.\n`);
    return 2;
  }
  if (options.help) {
    stdout.write(HELP);
    return 0;
  }
  if (options.list) {
    stdout.write(`${listing(lib)}\n`);
    return 0;
  }

  let result;
  if (options.from) {
    result = options.from;
  } else {
    const { run } = require('./runner');
    const progress = progressBar(options.output.progress);
    try {
      result = await run(options.plan, { onProgress: (p) => progress.update(p) });
    } catch (error) {
      progress.done();
      stderr.write(`selu-bench: ${error.message}\n`);
      return 1;
    }
    progress.done();
    result = { tool: result.tool, command: commandLine(argv), ...result };
  }

  const { json, chart } = options.output;
  if (chart) {
    const { svg, html } = require('./chart');
    fs.writeFileSync(chart.file, chart.format === 'svg' ? svg(result) : html(result, report(result)));
  }
  if (json === '-') {
    stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    if (json) fs.writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
    stdout.write(`${report(result)}\n`);
    if (json) stderr.write(`selu-bench: results written to ${json}\n`);
    if (chart) stderr.write(`selu-bench: chart written to ${chart.file}\n`);
  }
  return 0;
}

module.exports = { main, parseOptions, report, speedTable, accuracyTable, commandLine, UsageError, HELP, DEFAULTS, QUICK };
