/**
 * SELU forward and backward on Float32Array / Float64Array, sync and async; on DeviceArrays the GPU
 * path (lib/cuda/selu.ts) runs instead, checked only after the typed-array test fails.
 */
import { binding } from './binding';
import { SELU_ALPHA, SELU_SCALE, seluKernelConstants } from './constants';
import { type DeviceSeluOptions, seluBackwardDevice, seluBackwardDeviceAsync, seluDevice, seluDeviceAsync } from './cuda/selu';
import { DeviceArray } from './device-array';
import { type FloatArray, finiteNumber, floatArray, isFloatArray, newLike, options as checkOptions, outputArray, ownedUntilSettled, sameShape } from './validate';

export type { DeviceSeluOptions } from './cuda/selu';

export interface SeluOptions {
  /** Where to write the result: same dtype and length as the input; may be the input itself (in place). */
  out?: FloatArray;
  /** α, default {@link SELU_ALPHA}. Any finite number. */
  alpha?: number;
  /** λ, default {@link SELU_SCALE}. Any finite number. */
  scale?: number;
}

const SELU_OPTION_KEYS: ReadonlySet<string> = new Set(['out', 'alpha', 'scale']);
const [K0, K1, K2, K3] = seluKernelConstants(SELU_ALPHA, SELU_SCALE);

/**
 * The arguments after the arrays in every native SELU call, from validated options:
 * [out, ...seluKernelConstants(alpha, scale)].
 */
type NativeTail<T> = [out: T, k0: number, k1: number, k2: number, k3: number];

function forwardTail<T extends FloatArray>(fn: string, x: T, options: SeluOptions | undefined): NativeTail<T> {
  if (options === undefined) return [newLike(x), K0, K1, K2, K3];
  const o = checkOptions<SeluOptions>(fn, options, SELU_OPTION_KEYS);
  const alpha = finiteNumber(fn, 'options.alpha', o.alpha, SELU_ALPHA);
  const scale = finiteNumber(fn, 'options.scale', o.scale, SELU_SCALE);
  const out = outputArray(fn, o.out, x, 'x') as T;
  const [k0, k1, k2, k3] = seluKernelConstants(alpha, scale);
  return [out, k0, k1, k2, k3];
}

function backwardTail<T extends FloatArray>(fn: string, grad: T, x: T, options: SeluOptions | undefined): NativeTail<T> {
  sameShape(fn, 'gradOutput', grad, 'input', x);
  if (options === undefined) return [newLike(grad), K0, K1, K2, K3];
  const o = checkOptions<SeluOptions>(fn, options, SELU_OPTION_KEYS);
  const alpha = finiteNumber(fn, 'options.alpha', o.alpha, SELU_ALPHA);
  const scale = finiteNumber(fn, 'options.scale', o.scale, SELU_SCALE);
  const out = outputArray(fn, o.out, grad, 'gradOutput') as T;
  const [k0, k1, k2, k3] = seluKernelConstants(alpha, scale);
  return [out, k0, k1, k2, k3];
}

/**
 * selu(x) = scale·x for x > 0, scale·alpha·(eˣ − 1) otherwise, element-wise.
 * Returns `options.out` (a new array of x's type when omitted).
 */
export function selu<T extends FloatArray>(x: T, options?: SeluOptions): T;
/** On a DeviceArray: enqueued on the GPU; returns `options.out` or a new DeviceArray. */
export function selu(x: DeviceArray, options?: DeviceSeluOptions): DeviceArray;
export function selu<T extends FloatArray>(x: T | DeviceArray, options?: SeluOptions | DeviceSeluOptions): T | DeviceArray {
  // The no-options call is the hot path for small arrays: no allocation beyond the output.
  if (options === undefined && isFloatArray(x)) {
    return binding.selu(x, newLike(x), K0, K1, K2, K3) as T;
  }
  if (!isFloatArray(x) && x instanceof DeviceArray) return seluDevice(x, options as DeviceSeluOptions);
  const input = floatArray('selu', 'x', x) as T;
  const t = forwardTail('selu', input, options as SeluOptions);
  return binding.selu(input, t[0], t[1], t[2], t[3], t[4]);
}

