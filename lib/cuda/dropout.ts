/**
 * Alpha-dropout on DeviceArrays (the GPU path of lib/dropout.ts), with the same options, validation and
 * results: the keep mask of element i is the CPU's for the same (seed, offset + i, rate), bit for bit
 * (both use cpp/random/philox4x32.h), and a, b and the dropped value come from lib/theory.
 * The sync forms enqueue and return the output DeviceArray; the Async forms resolve with it once the
 * GPU has computed it. Offsets that are multiples of 4 are fastest (each Philox block then serves four
 * consecutive elements).
 */
import { SELU_ALPHA, SELU_SCALE, type SeluKernelConstants, seluKernelConstants } from '../constants';
import { DTYPE_CODES, DeviceArray } from '../device-array';
import { ErrorCode, describe, rangeError, typeError } from '../errors';
import { alphaDropoutParameters } from '../theory/dropout-parameters';
import { cudaBinding, rethrow } from './binding';
import { seluBackwardDevice, seluDevice, whenDone } from './selu';
import type { DeviceStream } from './stream';
import { deviceArray, deviceOptions, deviceOut, sameDeviceShape, streamHandle } from './validate';

export interface DeviceDropoutOptions {
  rate: number;
  seed: number | bigint;
  offset?: number | bigint;
  training?: boolean;
  mean?: number;
  variance?: number;
  alpha?: number;
  scale?: number;
  out?: DeviceArray;
  stream?: DeviceStream;
}

const KEYS: ReadonlySet<string> = new Set(['rate', 'seed', 'offset', 'training', 'mean', 'variance', 'alpha', 'scale', 'out', 'stream']);
const TWO_POW_64 = 1n << 64n;

interface Parsed {
  rate: number;
  seed: bigint;
  offset: bigint;
  training: boolean;
  a: number;
  b: number;
  dropped: number;
  k: SeluKernelConstants;
  alpha: number;
  scale: number;
  out: DeviceArray | undefined;
  stream: object | undefined;
  options: Partial<DeviceDropoutOptions>;
}

function uint64(fn: string, name: string, value: unknown, fallback?: bigint): bigint {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value === 'bigint') {
    if (value < 0n || value >= TWO_POW_64) throw rangeError(fn, ErrorCode.OUT_OF_RANGE, name, `${name} must be in [0, 2^64), got ${describe(value)}`);
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw rangeError(fn, ErrorCode.OUT_OF_RANGE, name, `${name} must be a non-negative safe integer (or a bigint below 2^64), got ${describe(value)}`);
    }
    return BigInt(value);
  }
  throw typeError(fn, ErrorCode.INVALID_ARG, name, `${name} must be a non-negative integer (number or bigint), got ${describe(value)}`);
}

function parse(fn: string, like: DeviceArray, likeName: string, opts: unknown): Parsed {
  if (opts === undefined) {
    throw typeError(fn, ErrorCode.INVALID_ARG, 'options', 'options must be an object with at least rate and seed, got undefined');
  }
  const o = deviceOptions<DeviceDropoutOptions>(fn, opts, KEYS);
  const p = alphaDropoutParameters({ rate: o.rate as number, mean: o.mean, variance: o.variance, alpha: o.alpha, scale: o.scale }, fn, 'options');
  const seed = uint64(fn, 'options.seed', o.seed);
  const offset = uint64(fn, 'options.offset', o.offset, 0n);
  if (offset + BigInt(like.length) >= TWO_POW_64) {
    throw rangeError(fn, ErrorCode.OUT_OF_RANGE, 'options.offset', `options.offset + length must be less than 2^64, got ${offset} + ${like.length}`);
  }
  if (o.training !== undefined && typeof o.training !== 'boolean') {
    throw typeError(fn, ErrorCode.INVALID_ARG, 'options.training', `options.training must be a boolean, got ${describe(o.training)}`);
  }
  const out = deviceOut(fn, o.out, like, likeName);
  const stream = streamHandle(fn, o, like.device);
  const alpha = o.alpha ?? SELU_ALPHA;
  const scale = o.scale ?? SELU_SCALE;
  return {
    rate: o.rate as number, seed, offset, training: o.training ?? true, a: p.a, b: p.b, dropped: p.droppedValue,
    k: seluKernelConstants(alpha, scale), alpha, scale, out, stream, options: o,
  };
}

/** training: false: x itself, or x copied into out. */
function identity(fn: string, x: DeviceArray, p: Parsed): DeviceArray {
  if (p.out === undefined || p.out === x) return x;
  try {
    cudaBinding(fn).copy(p.out.handle(fn, 'options.out'), x.handle(fn, 'x'), x.byteLength, p.stream);
  } catch (e) {
    rethrow(fn, e);
  }
  return p.out;
}

