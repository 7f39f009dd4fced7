// Runs a benchmark plan: native cases in one child process per SIMD level (bench/worker.js), the JS
// baselines, CUDA, peers and the memory rooflines in this process, all timed in interleaved rounds
// (round r of every case before round r + 1 of any) so that a noisy neighbour hits every case alike.
// Returns plain data: rows with medians and ratios, what was skipped and why, and peer accuracy.
'use strict';
const { fork } = require('node:child_process');
const path = require('node:path');
const { dataPool, machine, median } = require('./harness');
const ops = require('./ops');
const { jsCases, cudaCases, peerCases, measureCase, describe, dtypesFor } = require('./cases');
const { rooflineCases, rooflineFor, loadHelper } = require('./roofline');
const cudaBackend = require('./backends/cuda');
const { peers } = require('./peers');
const { seluAccuracy, momentsAccuracy } = require('./accuracy');

const SIMD_ORDER = ['scalar', 'avx2', 'avx512'];
const T0 = Date.now();
// SELU_BENCH_DEBUG=1 prints the phases of a run with their times on stderr.
const debugLog = process.env.SELU_BENCH_DEBUG ? (m) => process.stderr.write(`[${((Date.now() - T0) / 1000).toFixed(2)} s] ${m}\n`) : () => {};

/** The SIMD levels a CPU whose best is `detected` can run: scalar up to it. */
const simdLevels = (detected) => SIMD_ORDER.slice(0, SIMD_ORDER.indexOf(detected) + 1);

/** A child process timing one SIMD level's native cases. */
class Worker {
  constructor(level) {
    this.level = level;
    this.stderr = '';
    this.child = fork(path.join(__dirname, 'worker.js'), [], {
      env: { ...process.env, SELU_KERNELS_SIMD: level },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    this.child.stdout.on('data', (b) => { this.stderr += b; });
    this.child.stderr.on('data', (b) => { this.stderr += b; });
    this.pending = null;
    this.child.on('message', (m) => this.onMessage(m));
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      if (this.pending) {
        this.pending.reject(new Error(`the ${this.level} worker exited (${signal ? `signal ${signal}` : `code ${code}`})${this.firstLines()}`));
        this.pending = null;
      }
    });
  }

  /** The start of what the worker printed, for an error message. */
  firstLines() {
    const lines = this.stderr.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 3);
    return lines.length ? `: ${lines.join(' / ').slice(0, 300)}` : '';
  }

  onMessage(m) {
    if (!this.pending) return;
    if (m.type === 'progress') {
      if (this.pending.onProgress) this.pending.onProgress(m.index);
    } else if (m.type === 'error') {
      this.pending.reject(new Error(`the ${this.level} worker failed: ${m.message}`));
      this.pending = null;
    } else if (m.type === this.pending.expect) {
      this.pending.resolve(m);
      this.pending = null;
    }
  }

  request(message, expect, onProgress) {
    return new Promise((resolve, reject) => {
      if (this.exited) {
        reject(new Error(`the ${this.level} worker is not running${this.firstLines()}`));
        return;
      }
      this.pending = { expect, resolve, reject, onProgress };
      this.child.send(message);
    });
  }

  async init(plan) {
    const m = await this.request({ type: 'init', plan }, 'ready');
    this.descs = m.cases;
    this.simd = m.simd;
    return m;
  }

  async round(timing, onCase) {
    const m = await this.request({ type: 'round', timing }, 'round-done', (i) => onCase(this.descs[i]));
    return m.results;
  }

  async accuracy() {
    return (await this.request({ type: 'accuracy' }, 'accuracy')).result;
  }

  close() {
    if (!this.exited) this.child.kill();
  }
}

/** The cases timed in this process. */
class Local {
  constructor(cases) {
    this.cases = cases;
    this.failed = new Map();
  }

  get descs() {
    return this.cases.map((c) => c.desc);
  }

