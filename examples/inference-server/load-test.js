#!/usr/bin/env node
'use strict';
/**
 * Loopback load test of the inference server: starts server.js as a child process (so the server's
 * event-loop figures are its own, not the load generator's), warms it up, drives it with autocannon
 * for a bounded time with a mix of single and batched /predict requests, then reads the server's
 * /metrics for the same window and prints requests/s, latency, errors and event-loop delay.
 *
 *   node examples/inference-server/load-test.js [--duration 30] [--connections 32] [--warmup 2]
 *                                               [--eld-p99-bound 50] [--json] [--sync]
 *
 * LOAD_TEST_DURATION in the environment sets the default duration. Exits 1 when any request failed
 * (connection error, timeout, non-2xx), when none completed, when the server's event-loop delay p99
 * exceeded the bound, or when the server did not shut down cleanly on SIGTERM. --sync starts the
 * server with --sync (activations on the main thread, no yielding between layers): for comparison; it
 * is expected to miss the event-loop bound.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');
const { parseArgs } = require('node:util');
const autocannon = require('autocannon');
const { DEFAULT_LAYERS, normalGenerator } = require('./mlp');

// Event-loop delay p99 bound, for this project's 2-core machine. Under this load the loop is busy ~99%
// of the time, so the delay is the length of one loop turn: each in-flight request runs one layer's
// matrix product per turn (≤ 16 × 65 k multiply-adds ≈ 0.5 ms for the batched ones). Measured p99
// (README.md): 11-43 ms while other jobs loaded the 2 cores 2-4× over, 55 ms at 5× over; with --sync
// (the whole forward pass per turn) 51-141 ms. 50 ms passes the async server unless the machine is
// heavily oversubscribed, and fails the sync one.
const DEFAULT_ELD_P99_BOUND_MS = 50;
const SINGLES_PER_BATCH = 3; // the mix: 3 single-sample requests for each batched one
const BATCH_SIZE = 16;

function options() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: process.env.LOAD_TEST_DURATION ?? '30' },
      connections: { type: 'string', default: '32' },
      warmup: { type: 'string', default: '2' },
      'eld-p99-bound': { type: 'string', default: String(DEFAULT_ELD_P99_BOUND_MS) },
      json: { type: 'boolean', default: false },
      sync: { type: 'boolean', default: false },
    },
  });
  const number = (name, min) => {
    const v = Number(values[name]);
    if (!Number.isFinite(v) || v < min) throw new RangeError(`--${name} must be a number ≥ ${min}, got ${values[name]}`);
    return v;
  };
  return {
    duration: number('duration', 1),
    connections: Math.floor(number('connections', 1)),
    warmup: number('warmup', 0),
    eldP99BoundMs: number('eld-p99-bound', 0),
    json: values.json,
    sync: values.sync,
  };
}

/** Starts server.js on a free port; resolves with { child, url } once it prints its address. */
function startServer(serverArgs = []) {
  const child = spawn(process.execPath, [path.join(__dirname, 'server.js'), '--port', '0', ...serverArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text) => {
      output += text;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve({ child, url: match[1] });
    });
    child.once('exit', (code, signal) => reject(new Error(`the server exited before listening (code ${code}, signal ${signal})`)));
  });
}

