// selu-bench's text rendering of a result (bench/runner.js): the speed table, the accuracy table and
// the whole report. Also used by scripts/write-benchmarks-md.js.
'use strict';
const { markdownTable, si, formatTime, formatN } = require('./harness');

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

/**
 * The 16-bit rows against float32: elements/s of each native float16 / bfloat16 row over the float32 row
 * of the same op, N, SIMD level, thread count and mode (none when the run has no such pairs).
 */
function halfTable(rows) {
  const key = (r) => `${r.op}:${r.n}:${r.simd}:${r.threads}:${r.mode}`;
  const f32 = new Map(rows.filter((r) => r.backend === 'native' && r.dtype === 'float32').map((r) => [key(r), r]));
  const lines = rows.filter((r) => r.backend === 'native' && (r.dtype === 'float16' || r.dtype === 'bfloat16') && f32.has(key(r)))
    .map((r) => [r.op, r.variant, r.dtype, formatN(r.n), si(r.elementsPerSecond), si(f32.get(key(r)).elementsPerSecond), times(r.elementsPerSecond / f32.get(key(r)).elementsPerSecond)]);
  if (!lines.length) return '';
  return markdownTable(['op', 'variant', 'dtype', 'N', 'elements/s', 'float32 elements/s', 'vs float32'], lines, ['l', 'l', 'l', 'r', 'r', 'r', 'r']);
}

/** Moments accuracy: relative errors of mean and variance, per implementation. */
function momentsAccuracyTable(acc) {
  const e = (x) => (x === 0 ? '0' : x.toExponential(1).replace('e-', 'e−'));
  return markdownTable(['moments, float32, 2^20 values', 'mean, centered', 'variance, centered', 'mean, offset 1e4', 'variance, offset 1e4'],
    acc.map((a) => [a.implementation, e(a.centered.meanRelError), e(a.centered.varianceRelError), e(a.offset.meanRelError), e(a.offset.varianceRelError)]),
    ['l', 'r', 'r', 'r', 'r']);
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
  out.push('% of roofline: bytes/s (docs/MEMORY-TRAFFIC.md counts) over the fastest same-size native memory pass timed in the');
  out.push('same run on at most as many threads (plain or non-temporal stores; a read-only pass for reductions);');
  out.push('vs JS loop: elements/s over the plain loop\'s.');
  const half = halfTable(result.rows);
  if (half) {
    out.push('');
    out.push(half);
    out.push('');
    out.push('vs float32: 16-bit elements/s over float32\'s, same op, N, SIMD level, threads and mode (half the bytes per element).');
  }
  if (result.accuracy.length) {
    out.push('');
    out.push(accuracyTable(result.accuracy, result.rows));
    out.push('');
    out.push('ulp error |y − r| / ulp(r) against a float64 reference r (docs/ACCURACY.md); < 1 is faithful.');
  }
  if (result.momentsAccuracy && result.momentsAccuracy.length) {
    out.push('');
    out.push(momentsAccuracyTable(result.momentsAccuracy));
    out.push('');
    out.push('relative error against a float64 two-pass reference over the same float32 values.');
  }
  if (result.skipped.length) {
    out.push('');
    out.push('Skipped:');
    for (const s of result.skipped) out.push(`- ${s.backend}${s.what ? ` (${s.what})` : ''}: ${s.reason}`);
  }
  return out.join('\n');
}

module.exports = { report, speedTable, halfTable, accuracyTable, momentsAccuracyTable, commandLine };
