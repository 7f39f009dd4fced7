// The memory rooflines every row's "% of roofline" is measured against: for each (kind, dtype, N,
// thread count) that a case needs, the same-size memory pass a native helper achieves
// (bench/native/roofline/memory_pass.cc, built by binding.gyp as selu_bench_native.node), with
// ordinary and with non-temporal stores. A case on T threads is compared with the fastest pass on
// at most T threads (bench/ratios.js): the machine's real bandwidth for that size, not a one-thread
// memcpy that a multi-threaded kernel can "beat".
//
// Kinds: copy (read one array, write another: element-wise ops), read (read-only: reductions),
// write (write-only: the dropout mask). Without the helper (a cmake-js build) the passes fall back to
// one-thread JavaScript calls (TypedArray.set, Buffer.indexOf, TypedArray.fill), labelled as such.
'use strict';
const path = require('node:path');

const HELPER_PATHS = [
  process.env.SELU_BENCH_NATIVE,
  path.join(__dirname, '..', 'build', 'Release', 'selu_bench_native.node'),
  path.join(__dirname, '..', 'build', 'Debug', 'selu_bench_native.node'),
].filter(Boolean);

let helper;
/** The native helper, or null with the reason in helper.reason. */
function loadHelper() {
  if (helper !== undefined) return helper;
  const errors = [];
  for (const p of HELPER_PATHS) {
    try {
      helper = require(p);
      return helper;
    } catch (error) {
      errors.push(`${p}: ${error.message.split('\n')[0]}`);
    }
  }
  helper = null;
  loadHelper.reason = `selu_bench_native.node not found (${errors.join('; ')}); rooflines are one-thread JS passes`;
  return helper;
}

const ARRAYS = { copy: 2, read: 1, write: 1 };

const JS_PASS = {
  copy: { variant: 'TypedArray.set (memcpy), 1 thread', make: (d) => () => d.out2.set(d.x) },
  read: { variant: 'Buffer.indexOf (memchr), 1 thread', make: (d) => () => d.bytes.indexOf(1) },
  write: { variant: 'TypedArray.fill (memset), 1 thread', make: (d) => () => d.mask.fill(0) },
};

/** The native passes of one kind on `threads` threads: one per store kind (reads have none). */
function nativePasses(h, kind, d, threads) {
  const stores = kind === 'read' ? [null] : ['regular', 'stream'];
  return stores.map((store) => {
    const what = store === 'stream' ? 'non-temporal stores' : store === 'regular' ? 'plain stores' : 'sum of words';
    const variant = `native ${kind}, ${what}, ${threads} thread${threads > 1 ? 's' : ''}`;
    let run;
    if (kind === 'copy') run = () => h.memoryPass('copy', d.out2, d.x, threads, store);
    else if (kind === 'read') run = () => h.memoryPass('read', null, d.bytes, threads);
    else run = () => h.memoryPass('write', d.mask, null, threads, store);
    return { variant, threads, run };
  });
}

/**
 * One case per memory pass that some case in `descs` is compared with: every (roofline kind, dtype, N)
 * at 1 thread and at each thread count a case uses.
 */
function rooflineCases(descs, data) {
  const h = loadHelper();
  const wanted = new Map();
  for (const c of descs) {
    if (!c.roofline) continue;
    const threads = h ? [1, ...(c.threads > 1 ? [c.threads] : [])] : [1];
    for (const t of threads) wanted.set(`${c.roofline}:${c.dtype}:${c.n}:${t}`, { ...c, threads: t });
  }
  const cases = [];
  for (const c of wanted.values()) {
    const d = data(c.dtype, c.n);
    const elementBytes = c.dtype === 'uint8' ? 1 : d.Ctor.BYTES_PER_ELEMENT;
    const passes = h ? nativePasses(h, c.roofline, d, c.threads)
      : [{ variant: JS_PASS[c.roofline].variant, threads: 1, run: JS_PASS[c.roofline].make(d) }];
    for (const p of passes) {
      cases.push({
        desc: {
          op: c.roofline, family: 'roofline', backend: 'roofline', variant: p.variant, simd: null, threads: p.threads,
          mode: 'sync', dtype: c.dtype, n: c.n, bytesPerElement: ARRAYS[c.roofline] * elementBytes, roofline: null,
        },
        async: false,
        run: p.run,
      });
    }
  }
  return cases;
}

/**
 * The roofline row a case is compared with: the fastest pass of its kind, dtype and N on at most as
 * many threads as the case uses (one for the JS loop; peers state theirs). Null when there is none.
 */
function rooflineFor(row, roofRows) {
  if (!row.roofline) return null;
  const limit = row.threads > 0 ? row.threads : 1;
  let best = null;
  for (const r of roofRows) {
    if (r.op !== row.roofline || r.dtype !== row.dtype || r.n !== row.n || r.threads > limit) continue;
    if (!best || r.gbPerSecond > best.gbPerSecond) best = r;
  }
  return best;
}

module.exports = { rooflineCases, rooflineFor, loadHelper };
