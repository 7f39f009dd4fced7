/**
 * SELU forward and backward on DeviceArrays (the GPU path of lib/selu.ts). The sync forms enqueue the
 * kernel and return the output DeviceArray at once; the Async forms resolve with it once the GPU has
 * finished it.
 */
import { SELU_ALPHA, SELU_SCALE, type SeluKernelConstants, seluKernelConstants } from '../constants';
import { DTYPE_CODES, DeviceArray } from '../device-array';
import { finiteNumber } from '../validate';
import { cudaBinding, rethrow } from './binding';
import type { DeviceStream } from './stream';
import { deviceArray, deviceOptions, deviceOut, sameDeviceShape, streamHandle } from './validate';

export interface DeviceSeluOptions {
  /** Where to write: a DeviceArray of the input's dtype, device and length; may be the input itself. */
  out?: DeviceArray;
  alpha?: number;
  scale?: number;
  /** The stream to enqueue on (default: the device's per-thread default stream). */
  stream?: DeviceStream;
}

const KEYS: ReadonlySet<string> = new Set(['out', 'alpha', 'scale', 'stream']);

interface Plan {
  out: DeviceArray | undefined;
  stream: object | undefined;
  k: SeluKernelConstants;
}

function plan(fn: string, like: DeviceArray, likeName: string, options: unknown): Plan {
  const o = deviceOptions<DeviceSeluOptions>(fn, options, KEYS);
  const alpha = finiteNumber(fn, 'options.alpha', o.alpha, SELU_ALPHA);
  const scale = finiteNumber(fn, 'options.scale', o.scale, SELU_SCALE);
  const out = deviceOut(fn, o.out, like, likeName);
  const stream = streamHandle(fn, o, like.device);
  return { out, stream, k: seluKernelConstants(alpha, scale) };
}

/** selu(x) on the GPU: enqueued, returns `options.out` or a new DeviceArray like x. */
export function seluDevice(x: DeviceArray, options?: DeviceSeluOptions): DeviceArray {
  const fn = 'selu';
  const input = deviceArray(fn, 'x', x, 'x');
  const p = plan(fn, input, 'x', options);
  const binding = cudaBinding(fn);
  const out = p.out ?? DeviceArray.like(fn, input);
  try {
    binding.selu(DTYPE_CODES[input.dtype], input.length, input.handle(fn, 'x'), out.handle(fn, 'options.out'), p.stream, ...p.k);
  } catch (e) {
    if (p.out === undefined) out.dispose();
    rethrow(fn, e);
  }
  return out;
}

/** Like {@link seluDevice}; resolves once the GPU has computed the result. */
export function seluDeviceAsync(x: DeviceArray, options?: DeviceSeluOptions): Promise<DeviceArray> {
  try {
    const out = seluDevice(x, options);
    return whenDone('seluAsync', out, options);
  } catch (e) {
    return Promise.reject(e);
  }
}

/** gradOutput · selu'(input) on the GPU. */
export function seluBackwardDevice(gradOutput: DeviceArray, input: unknown, options?: DeviceSeluOptions): DeviceArray {
  const fn = 'seluBackward';
  const grad = deviceArray(fn, 'gradOutput', gradOutput, 'gradOutput');
  const x = deviceArray(fn, 'input', input, 'gradOutput');
  sameDeviceShape(fn, 'gradOutput', grad, 'input', x);
  const p = plan(fn, grad, 'gradOutput', options);
  const binding = cudaBinding(fn);
  const out = p.out ?? DeviceArray.like(fn, grad);
  try {
    binding.seluBackward(DTYPE_CODES[grad.dtype], grad.length, grad.handle(fn, 'gradOutput'), x.handle(fn, 'input'),
      out.handle(fn, 'options.out'), p.stream, ...p.k);
  } catch (e) {
    if (p.out === undefined) out.dispose();
    rethrow(fn, e);
  }
  return out;
}

/** Like {@link seluBackwardDevice}; resolves once the GPU has computed the result. */
export function seluBackwardDeviceAsync(gradOutput: DeviceArray, input: unknown, options?: DeviceSeluOptions): Promise<DeviceArray> {
  try {
    const out = seluBackwardDevice(gradOutput, input, options);
    return whenDone('seluBackwardAsync', out, options);
  } catch (e) {
    return Promise.reject(e);
  }
}

/** Resolves with `result` once the work enqueued so far on the call's stream has finished. */
export function whenDone<T>(fn: string, result: T & object, options: unknown, device?: number): Promise<T> {
  const d = device ?? (result as unknown as DeviceArray).device;
  const stream = streamHandle(fn, options, d);
  return cudaBinding(fn).whenDone(stream, d).then(() => result);
}
