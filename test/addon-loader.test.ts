/**
 * The CPU addon's loader (lib/binding.ts loadAddon): SELU_KERNELS_ADDON, then the platform package, then
 * the source build; every way it can fail ends in ERR_SELU_ADDON_NOT_LOADED naming the platform, the
 * package it expected, the cause and the command that fixes it. The machine is faked; the real one is
 * exercised by every other test (the source build) and by test/release (the platform package).
 */
import * as path from 'node:path';
import { loadAddon, type AddonLoaderHost } from '../lib/binding';
import { hostPlatform, targetOf, type HostPlatform } from '../lib/platform-package';

const LINUX: HostPlatform = { os: 'linux', cpu: 'x64', libc: 'glibc', glibcVersion: '2.36' };
const PKG_DIR = '/app/node_modules/@selu-kernels/linux-x64-gnu';
const PKG_FILE = path.join(PKG_DIR, 'selu_kernels.node');
const LOCAL = '/app/node_modules/selu-kernels/build/Release/selu_kernels.node';
const ADDON = { simdLevel: () => 'avx2' };

/** A machine where `files` load (value: the module) or fail (value: an Error), and `installed` packages exist. */
function fake(options: {
  host?: HostPlatform; env?: Record<string, string>; installed?: Record<string, string>; files?: Record<string, object | Error>;
}): AddonLoaderHost & { loaded: string[] } {
  const files = options.files ?? {};
  const loaded: string[] = [];
  return {
    loaded,
    env: options.env ?? {},
    host: options.host ?? LINUX,
    version: '0.1.0',
    localFile: LOCAL,
    findPackage: (name) => {
      const version = options.installed?.[name];
      return version === undefined ? null : { dir: `/app/node_modules/${name}`, version };
    },
    exists: (file) => file in files,
    load: (file) => {
      loaded.push(file);
      const m = files[file];
      if (m === undefined) throw Object.assign(new Error(`Cannot find module '${file}'`), { code: 'MODULE_NOT_FOUND' });
      if (m instanceof Error) throw m;
      return m;
    },
  };
}

