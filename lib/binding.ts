/**
 * Loads the CPU addon once: the prebuilt one from its platform package, or a source build, with one
 * coded error that says what to do when neither loads. SELU_KERNELS_ADDON may name another build of it
 * (the cmake-js one, a sanitizer build).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SeluKernelConstants } from './constants';
import { ErrorCode } from './errors';
import {
  ADDON_FILES, compareVersions, describeHost, findPackage, hostPlatform, ownVersion, packageNameOf, PREBUILT_TARGETS, targetOf,
  type HostPlatform,
} from './platform-package';

type FloatArray = Float32Array | Float64Array;
/** The addon's 16-bit format codes: 1 = float16 (IEEE binary16), 2 = bfloat16. */
type HalfFormat = 1 | 2;

export interface NativeBinding {
  simdLevel(): 'avx512' | 'avx2' | 'scalar';
  detectedSimdLevel(): 'avx512' | 'avx2' | 'scalar';
  threads(): number;
  setThreads(n: number): void;
  readonly maxThreads: number;
  isDetached(buffer: ArrayBufferLike): boolean;
  // k = seluKernelConstants(alpha, scale) spread: scaleHi, scaleLo, scaleAlphaHi, scaleAlphaLo.
  selu<T extends FloatArray>(x: T, out: T, ...k: SeluKernelConstants): T;
  seluAsync<T extends FloatArray>(x: T, out: T, ...k: SeluKernelConstants): Promise<T>;
  seluBackward<T extends FloatArray>(grad: T, x: T, out: T, ...k: SeluKernelConstants): T;
  seluBackwardAsync<T extends FloatArray>(grad: T, x: T, out: T, ...k: SeluKernelConstants): Promise<T>;
  // Alpha-dropout (lib/dropout.ts): seed and offset in [0, 2^64), a, b, dropped from lib/theory.
  alphaDropout<T extends FloatArray>(x: T, out: T, seed: bigint, offset: bigint, rate: number, a: number, b: number, dropped: number): T;
  alphaDropoutAsync<T extends FloatArray>(x: T, out: T, seed: bigint, offset: bigint, rate: number, a: number, b: number, dropped: number): Promise<T>;
  alphaDropoutBackward<T extends FloatArray>(grad: T, out: T, seed: bigint, offset: bigint, rate: number, a: number): T;
  alphaDropoutBackwardAsync<T extends FloatArray>(grad: T, out: T, seed: bigint, offset: bigint, rate: number, a: number): Promise<T>;
  alphaDropoutMask(mask: Uint8Array, seed: bigint, offset: bigint, rate: number): Uint8Array;
  alphaDropoutMaskAsync(mask: Uint8Array, seed: bigint, offset: bigint, rate: number): Promise<Uint8Array>;
  seluAlphaDropout<T extends FloatArray>(x: T, out: T, seed: bigint, offset: bigint, rate: number, a: number, b: number, dropped: number, ...k: SeluKernelConstants): T;
  seluAlphaDropoutAsync<T extends FloatArray>(x: T, out: T, seed: bigint, offset: bigint, rate: number, a: number, b: number, dropped: number, ...k: SeluKernelConstants): Promise<T>;
  seluAlphaDropoutBackward<T extends FloatArray>(grad: T, x: T, out: T, seed: bigint, offset: bigint, rate: number, a: number, ...k: SeluKernelConstants): T;
  seluAlphaDropoutBackwardAsync<T extends FloatArray>(grad: T, x: T, out: T, seed: bigint, offset: bigint, rate: number, a: number, ...k: SeluKernelConstants): Promise<T>;
  // Moments (lib/moments.ts): axis -1 = all values; mean and variance get one slot per group.
  moments(x: FloatArray, mean: Float64Array, variance: Float64Array, rows: number, cols: number, axis: -1 | 0 | 1, correction: 0 | 1): Float64Array;
  momentsAsync(x: FloatArray, mean: Float64Array, variance: Float64Array, rows: number, cols: number, axis: -1 | 0 | 1, correction: 0 | 1): Promise<Float64Array>;
  seluMoments<T extends FloatArray>(x: T, out: T, mean: Float64Array, variance: Float64Array, rows: number, cols: number, axis: -1 | 0 | 1, correction: 0 | 1, ...k: SeluKernelConstants): T;
  seluMomentsAsync<T extends FloatArray>(x: T, out: T, mean: Float64Array, variance: Float64Array, rows: number, cols: number, axis: -1 | 0 | 1, correction: 0 | 1, ...k: SeluKernelConstants): Promise<T>;
  // 16-bit twins (format 1 = float16, 2 = bfloat16): the data arrays are Uint16Arrays of the raw bits,
  // the other arguments those of the entry above; computed in float32, rounded once to the format.
  selu16(format: HalfFormat, x: Uint16Array, out: Uint16Array, ...k: SeluKernelConstants): Uint16Array;
  selu16Async(format: HalfFormat, x: Uint16Array, out: Uint16Array, ...k: SeluKernelConstants): Promise<Uint16Array>;
  seluBackward16(format: HalfFormat, grad: Uint16Array, x: Uint16Array, out: Uint16Array, ...k: SeluKernelConstants): Uint16Array;
  seluBackward16Async(format: HalfFormat, grad: Uint16Array, x: Uint16Array, out: Uint16Array, ...k: SeluKernelConstants): Promise<Uint16Array>;
  alphaDropout16(format: HalfFormat, x: Uint16Array, out: Uint16Array, seed: bigint, offset: bigint, rate: number, a: number, b: number, dropped: number): Uint16Array;
  alphaDropout16Async(format: HalfFormat, x: Uint16Array, out: Uint16Array, seed: bigint, offset: bigint, rate: number, a: number, b: number, dropped: number): Promise<Uint16Array>;
  alphaDropoutBackward16(format: HalfFormat, grad: Uint16Array, out: Uint16Array, seed: bigint, offset: bigint, rate: number, a: number): Uint16Array;
  alphaDropoutBackward16Async(format: HalfFormat, grad: Uint16Array, out: Uint16Array, seed: bigint, offset: bigint, rate: number, a: number): Promise<Uint16Array>;
  seluAlphaDropout16(format: HalfFormat, x: Uint16Array, out: Uint16Array, seed: bigint, offset: bigint, rate: number, a: number, b: number, dropped: number, ...k: SeluKernelConstants): Uint16Array;
  seluAlphaDropout16Async(format: HalfFormat, x: Uint16Array, out: Uint16Array, seed: bigint, offset: bigint, rate: number, a: number, b: number, dropped: number, ...k: SeluKernelConstants): Promise<Uint16Array>;
  seluAlphaDropoutBackward16(format: HalfFormat, grad: Uint16Array, x: Uint16Array, out: Uint16Array, seed: bigint, offset: bigint, rate: number, a: number, ...k: SeluKernelConstants): Uint16Array;
  seluAlphaDropoutBackward16Async(format: HalfFormat, grad: Uint16Array, x: Uint16Array, out: Uint16Array, seed: bigint, offset: bigint, rate: number, a: number, ...k: SeluKernelConstants): Promise<Uint16Array>;
  moments16(format: HalfFormat, x: Uint16Array, mean: Float64Array, variance: Float64Array, rows: number, cols: number, axis: -1 | 0 | 1, correction: 0 | 1): Float64Array;
  moments16Async(format: HalfFormat, x: Uint16Array, mean: Float64Array, variance: Float64Array, rows: number, cols: number, axis: -1 | 0 | 1, correction: 0 | 1): Promise<Float64Array>;
  seluMoments16(format: HalfFormat, x: Uint16Array, out: Uint16Array, mean: Float64Array, variance: Float64Array, rows: number, cols: number, axis: -1 | 0 | 1, correction: 0 | 1, ...k: SeluKernelConstants): Uint16Array;
  seluMoments16Async(format: HalfFormat, x: Uint16Array, out: Uint16Array, mean: Float64Array, variance: Float64Array, rows: number, cols: number, axis: -1 | 0 | 1, correction: 0 | 1, ...k: SeluKernelConstants): Promise<Uint16Array>;
  // Conversions: exact widening; narrowing rounds to nearest even (NaN stays NaN). Same lengths.
  toFloat32(format: HalfFormat, src: Uint16Array, dst: Float32Array): Float32Array;
  fromFloat32(format: HalfFormat, src: Float32Array, dst: Uint16Array): Uint16Array;
}

