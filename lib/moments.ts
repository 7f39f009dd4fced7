/**
 * Mean and variance of Float32Array / Float64Array data in one pass, whole or along an axis of a
 * row-major 2-D view, optionally fused with SELU (the activations and their statistics in one pass).
 *
 * Accumulation is in float64 with a stable method (two passes over each L1-resident tile, partials
 * merged with Chan et al.'s formula, REFERENCE.md §4) in a fixed order that depends only on the shape:
 * results are bit-identical for any thread count and any SIMD level.
 */
import { binding } from './binding';
import { SELU_ALPHA, SELU_SCALE, seluKernelConstants } from './constants';
import type { SeluOptions } from './selu';
import { type MomentsPlan, momentsPlan } from './moments-plan';
import { type FloatArray, finiteNumber, floatArray, isFloatArray, newLike, notDetached, options as checkOptions, outputArray, ownedUntilSettled } from './validate';
import {
  type DeviceAxisMoments, type DeviceMoments, type DeviceMomentsOptions, type DeviceSeluMomentsOptions, momentsDevice, seluMomentsDevice,
} from './cuda/moments';
import { DeviceArray } from './device-array';

export type { DeviceAxisMoments, DeviceMoments, DeviceMomentsOptions, DeviceSeluMomentsOptions } from './cuda/moments';

export interface MomentsOptions {
  /** View x as a row-major matrix of rows × cols (rows·cols must equal x.length). Required with `axis`. */
  shape?: readonly [rows: number, cols: number];
  /** 0: one mean/variance per column (per feature over a batch); 1: one per row. Omitted: all values. */
  axis?: 0 | 1;
  /** 0 (default): population variance M2 / count; 1: sample variance M2 / (count − 1). */
  correction?: 0 | 1;
}

export interface Moments {
  mean: number;
  variance: number;
  /** Number of values reduced. */
  count: number;
}

export interface AxisMoments {
  /** One entry per column (axis 0) or per row (axis 1). */
  mean: Float64Array;
  variance: Float64Array;
  /** Number of values in each group: rows for axis 0, cols for axis 1. */
  count: number;
}

export type SeluMomentsOptions = MomentsOptions & SeluOptions;

type WithAxis<O> = O & { axis: 0 | 1; shape: readonly [number, number] };
type WithoutAxis<O> = O & { axis?: undefined };

const MOMENTS_KEYS: ReadonlySet<string> = new Set(['shape', 'axis', 'correction']);
const SELU_MOMENTS_KEYS: ReadonlySet<string> = new Set(['shape', 'axis', 'correction', 'out', 'alpha', 'scale']);

function plan(fn: string, x: FloatArray, o: Partial<MomentsOptions>): MomentsPlan {
  if (x.length === 0) notDetached(fn, 'x', x);  // a detached x reads as empty: say which it is
  return momentsPlan(fn, x.length, o);
}

function result(p: MomentsPlan, mean: Float64Array, variance: Float64Array): Moments | AxisMoments {
  if (p.axis === -1) return { mean: mean[0], variance: variance[0], count: p.count };
  return { mean, variance, count: p.count };
}

function seluResult<T>(out: T, p: MomentsPlan, mean: Float64Array, variance: Float64Array): { out: T } & (Moments | AxisMoments) {
  if (p.axis === -1) return { out, mean: mean[0], variance: variance[0], count: p.count };
  return { out, mean, variance, count: p.count };
}

/**
 * Mean and variance of x (all values), or per column (`axis: 0`) or per row (`axis: 1`) of its
 * row-major `shape`. Empty x is a RangeError. NaN in a group gives NaN; ±Infinity gives a NaN variance.
 */