function failure(host: AddonLoaderHost): Error & { code?: string } {
  try {
    loadAddon(host);
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('loadAddon did not throw');
}

const INSTALLED = { '@selu-kernels/linux-x64-gnu': '0.1.0' };

describe('where the addon comes from', () => {
  test('the platform package comes first', () => {
    const host = fake({ installed: INSTALLED, files: { [PKG_FILE]: ADDON, [LOCAL]: { other: true } } });
    expect(loadAddon(host)).toEqual({ binding: ADDON, file: PKG_FILE });
  });

  test('the source build when the package is not installed (a development checkout)', () => {
    expect(loadAddon(fake({ files: { [LOCAL]: ADDON } }))).toEqual({ binding: ADDON, file: LOCAL });
  });

  test('the source build when the package fails to load', () => {
    const host = fake({ installed: INSTALLED, files: { [PKG_FILE]: new Error('bad ELF'), [LOCAL]: ADDON } });
    expect(loadAddon(host).file).toBe(LOCAL);
  });

  test('SELU_KERNELS_ADDON overrides both, and its failure is not hidden by a fallback', () => {
    const files = { '/x/sanitized.node': ADDON, [PKG_FILE]: { other: true }, [LOCAL]: { other: true } };
    expect(loadAddon(fake({ env: { SELU_KERNELS_ADDON: '/x/sanitized.node' }, installed: INSTALLED, files })).file).toBe('/x/sanitized.node');
    const e = failure(fake({ env: { SELU_KERNELS_ADDON: '/x/missing.node' }, installed: INSTALLED, files }));
    expect(e.code).toBe('ERR_SELU_ADDON_NOT_LOADED');
    expect(e.message).toMatch(/SELU_KERNELS_ADDON=\/x\/missing\.node .*could not be loaded \(Cannot find module/);
    expect(e.message).toMatch(/Fix: point SELU_KERNELS_ADDON at a built selu_kernels\.node, or unset it/);
  });
});

describe('ERR_SELU_ADDON_NOT_LOADED: platform, expected package, cause, fix', () => {
  test('optional dependencies skipped, or a lockfile from another platform', () => {
    const e = failure(fake({}));
    expect(e.code).toBe('ERR_SELU_ADDON_NOT_LOADED');
    expect(e.message).toMatch(/on linux x64, glibc 2\.36 \(expected the package @selu-kernels\/linux-x64-gnu@0\.1\.0\)/);
    expect(e.message).toMatch(/Cause: @selu-kernels\/linux-x64-gnu is not installed: optional dependencies were skipped .*lockfile was written on another platform/);
    expect(e.message).toMatch(/Fix: `npm install @selu-kernels\/linux-x64-gnu@0\.1\.0`, or build it from source with `npx selu-kernels-build`/);
    expect(e.message).not.toMatch(/MODULE_NOT_FOUND|Cannot find module/);
  });

  test('a platform package of another version', () => {
    const e = failure(fake({ installed: { '@selu-kernels/linux-x64-gnu': '0.0.9' }, files: { [PKG_FILE]: ADDON } }));
    expect(e.message).toMatch(/Cause: @selu-kernels\/linux-x64-gnu@0\.0\.9 is installed, but selu-kernels 0\.1\.0 needs exactly version 0\.1\.0/);
    expect(e.message).toMatch(/Fix: `npm install @selu-kernels\/linux-x64-gnu@0\.1\.0`/);
  });

  test('a glibc older than the prebuilt binary supports', () => {
    const old: HostPlatform = { ...LINUX, glibcVersion: '2.17' };
    const glibcError = new Error("/lib64/libc.so.6: version `GLIBC_2.28' not found");
    const e = failure(fake({ host: old, installed: INSTALLED, files: { [PKG_FILE]: glibcError } }));
    expect(e.message).toMatch(/on linux x64, glibc 2\.17/);
    expect(e.message).toMatch(/Cause: this system's glibc 2\.17 is older than 2\.28, the oldest the prebuilt binary supports \(.*GLIBC_2\.28' not found\)/);
    expect(e.message).toMatch(/Fix: build it from source with `npx selu-kernels-build`/);
    expect(e.cause).toBe(glibcError);
  });

  test('any other load error, with its text', () => {
    const e = failure(fake({ installed: INSTALLED, files: { [PKG_FILE]: new Error('invalid ELF header') } }));
    expect(e.message).toMatch(/Cause: .*linux-x64-gnu\/selu_kernels\.node failed to load \(invalid ELF header\)/);
    expect(e.message).toMatch(/Fix: reinstall it with `npm install @selu-kernels\/linux-x64-gnu@0\.1\.0 --force`, or build it from source/);
  });

  test('a broken source build is reported beside the package cause', () => {
    const e = failure(fake({ files: { [LOCAL]: new Error('undefined symbol: foo') } }));
    expect(e.message).toMatch(/not installed: .*; the source build .*selu_kernels\.node failed to load too \(undefined symbol: foo\)/);
  });

  test('musl libc (Alpine): wrong libc, build from source', () => {
    const e = failure(fake({ host: { os: 'linux', cpu: 'x64', libc: 'musl', glibcVersion: null } }));
    expect(e.message).toMatch(/on linux x64, musl libc \(expected the package @selu-kernels\/linux-x64-musl@0\.1\.0\)/);
    expect(e.message).toMatch(/Cause: no prebuilt binary is published for musl libc .*linux-x64-gnu needs glibc 2\.28 or newer/);
    expect(e.message).toMatch(/Fix: build it from source with `npx selu-kernels-build`/);
  });

  test('a platform without a prebuilt package', () => {
    const e = failure(fake({ host: { os: 'darwin', cpu: 'arm64', libc: null, glibcVersion: null } }));
    expect(e.message).toMatch(/on darwin arm64 \(expected the package @selu-kernels\/darwin-arm64@0\.1\.0\)/);
    expect(e.message).toMatch(/Cause: no prebuilt binary is published for darwin-arm64 \(prebuilt: linux-x64-gnu\)/);
  });
});

test('this machine is detected as the platform the prebuilt package is for', () => {
  const host = hostPlatform();
  expect(targetOf(host)).toBe('linux-x64-gnu');
  expect(host.glibcVersion).toMatch(/^2\.\d+$/);
});
