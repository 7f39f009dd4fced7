/**
 * Mean and variance of DeviceArrays (the GPU path of lib/moments.ts), with the same options and result
 * shapes. The reduction is enqueued at once and the result resolves as a Promise (also from the
 * non-Async names): float64 accumulation, Chan merges in an order fixed by the shape (no atomics), so
 * results are reproducible bit for bit on any GPU and agree with the CPU kernels to ~1e-15.
 */
import { SELU_ALPHA, SELU_SCALE, seluKernelConstants } from '../constants';
import { DTYPE_CODES, DeviceArray } from '../device-array';
import { type MomentsPlan, momentsPlan } from '../moments-plan';
import { finiteNumber } from '../validate';
import { cudaBinding, rethrow } from './binding';
import type { DeviceStream } from './stream';
import { deviceArray, deviceOptions, deviceOut, streamHandle } from './validate';

export interface DeviceMomentsOptions {
  shape?: readonly [rows: number, cols: number];
  axis?: 0 | 1;
  correction?: 0 | 1;
  stream?: DeviceStream;
}

export interface DeviceSeluMomentsOptions extends DeviceMomentsOptions {
  out?: DeviceArray;
  alpha?: number;
  scale?: number;
}

export interface DeviceMoments {
  mean: number;
  variance: number;
  count: number;
}

export interface DeviceAxisMoments {
  mean: Float64Array;
  variance: Float64Array;
  count: number;
}

const KEYS: ReadonlySet<string> = new Set(['shape', 'axis', 'correction', 'stream']);
const SELU_KEYS: ReadonlySet<string> = new Set(['shape', 'axis', 'correction', 'stream', 'out', 'alpha', 'scale']);

function result(p: MomentsPlan, r: Float64Array): DeviceMoments | DeviceAxisMoments {
  if (p.axis === -1) return { mean: r[0], variance: r[1], count: p.count };
  return { mean: r.slice(0, p.groups), variance: r.slice(p.groups, 2 * p.groups), count: p.count };
}

/** Mean and variance of a DeviceArray (all values, or per column / row of `shape`), resolved when computed. */
export function momentsDevice(x: DeviceArray, options?: DeviceMomentsOptions): Promise<DeviceMoments | DeviceAxisMoments> {
  const fn = 'moments';
  try {
    const input = deviceArray(fn, 'x', x, 'x');
    const o = deviceOptions<DeviceMomentsOptions>(fn, options, KEYS);
    const p = momentsPlan(fn, input.length, o);
    const stream = streamHandle(fn, o, input.device);
    const binding = cudaBinding(fn);
    let pending: Promise<Float64Array>;
    try {
      pending = binding.moments(DTYPE_CODES[input.dtype], input.handle(fn, 'x'), p.rows, p.cols, p.axis, p.correction, stream, null);
    } catch (e) {
      return rethrow(fn, e);
    }
    return pending.then((r) => result(p, r));
  } catch (e) {
    return Promise.reject(e);
  }
}

/** out = selu(x) on the GPU and the moments of out, in one pass; resolves with { out, mean, variance, count }. */
export function seluMomentsDevice(x: DeviceArray, options?: DeviceSeluMomentsOptions): Promise<{ out: DeviceArray } & (DeviceMoments | DeviceAxisMoments)> {
  const fn = 'seluMoments';
  try {
    const input = deviceArray(fn, 'x', x, 'x');
    const o = deviceOptions<DeviceSeluMomentsOptions>(fn, options, SELU_KEYS);
    const p = momentsPlan(fn, input.length, o);
    const alpha = finiteNumber(fn, 'options.alpha', o.alpha, SELU_ALPHA);
    const scale = finiteNumber(fn, 'options.scale', o.scale, SELU_SCALE);
    const given = deviceOut(fn, o.out, input, 'x');
    const stream = streamHandle(fn, o, input.device);
    const binding = cudaBinding(fn);
    const out = given ?? DeviceArray.like(fn, input);
    let pending: Promise<Float64Array>;
    try {
      pending = binding.moments(DTYPE_CODES[input.dtype], input.handle(fn, 'x'), p.rows, p.cols, p.axis, p.correction, stream,
        out.handle(fn, 'options.out'), ...seluKernelConstants(alpha, scale));
    } catch (e) {
      if (given === undefined) out.dispose();
      return rethrow(fn, e);
    }
    return pending.then((r) => ({ out, ...result(p, r) }));
  } catch (e) {
    return Promise.reject(e);
  }
}
