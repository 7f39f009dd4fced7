// selu-bench: the command-line microbenchmark (bin/selu-bench.js). Options (bench/options.js) → a plan →
// bench/runner.js → a report on stdout (bench/report.js), and optionally JSON and a chart (bench/chart.js).
// Exit status: 0 done, 1 the run failed, 2 bad options (with a message saying which and why).
'use strict';
const fs = require('node:fs');
const { markdownTable } = require('./harness');
const { parseOptions, UsageError, HELP, DEFAULTS, QUICK } = require('./options');
const { report, speedTable, accuracyTable, commandLine } = require('./report');

function listing(lib) {
  const ops = require('./ops').load(lib);
  const { peers } = require('./peers');
  const cuda = require('./backends/cuda').probe(lib);
  const out = ['Ops (--ops takes names or families):'];
  out.push(markdownTable(['op', 'family', 'bytes/elem (f32)', 'roofline', 'JS baseline', 'peers', 'default', 'what'],
    ops.map((o) => [o.name, o.family, typeof o.bytes === 'number' ? o.bytes : o.bytes('float32'), o.roofline, o.js ? 'yes' : '', o.peer ? 'yes' : '', o.inDefault ? 'yes' : '', o.description || '']),
    ['l', 'l', 'r', 'l', 'l', 'l', 'l', 'l']));
  out.push('');
  out.push(`Backends: native (SIMD levels on this CPU: ${require('./runner').simdLevels(lib.runtime.detectedSimd).join(', ')}; in use: ${lib.runtime.simd}), js, `
    + `cuda (${cuda.available ? `available: ${cuda.device}` : `unavailable: ${cuda.reason}`})`);
  out.push(`Peers: ${peers.map((p) => `${p.backends.join('/')} (${p.name})`).join(', ')}`);
  return out.join('\n');
}

/** A progress line on stderr, redrawn in place; only when stderr is a terminal. */
function progressBar(enabled) {
  if (!enabled || !process.stderr.isTTY) return { update() {}, done() {} };
  const started = Date.now();
  let last = 0;
  return {
    update({ done, total, round, rounds, label }) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const width = 24;
      const filled = Math.round((width * done) / total);
      const elapsed = (now - started) / 1000;
      const eta = done ? (elapsed * (total - done)) / done : 0;
      const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} round ${round}/${rounds} · ${elapsed.toFixed(0)} s, ~${eta.toFixed(0)} s left · ${label}`;
      const cols = process.stderr.columns || 100;
      process.stderr.write(`\r\x1b[K${line.slice(0, cols - 1)}`);
    },
    done() {
      process.stderr.write('\r\x1b[K');
    },
  };
}

async function main(argv, { stdout = process.stdout, stderr = process.stderr } = {}) {
  let lib;
  try {
    lib = require('..');
  } catch (error) {
    stderr.write(`selu-bench: cannot load selu-kernels: ${error.message}\n(build it with npm install, or npm run build in a checkout)\n`);
    return 1;
  }
  let options;
  try {
    options = parseOptions(argv, lib);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr.write(`selu-bench: ${error.message}\nRun selu-bench --help for the options.\n`);
    return 2;
  }
  if (options.help) {
    stdout.write(HELP);
    return 0;
  }
  if (options.list) {
    stdout.write(`${listing(lib)}\n`);
    return 0;
  }

  let result;
  if (options.from) {
    result = options.from;
  } else {
    const { run } = require('./runner');
    const progress = progressBar(options.output.progress);
    try {
      result = await run(options.plan, { onProgress: (p) => progress.update(p) });
    } catch (error) {
      progress.done();
      stderr.write(`selu-bench: ${error.message}\n`);
      return 1;
    }
    progress.done();
    result = { tool: result.tool, command: commandLine(argv), ...result };
  }

  const { json, chart } = options.output;
  if (chart) {
    const { svg, html } = require('./chart');
    fs.writeFileSync(chart.file, chart.format === 'svg' ? svg(result) : html(result, report(result)));
  }
  if (json === '-') {
    stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    if (json) fs.writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
    stdout.write(`${report(result)}\n`);
    if (json) stderr.write(`selu-bench: results written to ${json}\n`);
    if (chart) stderr.write(`selu-bench: chart written to ${chart.file}\n`);
  }
  return 0;
}

module.exports = { main, parseOptions, report, speedTable, accuracyTable, commandLine, UsageError, HELP, DEFAULTS, QUICK };
