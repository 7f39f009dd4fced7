#!/usr/bin/env node
// Writes BENCHMARKS.md, docs/benchmarks.json, docs/bench-chart.svg and .png from selu-bench runs made
// by this one command (about 10 minutes on 2 quiet cores):
//
//   node scripts/write-benchmarks-md.js --baseline DIR
//
//  1. "before": DIR's own selu-bench (a built checkout of the previous version; native rows only) on the
//     sizes and thread counts of the table below, saved as docs/benchmarks-baseline.json;
//  2. "after": this checkout's selu-bench: every op, float32, every decade of N from 1 to 1e7, 1 thread
//     and the default thread count, the native memory rooflines, the JS loops and the peers that are
//     installed (PyTorch through a python3 that imports torch), with accuracy;
//  3. the chart rendered to PNG with rsvg-convert (librsvg2-bin) when it is installed;
//  4. the markdown: the issue targets checked against this run, before/after, threads, PyTorch, all rows.
//
// Text between the "hand-written" markers of the existing BENCHMARKS.md is kept as it is.
// Options: --out FILE, --json FILE, --chart FILE.svg, --from saved.json and --baseline-from saved.json
// (re-render without running), and after `--` more selu-bench options for the "after" run.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

const ROOT = path.join(__dirname, '..');
const SIZES = '1,10,100,1e3,1e4,1e5,1e6,1e7';
const PRESET = ['--ops', 'all', '--dtype', 'float32', '--sizes', SIZES, '--threads', '1,default', '--rounds', '3'];
// The before/after comparison: ops every version has, the sizes where calls, caches and memory differ.
const COMPARE_OPS = ['selu', 'seluBackward', 'alphaDropout', 'seluAlphaDropout', 'moments', 'seluMoments'];
const COMPARE_SIZES = [1, 1e3, 1e5, 1e7];
const BASE_PRESET = ['--ops', COMPARE_OPS.join(','), '--dtype', 'float32', '--sizes', COMPARE_SIZES.join(','), '--threads', '1,default',
  '--backend', 'native', '--no-accuracy', '--rounds', '3'];
const MARK_START = '<!-- hand-written: start (kept by scripts/write-benchmarks-md.js) -->';
const MARK_END = '<!-- hand-written: end -->';

const { values: opt, positionals: extra } = parseArgs({
  allowPositionals: true,
  options: {
    baseline: { type: 'string' },
    out: { type: 'string', default: path.join(ROOT, 'BENCHMARKS.md') },
    json: { type: 'string', default: path.join(ROOT, 'docs', 'benchmarks.json') },
    chart: { type: 'string', default: path.join(ROOT, 'docs', 'bench-chart.svg') },
    from: { type: 'string' },
    'baseline-from': { type: 'string' },
  },
});

const { speedTable, accuracyTable, momentsAccuracyTable } = require('../bench/report');
const { rooflineFor } = require('../bench/roofline');
const { si, formatTime, formatN, markdownTable } = require('../bench/harness');

const log = (m) => process.stderr.write(`write-benchmarks-md: ${m}\n`);

