// The op registry: every other file in bench/ops/ is one op family. A new op is one entry in its
// family's file (or a new file); selu-bench, `npm run bench` and the chart pick it up from here.
//
// A family file exports (lib) => ({ order, ops: [entry, ...] }), where lib is the loaded package and
// an entry is:
//   name         the library function and the name --ops takes
//   family       --ops also takes a family name, meaning all of its ops
//   description  one line, for --list
//   bytes        bytes moved per float32 element as REFERENCE.md §7 counts them (float64 doubles it),
//                or a function (dtype) => bytes per element
//   roofline     'copy' (read one array, write one), 'read' (a read-only pass) or 'write' (a fill):
//                the same-size memory pass the op is reported as a percentage of
//   dtypes       optional, default ['float32', 'float64']; an op with no float data lists ['uint8']
//   inDefault    part of the default run
//   sync(d)      the native call; d holds shared arrays for (dtype, N): d.x, d.g (inputs, never
//                written), d.out, d.out2, d.mask (outputs), d.n, d.dtype, d.Ctor
//   async(d)     the same through the Promise API
//   js(d)        optional: the plain JavaScript loop a user would write, the speed-up baseline
//   peer         optional: the math peers implement under that name ('selu'), so onnxruntime-node
//                and tfjs are benchmarked for this op
//   variants     optional: more native variants [{ name, sync, async }], run with --variants all
//   cuda(d, dev) optional: { sync, async } on the CUDA backend, given device-array helpers (bench/backends/cuda.js)
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOFLINES = ['copy', 'read', 'write'];
const DEFAULT_DTYPES = ['float32', 'float64'];
const FLOAT_BYTES = { float32: 4, float64: 8, uint8: 1 };

function check(op, file) {
  const where = `bench/ops/${file}: op ${op.name || '(no name)'}`;
  for (const key of ['name', 'family', 'roofline']) {
    if (typeof op[key] !== 'string') throw new Error(`${where}: '${key}' must be a string`);
  }
  if (!ROOFLINES.includes(op.roofline)) throw new Error(`${where}: roofline must be one of ${ROOFLINES.join(', ')}`);
  if (typeof op.bytes !== 'number' && typeof op.bytes !== 'function') throw new Error(`${where}: 'bytes' must be a number or a function`);
  if (typeof op.sync !== 'function') throw new Error(`${where}: 'sync' must be a function`);
}

/** Loads every family file for `lib`; ops in family order, then file order. */
function load(lib) {
  const families = fs.readdirSync(__dirname)
    .filter((f) => f.endsWith('.js') && f !== 'index.js')
    .map((file) => ({ file, ...require(path.join(__dirname, file))(lib) }))
    .sort((p, q) => (p.order ?? 100) - (q.order ?? 100) || p.file.localeCompare(q.file));
  const ops = [];
  const seen = new Set();
  for (const fam of families) {
    for (const op of fam.ops) {
      check(op, fam.file);
      if (seen.has(op.name)) throw new Error(`bench/ops/${fam.file}: op ${op.name} is defined twice`);
      seen.add(op.name);
      ops.push(Object.freeze({ dtypes: DEFAULT_DTYPES, variants: [], inDefault: false, ...op, file: fam.file }));
    }
  }
  return ops;
}

/** Bytes moved per element of `dtype` (REFERENCE.md §7 counts float32; float64 moves twice as much). */
function bytesPerElement(op, dtype) {
  if (typeof op.bytes === 'function') return op.bytes(dtype);
  return (op.bytes * FLOAT_BYTES[dtype]) / 4;
}

/**
 * The ops named by a list of op names, family names, 'default' and 'all' (in registry order).
 * Throws an Error whose message names the unknown entries and what is known.
 */
function select(ops, names) {
  const chosen = new Set();
  const unknown = [];
  for (const name of names) {
    if (name === 'all') ops.forEach((o) => chosen.add(o.name));
    else if (name === 'default') ops.filter((o) => o.inDefault).forEach((o) => chosen.add(o.name));
    else if (ops.some((o) => o.name === name)) chosen.add(name);
    else if (ops.some((o) => o.family === name)) ops.filter((o) => o.family === name).forEach((o) => chosen.add(o.name));
    else unknown.push(name);
  }
  if (unknown.length) {
    const families = [...new Set(ops.map((o) => o.family))];
    throw new Error(`unknown op${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `'${u}'`).join(', ')}; `
      + `known ops: ${ops.map((o) => o.name).join(', ')}; families: ${families.join(', ')}; or 'default', 'all'`);
  }
  return ops.filter((o) => chosen.has(o.name));
}

module.exports = { load, select, bytesPerElement, FLOAT_BYTES };