export function moments(x: FloatArray, options: WithAxis<MomentsOptions>): AxisMoments;
export function moments(x: FloatArray, options?: WithoutAxis<MomentsOptions>): Moments;
export function moments(x: FloatArray, options?: MomentsOptions): Moments | AxisMoments;
/** On a DeviceArray: computed on the GPU (lib/cuda/moments.ts); always a Promise. */
export function moments(x: DeviceArray, options: WithAxis<DeviceMomentsOptions>): Promise<DeviceAxisMoments>;
export function moments(x: DeviceArray, options?: WithoutAxis<DeviceMomentsOptions>): Promise<DeviceMoments>;
export function moments(x: DeviceArray, options?: DeviceMomentsOptions): Promise<DeviceMoments | DeviceAxisMoments>;
export function moments(x: FloatArray | DeviceArray, options?: MomentsOptions | DeviceMomentsOptions): Moments | AxisMoments | Promise<DeviceMoments | DeviceAxisMoments> {
  if (!isFloatArray(x) && x instanceof DeviceArray) return momentsDevice(x, options as DeviceMomentsOptions);
  const input = floatArray('moments', 'x', x);
  const p = plan('moments', input, checkOptions<MomentsOptions>('moments', options, MOMENTS_KEYS));
  const mean = new Float64Array(p.groups);
  const variance = new Float64Array(p.groups);
  binding.moments(input, mean, variance, p.rows, p.cols, p.axis, p.correction);
  return result(p, mean, variance);
}

/** Like {@link moments}, computed off the main thread. Do not modify x until the promise settles. */
export function momentsAsync(x: FloatArray, options: WithAxis<MomentsOptions>): Promise<AxisMoments>;
export function momentsAsync(x: FloatArray, options?: WithoutAxis<MomentsOptions>): Promise<Moments>;
export function momentsAsync(x: FloatArray, options?: MomentsOptions): Promise<Moments | AxisMoments>;
/** On a DeviceArray: computed on the GPU (lib/cuda/moments.ts); always a Promise. */
export function momentsAsync(x: DeviceArray, options: WithAxis<DeviceMomentsOptions>): Promise<DeviceAxisMoments>;
export function momentsAsync(x: DeviceArray, options?: WithoutAxis<DeviceMomentsOptions>): Promise<DeviceMoments>;
export function momentsAsync(x: DeviceArray, options?: DeviceMomentsOptions): Promise<DeviceMoments | DeviceAxisMoments>;
export async function momentsAsync(x: FloatArray | DeviceArray, options?: MomentsOptions | DeviceMomentsOptions): Promise<Moments | AxisMoments | DeviceMoments | DeviceAxisMoments> {
  if (!isFloatArray(x) && x instanceof DeviceArray) return momentsDevice(x, options as DeviceMomentsOptions);
  const input = floatArray('momentsAsync', 'x', x);
  const p = plan('momentsAsync', input, checkOptions<MomentsOptions>('momentsAsync', options, MOMENTS_KEYS));
  const mean = new Float64Array(p.groups);
  const variance = new Float64Array(p.groups);
  await ownedUntilSettled('momentsAsync', binding.momentsAsync(input, mean, variance, p.rows, p.cols, p.axis, p.correction), [['x', input]]);
  return result(p, mean, variance);
}

interface SeluPlan<T extends FloatArray> {
  plan: MomentsPlan;
  out: T;
  k: ReturnType<typeof seluKernelConstants>;
}

function seluPlan<T extends FloatArray>(fn: string, x: T, options: unknown): SeluPlan<T> {
  const o = checkOptions<SeluMomentsOptions>(fn, options, SELU_MOMENTS_KEYS);
  const p = plan(fn, x, o);
  const alpha = finiteNumber(fn, 'options.alpha', o.alpha, SELU_ALPHA);
  const scale = finiteNumber(fn, 'options.scale', o.scale, SELU_SCALE);
  const out = (o.out === undefined ? newLike(x) : outputArray(fn, o.out, x, 'x')) as T;
  // No object spreads on this path: each cost microseconds per call in Node 20 (a slow clone path).
  return { plan: p, out, k: seluKernelConstants(alpha, scale) };
}

/**
 * out = selu(x) (exactly as {@link selu} computes it) and the moments of out, in one pass over memory:
 * x is read once and out written once. Options as for {@link moments} and {@link selu}.
 */
