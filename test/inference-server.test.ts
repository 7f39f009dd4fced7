/**
 * The inference-server example (examples/inference-server/), run as a child process the way it is
 * deployed: /predict answers equal a forward pass computed here with the sync API, bit for bit; bad
 * requests get 400/413 with the library's error codes; /health and /metrics have their documented
 * shape; shutdown finishes in-flight requests and exits 0; and a 5 s loopback load test passes (no
 * failed request, event-loop delay p99 within the bound load-test.js states, and a median delay at most
 * half that of the same server with --sync, which runs the whole forward pass in one loop turn).
 *
 * The example uses the package by name ('selu-kernels', i.e. dist/), so dist/ must be built
 * (npm test builds it first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

/* eslint-disable @typescript-eslint/no-require-imports */
const dir = path.join(__dirname, '..', 'examples', 'inference-server');
const { createMlp, normalGenerator } = require(path.join(dir, 'mlp.js'));
const { createInferenceServer, MAX_BATCH } = require(path.join(dir, 'server.js'));
const { startServer, stopServer, DEFAULT_ELD_P99_BOUND_MS } = require(path.join(dir, 'load-test.js'));
const { ErrorCode, moments } = require('selu-kernels');
const { version } = require('../package.json');
/* eslint-enable @typescript-eslint/no-require-imports */

interface Model {
  inputSize: number;
  outputSize: number;
  forwardSync(x: Float32Array, batch: number): Float32Array;
}

const model: Model = createMlp(); // the server's model: same default layers and seed
const normal: () => number = normalGenerator(12345);
const sample = (): number[] => Array.from({ length: model.inputSize }, () => Math.fround(normal()));

let child: ChildProcess;
let url: string;

beforeAll(async () => {
  ({ child, url } = await startServer());
});

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
});

async function post(body: string): Promise<{ status: number; json: any }> {
  const response = await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: response.status, json: await response.json() };
}

async function get(pathname: string): Promise<{ status: number; json: any }> {
  const response = await fetch(`${url}${pathname}`);
  return { status: response.status, json: await response.json() };
}

/** Bit-for-bit equality of float32 results (JSON carries each float32 exactly, as a double). */
function sameFloat32(actual: number[], expected: Float32Array): boolean {
  const a = Float32Array.from(actual);
  return a.length === expected.length && Buffer.from(a.buffer).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength));
}

test('the model is self-normalizing: N(0, 1) inputs give logits of mean ≈ 0 and variance ≈ 1', () => {
  // Through three SELU layers: with N(0, 1) rather than N(0, 1/fan_in) weights the variance would be ~256³.
  const batch = 1024;
  const x = Float32Array.from({ length: batch * model.inputSize }, normalGenerator(99));
  const { mean, variance } = moments(model.forwardSync(x, batch));
  expect(Math.abs(mean)).toBeLessThan(0.15);
  expect(variance).toBeGreaterThan(0.8);
  expect(variance).toBeLessThan(1.25);
});

test('POST /predict {input} equals the sync forward pass, bit for bit', async () => {
  for (let k = 0; k < 5; k++) {
    const input = sample();
    const { status, json } = await post(JSON.stringify({ input }));
    expect(status).toBe(200);
    expect(json.output).toHaveLength(model.outputSize);
    expect(sameFloat32(json.output, model.forwardSync(Float32Array.from(input), 1))).toBe(true);
  }
});

test('POST /predict {inputs} equals the sync forward pass for batches of 1, 7 and the maximum', async () => {
  for (const batch of [1, 7, MAX_BATCH]) {
    const inputs = Array.from({ length: batch }, sample);
    const { status, json } = await post(JSON.stringify({ inputs }));
    expect(status).toBe(200);
    expect(json.outputs).toHaveLength(batch);
    const expected = model.forwardSync(Float32Array.from(inputs.flat()), batch);
    expect(sameFloat32(json.outputs.flat(), expected)).toBe(true);
  }
});

test('the outputs are not trivial: different inputs give different, finite logits', async () => {
  const a = await post(JSON.stringify({ input: sample() }));
  const b = await post(JSON.stringify({ input: sample() }));
  expect(a.json.output.every(Number.isFinite)).toBe(true);
  expect(a.json.output).not.toEqual(b.json.output);
});