function run(fn: string, like: DeviceArray, p: Parsed, launch: (out: DeviceArray) => void): DeviceArray {
  cudaBinding(fn);
  const out = p.out ?? DeviceArray.like(fn, like);
  try {
    launch(out);
  } catch (e) {
    if (p.out === undefined) out.dispose();
    rethrow(fn, e);
  }
  return out;
}

function seluOpts(p: Parsed): { out?: DeviceArray; alpha: number; scale: number; stream?: DeviceStream } {
  return { out: p.out, alpha: p.alpha, scale: p.scale, stream: p.options.stream };
}

export function alphaDropoutDevice(x: DeviceArray, options: DeviceDropoutOptions): DeviceArray {
  const fn = 'alphaDropout';
  const input = deviceArray(fn, 'x', x, 'x');
  const p = parse(fn, input, 'x', options);
  if (!p.training) return identity(fn, input, p);
  return run(fn, input, p, (out) => cudaBinding(fn).alphaDropout(DTYPE_CODES[input.dtype], input.length, input.handle(fn, 'x'),
    out.handle(fn, 'options.out'), p.stream, p.seed, p.offset, p.rate, p.a, p.b, p.dropped));
}

export function alphaDropoutBackwardDevice(gradOutput: DeviceArray, options: DeviceDropoutOptions): DeviceArray {
  const fn = 'alphaDropoutBackward';
  const grad = deviceArray(fn, 'gradOutput', gradOutput, 'gradOutput');
  const p = parse(fn, grad, 'gradOutput', options);
  if (!p.training) return identity(fn, grad, p);
  return run(fn, grad, p, (out) => cudaBinding(fn).alphaDropoutBackward(DTYPE_CODES[grad.dtype], grad.length,
    grad.handle(fn, 'gradOutput'), out.handle(fn, 'options.out'), p.stream, p.seed, p.offset, p.rate, p.a));
}

export function seluAlphaDropoutDevice(x: DeviceArray, options: DeviceDropoutOptions): DeviceArray {
  const fn = 'seluAlphaDropout';
  const input = deviceArray(fn, 'x', x, 'x');
  const p = parse(fn, input, 'x', options);
  if (!p.training) return seluDevice(input, seluOpts(p));
  return run(fn, input, p, (out) => cudaBinding(fn).seluAlphaDropout(DTYPE_CODES[input.dtype], input.length, input.handle(fn, 'x'),
    out.handle(fn, 'options.out'), p.stream, p.seed, p.offset, p.rate, p.a, p.b, p.dropped, ...p.k));
}

export function seluAlphaDropoutBackwardDevice(gradOutput: DeviceArray, input: unknown, options: DeviceDropoutOptions): DeviceArray {
  const fn = 'seluAlphaDropoutBackward';
  const grad = deviceArray(fn, 'gradOutput', gradOutput, 'gradOutput');
  const x = deviceArray(fn, 'input', input, 'gradOutput');
  sameDeviceShape(fn, 'gradOutput', grad, 'input', x);
  const p = parse(fn, grad, 'gradOutput', options);
  if (!p.training) return seluBackwardDevice(grad, x, seluOpts(p));
  return run(fn, grad, p, (out) => cudaBinding(fn).seluAlphaDropoutBackward(DTYPE_CODES[grad.dtype], grad.length,
    grad.handle(fn, 'gradOutput'), x.handle(fn, 'input'), out.handle(fn, 'options.out'), p.stream, p.seed, p.offset, p.rate, p.a, ...p.k));
}

function asyncForm<A extends unknown[]>(fn: string, f: (...args: A) => DeviceArray, options: (args: A) => unknown) {
  return (...args: A): Promise<DeviceArray> => {
    try {
      const out = f(...args);
      return whenDone(fn, out, options(args));
    } catch (e) {
      return Promise.reject(e);
    }
  };
}

/** Like {@link alphaDropoutDevice}; resolves once the GPU has computed the result. */
export const alphaDropoutDeviceAsync: (x: DeviceArray, options: DeviceDropoutOptions) => Promise<DeviceArray> =
  asyncForm('alphaDropoutAsync', alphaDropoutDevice, (a) => a[1]);
export const alphaDropoutBackwardDeviceAsync: (gradOutput: DeviceArray, options: DeviceDropoutOptions) => Promise<DeviceArray> =
  asyncForm('alphaDropoutBackwardAsync', alphaDropoutBackwardDevice, (a) => a[1]);
export const seluAlphaDropoutDeviceAsync: (x: DeviceArray, options: DeviceDropoutOptions) => Promise<DeviceArray> =
  asyncForm('seluAlphaDropoutAsync', seluAlphaDropoutDevice, (a) => a[1]);
export const seluAlphaDropoutBackwardDeviceAsync: (gradOutput: DeviceArray, input: unknown, options: DeviceDropoutOptions) => Promise<DeviceArray> =
  asyncForm('seluAlphaDropoutBackwardAsync', seluAlphaDropoutBackwardDevice, (a) => a[2]);
