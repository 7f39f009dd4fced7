'use strict';
/**
 * An HTTP inference server for a self-normalizing MLP, on node:http.
 *
 *   POST /predict  {"input": number[64]} → {"output": number[10]}
 *                  {"inputs": number[][64]} (1..64 samples) → {"outputs": number[][10]}
 *                  bad input: 400 {"error": {name, code, argument, message}} with selu-kernels' codes;
 *                  a body over 256 KiB: 413
 *   GET /health    status, uptime, requests served, errors, the model, selu-kernels' runtime()
 *   GET /metrics   event-loop delay p50/p99/max (ms), event-loop utilization, requests, RSS;
 *                  /metrics?reset=1 also starts a new measuring window
 *
 * Run: node examples/inference-server/server.js [--port 3000] [--host 127.0.0.1] [--sync]
 * (or PORT / HOST in the environment; port 0 picks a free port). The first line on stdout is
 * "listening on http://HOST:PORT". SIGINT/SIGTERM stop accepting, finish in-flight requests, and exit 0.
 * --sync computes the activations with the sync API in one go per request: the comparison that shows
 * what the async API buys (see README.md).
 */
const http = require('node:http');
const { parseArgs } = require('node:util');
const { runtime } = require('selu-kernels');
const { readJsonBody } = require('./body');
const { HttpError } = require('./http-error');
const { createMetrics } = require('./metrics');
const { createMlp } = require('./mlp');
const { parsePredictRequest } = require('./predict-request');

const BODY_LIMIT_BYTES = 256 * 1024;
const MAX_BATCH = 64; // bounds one layer's matrix product to ~4 ms of main-thread time
const SHUTDOWN_GRACE_MS = 5000;

function notFound(method, path) {
  return new HttpError(404, 'Error', 'ERR_NOT_FOUND', 'url', `no route for ${method} ${path}`);
}

/** Builds the server (not yet listening). `close()` shuts it down gracefully. */
function createInferenceServer({ model = createMlp(), bodyLimitBytes = BODY_LIMIT_BYTES, maxBatch = MAX_BATCH, sync = false } = {}) {
  const metrics = createMetrics();
  let closing = false;

  function send(res, status, body, predictions = 0) {
    const text = JSON.stringify(body);
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    res.setHeader('content-length', Buffer.byteLength(text));
    // While shutting down, keep-alive connections close after their current response.
    if (closing || status === 413) res.setHeader('connection', 'close');
    res.end(text);
    metrics.record(status, predictions);
  }

  async function predict(req, res) {
    const body = await readJsonBody(req, bodyLimitBytes);
    const { x, batch, single } = parsePredictRequest(body, model.inputSize, maxBatch);
    const y = sync ? model.forwardSync(x, batch) : await model.forward(x, batch);
    const n = model.outputSize;
    if (single) {
      send(res, 200, { output: Array.from(y) }, 1);
    } else {
      const outputs = [];
      for (let r = 0; r < batch; r++) outputs.push(Array.from(y.subarray(r * n, (r + 1) * n)));
      send(res, 200, { outputs }, batch);
    }
  }

  function health(res) {
    const t = metrics.totals();
    send(res, closing ? 503 : 200, {
      status: closing ? 'shutting-down' : 'ok',
      uptimeSeconds: t.uptimeSeconds,
      requests: t.requests,
      predictions: t.predictions,
      errors: { client: t.clientErrors, server: t.serverErrors },
      model: { layers: model.layers, seed: model.seed, activations: sync ? 'sync' : 'async' },
      runtime: { simd: runtime.simd, detectedSimd: runtime.detectedSimd, threads: runtime.threads, version: runtime.version },
    });
  }

  async function route(req, res) {
    const url = new URL(req.url, 'http://localhost');
    const key = `${req.method} ${url.pathname}`;
    if (key === 'POST /predict') return predict(req, res);
    if (key === 'GET /health') return health(res);
    if (key === 'GET /metrics') return send(res, 200, metrics.snapshot({ reset: url.searchParams.get('reset') === '1' }));
    throw notFound(req.method, url.pathname);
  }

  const server = http.createServer((req, res) => {
    route(req, res).catch((error) => {
      if (res.destroyed) return; // the client went away (e.g. mid-body): nobody to answer
      if (error instanceof HttpError) {
        send(res, error.status, error);
      } else {
        // Not the client's fault: log it, and tell the client no more than the code.
        console.error(error);
        send(res, 500, { error: { name: 'Error', code: error.code ?? 'ERR_INTERNAL', message: 'internal error' } });
      }
    });
  });

  function close() {
    closing = true;
    return new Promise((resolve) => {
      server.close(() => {
        metrics.stop();
        resolve();
      });
      server.closeIdleConnections();
      // Clients that hold a connection open without sending anything are cut off after the grace period.
      setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    });
  }

  return { server, metrics, model, close };
}

function main() {
  const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' }, sync: { type: 'boolean', default: false } } });
  const port = Number(values.port ?? process.env.PORT ?? 3000);
  const host = values.host ?? process.env.HOST ?? '127.0.0.1';
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be an integer from 0 to 65535 (0: any free port), got ${values.port ?? process.env.PORT}`);
    process.exit(2);
  }

  const app = createInferenceServer({ sync: values.sync });
  app.server.listen(port, host, () => {
    console.log(`listening on http://${host}:${app.server.address().port}`);
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      console.log(`${signal}: finishing in-flight requests, then exiting`);
      // Nothing else holds the event loop: once the server is closed, the process exits with code 0.
      app.close();
    });
  }
}

if (require.main === module) main();

module.exports = { createInferenceServer, BODY_LIMIT_BYTES, MAX_BATCH };
