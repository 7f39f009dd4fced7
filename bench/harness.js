// Shared benchmark plumbing: benchmark.js timing (sync and promise-returning functions), medians,
// shared input arrays, number formatting, the machine description and the markdown table.
// Benchmarks run against the compiled package (dist/ and build/), as a user would.
'use strict';
const os = require('node:os');
const Benchmark = require('benchmark');

// 16-bit data is the bits of float16 / bfloat16 values in a Uint16Array (the library's options.dtype says which).
const DTYPES = Object.freeze({ float32: Float32Array, float64: Float64Array, float16: Uint16Array, bfloat16: Uint16Array, uint8: Uint8Array });
const HALF_DTYPES = Object.freeze(['float16', 'bfloat16']);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Timing settings for one benchmark.js measurement: it keeps sampling until `maxTime` seconds have
 * passed and it has `minSamples` samples; each sample runs the function in a loop for `minTime` s.
 */
const TIMING = Object.freeze({ maxTime: 0.25, minTime: 0.02, minSamples: 5 });

function statsOf(bench) {
  return { seconds: median(bench.stats.sample), rme: bench.stats.rme, samples: bench.stats.sample.length };
}

/** Median seconds per call of a synchronous fn and benchmark.js's relative margin of error (%). */
function timeSync(fn, timing = TIMING) {
  const bench = new Benchmark({ fn, initCount: 1, ...timing });
  bench.run({ async: false });
  if (bench.error) throw bench.error;
  return statsOf(bench);
}

/** The same for a function that returns a promise: each call is awaited (a benchmark.js deferred). */
function timeAsync(fn, timing = TIMING) {
  return new Promise((resolve, reject) => {
    let failure;
    const bench = new Benchmark({
      defer: true,
      initCount: 1,
      ...timing,
      fn(deferred) {
        fn().then(() => deferred.resolve(), (error) => {
          failure = failure || error;
          bench.abort();
          deferred.resolve();
        });
      },
    });
    bench.on('complete', () => {
      if (failure || bench.error) reject(failure || bench.error);
      else resolve(statsOf(bench));
    });
    bench.on('abort', () => reject(failure || new Error('benchmark aborted')));
    bench.run({ async: true });
  });
}

/** Deterministic values with mean 0 and variance ≈ 1 (triangular on [-2.45, 2.45]); cheap for 1e7 elements. */
function randomArray(Ctor, n, seed = 1) {
  const a = new Ctor(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u = s / 4294967296;
    a[i] = (u + ((s * 7) % 1000) / 1000 - 1) * 2.45;
  }
  return a;
}

/** randomArray's values in `dtype`: 16-bit ones rounded from the float32 values by the library (`lib`). */
function randomData(lib, dtype, n, seed) {
  if (!HALF_DTYPES.includes(dtype)) return randomArray(DTYPES[dtype], n, seed);
  return lib.fromFloat32(randomArray(Float32Array, n, seed), dtype);
}

/**
 * Input and output arrays shared by every case of one (dtype, N) in a process, so that eight ops at
 * N = 1e7 do not need eight sets of arrays. Ops may write any of the outputs; they must not write x or g.
 * `lib` (the package) rounds the inputs of the 16-bit dtypes.
 */
function dataPool(lib) {
  const pools = new Map();
  return function data(dtype, n) {
    const key = `${dtype}:${n}`;
    if (!pools.has(key)) {
      const Ctor = DTYPES[dtype];
      const lazy = {};
      const make = {
        x: () => randomData(lib, dtype, n, 1), // the input
        g: () => randomData(lib, dtype, n, 2), // an upstream gradient
        out: () => new Ctor(n),
        out2: () => new Ctor(n),
        mask: () => new Uint8Array(n),
        // For the read-only roofline: a byte that memchr never finds (written, so no page is the shared zero page).
        bytes: () => Buffer.alloc(n * Ctor.BYTES_PER_ELEMENT, 0x55),
      };
      const pool = { dtype, n, Ctor };
      for (const [name, fn] of Object.entries(make)) {
        Object.defineProperty(pool, name, { enumerable: true, get: () => lazy[name] || (lazy[name] = fn()) });
      }
      pools.set(key, pool);
    }
    return pools.get(key);
  };
}

function machine(lib) {
  const cpus = os.cpus();
  return {
    cpu: cpus[0] ? cpus[0].model.trim() : 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.arch()} ${os.release()}`,
    node: process.version,
    package: `selu-kernels ${lib.runtime.version}`,
    detectedSimd: lib.runtime.detectedSimd,
    defaultThreads: lib.runtime.threads,
    date: new Date().toISOString(),
  };
}

const si = (v, unit = '') => {
  if (v === undefined || v === null || !Number.isFinite(v)) return '';
  const p = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']].find(([s]) => Math.abs(v) >= s) || [1, ''];
  const x = v / p[0];
  return `${x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)} ${p[1]}${unit}`.trim();
};
const formatTime = (s) => (s < 1e-6 ? `${(s * 1e9).toFixed(1)} ns` : s < 1e-3 ? `${(s * 1e6).toFixed(2)} µs` : s < 1 ? `${(s * 1e3).toFixed(2)} ms` : `${s.toFixed(2)} s`);
/** 1 → "1", 100000 → "1e5", 250000 → "2.5e5". */
const formatN = (n) => (n < 1000 ? String(n) : n.toExponential().replace('e+', 'e'));

/** A markdown table whose columns are padded so that it also reads well in a terminal. */
function markdownTable(header, lines, align) {
  const cells = [header, ...lines].map((l) => l.map((c) => String(c ?? '')));
  const width = header.map((_, j) => Math.max(3, ...cells.map((l) => [...l[j]].length)));
  const pad = (s, j) => {
    const fill = ' '.repeat(width[j] - [...s].length);
    return align[j] === 'r' ? fill + s : s + fill;
  };
  const row = (l) => `| ${l.map(pad).join(' | ')} |`;
  const sep = `|${width.map((w, j) => (align[j] === 'r' ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [row(cells[0]), sep, ...cells.slice(1).map(row)].join('\n');
}

module.exports = {
  DTYPES, HALF_DTYPES, TIMING, median, timeSync, timeAsync, randomArray, dataPool, machine, si, formatTime, formatN, markdownTable,
};
