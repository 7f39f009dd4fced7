// Peers: other JavaScript libraries that compute the same math, benchmarked on the same data in the
// same run when they are installed (they are optional: a missing one is listed as skipped, with why).
// Every other file here except onnx-model.js is one peer library (or an array of them); it exports
//   { name, backends: [backend names it provides], load({ threads }) => Promise<{ version, implementations }> }
// where an implementation is
//   { backend, variant, threads, ops: { <op.peer name>: { dtypes, async, make(d) => { setup?, run, teardown? },
//     apply(x: Float32Array) => Float32Array | Promise<Float32Array> } } }
// and load() throws an Error with `skip: true` (and a message saying why) when the library is not usable.
// A peer that runs outside Node (pytorch.js) exports start() instead of load(): it returns an executor
// that times its own cases in its own process, one interleaved round at a time (bench/runner.js).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.js') && !['index.js', 'onnx-model.js'].includes(f)).sort();
const peers = files.flatMap((f) => [].concat(require(path.join(__dirname, f))));

/** require() a peer from the user's project (the current directory) or from wherever this package lives. */
function requirePeer(name) {
  let resolved;
  try {
    resolved = require.resolve(name, { paths: [process.cwd(), __dirname] });
  } catch {
    throw skip(`not installed (npm install ${name} to compare with it)`);
  }
  return require(resolved);
}

/** The version from a package's package.json, found next to its resolved entry point. */
function versionOf(name) {
  try {
    let dir = path.dirname(require.resolve(name, { paths: [process.cwd(), __dirname] }));
    for (let i = 0; i < 6; i++, dir = path.dirname(dir)) {
      const p = path.join(dir, 'package.json');
      if (fs.existsSync(p)) {
        const pkg = JSON.parse(fs.readFileSync(p, 'utf8'));
        if (pkg.name === name) return pkg.version;
      }
    }
  } catch { /* unknown */ }
  return 'unknown';
}

function skip(message) {
  const error = new Error(message);
  error.skip = true;
  return error;
}

/** Every backend name a peer provides (for --backend). */
const backendNames = () => peers.flatMap((p) => p.backends);

module.exports = { peers, backendNames, requirePeer, versionOf, skip };
