/**
 * Loads the CPU addon once, with an error that says what to do when it is missing.
 * SELU_KERNELS_ADDON may name another build of it (the cmake-js one, a sanitizer build).
 */
import * as path from 'node:path';
import type { SeluKernelConstants } from './constants';
import { ErrorCode } from './errors';

type FloatArray = Float32Array | Float64Array;

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
}

const SIMD_LEVELS = ['scalar', 'avx2', 'avx512'];

function load(): NativeBinding {
  const forced = process.env.SELU_KERNELS_SIMD;
  if (forced !== undefined && forced !== '' && !SIMD_LEVELS.includes(forced)) {
    const error = new Error(`selu-kernels: SELU_KERNELS_SIMD must be one of ${SIMD_LEVELS.join(', ')}, got ${JSON.stringify(forced)}`);
    throw Object.assign(error, { code: ErrorCode.OUT_OF_RANGE });
  }
  const file = process.env.SELU_KERNELS_ADDON
    ? path.resolve(process.env.SELU_KERNELS_ADDON)
    : path.join(__dirname, '..', 'build', 'Release', 'selu_kernels.node');
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as NativeBinding;
  } catch (cause) {
    const error = new Error(
      `selu-kernels: the native addon could not be loaded from ${file} (${(cause as Error).message}). ` +
        'It is built at install time by node-gyp; run `npm rebuild selu-kernels` (a C++17 compiler and Python are needed).',
      { cause },
    );
    throw Object.assign(error, { code: ErrorCode.ADDON_NOT_LOADED });
  }
}

export const binding: NativeBinding = load();

export function isDetached(buffer: ArrayBufferLike): boolean {
  return binding.isDetached(buffer);
}