const SIMD_LEVELS = ['scalar', 'avx2', 'avx512'];

/** What the loader needs from the outside world (the real one in production, fakes in test/addon-loader.test.ts). */
export interface AddonLoaderHost {
  env: Record<string, string | undefined>;
  host: HostPlatform;
  /** This package's version: the platform package must have exactly this one. */
  version: string;
  /** The source build: build/Release/selu_kernels.node beside dist/. */
  localFile: string;
  findPackage(name: string): { dir: string; version: string } | null;
  exists(file: string): boolean;
  load(file: string): unknown;
}

function notLoaded(host: AddonLoaderHost, expected: string, cause: string, fix: string, error?: unknown): Error {
  const message = `selu-kernels: the native addon could not be loaded on ${describeHost(host.host)} (expected the package ${expected}). ` +
    `Cause: ${cause}. Fix: ${fix}`;
  return Object.assign(new Error(message, error === undefined ? undefined : { cause: error }), { code: ErrorCode.ADDON_NOT_LOADED });
}

const BUILD_COMMAND = 'build it from source with `npx selu-kernels-build` (needs a C++17 compiler, make and Python 3)';

/**
 * The addon, from the first of: SELU_KERNELS_ADDON (a path; when set, nothing else is tried), the
 * platform package (@selu-kernels/<os>-<cpu>-<libc>), the source build (build/Release). When none
 * loads, one ERR_SELU_ADDON_NOT_LOADED that names the platform, the package, the cause and the fix.
 */
