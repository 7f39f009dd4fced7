// The op registry: every other file in bench/ops/ is one op family. The ops and how they are called
// come from the library's op table (lib/ops, built to dist/ops): an entry names an op of the table and
// adds what only the benchmark knows (bytes, roofline, baselines, peers, variants); its sync and async
// calls are derived from the op's argument list. Every op of the table must have an entry here, so a
// new op is one entry in its family's file (or a new file); selu-bench, `npm run bench` and the chart
// pick it up from here.
//
// A family file exports (lib) => ({ order, ops: [entry, ...] }), where lib is the loaded package and
// an entry is:
//   name         the library function and the name --ops takes
//   family       --ops also takes a family name, meaning all of its ops
//   description  one line, for --list
//   bytes        bytes moved per float32 element as docs/MEMORY-TRAFFIC.md counts them (float64 doubles it),
//                or a function (dtype) => bytes per element
//   roofline     'copy' (read one array, write one), 'read' (a read-only pass) or 'write' (a fill):
//                the same-size memory pass the op is reported as a percentage of
//   dtypes       optional, default ['float32', 'float64', 'float16', 'bfloat16']; an op with no float data lists ['uint8']
//   inDefault    part of the default run
//   options(d)   optional: the options object of the call; d holds shared arrays for (dtype, N):
//                d.x, d.g (inputs, never written), d.out, d.out2, d.mask (outputs), d.n, d.dtype, d.Ctor
//   sync(d), async(d)  derived: lib[name] and lib[name + 'Async'] on the op table's arguments
//                (x: d.x, gradOutput: d.g, input: d.x, length: d.n, options: options(d))
//   sync16(d), async16(d)  derived: the same on 16-bit data, with options(d) plus { dtype: d.dtype }
//   js(d)        optional: the plain JavaScript loop a user would write, the speed-up baseline
//   peer         optional: the math peers implement under that name ('selu'), so onnxruntime-node
//                and tfjs are benchmarked for this op
//   variants     optional: more native variants [{ name, sync, async }], run with --variants all
//   cuda(d, dev) optional: { sync, async } on the CUDA backend, given device-array helpers (bench/backends/cuda.js)
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOFLINES = ['copy', 'read', 'write'];
const DEFAULT_DTYPES = ['float32', 'float64', 'float16', 'bfloat16'];
const FLOAT_BYTES = { float32: 4, float64: 8, float16: 2, bfloat16: 2, uint8: 1 };

/** Where each argument of the op table's signatures comes from in the shared data d. */
const ARGUMENTS = { x: (d) => d.x, gradOutput: (d) => d.g, input: (d) => d.x, length: (d) => d.n };

/** The op table's signatures (name and argument names), from the built library next to this bench. */
function signatures() {
  return require(path.join(__dirname, '..', '..', 'dist', 'ops')).OP_SIGNATURES;
}

/**
 * An entry's sync and async calls, from its op's signature; with `half`, the calls on 16-bit data (its
 * options with the dtype added: built per call only on that path).
 */
function derive(lib, op, signature, where, half = false) {
  const options = op.options ?? (() => undefined);
  const args = signature.args.map((a) => {
    if (a === 'options') return half ? (d) => ({ ...options(d), dtype: d.dtype }) : options;
    if (!ARGUMENTS[a]) throw new Error(`${where}: no data for argument '${a}'`);
    return ARGUMENTS[a];
  });
  const sync = lib[op.name];
  const async = lib[`${op.name}Async`];
  // Spelled out per arity: no argument array built per call (it would show in the N = 1 figures).
  const [a, b, c] = args;
  if (args.length === 2) return { sync: (d) => sync(a(d), b(d)), async: (d) => async(a(d), b(d)) };
  if (args.length === 3) return { sync: (d) => sync(a(d), b(d), c(d)), async: (d) => async(a(d), b(d), c(d)) };
  throw new Error(`${where}: ${args.length} arguments (only 2 or 3 are supported)`);
}

function check(op, file) {
  const where = `bench/ops/${file}: op ${op.name || '(no name)'}`;
  for (const key of ['name', 'family', 'roofline']) {
    if (typeof op[key] !== 'string') throw new Error(`${where}: '${key}' must be a string`);
  }
  if (!ROOFLINES.includes(op.roofline)) throw new Error(`${where}: roofline must be one of ${ROOFLINES.join(', ')}`);
  if (typeof op.bytes !== 'number' && typeof op.bytes !== 'function') throw new Error(`${where}: 'bytes' must be a number or a function`);
  if (op.options !== undefined && typeof op.options !== 'function') throw new Error(`${where}: 'options' must be a function of d`);
}

/** Loads every family file for `lib`; ops in family order, then file order. */
function load(lib) {
  const families = fs.readdirSync(__dirname)
    .filter((f) => f.endsWith('.js') && f !== 'index.js')
    .map((file) => ({ file, ...require(path.join(__dirname, file))(lib) }))
    .sort((p, q) => (p.order ?? 100) - (q.order ?? 100) || p.file.localeCompare(q.file));
  const table = new Map(signatures().map((s) => [s.name, s]));
  const ops = [];
  for (const fam of families) {
    for (const op of fam.ops) {
      check(op, fam.file);
      const where = `bench/ops/${fam.file}: op ${op.name}`;
      if (!table.has(op.name)) throw new Error(`${where} is not in the library's op table (lib/ops)`);
      if (ops.some((o) => o.name === op.name)) throw new Error(`${where} is defined twice`);
      const half = derive(lib, op, table.get(op.name), where, true);
      ops.push(Object.freeze({ dtypes: DEFAULT_DTYPES, variants: [], inDefault: false, ...op, ...derive(lib, op, table.get(op.name), where),
        sync16: half.sync, async16: half.async, file: fam.file }));
    }
  }
  const missing = [...table.keys()].filter((name) => !ops.some((o) => o.name === name));
  if (missing.length) throw new Error(`bench/ops: no entry for the op table's ${missing.join(', ')} (add one to its family's file)`);
  return ops;
}

/** Bytes moved per element of `dtype` (docs/MEMORY-TRAFFIC.md counts float32; float64 moves twice as much, 16-bit half). */
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
