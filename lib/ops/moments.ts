/**
 * The moments ops: moments and seluMoments (cpp/moments, cuda/moments). The shape of a call (groups,
 * counts) comes from lib/moments-plan.ts on both backends; results are { mean, variance, count } with
 * numbers (all values) or Float64Arrays (per column or row), plus `out` for seluMoments.
 */
import { binding } from '../binding';
import { seluKernelConstants } from '../constants';
import { cudaBinding, rethrow } from '../cuda/binding';
import { DTYPE_CODES, DeviceArray } from '../device-array';
import { type MomentsPlan, momentsPlan } from '../moments-plan';
import { type Schema, raw } from '../options';
import { type FloatArray, notDetached, outputFor, ownOutput } from '../validate';
import type { Op } from './op';
import { SELU_KEYS } from './selu';

/** shape, axis and correction are read once here and checked together, with x's length, by momentsPlan. */
const MOMENTS_KEYS = { shape: raw, axis: raw, correction: raw };
const SELU_MOMENTS_KEYS = { ...MOMENTS_KEYS, ...SELU_KEYS };

interface ShapeOptions {
  shape: unknown;
  axis: unknown;
  correction: unknown;
}

function plan(fn: string, length: number, x: ArrayBufferView | undefined, o: ShapeOptions): MomentsPlan {
  if (length === 0 && x !== undefined) notDetached(fn, 'x', x);  // a detached x reads as empty: say which it is
  return momentsPlan(fn, length, o as Parameters<typeof momentsPlan>[2]);
}

/**
 * The result for a plan: numbers for all values, arrays per group; with `out` (seluMoments) first.
 * No object spread: it costs microseconds per call in Node 20 (a slow clone path).
 */
function result(out: unknown, p: MomentsPlan, mean: Float64Array, variance: Float64Array): object {
  if (out === undefined) return p.axis === -1 ? { mean: mean[0], variance: variance[0], count: p.count } : { mean, variance, count: p.count };
  return p.axis === -1 ? { out, mean: mean[0], variance: variance[0], count: p.count } : { out, mean, variance, count: p.count };
}

/**
 * The arrays the addon writes the means and variances into. A sync call over all values (axis -1)
 * reads them out as numbers before it returns, so one pair of scratch arrays serves every such call
 * (each thread has its own module instance): two typed-array allocations were more than half of a small
 * call's cost. Calls that return the arrays, and async calls, get new ones.
 */
const SCRATCH_MEAN = new Float64Array(1);
const SCRATCH_VARIANCE = new Float64Array(1);

function resultArrays(p: MomentsPlan, async: boolean): [Float64Array, Float64Array] {
  if (!async && p.axis === -1) return [SCRATCH_MEAN, SCRATCH_VARIANCE];
  return [new Float64Array(p.groups), new Float64Array(p.groups)];
}

interface HostOptions extends ShapeOptions {
  out?: FloatArray;
  alpha?: number;
  scale?: number;
}

type HostOptions16 = Omit<HostOptions, 'out'> & { out?: Uint16Array };

/** The reduction on the CPU (with `selu`, SELU into options.out or a new array, in the same pass). */
function hostMoments(fn: string, x: FloatArray, o: HostOptions, async: boolean, selu: boolean): unknown {
  const p = plan(fn, x.length, x, o);
  const out = selu ? outputFor(o.out, x, async) : undefined;
  const [mean, variance] = resultArrays(p, async);
  let done: unknown;
  if (out === undefined) {
    done = async ? binding.momentsAsync(x, mean, variance, p.rows, p.cols, p.axis, p.correction)
      : binding.moments(x, mean, variance, p.rows, p.cols, p.axis, p.correction);
  } else {
    const k = seluKernelConstants(o.alpha!, o.scale!);
    done = (async ? binding.seluMomentsAsync : binding.seluMoments)(x, out, mean, variance, p.rows, p.cols, p.axis, p.correction,
      k[0], k[1], k[2], k[3]);
  }
  return async ? (done as Promise<unknown>).then(() => result(out, p, mean, variance))
    : result(out === undefined ? undefined : ownOutput(out), p, mean, variance);
}

