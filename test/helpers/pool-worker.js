/**
 * A worker of test/worker-pool.test.ts: loads the compiled library (dist/, which honours
 * SELU_KERNELS_ADDON like lib/ does), then runs rounds of the cases it was given, about three in four
 * async and launched together, the rest sync while those are in flight, and checks every result
 * against the bytes the main thread computed. It reports after each round and stops on 'stop'.
 *
 * Messages to the main thread:
 *   { type: 'loaded', addon }                         the library loaded (addon: SELU_KERNELS_ADDON as this thread sees it)
 *   { type: 'burst', pending }                        after { type: 'burst', calls, block }: that many async calls of
 *                                                     the largest case launched; with `block` the thread then
 *                                                     sleeps (Atomics.wait, 10 s at most) so that none of them can
 *                                                     settle before the main thread terminates it
 *   { type: 'round', round, checks, mismatches }      round done; running totals
 *   { type: 'done', checks, mismatches }              stopped after 'stop'
 * An exception (a result that is not even a value, a rejected call) ends the worker with an 'error' event.
 */
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { run, sameBytes, describeCase } = require('./op-cases');

const lib = require(workerData.libPath);
const { cases, expected } = workerData;

let stopping = false;
let checks = 0;
const mismatches = [];
const largest = cases.reduce((a, c) => (c.length > a.length ? c : a));
parentPort.on('message', (m) => {
  if (m === 'stop') stopping = true;
  else if (m.type === 'burst') burst(m.calls, m.block);
});
parentPort.postMessage({ type: 'loaded', addon: process.env.SELU_KERNELS_ADDON });

function check(c, bytes) {
  checks++;
  if (!sameBytes(bytes, expected[c.id])) mismatches.push(describeCase(c));
}

async function round(r) {
  const pending = [];
  for (let i = 0; i < cases.length; i++) {
    // A different order every round (the stride is coprime with the case count), so the ops and sizes
    // that overlap in time change.
    const c = cases[(i * workerData.stride + r) % cases.length];
    if ((i + r) % 4 === 0) check(c, run(lib, c, true));
    else pending.push(run(lib, c, false).then((bytes) => check(c, bytes)));
  }
  await Promise.all(pending);
}

function burst(calls, block) {
  for (let k = 0; k < calls; k++) run(lib, largest, false).then((bytes) => check(largest, bytes));
  parentPort.postMessage({ type: 'burst', pending: calls });
  if (block) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
}

(async () => {
  for (let r = 0; !stopping; r++) {
    await round(r);
    parentPort.postMessage({ type: 'round', round: r + 1, checks, mismatches });
  }
  parentPort.postMessage({ type: 'done', checks, mismatches });
  parentPort.close();
})();