  async round(timing, onCase) {
    const results = [];
    for (let i = 0; i < this.cases.length; i++) {
      const c = this.cases[i];
      if (this.failed.has(i)) {
        results.push({ error: this.failed.get(i) });
      } else {
        try {
          results.push(await measureCase(c, timing));
        } catch (error) {
          this.failed.set(i, error.message);
          results.push({ error: error.message });
        }
      }
      onCase(c.desc);
    }
    return results;
  }
}

const label = (d) => `${d.op} · ${d.backend}${d.variant ? ` (${d.variant})` : ''} · ${d.dtype} · N=${d.n}`;

/**
 * Adds percentOfRoofline (against the fastest same-size memory pass on at most the row's threads,
 * bench/roofline.js) and speedupVsJs (against the JS loop).
 */
function addRatios(rows) {
  const roofRows = rows.filter((r) => r.backend === 'roofline');
  const js = new Map(rows.filter((r) => r.backend === 'js').map((r) => [`${r.op}:${r.dtype}:${r.n}`, r]));
  for (const r of rows) {
    const roof = rooflineFor(r, roofRows);
    r.rooflineGbPerSecond = roof ? roof.gbPerSecond : null;
    r.percentOfRoofline = roof ? (100 * r.gbPerSecond) / roof.gbPerSecond : null;
    const base = r.backend === 'roofline' ? null : js.get(`${r.op}:${r.dtype}:${r.n}`);
    r.speedupVsJs = base ? r.elementsPerSecond / base.elementsPerSecond : null;
  }
  return rows;
}

/**
 * Runs `plan` (see bench/cli.js for how options become one). `onProgress({ done, total, label })` is
 * called after every timed case.
 */