/** hostMoments on 16-bit data (format 1 = float16, 2 = bfloat16): the same accumulation over the widened values. */
function hostMoments16(fn: string, f: 1 | 2, x: Uint16Array, o: HostOptions16, async: boolean, selu: boolean): unknown {
  const p = plan(fn, x.length, x, o);
  const out = selu ? o.out ?? new Uint16Array(x.length) : undefined;
  const [mean, variance] = resultArrays(p, async);
  let done: unknown;
  if (out === undefined) {
    done = (async ? binding.moments16Async : binding.moments16)(f, x, mean, variance, p.rows, p.cols, p.axis, p.correction);
  } else {
    const k = seluKernelConstants(o.alpha!, o.scale!);
    done = (async ? binding.seluMoments16Async : binding.seluMoments16)(f, x, out, mean, variance, p.rows, p.cols, p.axis, p.correction,
      k[0], k[1], k[2], k[3]);
  }
  return async ? (done as Promise<unknown>).then(() => result(out, p, mean, variance)) : result(out, p, mean, variance);
}

/** The GPU's answer [mean..., variance...] as the host result. */
function deviceResult(out: DeviceArray | undefined, p: MomentsPlan, r: Float64Array): object {
  const mean = p.axis === -1 ? r.subarray(0, 1) : r.slice(0, p.groups);
  const variance = p.axis === -1 ? r.subarray(1, 2) : r.slice(p.groups, 2 * p.groups);
  return result(out, p, mean, variance);
}

interface DeviceOptions extends ShapeOptions {
  stream: object | undefined;
  out?: DeviceArray;
  alpha?: number;
  scale?: number;
}

/**
 * Enqueues the reduction of x on the GPU (with `selu`, SELU into options.out or a new DeviceArray in the
 * same pass); resolves with the host result.
 */
function deviceMoments(fn: string, x: DeviceArray, o: DeviceOptions, selu: boolean): Promise<object> {
  const p = plan(fn, x.length, undefined, o);
  const cuda = cudaBinding(fn);
  const out = selu ? o.out ?? DeviceArray.like(fn, x) : undefined;
  let pending: Promise<Float64Array>;
  try {
    if (out === undefined) {
      pending = cuda.moments(DTYPE_CODES[x.dtype], x.handle(fn, 'x'), p.rows, p.cols, p.axis, p.correction, o.stream, null);
    } else {
      const k = seluKernelConstants(o.alpha!, o.scale!);
      pending = cuda.moments(DTYPE_CODES[x.dtype], x.handle(fn, 'x'), p.rows, p.cols, p.axis, p.correction, o.stream,
        out.handle(fn, 'options.out'), k[0], k[1], k[2], k[3]);
    }
  } catch (e) {
    if (out !== undefined && o.out === undefined) out.dispose();
    return rethrow(fn, e);
  }
  return pending.then((r) => deviceResult(out, p, r));
}

/** A moments op: its results come back to the host, on the GPU too. */
function momentsOp<S extends Schema>(name: string, options: S, selu: boolean): Op<S> {
  return {
    name, arrays: ['x'], options, output: selu, hostResult: true,
    cpu: (fn, x, _b, o, async) => hostMoments(fn, x, o as unknown as HostOptions, async, selu),
    cpu16: (fn, f, x, _b, o, async) => hostMoments16(fn, f, x, o as unknown as HostOptions16, async, selu),
    gpu: (fn, x, _b, o) => deviceMoments(fn, x, o as unknown as DeviceOptions, selu),
  };
}

export const MOMENTS = momentsOp('moments', MOMENTS_KEYS, false);
export const SELU_MOMENTS = momentsOp('seluMoments', SELU_MOMENTS_KEYS, true);
