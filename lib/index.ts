/**
 * selu-kernels: native SIMD kernels for self-normalizing networks.
 */
export { SELU_ALPHA, SELU_SCALE } from './constants';
export { ErrorCode, type ErrorCodeValue, type SeluError } from './errors';
export { runtime, setThreads, type Runtime, type SimdLevel } from './runtime';
export { selu, seluAsync, seluBackward, seluBackwardAsync, type SeluOptions } from './selu';
export {
  alphaDropout, alphaDropoutAsync, alphaDropoutBackward, alphaDropoutBackwardAsync, alphaDropoutMask, alphaDropoutMaskAsync,
  seluAlphaDropout, seluAlphaDropoutAsync, seluAlphaDropoutBackward, seluAlphaDropoutBackwardAsync,
  type DropoutMaskOptions, type DropoutOptions, type DeviceDropoutOptions,
} from './dropout';
export {
  moments, momentsAsync, seluMoments, seluMomentsAsync,
  type AxisMoments, type Moments, type MomentsOptions, type SeluMomentsOptions,
  type DeviceMoments, type DeviceAxisMoments, type DeviceMomentsOptions, type DeviceSeluMomentsOptions,
} from './moments';
export {
  theory, type Theory, type MapPoint, type MeanVariance, type Jacobian, type FixedPointInput, type FixedPointResult,
  type SeluParameters, type MeanVarianceTarget, type AlphaDropoutInput, type AlphaDropoutParameters,
  type ContractionDomain, type ContractionBoundOptions, type ContractionBound,
} from './theory';
export type { FloatArray } from './validate';
export { toFloat32, fromFloat32, type HalfDtype, type Float16ArrayLike } from './half';
export type { Dtype } from './options';
export type { CpuData, TensorLike } from './tensor';
export { cuda, type Cuda, type CudaDevice } from './cuda/cuda';
export { DeviceArray, type DeviceArrayOptions, type DeviceDtype } from './device-array';
export { DeviceStream } from './cuda/stream';
export type { DeviceSeluOptions } from './selu';