function selubench(dir, args, json) {
  fs.mkdirSync(path.dirname(json), { recursive: true });
  const cmd = [path.join(dir, 'bin', 'selu-bench.js'), ...args, '--json', json, '--no-progress'];
  log(`node ${cmd.join(' ')}`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, cmd, { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    log(`selu-bench in ${dir} failed (exit ${r.status})`);
    process.exit(1);
  }
  log(`done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return JSON.parse(fs.readFileSync(json, 'utf8'));
}

const baselineJson = path.join(path.dirname(opt.json), 'benchmarks-baseline.json');
let before = null;
if (opt['baseline-from']) before = JSON.parse(fs.readFileSync(opt['baseline-from'], 'utf8'));
else if (opt.baseline && !opt.from) before = selubench(path.resolve(opt.baseline), BASE_PRESET, baselineJson);
const result = opt.from ? JSON.parse(fs.readFileSync(opt.from, 'utf8')) : selubench(ROOT, [...PRESET, ...extra], opt.json);

fs.mkdirSync(path.dirname(opt.chart), { recursive: true });
fs.writeFileSync(opt.chart, require('../bench/chart').svg(result));
const png = opt.chart.replace(/\.svg$/, '.png');
const rsvg = spawnSync('rsvg-convert', ['-w', '1200', opt.chart, '-o', png]);
const pngNote = rsvg.status === 0 ? null : 'rsvg-convert not found (apt-get install librsvg2-bin): the PNG was not updated';
if (pngNote) log(pngNote);

const rows = result.rows;
const m = result.machine;
const rel = (p) => path.relative(path.dirname(path.resolve(opt.out)), path.resolve(p)).split(path.sep).join('/');
const pct = (x) => (x === null || x === undefined ? '' : `${x.toFixed(0)}%`);
const times = (x) => (x === null || x === undefined ? '' : `${x >= 10 ? x.toFixed(0) : x.toFixed(x >= 1 ? 2 : 2)}×`);
const sizes = [...new Set(rows.map((r) => r.n))].sort((a, b) => a - b);
const nMax = sizes[sizes.length - 1];
const ops = [...new Set(rows.filter((r) => r.backend !== 'roofline').map((r) => r.op))];
const best = m.simd || ['avx512', 'avx2', 'scalar'].find((l) => rows.some((r) => r.simd === l));
const threadCounts = [...new Set(rows.filter((r) => r.backend === 'native').map((r) => r.threads))].sort((a, b) => a - b);
const maxThreads = threadCounts[threadCounts.length - 1];
const dtypeOf = (op) => (rows.some((r) => r.op === op && r.dtype === 'float32') ? 'float32' : rows.find((r) => r.op === op).dtype);
const isNative = (r) => r.backend === 'native' && r.mode === 'sync' && !/new output/.test(r.variant);
const nativeIn = (list, op, n, threads) => list.find((r) => isNative(r) && r.op === op && r.dtype === dtypeOf(op) && r.n === n && r.threads === threads);
const native = (op, n, threads = maxThreads) => nativeIn(rows, op, n, threads);
const torch = (op, n, threads) => rows.find((r) => r.backend === 'pytorch' && r.op === op && r.n === n && r.threads === threads && r.dtype === dtypeOf(op));
const roofRows = rows.filter((r) => r.backend === 'roofline');

const out = [];
out.push('# Benchmarks');
out.push('');
out.push('Regenerate everything below (this file, docs/benchmarks.json, docs/benchmarks-baseline.json, docs/bench-chart.svg and .png) with one command, about 10 minutes on 2 quiet cores:');
out.push('');
out.push('```sh');
out.push('node scripts/write-benchmarks-md.js --baseline <a built checkout of the previous version>');
out.push('```');
out.push('');
out.push(`This run: ${m.date.slice(0, 16).replace('T', ' ')} UTC, took ${(result.elapsedSeconds / 60).toFixed(1)} min. The "after" command:`);
out.push('');
out.push('```sh');
out.push(result.command.replace(/ --json \S+/, '').replace(/ --no-progress/, ''));
out.push('```');
out.push('');
out.push(`- **Machine**: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}; Node ${m.node}; ${m.package}; best SIMD level of the CPU: ${m.detectedSimd}.`);
if (process.env.SELU_BENCH_NOTE) out.push(`- **Note**: ${process.env.SELU_BENCH_NOTE}`);
out.push(`- **Peers**: ${result.peers.map((p) => (p.status === 'benchmarked' ? p.version : `${p.name} skipped (${p.reason})`)).join('; ') || 'none requested'}.`);
out.push(`- **Method**: every case is timed by benchmark.js for ${result.plan.timing.maxTime} s per round (calls slower than a third of that: three single calls); `
  + `the ${result.plan.rounds} rounds are interleaved (round r of every case, in every process, before round r + 1 of any), and each row is the median over rounds. `
  + 'PyTorch times its calls the same way in its own Python process, which takes part in the rounds.');
out.push('- **Roofline**: the same run times the same-size memory pass natively (bench/native/roofline/memory_pass.cc) on 1 thread and on each thread count a case uses, '
  + 'with plain and with non-temporal stores: a copy (read one array, write another) for element-wise ops, a read-only pass for moments, a write for the mask. '
  + 'A case on T threads is compared with the fastest of those passes on at most T threads: "% of roofline" is the op\'s bytes/s '
  + '(bytes per element: selu 8, selu backward 12, alpha-dropout 8, its backward 8, fused SELU + dropout 8 and 12 backward, moments 4, SELU + moments 8) over that pass\'s.');
out.push('');
out.push(`![elements/s against N, one panel per op](${rel(png)})`);
out.push('');
out.push(`(SVG: [${rel(opt.chart)}](${rel(opt.chart)})${pngNote ? `; ${pngNote}` : ''}.)`);
out.push('');

// The issue targets.
out.push(`## Targets (float32, ${best})`);
out.push('');
const tl = [];
const target = (what, value, goal) => tl.push([what, value === null ? 'not measured' : `${value.toFixed(0)}%`, `≥ ${goal}%`, value === null ? '' : value >= goal ? 'yes' : '**no**']);
const at = (op, n) => native(op, n);
target(`selu, N = 1e7, ${maxThreads} threads, of the roofline`, at('selu', 1e7) ? at('selu', 1e7).percentOfRoofline : null, 80);
target(`seluAlphaDropout, N = 1e7, ${maxThreads} threads, of the roofline`, at('seluAlphaDropout', 1e7) ? at('seluAlphaDropout', 1e7).percentOfRoofline : null, 70);
target(`moments, N = 1e7, ${maxThreads} threads, of the read pass`, at('moments', 1e7) ? at('moments', 1e7).percentOfRoofline : null, 80);
const s1 = native('selu', 1e5, 1);
const s2 = native('selu', 1e5, maxThreads);
target(`selu, N = 1e5: ${maxThreads} threads over 1 thread`, s1 && s2 ? (100 * s2.elementsPerSecond) / s1.elementsPerSecond : null, 160);
const copy1 = roofRows.filter((r) => r.op === 'copy' && r.dtype === 'float32' && r.n === 1e5 && r.threads === 1)
  .sort((a, b) => b.gbPerSecond - a.gbPerSecond)[0];
target('selu, N = 1e5, 1 thread: elements/s of an in-cache copy\'s', s1 && copy1 ? (100 * s1.elementsPerSecond) / copy1.elementsPerSecond : null, 60);
out.push(markdownTable(['target', 'measured', 'goal', 'met?'], tl, ['l', 'r', 'r', 'l']));
out.push('');

// Threads: never slower.
if (maxThreads > 1) {
  out.push(`## ${maxThreads} threads against 1 (float32, ${best}; elements/s ratio, ≥ 1 is faster)`);
  out.push('');
  const lines = ops.map((op) => [op, ...sizes.map((n) => {
    const a = native(op, n, 1);
    const b = native(op, n, maxThreads);
    return a && b ? times(b.elementsPerSecond / a.elementsPerSecond) : '';
  })]);
  out.push(markdownTable(['op', ...sizes.map((n) => `N = ${formatN(n)}`)], lines, ['l', ...sizes.map(() => 'r')]));
  out.push('');
}

// Before / after.
if (before) {
  out.push('## Before and after (native, float32, elements/s; one session, one machine)');
  out.push('');
  out.push(`Before: ${before.machine.package}, the --baseline checkout, best SIMD level ${before.machine.simd || before.machine.detectedSimd}, run just before "after" with \`${before.command.replace(/ --json \S+/, '').replace(/ --no-progress/, '')}\`.`);
  out.push('');
  const lines = [];
  for (const op of COMPARE_OPS) {
    for (const t of threadCounts) {
      const cells = COMPARE_SIZES.map((n) => {
        const a = nativeIn(before.rows, op, n, t);
        const b = native(op, n, t);
        if (!a || !b) return '';
        return `${si(a.elementsPerSecond)} → ${si(b.elementsPerSecond)} (${times(b.elementsPerSecond / a.elementsPerSecond)})`;
      });
      lines.push([op, String(t), ...cells]);
    }
  }
  out.push(markdownTable(['op', 'threads', ...COMPARE_SIZES.map((n) => `N = ${formatN(n)}`)], lines, ['l', 'r', ...COMPARE_SIZES.map(() => 'r')]));
  out.push('');
}

// PyTorch.
if (rows.some((r) => r.backend === 'pytorch')) {
  out.push('## Against PyTorch (float32; selu-kernels elements/s over torch\'s, same thread count, same run)');
  out.push('');
  const lines = [];
  for (const op of ['selu', 'alphaDropout', 'seluAlphaDropout', 'moments']) {
    for (const t of threadCounts) {
      const cells = sizes.map((n) => {
        const a = torch(op, n, t);
        const b = native(op, n, t);
        return a && b ? times(b.elementsPerSecond / a.elementsPerSecond) : '';
      });
      if (cells.some(Boolean)) lines.push([op, String(t), ...cells]);
    }
  }
  out.push(markdownTable(['op', 'threads', ...sizes.map((n) => `N = ${formatN(n)}`)], lines, ['l', 'r', ...sizes.map(() => 'r')]));
  out.push('');
  out.push('torch calls (bench/peers/pytorch_peer.py): selu with an output tensor (`torch._C._nn.elu(x, α, λ, 1, out=y)`, torch.selu\'s own kernel), '
    + '`F.alpha_dropout(x, 0.1, training=True)`, `F.alpha_dropout(torch.selu(x), …)` for the fused op, `torch.var_mean(x, unbiased=False)`.');
  out.push('');
}

// Accuracy next to speed.
if (result.accuracy.length) {
  out.push('## SELU accuracy next to speed (float32)');
  out.push('');
  out.push(accuracyTable(result.accuracy, rows));
  out.push('');
  out.push('max |y − r| / ulp(r) against a float64 reference over 65,536 inputs with |x| log-uniform in [2^-126, 1e-6) and 1,048,576 inputs over [−20, 20]; '
    + 'a huge ulp count with 100% relative error near 0 is `exp(x) − 1` returning 0.');
  out.push('');
}

if (result.momentsAccuracy && result.momentsAccuracy.length) {
  out.push('## Moments accuracy next to speed (float32, whole array)');
  out.push('');
  out.push(momentsAccuracyTable(result.momentsAccuracy));
  out.push('');
  out.push('Relative error of the mean and the population variance against a float64 two-pass reference over the same float32 values: 2^20 values with mean 0 and '
    + 'variance ≈ 1 ("centered"), and the same plus 1e4 ("offset"). Speeds: the moments rows of the PyTorch table above and of "All rows".');
  out.push('');
}

// Summary at the largest N.
out.push(`## Summary: float32, N = ${formatN(nMax)}, ${best}, ${maxThreads} thread${maxThreads > 1 ? 's' : ''}`);
out.push('');
const sumLines = [];
for (const op of ops) {
  const r = native(op, nMax);
  if (!r) continue;
  const roof = rooflineFor(r, roofRows);
  sumLines.push([op, formatTime(r.medianSeconds), si(r.elementsPerSecond), r.gbPerSecond.toFixed(1), roof ? `${roof.gbPerSecond.toFixed(1)} (${roof.variant})` : '', pct(r.percentOfRoofline), times(r.speedupVsJs)]);
}
out.push(markdownTable(['op', 'time/call', 'elements/s', 'GB/s', 'roofline GB/s', '% of roofline', 'vs JS'], sumLines, ['l', 'r', 'r', 'r', 'l', 'r', 'r']));
out.push('');

// Per-call cost.
if (sizes.includes(1)) {
  out.push('## Per-call cost (N = 1, float32, 1 thread)');
  out.push('');
  const lines = rows.filter((r) => r.n === 1 && r.backend !== 'roofline' && (r.backend !== 'native' || r.threads === 1) && (r.threads === 1 || r.threads === null))
    .map((r) => [r.op, r.backend, r.variant, formatTime(r.medianSeconds)]);
  out.push(markdownTable(['op', 'backend', 'variant', 'time per call'], lines, ['l', 'l', 'l', 'r']));
  out.push('');
}

const existing = fs.existsSync(opt.out) ? fs.readFileSync(opt.out, 'utf8') : '';
const i0 = existing.indexOf(MARK_START);
const i1 = existing.indexOf(MARK_END);
if (i0 >= 0 && i1 > i0) {
  out.push(existing.slice(i0, i1 + MARK_END.length));
  out.push('');
}

out.push('## All rows');
out.push('');
for (const op of ['copy', 'read', 'write', ...ops]) {
  const opRows = rows.filter((r) => r.op === op);
  if (!opRows.length) continue;
  out.push(`### ${['copy', 'read', 'write'].includes(op) ? `roofline: ${op}` : op}`);
  out.push('');
  out.push(speedTable(opRows));
  out.push('');
}
if (result.skipped.length) {
  out.push('## Skipped');
  out.push('');
  for (const s of result.skipped) out.push(`- ${s.backend}${s.what ? ` (${s.what})` : ''}: ${s.reason}`);
  out.push('');
}
const jsonPath = opt.from || opt.json;
out.push(`Raw results: [${rel(jsonPath)}](${rel(jsonPath)}) (re-render with \`npx selu-bench --from ${rel(jsonPath)}\`).`);
out.push('');

fs.writeFileSync(opt.out, out.join('\n'));
log(`wrote ${opt.out}`);