/** SIGTERM, then resolves with the exit code (null if it had to be killed). */
function stopServer(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', (code) => {
      clearTimeout(kill);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

/** The request sequence each connection cycles through: N(0, 1) inputs, as the model expects. */
function requestMix() {
  const normal = normalGenerator(7);
  const width = DEFAULT_LAYERS[0];
  const sample = () => Array.from({ length: width }, () => Math.fround(normal()));
  const post = (body) => ({ method: 'POST', path: '/predict', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const requests = [];
  for (let cycle = 0; cycle < 4; cycle++) {
    for (let i = 0; i < SINGLES_PER_BATCH; i++) requests.push(post({ input: sample() }));
    requests.push(post({ inputs: Array.from({ length: BATCH_SIZE }, sample) }));
  }
  return requests;
}

async function getJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return response.json();
}

async function run(opts) {
  const { child, url } = await startServer(opts.sync ? ['--sync'] : []);
  let load;
  let server;
  let exitCode;
  try {
    const base = { url, connections: opts.connections, pipelining: 1, requests: requestMix() };
    // JIT and allocator warm-up; its figures are discarded with the reset below.
    if (opts.warmup > 0) await autocannon({ ...base, duration: opts.warmup });
    await getJson(`${url}/metrics?reset=1`);
    load = await autocannon({ ...base, duration: opts.duration });
    server = await getJson(`${url}/metrics?reset=1`);
  } finally {
    exitCode = await stopServer(child);
  }

  const failed = load.errors + load.timeouts + load.non2xx;
  const eld = server.eventLoopDelayMs;
  const failures = [];
  if (load.requests.total === 0) failures.push('no request completed');
  if (failed > 0) failures.push(`${failed} failed requests (errors ${load.errors}, timeouts ${load.timeouts}, non-2xx ${load.non2xx})`);
  if (eld.p99 > opts.eldP99BoundMs) failures.push(`event-loop delay p99 ${eld.p99.toFixed(1)} ms > bound ${opts.eldP99BoundMs} ms`);
  if (exitCode !== 0) failures.push(`the server exited with ${exitCode} on SIGTERM`);

  return {
    config: {
      durationSeconds: opts.duration, warmupSeconds: opts.warmup, connections: opts.connections, pipelining: 1,
      activations: opts.sync ? 'sync' : 'async',
      mix: `${SINGLES_PER_BATCH} × {input} : 1 × {inputs: ${BATCH_SIZE} samples}`, eldP99BoundMs: opts.eldP99BoundMs,
    },
    requestsPerSecond: load.requests.total / load.duration,
    predictionsPerSecond: server.predictions / server.windowSeconds,
    requests: load.requests.total,
    latencyMs: { p50: load.latency.p50, p99: load.latency.p99, max: load.latency.max },
    errors: load.errors,
    timeouts: load.timeouts,
    non2xx: load.non2xx,
    eventLoopDelayMs: { p50: eld.p50, p99: eld.p99, max: eld.max },
    eventLoopUtilization: server.eventLoopUtilization,
    rssBytes: server.memory.rssBytes,
    serverExitCode: exitCode,
    failures,
    pass: failures.length === 0,
  };
}

function printReport(r) {
  const ms = (v) => `${v.toFixed(1)} ms`;
  const c = r.config;
  console.log(`load: ${c.durationSeconds} s after ${c.warmupSeconds} s warm-up, ${c.connections} connections, pipelining 1, mix ${c.mix}, ${c.activations} activations`);
  console.log(`requests/s        ${r.requestsPerSecond.toFixed(0)}  (${r.requests} requests; ${r.predictionsPerSecond.toFixed(0)} predictions/s)`);
  console.log(`latency           p50 ${ms(r.latencyMs.p50)}, p99 ${ms(r.latencyMs.p99)}, max ${ms(r.latencyMs.max)}`);
  console.log(`failed requests   errors ${r.errors}, timeouts ${r.timeouts}, non-2xx ${r.non2xx}`);
  console.log(`event-loop delay  p50 ${ms(r.eventLoopDelayMs.p50)}, p99 ${ms(r.eventLoopDelayMs.p99)}, max ${ms(r.eventLoopDelayMs.max)}` +
    `  (bound: p99 ≤ ${c.eldP99BoundMs} ms)`);
  console.log(`event-loop busy   ${(100 * r.eventLoopUtilization).toFixed(0)}% of the time`);
  console.log(`server RSS        ${(r.rssBytes / 2 ** 20).toFixed(0)} MiB`);
  console.log(r.pass ? 'PASS' : `FAIL: ${r.failures.join('; ')}`);
}

async function main() {
  const opts = options();
  const report = await run(opts);
  if (opts.json) console.log(JSON.stringify(report, null, 2));
  else printReport(report);
  process.exitCode = report.pass ? 0 : 1;
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 2;
  });
}

module.exports = { startServer, stopServer, DEFAULT_ELD_P99_BOUND_MS };
