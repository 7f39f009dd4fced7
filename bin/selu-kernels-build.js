#!/usr/bin/env node
// npx selu-kernels-build: builds the addons from source inside the installed selu-kernels package, for
// a platform without a prebuilt package (or a glibc older than it supports). Needs a C++17 compiler,
// make and Python 3 (node-gyp); the CUDA addon is built too where nvcc is found. The loader then finds
// build/Release/selu_kernels.node by itself.
//
// The published package ships its gyp file as source-build.gyp, not binding.gyp: pnpm would otherwise
// list the package as one whose build it blocked (it ignores "gypfile": false) and, once approved,
// compile it at every install.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');

/** node-gyp: the one npm runs scripts with, else the one bundled with npm beside this node, else PATH. */
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  for (const file of candidates) if (file && fs.existsSync(file)) return [process.execPath, file];
  return ['node-gyp'];
}

function run(cmd, args) {
  console.log(`selu-kernels-build: ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

const gyp = path.join(root, 'binding.gyp');
const shipped = path.join(root, 'source-build.gyp');
const copied = !fs.existsSync(gyp);
if (copied) fs.copyFileSync(shipped, gyp);
let status;
try {
  const [cmd, ...args] = nodeGyp();
  status = run(cmd, [...args, 'rebuild']);
} finally {
  if (copied) fs.rmSync(gyp);
}
if (status !== 0) {
  console.error('selu-kernels-build: the build failed: a C++17 compiler (g++ or clang++), make and Python 3 are needed');
  process.exit(status);
}
process.exit(run(process.execPath, [path.join(root, 'scripts', 'build-cuda.js'), '--if-available']));
