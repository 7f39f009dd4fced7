// selu-bench's options: argv → { plan, output } (or help/list/from), with every mistake a UsageError
// naming the option and the fix. The plan is plain data for bench/runner.js.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { TIMING } = require('./harness');

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
const DTYPE_NAMES = ['float32', 'float64', 'float16', 'bfloat16'];

const HELP = `selu-bench: how fast selu-kernels runs on this machine, against native memory passes, a plain JS
loop and (when installed) onnxruntime-node, TensorFlow.js and PyTorch (a python3 that imports torch).

Usage: selu-bench [options]

With no options: the default ops, float32, N = 1e3, 1e5, 1e7, this CPU's best SIMD level, the default
thread count, sync calls, every backend available, 3 interleaved rounds; a table on stdout.

Options (LIST = comma-separated values):
  --ops LIST        ops or op families, or 'default', 'all' (see --list)        [default]
  --sizes LIST      element counts: 1000, 1e6, 10k, 2.5M                            [1e3,1e5,1e7]
  --dtype LIST      float32, float64, float16, bfloat16 (16-bit: a Uint16Array of
                    the bits with options.dtype; native only)                      [float32]
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
element as docs/MEMORY-TRAFFIC.md counts them), the percentage of a same-size memory pass measured in the same
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
  const dtypes = v.dtype !== undefined ? uniq(oneOf('--dtype', list(v.dtype), DTYPE_NAMES)) : [...DEFAULTS.dtypes];
  if (!dtypes.length) throw new UsageError(`--dtype: give one or more of ${DTYPE_NAMES.join(', ')}`);

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

module.exports = { parseOptions, UsageError, HELP, DEFAULTS, QUICK };