describe('bad requests get 400 with the library error codes, naming the field', () => {
  const good = Array.from({ length: 64 }, (_, i) => i / 64);
  const withAt = (i: number, v: unknown): unknown[] => good.map((g, j) => (j === i ? v : g));
  const cases: Array<[string, string, string, string, string]> = [
    ['not JSON', '{"input": [1, 2', 'TypeError', ErrorCode.INVALID_ARG, 'body'],
    ['a JSON array', '[1, 2, 3]', 'TypeError', ErrorCode.INVALID_ARG, 'body'],
    ['JSON null', 'null', 'TypeError', ErrorCode.INVALID_ARG, 'body'],
    ['neither input nor inputs', '{}', 'TypeError', ErrorCode.INVALID_ARG, 'body'],
    ['both input and inputs', JSON.stringify({ input: good, inputs: [good] }), 'TypeError', ErrorCode.INVALID_ARG, 'body'],
    ['an unknown key', JSON.stringify({ input: good, temperature: 1 }), 'TypeError', ErrorCode.UNKNOWN_OPTION, 'body.temperature'],
    ['input not an array', JSON.stringify({ input: 'abc' }), 'TypeError', ErrorCode.INVALID_ARG, 'input'],
    ['input too short', JSON.stringify({ input: good.slice(1) }), 'RangeError', ErrorCode.LENGTH_MISMATCH, 'input'],
    ['input too long', JSON.stringify({ input: [...good, 0] }), 'RangeError', ErrorCode.LENGTH_MISMATCH, 'input'],
    ['a string element', JSON.stringify({ input: withAt(5, '1') }), 'TypeError', ErrorCode.INVALID_ARG, 'input[5]'],
    ['a null element', JSON.stringify({ input: withAt(0, null) }), 'TypeError', ErrorCode.INVALID_ARG, 'input[0]'],
    ['1e999 (Infinity in JSON.parse)', `{"input": [${withAt(63, 0).slice(0, 63).join(',')}, 1e999]}`, 'RangeError', ErrorCode.OUT_OF_RANGE, 'input[63]'],
    ['1e39 (beyond float32)', JSON.stringify({ input: withAt(9, 1e39) }), 'RangeError', ErrorCode.OUT_OF_RANGE, 'input[9]'],
    ['inputs not an array', JSON.stringify({ inputs: {} }), 'TypeError', ErrorCode.INVALID_ARG, 'inputs'],
    ['an empty batch', JSON.stringify({ inputs: [] }), 'RangeError', ErrorCode.OUT_OF_RANGE, 'inputs'],
    ['a batch over the maximum', JSON.stringify({ inputs: Array(MAX_BATCH + 1).fill(good) }), 'RangeError', ErrorCode.OUT_OF_RANGE, 'inputs'],
    ['a short row in a batch', JSON.stringify({ inputs: [good, good.slice(2)] }), 'RangeError', ErrorCode.LENGTH_MISMATCH, 'inputs[1]'],
    ['a bad element in a batch', JSON.stringify({ inputs: [good, withAt(3, true)] }), 'TypeError', ErrorCode.INVALID_ARG, 'inputs[1][3]'],
  ];
  test.each(cases)('%s', async (_label, body, name, code, argument) => {
    const { status, json } = await post(body);
    expect(status).toBe(400);
    expect(json.error).toMatchObject({ name, code, argument });
    expect(json.error.message).toContain(argument);
  });
});

test('a body over 256 KiB gets 413; an unknown route 404; GET /predict 404', async () => {
  const big = await post(JSON.stringify({ input: Array(40_000).fill(0.123456789) }));
  expect(big.status).toBe(413);
  expect(big.json.error).toMatchObject({ code: 'ERR_BODY_TOO_LARGE', argument: 'body' });
  expect((await get('/nowhere')).status).toBe(404);
  expect((await get('/predict')).status).toBe(404);
});

test('GET /health: status, uptime, counters, the model and the library runtime', async () => {
  const { status, json } = await get('/health');
  expect(status).toBe(200);
  expect(json).toMatchObject({
    status: 'ok',
    model: { layers: [64, 256, 256, 256, 10] },
    runtime: { version, threads: expect.any(Number) },
  });
  expect(['avx512', 'avx2', 'scalar']).toContain(json.runtime.simd);
  expect(json.uptimeSeconds).toBeGreaterThan(0);
  // The tests above made at least this many requests, and the bad ones were counted as client errors.
  expect(json.requests).toBeGreaterThanOrEqual(5 + 3 + 2 + 18 + 3);
  expect(json.predictions).toBeGreaterThanOrEqual(5 + 1 + 7 + MAX_BATCH + 2);
  expect(json.errors.client).toBeGreaterThanOrEqual(18 + 3);
  expect(json.errors.server).toBe(0);
});

test('GET /metrics: event-loop delay (ms), utilization, request counts, memory; ?reset=1 starts a new window', async () => {
  await get('/metrics?reset=1');
  await post(JSON.stringify({ input: sample() }));
  const { status, json } = await get('/metrics');
  expect(status).toBe(200);
  const eld = json.eventLoopDelayMs;
  for (const key of ['p50', 'p99', 'max', 'mean']) expect(eld[key]).toBeGreaterThanOrEqual(0);
  expect(eld.p50).toBeLessThanOrEqual(eld.p99);
  expect(eld.p99).toBeLessThanOrEqual(eld.max);
  expect(json.eventLoopUtilization).toBeGreaterThanOrEqual(0);
  expect(json.eventLoopUtilization).toBeLessThanOrEqual(1);
  // This window: the reset request itself (counted once answered, so in the new window) and the /predict.
  expect(json.requests).toBe(2);
  expect(json.predictions).toBe(1);
  expect(json.memory.rssBytes).toBeGreaterThan(0);
  expect(json.totals.requests).toBeGreaterThan(json.requests);
});

