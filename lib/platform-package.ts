/**
 * Where the prebuilt addons come from: one npm package per platform (`@selu-kernels/linux-x64-gnu`, and
 * `@selu-kernels/linux-x64-gnu-cuda` for the CUDA addon), installed as optionalDependencies of the main
 * package; npm and pnpm pick the one whose os/cpu/libc fields match this machine. Shared by the CPU
 * loader (lib/binding.ts), the CUDA loader (lib/cuda/binding.ts) and the release script, which builds
 * these packages (scripts/release.js): adding a platform is one more entry in PREBUILT_TARGETS.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const PACKAGE_SCOPE = '@selu-kernels';

/** The targets a platform package is published for (`<os>-<cpu>-<libc>`) and the oldest glibc each supports. */
export const PREBUILT_TARGETS: Readonly<Record<string, { minGlibc: string }>> = {
  'linux-x64-gnu': { minGlibc: '2.28' },
};

/** The addon files inside the platform packages. */
export const ADDON_FILES = { cpu: 'selu_kernels.node', cuda: 'selu_kernels_cuda.node' } as const;

/** The machine, as a platform package's os/cpu/libc fields describe it. */
export interface HostPlatform {
  os: string;
  cpu: string;
  /** 'glibc' or 'musl' on Linux, null elsewhere. */
  libc: 'glibc' | 'musl' | null;
  /** The running glibc's version (e.g. '2.36'), null when not glibc. */
  glibcVersion: string | null;
}

export function hostPlatform(): HostPlatform {
  if (process.platform !== 'linux') return { os: process.platform, cpu: process.arch, libc: null, glibcVersion: null };
  let glibc: string | null | undefined;
  return {
    os: 'linux',
    cpu: process.arch,
    libc: libcOfNode() ?? (glibcVersionRuntime() ? 'glibc' : 'musl'),
    // Read only when a message or a check needs it (the report costs tens of milliseconds).
    get glibcVersion() {
      if (glibc === undefined) glibc = glibcVersionRuntime();
      return glibc;
    },
  };
}

/** The glibc this process runs on, from Node's report; null on musl. */
function glibcVersionRuntime(): string | null {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return header?.glibcVersionRuntime ?? null;
}

/** The C library from the dynamic loader named in Node's own ELF header (in its first page); null when not found. */
function libcOfNode(): 'glibc' | 'musl' | null {
  try {
    const head = Buffer.alloc(4096);
    const fd = fs.openSync(process.execPath, 'r');
    try {
      fs.readSync(fd, head, 0, head.length, 0);
    } finally {
      fs.closeSync(fd);
    }
    const text = head.toString('latin1');
    if (text.includes('/ld-musl-')) return 'musl';
    if (text.includes('/ld-linux')) return 'glibc';
  } catch {
    // unreadable: fall back to the report
  }
  return null;
}

/** 'linux-x64-gnu', 'linux-arm64-musl', 'darwin-arm64': the suffix of the package name for this machine. */
export function targetOf(host: HostPlatform): string {
  const libc = host.libc === 'glibc' ? '-gnu' : host.libc === 'musl' ? '-musl' : '';
  return `${host.os}-${host.cpu}${libc}`;
}

/** "linux x64, glibc 2.36" */
export function describeHost(host: HostPlatform): string {
  const libc = host.libc === 'glibc' ? `, glibc ${host.glibcVersion}` : host.libc === 'musl' ? ', musl libc' : '';
  return `${host.os} ${host.cpu}${libc}`;
}

export function packageNameOf(target: string, flavour: 'cpu' | 'cuda'): string {
  return `${PACKAGE_SCOPE}/${target}${flavour === 'cuda' ? '-cuda' : ''}`;
}

/** -1, 0, 1 for dotted versions ('2.17' < '2.28'). */
export function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** This package's own version: the platform packages must have exactly this one. */
export function ownVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** The directory of an installed package and its version, or null when it is not installed. */
export function findPackage(name: string): { dir: string; version: string } | null {
  let manifest: string;
  try {
    manifest = require.resolve(`${name}/package.json`);
  } catch {
    return null;
  }
  const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string };
  return { dir: path.dirname(manifest), version };
}
