#!/usr/bin/env node
// npm run release: the three tarballs a release publishes, in release/:
//   selu-kernels-<v>.tgz                    the JS, the sources (for a source build) and no binary
//   selu-kernels-linux-x64-gnu-<v>.tgz      @selu-kernels/linux-x64-gnu: the CPU addon, stripped
//   selu-kernels-linux-x64-gnu-cuda-<v>.tgz @selu-kernels/linux-x64-gnu-cuda: the CUDA addon (only where nvcc is)
// and release/release.json (names, versions, sizes).
//
// The version is package.json's: the platform packages get the same one, and the main package lists them
// in optionalDependencies at exactly that version. They are added to the published package.json only:
// the repository's own package.json cannot list packages that are not published yet (`npm ci` would fail).
// A new platform is one more entry in PREBUILT_TARGETS (lib/platform-package.ts), built on that platform.
//
//   --reuse-build   use build/Release and build-cuda/Release when present (CI: `npm ci` has just built them
//                   from the same sources and flags) instead of rebuilding them
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const out = path.join(root, 'release');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const reuse = process.argv.includes('--reuse-build');

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: options.capture ? 'pipe' : 'inherit', ...options });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`release: \`${cmd} ${args.join(' ')}\` failed (exit ${r.status})\n${r.stderr || ''}`);
  return r.stdout;
}
const npm = (args, options) => run(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, options);

const cpuAddon = path.join(root, 'build', 'Release', 'selu_kernels.node');
const cudaAddon = path.join(root, 'build-cuda', 'Release', 'selu_kernels_cuda.node');
function cudaBuildStatus() {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'build-cuda', 'cuda-build.json'), 'utf8'));
  } catch {
    return { status: 'none' };
  }
}

// 1. The binaries (the CUDA one where nvcc exists) and dist/.
const cudaReusable = fs.existsSync(cudaAddon) || cudaBuildStatus().status === 'skipped';
if (!reuse || !fs.existsSync(cpuAddon) || !cudaReusable) npm(['run', 'build:addon']);
npm(['run', 'build:ts']);
const cuda = cudaBuildStatus();
if (cuda.status === 'failed') throw new Error(`release: the CUDA addon failed to build: ${cuda.reason}`);
const withCuda = cuda.status === 'built' && fs.existsSync(cudaAddon);

const { ADDON_FILES, PREBUILT_TARGETS, hostPlatform, packageNameOf, targetOf } = require('../dist/platform-package.js');
const host = hostPlatform();
const target = targetOf(host);
if (PREBUILT_TARGETS[target] === undefined) {
  throw new Error(`release: ${target} is not a prebuilt target (PREBUILT_TARGETS in lib/platform-package.ts: ${Object.keys(PREBUILT_TARGETS)})`);
}

const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'selu-release-'));
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out);
const tarballs = [];
function pack(dir) {
  const [info] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', out], { cwd: dir, capture: true }));
  tarballs.push({ file: info.filename, name: info.name, version: info.version, size: info.size, unpackedSize: info.unpackedSize });
}
const writeJson = (file, value) => fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

try {
  // 2. The platform packages: one stripped binary each, installable only where os/cpu/libc match.
  const platformPackages = [['cpu', cpuAddon], ...(withCuda ? [['cuda', cudaAddon]] : [])];
  const optionalDependencies = {};
  for (const [flavour, binary] of platformPackages) {
    const name = packageNameOf(target, flavour);
    const dir = path.join(stage, name.replace('/', '+'));
    fs.mkdirSync(dir);
    const file = ADDON_FILES[flavour];
    run('strip', ['--strip-unneeded', '-o', path.join(dir, file), binary]);
    writeJson(path.join(dir, 'package.json'), {
      name,
      version: pkg.version,
      description: `The prebuilt ${flavour === 'cuda' ? 'CUDA' : 'CPU'} addon of selu-kernels for ${target} (installed by selu-kernels)`,
      license: pkg.license,
      os: [host.os],
      cpu: [host.cpu],
      ...(host.libc ? { libc: [host.libc] } : {}),
      main: file,
      files: [file],
      engines: pkg.engines,
    });
    pack(dir);
    optionalDependencies[name] = pkg.version;
  }

  // 3. The main package: what `files` selects, with the optional dependencies and without the
  // development fields; the gyp file renamed (see bin/selu-kernels-build.js).
  const dir = path.join(stage, 'selu-kernels');
  const [listing] = JSON.parse(npm(['pack', '--dry-run', '--ignore-scripts', '--json'], { capture: true }));
  for (const { path: file } of listing.files) {
    if (file === 'package.json') continue;
    const dest = path.join(dir, file === 'binding.gyp' ? 'source-build.gyp' : file);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(path.join(root, file), dest);
  }
  const published = { ...pkg, files: pkg.files.map((f) => (f === 'binding.gyp' ? 'source-build.gyp' : f)), optionalDependencies };
  for (const field of ['scripts', 'devDependencies', 'allowScripts']) delete published[field];
  writeJson(path.join(dir, 'package.json'), published);
  pack(dir);
} finally {
  fs.rmSync(stage, { recursive: true, force: true });
}

writeJson(path.join(out, 'release.json'), { version: pkg.version, target, tarballs });
for (const t of tarballs) {
  console.log(`release/${t.file}: ${(t.size / 1e6).toFixed(2)} MB (unpacked ${(t.unpackedSize / 1e6).toFixed(2)} MB)`);
}
if (!withCuda) console.log(`release: no CUDA package (${cuda.reason || 'the CUDA addon was not built'})`);