test('SIGTERM: the server exits with code 0', async () => {
  expect(await stopServer(child)).toBe(0);
});

test('close() lets an in-flight request finish, answers it with Connection: close, then stops', async () => {
  // In this process, so that close() can be called exactly while the request is being handled.
  const app = createInferenceServer();
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  const address = `http://127.0.0.1:${app.server.address().port}`;
  let closed: Promise<void> | undefined;
  app.server.once('request', () => {
    closed = app.close(); // the handler registered first has already started on this request
  });
  const input = sample();
  const response = await fetch(`${address}/predict`, { method: 'POST', body: JSON.stringify({ input }) });
  expect(response.status).toBe(200);
  expect(response.headers.get('connection')).toBe('close');
  const { output } = (await response.json()) as { output: number[] };
  expect(sameFloat32(output, model.forwardSync(Float32Array.from(input), 1))).toBe(true);
  await closed;
  expect(app.server.listening).toBe(false);
});

// Under the sanitizers (scripts/test-sanitize.js) the server is instrumented and several times slower:
// that run checks memory safety under load, with the bound scaled; `npm test` checks the real bound.
const SANITIZED_SLOWDOWN = 4;
const ELD_P99_BOUND_MS = DEFAULT_ELD_P99_BOUND_MS * (process.env.SELU_TEST_SANITIZED === '1' ? SANITIZED_SLOWDOWN : 1);
// 8 connections (the 30 s load test uses 32): a loop turn then holds at most 8 requests' work, so the
// delay measures how long the server holds the loop rather than how deep the queue is, and the bound
// keeps a margin of ~5x on a quiet 2-core machine (p99 8-10 ms) instead of ~1.4x (35-38 ms at 32).
const CONNECTIONS = 8;
// The delays are wall-clock times on a machine the server shares with its load generator (and, in CI,
// with whatever else the host runs): the timing checks get up to 3 attempts, every request check none.
// A server that blocks its loop the way the --sync control does fails all three: its median delay is
// then the control's, not at most half of it.
const TIMING_ATTEMPTS = 3;

interface LoadReport {
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  serverExitCode: number | null;
  failures: string[];
}

/** One 5 s run of load-test.js (its own server child); resolves with its exit code and JSON report. */
async function loadTest(extraArgs: string[], eldBoundMs: number): Promise<{ code: number | null; report: LoadReport }> {
  const script = path.join(dir, 'load-test.js');
  const args = [script, '--duration', '5', '--warmup', '1', '--connections', String(CONNECTIONS), '--json',
    '--eld-p99-bound', String(eldBoundMs), ...extraArgs];
  const run = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  run.stdout.setEncoding('utf8');
  run.stdout.on('data', (text: string) => {
    stdout += text;
  });
  const code = await new Promise<number | null>((resolve) => run.once('exit', resolve));
  return { code, report: JSON.parse(stdout) };
}

function expectNoFailedRequest(report: LoadReport): void {
  expect(report.requests).toBeGreaterThan(0);
  expect(report.errors + report.timeouts + report.non2xx).toBe(0);
  expect(report.serverExitCode).toBe(0);
}

test(`a 5 s loopback load test: no failed request; event-loop delay p99 ≤ ${ELD_P99_BOUND_MS} ms and p50 at most half the --sync server's`, async () => {
  const ms = (v: number): string => `${v.toFixed(1)} ms`;
  const seen: string[] = [];
  for (let attempt = 1; attempt <= TIMING_ATTEMPTS; attempt++) {
    const served = await loadTest([], ELD_P99_BOUND_MS);
    // The control: the whole forward pass in one turn (its own delays are not bounded, only compared).
    const blocking = await loadTest(['--sync'], Number.MAX_SAFE_INTEGER);
    expectNoFailedRequest(served.report);
    expectNoFailedRequest(blocking.report);
    expect(blocking.code).toBe(0);
    const a = served.report.eventLoopDelayMs;
    const s = blocking.report.eventLoopDelayMs;
    seen.push(`attempt ${attempt}: event-loop delay p50 / p99: async ${ms(a.p50)} / ${ms(a.p99)}, --sync ${ms(s.p50)} / ${ms(s.p99)}`);
    if (a.p99 <= ELD_P99_BOUND_MS && 2 * a.p50 <= s.p50) {
      expect(served.report.failures).toEqual([]);
      expect(served.code).toBe(0);
      console.log(seen.join('\n'));
      return;
    }
  }
  throw new Error(`event-loop delay checks failed in all ${TIMING_ATTEMPTS} attempts (bound p99 ≤ ${ELD_P99_BOUND_MS} ms, p50 ≤ half the --sync server's):\n${seen.join('\n')}`);
}, 180_000);
