/**
 * selu-kernels: native SIMD kernels for self-normalizing networks.
 */
export { SELU_ALPHA, SELU_SCALE } from './constants';
export { ErrorCode, type ErrorCodeValue, type SeluError } from './errors';
export { runtime, setThreads, type Runtime, type SimdLevel } from './runtime';
export { selu, seluAsync, seluBackward, seluBackwardAsync, type SeluOptions } from './selu';
export type { FloatArray } from './validate';
