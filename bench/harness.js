// Shared benchmark plumbing: benchmark.js timing, medians over interleaved rounds, the memory-copy
// roofline measured in the same run, and a markdown table. Benchmarks run against the compiled
// package (dist/ and build/), as a user would.
'use strict';
const os = require('node:os');
const Benchmark = require('benchmark');
const lib = require('..');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Median seconds per call of fn, timed by benchmark.js for about maxTime seconds. */
function secondsPerCall(fn, maxTime) {
  const bench = new Benchmark({ fn, maxTime, minSamples: 5, initCount: 1 });
  bench.run({ async: false });
  if (bench.error) throw bench.error;
  return { seconds: median(bench.stats.sample), rme: bench.stats.rme };
}

/** Runs fn with the pool set to `threads` (undefined = leave it), restoring it afterwards. */
function withThreads(threads, fn) {
  if (threads === undefined) return fn();
  const before = lib.runtime.threads;
  lib.setThreads(threads);
  try {
    return fn();
  } finally {
    lib.setThreads(before);
  }
}

/** Float32Array/Float64Array of n standard-normal-ish values (cheap, deterministic). */
function randomArray(Ctor, n, seed = 1) {
  const a = new Ctor(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u = s / 4294967296;
    a[i] = (u + ((s * 7) % 1000) / 1000 - 1) * 2.45; // triangular on [-2.45, 2.45], variance ≈ 1
  }
  return a;
}

/** The memory-copy roofline: a same-size TypedArray.prototype.set, bytes/s counting read + write. */
function copyCase(Ctor, n) {
  const src = randomArray(Ctor, n, 7);
  const dst = new Ctor(n);
  return {
    op: 'copy (TypedArray.set)', variant: 'roofline', dtype: Ctor === Float32Array ? 'float32' : 'float64', n,
    bytesPerElement: 2 * Ctor.BYTES_PER_ELEMENT, fn: () => dst.set(src),
  };
}

/**
 * Measures each case `rounds` times, interleaved (so drift on a shared machine hits all cases
 * alike), and reports the median over rounds of each case's median time per call.
 * A case: { op, variant, dtype, n, threads?, bytesPerElement, fn, roofline? (a copy case's key) }.
 */
function measure(cases, { rounds = 5, maxTime = 0.5, log = () => {} } = {}) {
  const times = cases.map(() => []);
  const rmes = cases.map(() => []);
  for (let r = 0; r < rounds; r++) {
    cases.forEach((c, i) => {
      const t = withThreads(c.threads, () => secondsPerCall(c.fn, maxTime));
      times[i].push(t.seconds);
      rmes[i].push(t.rme);
    });
    log(`round ${r + 1}/${rounds} done`);
  }
  return cases.map((c, i) => {
    const seconds = median(times[i]);
    const elementsPerSecond = c.n / seconds;
    return {
      op: c.op, variant: c.variant, dtype: c.dtype, n: c.n, threads: c.threads ?? lib.runtime.threads,
      secondsPerCall: seconds, rme: median(rmes[i]), elementsPerSecond,
      bytesPerSecond: elementsPerSecond * c.bytesPerElement, bytesPerElement: c.bytesPerElement,
      roofline: c.roofline,
    };
  });
}

/** Adds `ofRoofline` (fraction of the named copy case's bytes/s) and `vsJs` (speed-up over a JS case). */
function addRatios(rows, { rooflineKey = (r) => `${r.dtype}:${r.n}` } = {}) {
  const copies = new Map(rows.filter((r) => r.variant === 'roofline').map((r) => [rooflineKey(r), r]));
  const js = new Map(rows.filter((r) => r.variant === 'js loop').map((r) => [`${r.op}:${r.dtype}:${r.n}`, r]));
  for (const r of rows) {
    const copy = copies.get(rooflineKey(r));
    if (copy && r.variant !== 'roofline') r.ofRoofline = r.bytesPerSecond / copy.bytesPerSecond;
    const base = js.get(`${r.op}:${r.dtype}:${r.n}`);
    if (base && r !== base) r.vsJs = r.elementsPerSecond / base.elementsPerSecond;
  }
  return rows;
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0] ? cpus[0].model.trim() : 'unknown', cores: cpus.length, node: process.version,
    simd: lib.runtime.simd, threads: lib.runtime.threads, date: new Date().toISOString().slice(0, 10),
  };
}

const si = (v, unit) => {
  const p = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']].find(([s]) => Math.abs(v) >= s) || [1, ''];
  return `${(v / p[0]).toFixed(2)} ${p[1]}${unit}`;
};
const time = (s) => (s < 1e-6 ? `${(s * 1e9).toFixed(1)} ns` : s < 1e-3 ? `${(s * 1e6).toFixed(2)} µs` : `${(s * 1e3).toFixed(3)} ms`);

function markdownTable(rows) {
  const head = '| op | variant | dtype | N | threads | median time/call | ±rme | elements/s | GB/s | % of copy | vs JS loop |';
  const sep = '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|';
  const lines = rows.map((r) => `| ${r.op} | ${r.variant} | ${r.dtype} | ${r.n.toExponential(0).replace('e+', 'e')} | ${r.threads} | ${time(r.secondsPerCall)} | ${r.rme.toFixed(1)}% | ${si(r.elementsPerSecond, '')} | ${(r.bytesPerSecond / 1e9).toFixed(1)} | ${r.ofRoofline ? `${(100 * r.ofRoofline).toFixed(0)}%` : ''} | ${r.vsJs ? `${r.vsJs.toFixed(1)}×` : ''} |`);
  return [head, sep, ...lines].join('\n');
}

module.exports = { lib, measure, addRatios, copyCase, randomArray, machine, markdownTable, median, withThreads };