/** Like {@link selu}, computed off the main thread. Do not modify x or out until the promise settles. */
export function seluAsync<T extends FloatArray>(x: T, options?: SeluOptions): Promise<T>;
/** On a DeviceArray: resolves with the output DeviceArray once the GPU has computed it. */
export function seluAsync(x: DeviceArray, options?: DeviceSeluOptions): Promise<DeviceArray>;
export function seluAsync<T extends FloatArray>(x: T | DeviceArray, options?: SeluOptions | DeviceSeluOptions): Promise<T | DeviceArray> {
  try {
    // Inside the try: `instanceof` runs a Proxy's getPrototypeOf trap, which may throw (the promise rejects then).
    if (!isFloatArray(x) && x instanceof DeviceArray) return seluDeviceAsync(x, options as DeviceSeluOptions);
    const input = floatArray('seluAsync', 'x', x) as T;
    const t = forwardTail('seluAsync', input, options as SeluOptions);
    return ownedUntilSettled('seluAsync', binding.seluAsync(input, t[0], t[1], t[2], t[3], t[4]),
      [['x', input], ['options.out', t[0]]]);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * The gradient of SELU with respect to its input: gradOutput · selu'(input), where
 * selu'(x) = scale for x > 0 and scale·alpha·eˣ otherwise (computed from x, not from selu(x)).
 */
export function seluBackward<T extends FloatArray>(gradOutput: T, input: T, options?: SeluOptions): T;
/** On DeviceArrays (both): enqueued on the GPU. */
export function seluBackward(gradOutput: DeviceArray, input: DeviceArray, options?: DeviceSeluOptions): DeviceArray;
export function seluBackward<T extends FloatArray>(gradOutput: T | DeviceArray, input: T | DeviceArray,
  options?: SeluOptions | DeviceSeluOptions): T | DeviceArray {
  if (!isFloatArray(gradOutput) && gradOutput instanceof DeviceArray) return seluBackwardDevice(gradOutput, input, options as DeviceSeluOptions);
  const grad = floatArray('seluBackward', 'gradOutput', gradOutput) as T;
  const x = floatArray('seluBackward', 'input', input) as T;
  const t = backwardTail('seluBackward', grad, x, options as SeluOptions);
  return binding.seluBackward(grad, x, t[0], t[1], t[2], t[3], t[4]);
}

/** Like {@link seluBackward}, computed off the main thread. */
export function seluBackwardAsync<T extends FloatArray>(gradOutput: T, input: T, options?: SeluOptions): Promise<T>;
/** On DeviceArrays (both): resolves with the output DeviceArray once the GPU has computed it. */
export function seluBackwardAsync(gradOutput: DeviceArray, input: DeviceArray, options?: DeviceSeluOptions): Promise<DeviceArray>;
export function seluBackwardAsync<T extends FloatArray>(gradOutput: T | DeviceArray, input: T | DeviceArray,
  options?: SeluOptions | DeviceSeluOptions): Promise<T | DeviceArray> {
  try {
    // Inside the try: `instanceof` runs a Proxy's getPrototypeOf trap, which may throw (the promise rejects then).
    if (!isFloatArray(gradOutput) && gradOutput instanceof DeviceArray) {
      return seluBackwardDeviceAsync(gradOutput, input, options as DeviceSeluOptions);
    }
    const grad = floatArray('seluBackwardAsync', 'gradOutput', gradOutput) as T;
    const x = floatArray('seluBackwardAsync', 'input', input) as T;
    const t = backwardTail('seluBackwardAsync', grad, x, options as SeluOptions);
    return ownedUntilSettled('seluBackwardAsync', binding.seluBackwardAsync(grad, x, t[0], t[1], t[2], t[3], t[4]),
      [['gradOutput', grad], ['input', x], ['options.out', t[0]]]);
  } catch (error) {
    return Promise.reject(error);
  }
}
