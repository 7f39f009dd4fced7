/**
 * Mean and variance of Float32Array / Float64Array data in one pass, whole or along an axis of a
 * row-major 2-D view, optionally fused with SELU (the activations and their statistics in one pass).
 *
 * Accumulation is in float64 with a stable method (two passes over each L1-resident tile, partials
 * merged with Chan et al.'s formula, docs/MOMENTS.md) in a fixed order that depends only on the shape:
 * results are bit-identical for any thread count and any SIMD level.
 */
import type { DeviceStream } from './cuda/stream';
import type { DeviceArray } from './device-array';
import * as ops from './ops';
import type { SeluOptions } from './selu';
import type { Dtype } from './options';
import type { CpuData } from './tensor';

export interface MomentsOptions {
  /** View x as a row-major matrix of rows × cols (rows·cols must equal x.length). Required with `axis`. */
  shape?: readonly [rows: number, cols: number];
  /** 0: one mean/variance per column (per feature over a batch); 1: one per row. Omitted: all values. */
  axis?: 0 | 1;
  /** 0 (default): population variance M2 / count; 1: sample variance M2 / (count − 1). */
  correction?: 0 | 1;
  /**
   * The element type: required for a Uint16Array ('float16' or 'bfloat16': which format its bits hold);
   * optional otherwise, and then it must name the input's own type (TypeError ERR_SELU_DTYPE_MISMATCH).
   */
  dtype?: Dtype;
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

/** The options of the GPU forms: those of {@link MomentsOptions}, and a stream. */
export interface DeviceMomentsOptions {
  shape?: readonly [rows: number, cols: number];
  axis?: 0 | 1;
  correction?: 0 | 1;
  stream?: DeviceStream;
}

/** The options of seluMoments' GPU forms: `out` is a DeviceArray. */
export interface DeviceSeluMomentsOptions extends DeviceMomentsOptions {
  out?: DeviceArray;
  alpha?: number;
  scale?: number;
}

/** The GPU's results have the CPU's shape. */
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

type WithAxis<O> = O & { axis: 0 | 1; shape: readonly [number, number] };
type WithoutAxis<O> = O & { axis?: undefined };

/**
 * Mean and variance of x (all values), or per column (`axis: 0`) or per row (`axis: 1`) of its
 * row-major `shape`. Empty x is a RangeError. NaN in a group gives NaN; ±Infinity gives a NaN variance.
 */
export function moments(x: CpuData, options: WithAxis<MomentsOptions>): AxisMoments;
export function moments(x: CpuData, options?: WithoutAxis<MomentsOptions>): Moments;
export function moments(x: CpuData, options?: MomentsOptions): Moments | AxisMoments;
/** On a DeviceArray: computed on the GPU (lib/ops/moments.ts); always a Promise. */
export function moments(x: DeviceArray, options: WithAxis<DeviceMomentsOptions>): Promise<DeviceAxisMoments>;
export function moments(x: DeviceArray, options?: WithoutAxis<DeviceMomentsOptions>): Promise<DeviceMoments>;
export function moments(x: DeviceArray, options?: DeviceMomentsOptions): Promise<DeviceMoments | DeviceAxisMoments>;
export function moments(x: CpuData | DeviceArray, options?: MomentsOptions | DeviceMomentsOptions): Moments | AxisMoments | Promise<DeviceMoments | DeviceAxisMoments> {
  return ops.moments.sync(x, options) as Moments | AxisMoments;
}

/** Like {@link moments}, computed off the main thread. Do not modify x until the promise settles. */
export function momentsAsync(x: CpuData, options: WithAxis<MomentsOptions>): Promise<AxisMoments>;
export function momentsAsync(x: CpuData, options?: WithoutAxis<MomentsOptions>): Promise<Moments>;
export function momentsAsync(x: CpuData, options?: MomentsOptions): Promise<Moments | AxisMoments>;
/** On a DeviceArray: computed on the GPU (lib/ops/moments.ts); always a Promise. */
export function momentsAsync(x: DeviceArray, options: WithAxis<DeviceMomentsOptions>): Promise<DeviceAxisMoments>;
export function momentsAsync(x: DeviceArray, options?: WithoutAxis<DeviceMomentsOptions>): Promise<DeviceMoments>;
export function momentsAsync(x: DeviceArray, options?: DeviceMomentsOptions): Promise<DeviceMoments | DeviceAxisMoments>;
export function momentsAsync(x: CpuData | DeviceArray, options?: MomentsOptions | DeviceMomentsOptions): Promise<Moments | AxisMoments | DeviceMoments | DeviceAxisMoments> {
  return ops.moments.async(x, options) as Promise<Moments | AxisMoments>;
}

/**
 * out = selu(x) (exactly as {@link selu} computes it) and the moments of out, in one pass over memory:
 * x is read once and out written once. Options as for {@link moments} and {@link selu}.
 */
export function seluMoments<T extends CpuData>(x: T, options: WithAxis<SeluMomentsOptions>): { out: T } & AxisMoments;
export function seluMoments<T extends CpuData>(x: T, options?: WithoutAxis<SeluMomentsOptions>): { out: T } & Moments;
export function seluMoments<T extends CpuData>(x: T, options?: SeluMomentsOptions): { out: T } & (Moments | AxisMoments);
/** On a DeviceArray: computed on the GPU (lib/ops/moments.ts); always a Promise, out a DeviceArray. */
export function seluMoments(x: DeviceArray, options: WithAxis<DeviceSeluMomentsOptions>): Promise<{ out: DeviceArray } & DeviceAxisMoments>;
export function seluMoments(x: DeviceArray, options?: WithoutAxis<DeviceSeluMomentsOptions>): Promise<{ out: DeviceArray } & DeviceMoments>;
export function seluMoments(x: DeviceArray, options?: DeviceSeluMomentsOptions): Promise<{ out: DeviceArray } & (DeviceMoments | DeviceAxisMoments)>;
export function seluMoments<T extends CpuData>(x: T | DeviceArray, options?: SeluMomentsOptions | DeviceSeluMomentsOptions): { out: T } & (Moments | AxisMoments) | Promise<{ out: DeviceArray } & (DeviceMoments | DeviceAxisMoments)> {
  return ops.seluMoments.sync(x, options) as { out: T } & (Moments | AxisMoments);
}

/** Like {@link seluMoments}, computed off the main thread. Do not modify x or out until the promise settles. */
export function seluMomentsAsync<T extends CpuData>(x: T, options: WithAxis<SeluMomentsOptions>): Promise<{ out: T } & AxisMoments>;
export function seluMomentsAsync<T extends CpuData>(x: T, options?: WithoutAxis<SeluMomentsOptions>): Promise<{ out: T } & Moments>;
export function seluMomentsAsync<T extends CpuData>(x: T, options?: SeluMomentsOptions): Promise<{ out: T } & (Moments | AxisMoments)>;
/** On a DeviceArray: computed on the GPU (lib/ops/moments.ts); always a Promise, out a DeviceArray. */
export function seluMomentsAsync(x: DeviceArray, options: WithAxis<DeviceSeluMomentsOptions>): Promise<{ out: DeviceArray } & DeviceAxisMoments>;
export function seluMomentsAsync(x: DeviceArray, options?: WithoutAxis<DeviceSeluMomentsOptions>): Promise<{ out: DeviceArray } & DeviceMoments>;
export function seluMomentsAsync(x: DeviceArray, options?: DeviceSeluMomentsOptions): Promise<{ out: DeviceArray } & (DeviceMoments | DeviceAxisMoments)>;
export function seluMomentsAsync<T extends CpuData>(x: T | DeviceArray, options?: SeluMomentsOptions | DeviceSeluMomentsOptions): Promise<({ out: T } & (Moments | AxisMoments)) | ({ out: DeviceArray } & (DeviceMoments | DeviceAxisMoments))> {
  return ops.seluMoments.async(x, options) as Promise<{ out: T } & (Moments | AxisMoments)>;
}
