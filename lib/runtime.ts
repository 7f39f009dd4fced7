/**
 * What the native side is doing: SIMD level, thread pool size, package version.
 */
import { binding } from './binding';
import { integerInRange } from './options';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../package.json') as { version: string };

export type SimdLevel = 'avx512' | 'avx2' | 'scalar';

export interface Runtime {
  /** The instruction set the CPU kernels use: the best this CPU has, or lower if SELU_KERNELS_SIMD says so. */
  readonly simd: SimdLevel;
  /** The best instruction set this CPU supports, whatever SELU_KERNELS_SIMD says. */
  readonly detectedSimd: SimdLevel;
  /** Threads that work on one large call (the calling one included). Process-wide, shared by all workers. */
  readonly threads: number;
  /** This package's version. */
  readonly version: string;
}

const simd = binding.simdLevel();
const detectedSimd = binding.detectedSimdLevel();

export const runtime: Runtime = Object.freeze({
  simd,
  detectedSimd,
  get threads(): number {
    return binding.threads();
  },
  version,
});

/**
 * Sets how many threads work on one large call, the calling thread included (1 = single-threaded).
 * The pool is process-wide: it affects every worker_thread. Default: the number of CPUs.
 */
export function setThreads(n: number): void {
  binding.setThreads(integerInRange('setThreads', 'n', n, 1, binding.maxThreads));
}
