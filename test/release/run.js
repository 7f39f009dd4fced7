#!/usr/bin/env node
// npm run test:release: installing selu-kernels needs no compiler, with each client a user may have.
//
// 1. `scripts/release.js --reuse-build` writes the release tarballs (reusing the binaries `npm ci` just
//    built from the same sources and flags; the release script strips them).
// 2. A throwaway registry (test/release/registry.js: verdaccio on 127.0.0.1, a free port) proxies the
//    registry `npm config get registry` names; the tarballs are published to it by a throwaway user.
// 3. In a fresh temporary project per client, selu-kernels is installed with npm, npm --ignore-scripts
//    (what npm 12 does by default) and pnpm 10 with its defaults (dependencies' build scripts blocked),
//    with every compiler and build tool on PATH replaced by a trap: running one fails the test.
// 4. In each project: require and import smoke tests (test/release/project/) and `npx selu-bench --quick --backend native,js` (the package's own backends);
//    and one more with npm --omit=optional: no platform package, so the coded error with its fix.
// 5. Install times and tarball sizes go to release/install-times.json and stdout.
// The registry is stopped and the temporary directory removed whatever happens (also on Ctrl-C).
'use strict';
const { spawn, fork } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
const TRAPPED = ['cc', 'gcc', 'g++', 'c++', 'clang', 'clang++', 'make', 'gmake', 'cmake', 'ninja', 'nvcc', 'ld', 'ld.bfd',
  'ld.gold', 'ld.lld', 'python', 'python3', 'node-gyp', 'cmake-js'];
const children = new Set();
const t0 = Date.now();
/** Progress with the seconds since the start, so that a slow step shows. */
const log = (message) => console.log(`test:release [${Math.round((Date.now() - t0) / 1000)} s]: ${message}`);
let tmp;
let registry;

/** Runs a command; resolves with its exit code, output and duration (never rejects on a non-zero exit). */
function exec(cmd, args, { cwd = root, env = process.env, echo = false } = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let output = '';
    const collect = (stream, sink) => stream.on('data', (chunk) => {
      output += chunk;
      if (echo) sink.write(chunk);
    });
    collect(child.stdout, process.stdout);
    collect(child.stderr, process.stderr);
    child.on('error', reject);
    child.on('close', (code) => {
      children.delete(child);
      resolve({ code, output, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    });
  });
}

async function execOk(what, cmd, args, options) {
  const r = await exec(cmd, args, options);
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}): ${cmd} ${args.join(' ')}\n${r.output.slice(-6000)}`);
  return r;
}

function startRegistry(upstream) {
  registry = fork(path.join(__dirname, 'registry.js'), [tmp, upstream], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the registry did not start within 60 s')), 60000);
    registry.once('message', ({ port }) => {
      clearTimeout(timer);
      resolve(`http://127.0.0.1:${port}/`);
    });
    registry.once('exit', (code) => reject(new Error(`the registry exited (code ${code}) before listening`)));
  });
}

/** A throwaway user on the local registry (its htpasswd lives in the temp dir): its token publishes. */
async function createUser(url) {
  const name = 'selu-release-test';
  const response = await fetch(`${url}-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: crypto.randomBytes(16).toString('hex') }),
  });
  const body = await response.json();
  if (!response.ok || !body.token) throw new Error(`the registry refused the test user: ${response.status} ${JSON.stringify(body)}`);
  return body.token;
}

/** Executables that record their call and fail, first on PATH; the environment also points CC/CXX/nvcc at them. */
function trapEnvironment() {
  const bin = path.join(tmp, 'trap-bin');
  const log = path.join(tmp, 'trap.log');
  fs.mkdirSync(bin);
  for (const name of TRAPPED) {
    const file = path.join(bin, name);
    fs.writeFileSync(file, `#!/bin/sh\nprintf '%s\\n' "$0 $*" >> '${log}'\n` +
      `echo "test:release: the build tool $(basename "$0") was run while installing prebuilt packages" >&2\nexit 97\n`);
    fs.chmodSync(file, 0o755);
  }
  // The test's own npm settings (npm run sets npm_config_*) must not leak into the clients.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_(config|package|lifecycle)_/i.test(k)));
  const trap = (name) => path.join(bin, name);
  Object.assign(env, {
    PATH: `${bin}${path.delimiter}${process.env.PATH}`,
    CC: trap('cc'), CXX: trap('c++'), LINK: trap('c++'), CUDACXX: trap('nvcc'), SELU_NVCC: trap('nvcc'), PYTHON: trap('python3'),
    npm_config_update_notifier: 'false',
  });
  return { env, log };
}