async function run(plan, { onProgress = () => {}, log = debugLog } = {}) {
  const started = Date.now();
  const lib = require('..');
  const selected = ops.select(ops.load(lib), plan.ops);
  const skipped = [];
  const peerInfo = [];
  const accuracyJobs = [];
  const data = dataPool(lib);

  // Native: one worker per SIMD level the CPU has; the others are skipped.
  const workers = [];
  if (plan.backends.includes('native')) {
    const have = simdLevels(lib.runtime.detectedSimd);
    for (const level of plan.simd) {
      if (have.includes(level)) workers.push(new Worker(level));
      else skipped.push({ backend: 'native', what: level, reason: `this CPU has no ${level} (its best is ${lib.runtime.detectedSimd})` });
    }
  }
  const ready = Promise.allSettled(workers.map((w) => w.init(plan)));

  const local = [];
  if (plan.backends.includes('js')) local.push(...jsCases(selected, plan, data));

  if (plan.backends.includes('cuda')) {
    const dev = cudaBackend.probe(lib);
    if (!dev.available) {
      skipped.push({ backend: 'cuda', what: 'all ops', reason: dev.reason });
    } else {
      const list = cudaCases(selected, plan, dev, cudaBackend.devicePool(dev, data));
      for (const c of list) {
        try {
          await c.check();
          local.push(c);
        } catch (error) {
          skipped.push({ backend: 'cuda', what: `${c.desc.op} ${c.desc.dtype} ${c.desc.mode}`, reason: error.message });
        }
      }
    }
  }

  const wantsPeers = selected.some((o) => o.peer);
  const peerExecutors = []; // peers timed in their own process (PyTorch): they take part in the rounds
  for (const peer of peers) {
    if (!peer.backends.some((b) => plan.backends.includes(b))) continue;
    if (peer.start) {
      try {
        const exec = await peer.start(plan, selected, describe, dtypesFor);
        peerExecutors.push(exec);
        peerInfo.push({ name: peer.name, version: exec.version, status: 'benchmarked' });
        if (plan.accuracy && selected.some((o) => o.name === 'selu')) {
          accuracyJobs.push({ implementation: exec.accuracyLabel, backend: peer.backends[0], variant: null, apply: (x) => exec.apply(x) });
        }
      } catch (error) {
        const reason = error.skip ? error.message : `failed to start: ${error.message}`;
        peerInfo.push({ name: peer.name, status: 'skipped', reason });
        skipped.push({ backend: peer.name, what: 'all ops', reason });
      }
      continue;
    }
    if (!wantsPeers) continue;
    try {
      const loaded = await peer.load(plan);
      peerInfo.push({ name: peer.name, version: loaded.version, status: 'benchmarked' });
      for (const impl of loaded.implementations) {
        local.push(...peerCases(selected, plan, impl, data, skipped));
        if (plan.accuracy && impl.ops.selu && selected.some((o) => o.peer === 'selu')) {
          accuracyJobs.push({ implementation: `${loaded.version} (${impl.variant})`, backend: impl.backend, variant: impl.variant, apply: impl.ops.selu.apply });
        }
      }
    } catch (error) {
      const reason = error.skip ? error.message : `failed to load: ${error.message}`;
      peerInfo.push({ name: peer.name, status: 'skipped', reason });
      skipped.push({ backend: peer.name, what: 'all ops', reason });
    }
  }

  log('local cases and peers ready');
  const settled = await ready;
  log('workers ready');
  const liveWorkers = [];
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') liveWorkers.push(workers[i]);
    else skipped.push({ backend: 'native', what: workers[i].level, reason: s.reason.message });
  });

  const nonRoof = [...local.map((c) => c.desc), ...[...liveWorkers, ...peerExecutors].flatMap((w) => w.descs)];
  if (nonRoof.length === 0) {
    for (const w of workers) w.close();
    for (const p of peerExecutors) p.close();
    const why = skipped.map((s) => `\n- ${s.backend}${s.what ? ` (${s.what})` : ''}: ${s.reason}`).join('');
    throw new Error(`nothing to benchmark: every requested backend was skipped or has no case for these ops${why}`);
  }
  const localExec = new Local([...rooflineCases(nonRoof, data), ...local]);
  if (!loadHelper()) skipped.push({ backend: 'roofline', what: 'native memory passes', reason: loadHelper.reason });
  const executors = [localExec, ...liveWorkers, ...peerExecutors];

  const total = plan.rounds * executors.reduce((s, e) => s + e.descs.length, 0);
  let done = 0;
  const results = executors.map((e) => e.descs.map(() => []));
  const dead = new Set();
  try {
    for (let r = 0; r < plan.rounds; r++) {
      // Rotate which process goes first so no process always measures right after another's heavy cases.
      for (let k = 0; k < executors.length; k++) {
        const e = (r + k) % executors.length;
        if (dead.has(e)) continue;
        try {
          const out = await executors[e].round(plan.timing, (desc) => {
            done += 1;
            onProgress({ done, total, round: r + 1, rounds: plan.rounds, label: label(desc) });
          });
          out.forEach((x, i) => results[e][i].push(x));
        } catch (error) {
          // A worker that crashed (a fault in a kernel, say) loses its level's rows; the rest goes on.
          if (executors[e] === localExec) throw error;
          dead.add(e);
          const ex = executors[e];
          skipped.push(ex instanceof Worker ? { backend: 'native', what: ex.level, reason: error.message } : { backend: ex.name, what: 'all ops', reason: error.message });
        }
      }
      log(`round ${r + 1}/${plan.rounds} done`);
    }

    // Accuracy: native per SIMD level, the JS loop, each peer.
    log('timing done');
    const accuracy = [];
    if (plan.accuracy && selected.some((o) => o.name === 'selu')) {
      for (const w of liveWorkers.filter((x) => !x.exited)) {
        accuracy.push({ implementation: `selu-kernels native (${w.simd})`, backend: 'native', variant: w.simd, dtype: 'float32', ...(await w.accuracy()) });
        log(`accuracy of native ${w.simd}`);
      }
      if (plan.backends.includes('js')) {
        const seluOp = selected.find((o) => o.name === 'selu');
        const apply = (x) => seluOp.js({ x, out: new Float32Array(x.length), n: x.length });
        accuracy.push({ implementation: 'plain JS loop (Math.expm1, float64, rounded)', backend: 'js', variant: 'plain loop', dtype: 'float32', ...(await seluAccuracy(apply, lib)) });
      }
      for (const job of accuracyJobs) {
        try {
          accuracy.push({ implementation: job.implementation, backend: job.backend, variant: job.variant, dtype: 'float32', ...(await seluAccuracy(job.apply, lib)) });
          log(`accuracy of ${job.implementation}`);
        } catch (error) {
          skipped.push({ backend: job.backend, what: 'accuracy', reason: error.message });
        }
      }
    }

    // Moments: native (bit-identical at every level and thread count) and the peers that have it.
    const momentsAcc = [];
    if (plan.accuracy && selected.some((o) => o.name === 'moments')) {
      momentsAcc.push({ implementation: 'selu-kernels moments', backend: 'native', ...(await momentsAccuracy((x) => {
        const r = lib.moments(x);
        return [r.mean, r.variance];
      })) });
      for (const p of peerExecutors.filter((e) => e.moments)) {
        try {
          momentsAcc.push({ implementation: p.momentsLabel, backend: p.backend, ...(await momentsAccuracy((x) => p.moments(x))) });
        } catch (error) {
          skipped.push({ backend: p.name, what: 'moments accuracy', reason: error.message });
        }
      }
    }

    log('accuracy done');
    const rows = [];
    executors.forEach((e, k) => {
      if (dead.has(k)) return;
      e.descs.forEach((desc, i) => {
        const rs = results[k][i];
        const err = rs.find((x) => x.error);
        if (err) {
          skipped.push({ backend: desc.backend, what: label(desc), reason: err.error });
          return;
        }
        const seconds = median(rs.map((x) => x.seconds));
        const elementsPerSecond = desc.n / seconds;
        rows.push({
          ...desc,
          medianSeconds: seconds,
          rmePercent: median(rs.map((x) => x.rme)),
          elementsPerSecond,
          gbPerSecond: (elementsPerSecond * desc.bytesPerElement) / 1e9,
          rounds: rs.length,
          samples: rs.reduce((s, x) => s + x.samples, 0),
          measureSeconds: rs.reduce((s, x) => s + x.wall, 0), // wall time spent on this case, all rounds
        });
      });
    });
    addRatios(rows);
    const seen = new Set();
    const uniqueSkipped = skipped.filter((s) => {
      const key = `${s.backend}|${s.what}|${s.reason}`;
      return seen.has(key) ? false : seen.add(key);
    });
    rows.sort(rowOrder(selected));
    return {
      tool: 'selu-bench',
      machine: machine(lib),
      plan,
      rows,
      skipped: uniqueSkipped,
      peers: peerInfo,
      accuracy,
      momentsAccuracy: momentsAcc,
      elapsedSeconds: (Date.now() - started) / 1000,
    };
  } finally {
    for (const w of workers) w.close();
    for (const p of peerExecutors) p.close();
  }
}

const BACKEND_ORDER = ['roofline', 'native', 'cuda', 'js'];
/** Rows by op (rooflines first, then registry order), dtype, N, then backend and variant. */
function rowOrder(selected) {
  const opIndex = new Map([['copy', -3], ['read', -2], ['write', -1], ...selected.map((o, i) => [o.name, i])]);
  const b = (r) => {
    const i = BACKEND_ORDER.indexOf(r.backend);
    return i < 0 ? BACKEND_ORDER.length : i;
  };
  const simd = (r) => SIMD_ORDER.indexOf(r.simd);
  return (p, q) => opIndex.get(p.op) - opIndex.get(q.op) || p.dtype.localeCompare(q.dtype) || p.n - q.n
    || b(p) - b(q) || p.backend.localeCompare(q.backend) || simd(q) - simd(p) || (p.threads ?? 0) - (q.threads ?? 0)
    || p.variant.localeCompare(q.variant);
}

module.exports = { run, simdLevels, addRatios, SIMD_ORDER };