export function loadAddon(host: AddonLoaderHost): { binding: NativeBinding; file: string } {
  const target = targetOf(host.host);
  const name = packageNameOf(target, 'cpu');
  const expected = `${name}@${host.version}`;
  const tryLoad = (file: string): { binding: NativeBinding; file: string } | Error => {
    try {
      return { binding: host.load(file) as NativeBinding, file };
    } catch (error) {
      return error as Error;
    }
  };

  const override = host.env.SELU_KERNELS_ADDON;
  if (override) {
    const file = path.resolve(override);
    const r = tryLoad(file);
    if (!(r instanceof Error)) return r;
    throw notLoaded(host, expected, `SELU_KERNELS_ADDON=${override} names ${file}, which could not be loaded (${r.message})`,
      'point SELU_KERNELS_ADDON at a built selu_kernels.node, or unset it to use the installed addon', r);
  }

  const prebuilt = PREBUILT_TARGETS[target];
  let cause: string;
  let fix = `\`npm install ${expected}\`, or ${BUILD_COMMAND}`;
  let error: Error | undefined;
  if (prebuilt === undefined) {
    const glibcTwin = target.replace(/-musl$/, '-gnu');
    cause = host.host.libc === 'musl' && PREBUILT_TARGETS[glibcTwin] !== undefined
      ? `no prebuilt binary is published for musl libc (e.g. Alpine): ${packageNameOf(glibcTwin, 'cpu')} needs glibc ${PREBUILT_TARGETS[glibcTwin].minGlibc} or newer`
      : `no prebuilt binary is published for ${target} (prebuilt: ${Object.keys(PREBUILT_TARGETS).join(', ')})`;
    fix = BUILD_COMMAND;
  } else {
    const installed = host.findPackage(name);
    if (installed === null) {
      cause = `${name} is not installed: optional dependencies were skipped (--omit=optional, --no-optional, or a package manager ` +
        'configured to skip them), or the lockfile was written on another platform (e.g. macOS) and lacks this one';
    } else if (installed.version !== host.version) {
      cause = `${name}@${installed.version} is installed, but selu-kernels ${host.version} needs exactly version ${host.version}`;
    } else {
      const r = tryLoad(path.join(installed.dir, ADDON_FILES.cpu));
      if (!(r instanceof Error)) return r;
      error = r;
      const glibc = host.host.glibcVersion;
      if (glibc !== null && compareVersions(glibc, prebuilt.minGlibc) < 0) {
        cause = `this system's glibc ${glibc} is older than ${prebuilt.minGlibc}, the oldest the prebuilt binary supports (${r.message})`;
        fix = BUILD_COMMAND;
      } else {
        cause = `${path.join(installed.dir, ADDON_FILES.cpu)} failed to load (${r.message})`;
        fix = `reinstall it with \`npm install ${expected} --force\`, or ${BUILD_COMMAND}`;
      }
    }
  }

  if (host.exists(host.localFile)) {
    const r = tryLoad(host.localFile);
    if (!(r instanceof Error)) return r;
    cause += `; the source build ${host.localFile} failed to load too (${r.message})`;
    error ??= r;
  }
  throw notLoaded(host, expected, cause, fix, error);
}

function load(): NativeBinding {
  const forced = process.env.SELU_KERNELS_SIMD;
  if (forced !== undefined && forced !== '' && !SIMD_LEVELS.includes(forced)) {
    const error = new Error(`selu-kernels: SELU_KERNELS_SIMD must be one of ${SIMD_LEVELS.join(', ')}, got ${JSON.stringify(forced)}`);
    throw Object.assign(error, { code: ErrorCode.OUT_OF_RANGE });
  }
  return loadAddon({
    env: process.env,
    host: hostPlatform(),
    version: ownVersion(),
    localFile: path.join(__dirname, '..', 'build', 'Release', ADDON_FILES.cpu),
    findPackage,
    exists: fs.existsSync,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    load: (file) => require(file),
  }).binding;
}

export const binding: NativeBinding = load();

export function isDetached(buffer: ArrayBufferLike): boolean {
  return binding.isDetached(buffer);
}