export function seluMoments<T extends FloatArray>(x: T, options: WithAxis<SeluMomentsOptions>): { out: T } & AxisMoments;
export function seluMoments<T extends FloatArray>(x: T, options?: WithoutAxis<SeluMomentsOptions>): { out: T } & Moments;
export function seluMoments<T extends FloatArray>(x: T, options?: SeluMomentsOptions): { out: T } & (Moments | AxisMoments);
/** On a DeviceArray: computed on the GPU (lib/cuda/moments.ts); always a Promise, out a DeviceArray. */
export function seluMoments(x: DeviceArray, options: WithAxis<DeviceSeluMomentsOptions>): Promise<{ out: DeviceArray } & DeviceAxisMoments>;
export function seluMoments(x: DeviceArray, options?: WithoutAxis<DeviceSeluMomentsOptions>): Promise<{ out: DeviceArray } & DeviceMoments>;
export function seluMoments(x: DeviceArray, options?: DeviceSeluMomentsOptions): Promise<{ out: DeviceArray } & (DeviceMoments | DeviceAxisMoments)>;
export function seluMoments<T extends FloatArray>(x: T | DeviceArray, options?: SeluMomentsOptions | DeviceSeluMomentsOptions): { out: T } & (Moments | AxisMoments) | Promise<{ out: DeviceArray } & (DeviceMoments | DeviceAxisMoments)> {
  if (!isFloatArray(x) && x instanceof DeviceArray) return seluMomentsDevice(x, options as DeviceSeluMomentsOptions);
  const input = floatArray('seluMoments', 'x', x) as T;
  const { plan: p, out, k } = seluPlan('seluMoments', input, options);
  const mean = new Float64Array(p.groups);
  const variance = new Float64Array(p.groups);
  binding.seluMoments(input, out, mean, variance, p.rows, p.cols, p.axis, p.correction, ...k);
  return seluResult(out, p, mean, variance);
}

/** Like {@link seluMoments}, computed off the main thread. Do not modify x or out until the promise settles. */
export function seluMomentsAsync<T extends FloatArray>(x: T, options: WithAxis<SeluMomentsOptions>): Promise<{ out: T } & AxisMoments>;
export function seluMomentsAsync<T extends FloatArray>(x: T, options?: WithoutAxis<SeluMomentsOptions>): Promise<{ out: T } & Moments>;
export function seluMomentsAsync<T extends FloatArray>(x: T, options?: SeluMomentsOptions): Promise<{ out: T } & (Moments | AxisMoments)>;
/** On a DeviceArray: computed on the GPU (lib/cuda/moments.ts); always a Promise, out a DeviceArray. */
export function seluMomentsAsync(x: DeviceArray, options: WithAxis<DeviceSeluMomentsOptions>): Promise<{ out: DeviceArray } & DeviceAxisMoments>;
export function seluMomentsAsync(x: DeviceArray, options?: WithoutAxis<DeviceSeluMomentsOptions>): Promise<{ out: DeviceArray } & DeviceMoments>;
export function seluMomentsAsync(x: DeviceArray, options?: DeviceSeluMomentsOptions): Promise<{ out: DeviceArray } & (DeviceMoments | DeviceAxisMoments)>;
export async function seluMomentsAsync<T extends FloatArray>(x: T | DeviceArray, options?: SeluMomentsOptions | DeviceSeluMomentsOptions): Promise<({ out: T } & (Moments | AxisMoments)) | ({ out: DeviceArray } & (DeviceMoments | DeviceAxisMoments))> {
  if (!isFloatArray(x) && x instanceof DeviceArray) return seluMomentsDevice(x, options as DeviceSeluMomentsOptions);
  const input = floatArray('seluMomentsAsync', 'x', x) as T;
  const { plan: p, out, k } = seluPlan('seluMomentsAsync', input, options);
  const mean = new Float64Array(p.groups);
  const variance = new Float64Array(p.groups);
  await ownedUntilSettled('seluMomentsAsync',
    binding.seluMomentsAsync(input, out, mean, variance, p.rows, p.cols, p.axis, p.correction, ...k),
    [['x', input], ['options.out', out]]);
  return seluResult(out, p, mean, variance);
}