/** The traps must catch a compiler that an install runs from a lifecycle script: one that does must fail. */
async function trapSelfCheck(env, log) {
  const dir = path.join(tmp, 'trap-self-check');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'trap-self-check', version: '1.0.0', private: true,
    scripts: { install: 'c++ --version && make --version' } }));
  const r = await exec('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, env });
  if (r.code === 0 || !/c\+\+ --version/.test(trapHits(log))) {
    throw new Error(`the build-tool trap did not catch an install script's compiler call (exit ${r.code}):\n${r.output.slice(-3000)}`);
  }
  fs.rmSync(log);
}

function trapHits(log) {
  return fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim() : '';
}

const CLIENTS = [
  { name: 'npm', slug: 'npm', install: ['npm', ['install', '--no-audit', '--no-fund']] },
  { name: 'npm --ignore-scripts', slug: 'npm-ignore-scripts', install: ['npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts']] },
  {
    name: 'pnpm 10 (defaults)', slug: 'pnpm',
    // The devDependency's own entry point (its package exports only package.json).
    install: [process.execPath, [path.join(path.dirname(require.resolve('pnpm', { paths: [root] })), 'bin', 'pnpm.cjs'), 'install']],
  },
  // Without the platform package: the coded error with its fix, not MODULE_NOT_FOUND.
  { name: 'npm --omit=optional', slug: 'npm-omit-optional', install: ['npm', ['install', '--no-audit', '--no-fund', '--omit=optional']], missing: true },
];

async function installAndSmoke(client, { url, version, env, log, withCuda }) {
  const dir = path.join(tmp, `project-${client.slug}`);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'package.json'),
    `${JSON.stringify({ name: `smoke-${client.slug}`, version: '1.0.0', private: true, dependencies: { 'selu-kernels': version } }, null, 2)}\n`);
  // The scope is routed explicitly (as a user of a private mirror would); everything else goes through it too.
  fs.writeFileSync(path.join(dir, '.npmrc'), `registry=${url}\n@selu-kernels:registry=${url}\n`);
  for (const file of fs.readdirSync(path.join(__dirname, 'project'))) {
    fs.copyFileSync(path.join(__dirname, 'project', file), path.join(dir, file));
  }
  // Cold caches of the test's own, so that the times are comparable and nothing is left behind.
  const cache = path.join(tmp, `cache-${client.slug}`);
  const [cmd, args] = client.install;
  const cacheArgs = cmd === 'npm' ? ['--cache', cache] : ['--store-dir', path.join(tmp, `store-${client.slug}`), '--cache-dir', cache];
  const installed = await execOk(`${client.name} install`, cmd, [...args, ...cacheArgs], { cwd: dir, env });
  const hits = trapHits(log);
  if (hits) throw new Error(`${client.name}: a build tool was run during the install:\n${hits}\n${installed.output.slice(-4000)}`);
  if (/Ignored build scripts:.*selu-kernels/s.test(installed.output)) {
    throw new Error(`${client.name}: pnpm blocked a build script of selu-kernels:\n${installed.output}`);
  }
  if (client.missing) {
    await execOk(`${client.name}: node missing-addon.cjs`, process.execPath, ['missing-addon.cjs'], { cwd: dir, env });
    return { client: client.name, installSeconds: Math.round(installed.seconds * 10) / 10, smoke: [] };
  }
  const results = [];
  for (const script of ['smoke.cjs', 'smoke.mjs']) {
    const r = await execOk(`${client.name}: node ${script}`, process.execPath, [script], { cwd: dir, env });
    results.push(JSON.parse(r.output.trim().split('\n').pop()));
  }
  for (const r of results) {
    // With the CUDA package the addon loads and says why the GPU cannot be used (no driver here); without
    // it, that it is not installed.
    const expected = withCuda ? /^(?!.*(not installed|could not be loaded|not built))/ : /CUDA addon is not installed/;
    if (r.cudaReason !== null && !expected.test(r.cudaReason)) throw new Error(`${client.name}: unexpected cuda.reason: ${r.cudaReason}`);
  }
  // The package's own backends: the peers are not dependencies of this project, and the PyTorch peer
  // would start python3, which the trap counts as a build tool.
  const bench = await execOk(`${client.name}: npx selu-bench --quick`, 'npx', ['--no', '--', 'selu-bench', '--quick', '--backend', 'native,js'],
    { cwd: dir, env });
  if (trapHits(log)) throw new Error(`${client.name}: a build tool was run by the smoke tests:\n${trapHits(log)}`);
  if (!/\bselu\b/.test(bench.output)) throw new Error(`${client.name}: selu-bench --quick printed no selu row:\n${bench.output}`);
  return { client: client.name, installSeconds: Math.round(installed.seconds * 10) / 10, smoke: results };
}

