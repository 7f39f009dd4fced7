/**
 * selu-kernels: native SIMD kernels for self-normalizing networks.
 *
 * The values are exported as `export const { … } = module`, not `export { … } from`: TypeScript
 * compiles a re-export to a getter per name, and V8 keeps an exports object built that way in
 * dictionary mode, so every `lib.selu(…)` of a CommonJS user paid a dictionary lookup and a getter call:
 * reading `lib.SELU_ALPHA` in a loop took 14–24 ns that way and 1.6–3.0 ns now (Node 20), against
 * ~300 ns for a whole selu call at N = 1. Plain properties keep the object fast (test/exports.test.ts).
 * Classes are exported as a value and a type of the same name.
 */
// The modules' load order (the tests run with it): keep it when adding one.
import * as constantsModule from './constants';
import * as errorsModule from './errors';
import * as runtimeModule from './runtime';
import * as seluModule from './selu';
import * as dropoutModule from './dropout';
import * as momentsModule from './moments';
import * as theoryModule from './theory';
import * as halfModule from './half';
import * as cudaModule from './cuda/cuda';
import * as deviceArrayModule from './device-array';
import * as streamModule from './cuda/stream';

export const { SELU_ALPHA, SELU_SCALE } = constantsModule;
export const { ErrorCode } = errorsModule;
export type { ErrorCodeValue, SeluError } from './errors';
export const { runtime, setThreads } = runtimeModule;
export type { Runtime, SimdLevel } from './runtime';
export const { selu, seluAsync, seluBackward, seluBackwardAsync } = seluModule;
export type { SeluOptions, DeviceSeluOptions } from './selu';
export const {
  alphaDropout, alphaDropoutAsync, alphaDropoutBackward, alphaDropoutBackwardAsync, alphaDropoutMask, alphaDropoutMaskAsync,
  seluAlphaDropout, seluAlphaDropoutAsync, seluAlphaDropoutBackward, seluAlphaDropoutBackwardAsync,
} = dropoutModule;
export type { DropoutMaskOptions, DropoutOptions, DeviceDropoutOptions } from './dropout';
export const { moments, momentsAsync, seluMoments, seluMomentsAsync } = momentsModule;
export type {
  AxisMoments, Moments, MomentsOptions, SeluMomentsOptions,
  DeviceMoments, DeviceAxisMoments, DeviceMomentsOptions, DeviceSeluMomentsOptions,
} from './moments';
export const { theory } = theoryModule;
export type {
  Theory, MapPoint, MeanVariance, Jacobian, FixedPointInput, FixedPointResult,
  SeluParameters, MeanVarianceTarget, AlphaDropoutInput, AlphaDropoutParameters,
  ContractionDomain, ContractionBoundOptions, ContractionBound,
} from './theory';
export type { FloatArray } from './validate';
export const { toFloat32, fromFloat32 } = halfModule;
export type { HalfDtype, Float16ArrayLike } from './half';
export type { Dtype } from './options';
export type { CpuData, TensorLike } from './tensor';
export const { cuda } = cudaModule;
export type { Cuda, CudaDevice } from './cuda/cuda';
export const { DeviceArray } = deviceArrayModule;
export type DeviceArray = deviceArrayModule.DeviceArray;
export type { DeviceArrayOptions, DeviceDtype } from './device-array';
export const { DeviceStream } = streamModule;
export type DeviceStream = streamModule.DeviceStream;
