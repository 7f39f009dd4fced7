// One SIMD level's native cases, in a child process started by bench/runner.js with
// SELU_KERNELS_SIMD set (the level is fixed when the addon loads). It builds its cases from the op
// registry, then times them one round at a time when the parent asks, so that rounds interleave with
// the other processes' cases.
'use strict';
const { dataPool } = require('./harness');
const ops = require('./ops');
const { nativeCases, measureCase } = require('./cases');
const { seluAccuracy } = require('./accuracy');

let lib;
let cases = [];
const failed = new Map();

const send = (m) => new Promise((resolve) => process.send(m, resolve));

async function handle(m) {
  switch (m.type) {
    case 'init': {
      lib = require('..');
      const selected = ops.select(ops.load(lib), m.plan.ops);
      cases = nativeCases(lib, selected, m.plan, dataPool(lib));
      await send({ type: 'ready', simd: lib.runtime.simd, cases: cases.map((c) => c.desc) });
      break;
    }
    case 'round': {
      const results = [];
      for (let i = 0; i < cases.length; i++) {
        if (failed.has(i)) {
          results.push({ error: failed.get(i) });
        } else {
          try {
            results.push(await measureCase(cases[i], m.timing));
          } catch (error) {
            failed.set(i, error.message);
            results.push({ error: error.message });
          }
        }
        await send({ type: 'progress', index: i });
      }
      await send({ type: 'round-done', results });
      break;
    }
    case 'accuracy': {
      const result = await seluAccuracy((x) => lib.selu(x), lib);
      await send({ type: 'accuracy', result });
      break;
    }
    case 'exit':
      process.exit(0);
      break;
    default:
      throw new Error(`unknown message ${m.type}`);
  }
}

process.on('message', (m) => {
  handle(m).catch(async (error) => {
    await send({ type: 'error', message: error.stack || error.message });
    process.exit(1);
  });
});
process.on('disconnect', () => process.exit(0));