async function main() {
  await execOk('npm run release', process.execPath, [path.join(root, 'scripts', 'release.js'), '--reuse-build'], { echo: true });
  log('release tarballs written');
  const release = JSON.parse(fs.readFileSync(path.join(root, 'release', 'release.json'), 'utf8'));
  const withCuda = release.tarballs.some((t) => t.name.endsWith('-cuda'));
  const upstream = (await execOk('npm config get registry', 'npm', ['config', 'get', 'registry'])).output.trim();

  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'selu-test-release-'));
  const url = await startRegistry(upstream);
  log(`registry ${url} (upstream: the configured npm registry), temp ${tmp}`);
  const publishConfig = path.join(tmp, 'publish.npmrc');
  fs.writeFileSync(publishConfig, `registry=${url}\n${url.replace(/^https?:/, '')}:_authToken=${await createUser(url)}\n`);
  // Platform packages first: the main package's optionalDependencies name them.
  const ordered = [...release.tarballs].sort((a, b) => Number(a.name === 'selu-kernels') - Number(b.name === 'selu-kernels'));
  for (const t of ordered) {
    await execOk(`npm publish ${t.file}`, 'npm',
      ['publish', path.join(root, 'release', t.file), '--userconfig', publishConfig, '--registry', url, '--ignore-scripts', '--access', 'public']);
  }

  log('published the three tarballs');
  const { env, log: trapLog } = trapEnvironment();
  await trapSelfCheck(env, trapLog);
  log('the trap catches an install script calling c++');
  const results = [];
  for (const client of CLIENTS) {
    const r = await installAndSmoke(client, { url, version: release.version, env, log: trapLog, withCuda });
    log(`${r.client}: installed in ${r.installSeconds} s, no build tool run; ` + (client.missing
      ? 'require throws ERR_SELU_ADDON_NOT_LOADED with the install command'
      : `require, import and selu-bench --quick OK (SIMD ${r.smoke[0].simd}; cuda.reason: ${r.smoke[0].cudaReason})`));
    results.push(r);
  }
  const report = {
    date: new Date().toISOString(), cpu: os.cpus()[0].model, node: process.version, version: release.version,
    tarballs: release.tarballs.map(({ file, size, unpackedSize }) => ({ file, size, unpackedSize })),
    installs: results.map(({ client, installSeconds }) => ({ client, installSeconds })),
    totalSeconds: Math.round((Date.now() - t0) / 1000),
  };
  fs.writeFileSync(path.join(root, 'release', 'install-times.json'), `${JSON.stringify(report, null, 2)}\n`);
  log(`passed (release/install-times.json)`);
}

let cleaned = false;
function cleanup() {
  if (cleaned) return;
  cleaned = true;
  for (const child of children) child.kill('SIGTERM');
  if (registry && registry.exitCode === null) registry.kill('SIGTERM');
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    cleanup();
    process.exit(128 + os.constants.signals[signal]);
  });
}
main().then(
  () => cleanup(),
  (error) => {
    cleanup();
    console.error(`test:release: FAILED: ${error.stack || error.message}`);
    process.exitCode = 1;
  },
);
