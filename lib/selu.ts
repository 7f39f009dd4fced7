/**
 * SELU forward and backward on Float32Array / Float64Array, sync and async, and on DeviceArrays (the
 * GPU). The functions are the op table's forms (lib/ops/selu.ts) with their documented overloads.
 */
import type { DeviceStream } from './cuda/stream';
import type { DeviceArray } from './device-array';
import * as ops from './ops';
import type { Dtype } from './options';
import type { CpuData } from './tensor';

export interface SeluOptions {
  /**
   * Where to write the result: the input's kind, dtype and length (for a tensor input: a tensor of its
   * type and dims, or a typed array like its data); may be the input itself (in place).
   */
  out?: CpuData;
  /**
   * The element type: required for a Uint16Array ('float16' or 'bfloat16': which format its bits hold);
   * optional otherwise, and then it must name the input's own type (TypeError ERR_SELU_DTYPE_MISMATCH).
   */
  dtype?: Dtype;

  /** α, default {@link SELU_ALPHA}. Any finite number. */
  alpha?: number;
  /** λ, default {@link SELU_SCALE}. Any finite number. */
  scale?: number;
}

export interface DeviceSeluOptions {
  /** Where to write: a DeviceArray of the input's dtype, device and length; may be the input itself. */
  out?: DeviceArray;
  alpha?: number;
  scale?: number;
  /** The stream to enqueue on (default: the device's per-thread default stream). */
  stream?: DeviceStream;
}

const { sync: seluForm, async: seluAsyncForm } = ops.selu;
const { sync: seluBackwardForm, async: seluBackwardAsyncForm } = ops.seluBackward;

/**
 * selu(x) = scale·x for x > 0, scale·alpha·(eˣ − 1) otherwise, element-wise.
 * Returns `options.out` (a new array of x's type when omitted).
 */
export function selu<T extends CpuData>(x: T, options?: SeluOptions): T;
/** On a DeviceArray: enqueued on the GPU; returns `options.out` or a new DeviceArray. */
export function selu(x: DeviceArray, options?: DeviceSeluOptions): DeviceArray;
export function selu<T extends CpuData>(x: T | DeviceArray, options?: SeluOptions | DeviceSeluOptions): T | DeviceArray {
  return seluForm(x, options) as T | DeviceArray;
}

/** Like {@link selu}, computed off the main thread. Do not modify x or out until the promise settles. */
export function seluAsync<T extends CpuData>(x: T, options?: SeluOptions): Promise<T>;
/** On a DeviceArray: resolves with the output DeviceArray once the GPU has computed it. */
export function seluAsync(x: DeviceArray, options?: DeviceSeluOptions): Promise<DeviceArray>;
export function seluAsync<T extends CpuData>(x: T | DeviceArray, options?: SeluOptions | DeviceSeluOptions): Promise<T | DeviceArray> {
  return seluAsyncForm(x, options) as Promise<T | DeviceArray>;
}

/**
 * The gradient of SELU with respect to its input: gradOutput · selu'(input), where
 * selu'(x) = scale for x > 0 and scale·alpha·eˣ otherwise (computed from x, not from selu(x)).
 */
export function seluBackward<T extends CpuData>(gradOutput: T, input: T, options?: SeluOptions): T;
/** On DeviceArrays (both): enqueued on the GPU. */
export function seluBackward(gradOutput: DeviceArray, input: DeviceArray, options?: DeviceSeluOptions): DeviceArray;
export function seluBackward<T extends CpuData>(gradOutput: T | DeviceArray, input: T | DeviceArray,
  options?: SeluOptions | DeviceSeluOptions): T | DeviceArray {
  return seluBackwardForm(gradOutput, input, options) as T | DeviceArray;
}

/** Like {@link seluBackward}, computed off the main thread. */
export function seluBackwardAsync<T extends CpuData>(gradOutput: T, input: T, options?: SeluOptions): Promise<T>;
/** On DeviceArrays (both): resolves with the output DeviceArray once the GPU has computed it. */
export function seluBackwardAsync(gradOutput: DeviceArray, input: DeviceArray, options?: DeviceSeluOptions): Promise<DeviceArray>;
export function seluBackwardAsync<T extends CpuData>(gradOutput: T | DeviceArray, input: T | DeviceArray,
  options?: SeluOptions | DeviceSeluOptions): Promise<T | DeviceArray> {
  return seluBackwardAsyncForm(gradOutput, input, options) as Promise<T | DeviceArray>;
}
