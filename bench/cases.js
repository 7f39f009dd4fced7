// Benchmark cases built from the op registry: native (one SIMD level per process), JS baselines,
// CUDA and peers (the memory rooflines: bench/roofline.js). A case is { desc, run, async, setup?, teardown? } where desc
// is plain data (it crosses process boundaries) and run is the timed call.
'use strict';
const { HALF_DTYPES, timeAsync, timeSync, TIMING } = require('./harness');
const { bytesPerElement } = require('./ops');

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The op's dtypes among those requested; an op with no float data (['uint8']) keeps its own. */
function dtypesFor(op, requested) {
  if (op.dtypes.every((d) => d === 'uint8')) return op.dtypes;
  return op.dtypes.filter((d) => requested.includes(d));
}

function describe(op, fields) {
  return {
    op: op.name, family: op.family, bytesPerElement: bytesPerElement(op, fields.dtype), roofline: op.roofline, ...fields,
  };
}

/** Native CPU cases for the SIMD level of `lib` (the process's level). */
function nativeCases(lib, ops, plan, data) {
  const list = [];
  const simd = lib.runtime.simd;
  for (const op of ops) {
    for (const dtype of dtypesFor(op, plan.dtypes)) {
      // 16-bit data: the op's calls with options.dtype; the variants are float32/float64 calls.
      const half = HALF_DTYPES.includes(dtype);
      const variants = half ? [{ name: '', sync: op.sync16, async: op.async16 }]
        : [{ name: '', sync: op.sync, async: op.async }, ...(plan.variants === 'all' ? op.variants : [])];
      for (const n of plan.sizes) {
        const d = data(dtype, n);
        for (const threads of plan.threads) {
          for (const mode of plan.modes) {
            for (const v of variants) {
              const fn = v[mode];
              if (!fn) continue;
              const variant = [simd, plural(threads, 'thread'), mode, v.name].filter(Boolean).join(', ');
              list.push({
                desc: describe(op, { backend: 'native', variant, simd, threads, mode, dtype, n }),
                async: mode === 'async',
                setup: () => lib.setThreads(threads),
                run: () => fn(d),
              });
            }
          }
        }
      }
    }
  }
  return list;
}

/** The plain JavaScript loops, one per op that has one. */
function jsCases(ops, plan, data) {
  const list = [];
  for (const op of ops) {
    if (!op.js) continue;
    // The loops compute on numbers: none for 16-bit bits.
    for (const dtype of dtypesFor(op, plan.dtypes).filter((t) => !HALF_DTYPES.includes(t))) {
      for (const n of plan.sizes) {
        const d = data(dtype, n);
        list.push({
          desc: describe(op, { backend: 'js', variant: 'plain loop', simd: null, threads: 1, mode: 'sync', dtype, n }),
          async: false,
          run: () => op.js(d),
        });
      }
    }
  }
  return list;
}

/** CUDA cases: the same op calls with device arrays (bench/backends/cuda.js). */
function cudaCases(ops, plan, dev, deviceData) {
  const list = [];
  for (const op of ops) {
    // An op with no float input (the mask) would run on the CPU whatever the arrays: only with a cuda hook.
    if (!op.cuda && op.dtypes.every((t) => t === 'uint8')) continue;
    // 16-bit data on the GPU is a DeviceArray's dtype, not a host kind: only float32 and float64 here.
    for (const dtype of dtypesFor(op, plan.dtypes).filter((t) => !HALF_DTYPES.includes(t))) {
      for (const n of plan.sizes) {
        const d = deviceData(dtype, n);
        const calls = op.cuda ? op.cuda(d, dev) : { sync: op.sync && (() => op.sync(d)), async: op.async && (() => op.async(d)) };
        for (const mode of plan.modes) {
          const call = calls[mode];
          if (!call) continue;
          const run = mode === 'async' ? async () => { await call(); dev.synchronize(); } : () => { call(); dev.synchronize(); };
          list.push({
            desc: describe(op, { backend: 'cuda', variant: `${dev.device}, ${mode}`, simd: null, threads: null, mode, dtype, n }),
            async: mode === 'async',
            run,
            check: run, // a first call outside the timing; a failure drops the case with its message
          });
        }
      }
    }
  }
  return list;
}

/** Peer cases for every op with a `peer` name the implementation provides. */
function peerCases(ops, plan, impl, data, skipped) {
  const list = [];
  for (const op of ops) {
    const p = op.peer && impl.ops[op.peer];
    if (!p) continue;
    for (const dtype of dtypesFor(op, plan.dtypes)) {
      if (!p.dtypes.includes(dtype)) {
        skipped.push({ backend: impl.backend, what: `${op.name} ${dtype}`, reason: (p.unsupported && p.unsupported[dtype]) || `no ${dtype} support` });
        continue;
      }
      for (const n of plan.sizes) {
        const m = p.make(data(dtype, n));
        list.push({
          desc: describe(op, { backend: impl.backend, variant: impl.variant, simd: null, threads: impl.threads, mode: p.async ? 'async' : 'sync', dtype, n }),
          async: p.async,
          setup: m.setup,
          teardown: m.teardown,
          run: m.run,
        });
      }
    }
  }
  return list;
}

// Two-sided 95% Student t critical values by degrees of freedom (benchmark.js uses the same table).
const T95 = [NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

/** Median seconds and relative margin of error (%) of individually timed calls. */
async function timeCalls(c, k) {
  const xs = [];
  for (let i = 0; i < k; i++) {
    const t0 = process.hrtime.bigint();
    if (c.async) await c.run();
    else c.run();
    xs.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  const mean = xs.reduce((s, x) => s + x, 0) / k;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (k - 1));
  const sorted = [...xs].sort((a, b) => a - b);
  const seconds = k % 2 ? sorted[k >> 1] : (sorted[k / 2 - 1] + sorted[k / 2]) / 2;
  return { seconds, rme: (100 * T95[Math.min(k - 1, 10)] * sd) / Math.sqrt(k) / mean, samples: k };
}

/**
 * Times one case with benchmark.js. A call so slow that fewer than SLOW_CALLS of them fit in maxTime
 * (a JS loop over 1e7 elements) is timed as SLOW_CALLS single calls instead, since benchmark.js runs an
 * extra untimed call per sample for a function it cannot inline; its margin of error says how sure that is.
 */
const SLOW_CALLS = 3;
async function measureCase(c, timing = TIMING) {
  const start = process.hrtime.bigint();
  if (c.setup) await c.setup();
  try {
    // A first, untimed call (its page faults and compilation are not the steady state), except for slow
    // cases measured before: their arrays are warm and one call is a large share of the budget.
    if (!c.slow) {
      const t0 = process.hrtime.bigint();
      if (c.async) await c.run();
      else c.run();
      c.slow = (Number(process.hrtime.bigint() - t0) / 1e9) * SLOW_CALLS > timing.maxTime;
    }
    const r = c.slow ? await timeCalls(c, SLOW_CALLS) : c.async ? await timeAsync(c.run, timing) : timeSync(c.run, timing);
    return { ...r, wall: Number(process.hrtime.bigint() - start) / 1e9 };
  } finally {
    if (c.teardown) await c.teardown();
  }
}

module.exports = { dtypesFor, describe, nativeCases, jsCases, cudaCases, peerCases, measureCase };
