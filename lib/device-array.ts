/**
 * DeviceArray: a one-dimensional array in GPU memory, the argument type of every op's GPU path.
 *
 * - Memory is freed by dispose() at once (stream-ordered: work already enqueued on the array finishes
 *   first, so disposing during an op in flight is safe and never blocks), or by the garbage collector's
 *   finalizer. The device bytes are reported to V8 as external memory, so large arrays make the GC run
 *   sooner; dispose() explicitly in loops. A second dispose() does nothing; any other use afterwards
 *   throws ERR_DISPOSED.
 * - float16 and bfloat16 store half precision; ops compute in float32. Their host form is a
 *   Uint16Array of the raw bits (DeviceArray.from(Float32Array, { dtype: 'float16' }) converts on the GPU,
 *   rounding to nearest even).
 * - Nothing here loads the CUDA addon until a DeviceArray is created.
 */
import { ErrorCode, describe, rangeError, typeError } from './errors';
import { cudaBinding, rethrow } from './cuda/binding';
import { NativeResource } from './cuda/native-resource';
import { DeviceStream, deviceIndex } from './cuda/stream';
import { optionsReader, raw } from './options';
import { notDetached, typedArrayName } from './validate';

export type DeviceDtype = 'float32' | 'float64' | 'float16' | 'bfloat16';
export type HostArray = Float32Array | Float64Array | Uint16Array;

/** The addon's dtype codes (cuda/common/dtypes.h). */
export const DTYPE_CODES: Readonly<Record<DeviceDtype, number>> = Object.freeze({ float32: 0, float64: 1, float16: 2, bfloat16: 3 });
const DTYPE_BYTES: Readonly<Record<DeviceDtype, number>> = Object.freeze({ float32: 4, float64: 8, float16: 2, bfloat16: 2 });
const DTYPES = Object.keys(DTYPE_CODES) as DeviceDtype[];
const TOKEN = Symbol('DeviceArray');

export interface DeviceArrayOptions {
  /** The GPU, default 0. */
  device?: number;
  /** Element type on the GPU; default: float32 for a Float32Array, float64 for a Float64Array, float16 for a Uint16Array. */
  dtype?: DeviceDtype;
}

function dtypeArg(fn: string, name: string, value: unknown, fallback: DeviceDtype): DeviceDtype {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(DTYPES as string[]).includes(value)) {
    throw typeError(fn, ErrorCode.INVALID_ARG, name, `${name} must be one of ${DTYPES.map((d) => `'${d}'`).join(', ')}, got ${describe(value)}`);
  }
  return value as DeviceDtype;
}

// `device` is read here and checked after the data (deviceIndex), as before the options layer.
const readFromOptions = optionsReader({ dtype: (fn, name, v) => (v === undefined ? undefined : dtypeArg(fn, name, v, 'float32')), device: raw });
const readAllocOptions = optionsReader({ device: raw });
const readStreamOptions = optionsReader({ stream: (fn, name, v, like) => deviceStream(fn, name, v, (like as DeviceArray).device) });

/** The dtype code of a host array's elements as uploaded for a DeviceArray of `target` (TypeError when they cannot be). */
function hostDtype(fn: string, name: string, data: unknown, target: DeviceDtype | undefined): [code: number, defaultDtype: DeviceDtype] {
  // A brand check, not instanceof: a Proxy of a Float32Array or a prototype-swapped array must not pass.
  const kind = typedArrayName(data);
  if (kind === 'Float32Array') return [DTYPE_CODES.float32, 'float32'];
  if (kind === 'Float64Array') return [DTYPE_CODES.float64, 'float64'];
  if (kind === 'Uint16Array') {
    const t = target ?? 'float16';
    if (t !== 'float16' && t !== 'bfloat16') {
      throw typeError(fn, ErrorCode.DTYPE_MISMATCH, name,
        `a Uint16Array holds the raw bits of float16 or bfloat16 values; it cannot fill a ${t} array (pass a Float32Array or Float64Array)`);
    }
    return [DTYPE_CODES[t], t];
  }
  if (data instanceof DeviceArray) {
    throw typeError(fn, ErrorCode.INVALID_ARG, name, `${name} must be a host array (Float32Array, Float64Array or Uint16Array), got a DeviceArray`);
  }
  throw typeError(fn, ErrorCode.INVALID_ARG, name, `${name} must be a Float32Array, Float64Array or Uint16Array, got ${describe(data)}`);
}

export class DeviceArray extends NativeResource {
  /** Number of elements. */
  readonly length: number;
  /** Element type on the GPU. */
  readonly dtype: DeviceDtype;
  /** The GPU holding the memory. */
  readonly device: number;
  /** length × the element size. */
  readonly byteLength: number;

  /** @internal Use DeviceArray.from() or DeviceArray.alloc(). */
  constructor(token: symbol, handle: object, length: number, dtype: DeviceDtype, device: number) {
    if (token !== TOKEN) throw typeError('DeviceArray', ErrorCode.INVALID_ARG, undefined, 'use DeviceArray.from() or DeviceArray.alloc()');
    super(handle);
    this.length = length;
    this.dtype = dtype;
    this.device = device;
    this.byteLength = length * DTYPE_BYTES[dtype];
  }

  /**
   * Copies a host array to a new DeviceArray (host → device). A Float32Array or Float64Array is converted
   * to `options.dtype` on the GPU when that differs; a Uint16Array holds float16 (default) or bfloat16 bits.
   */
  static from(data: Float32Array | Float64Array | Uint16Array, options?: DeviceArrayOptions): DeviceArray {
    const fn = 'DeviceArray.from';
    const o = readFromOptions(fn, options);
    const target = o.dtype;
    const [srcCode, natural] = hostDtype(fn, 'data', data, target);
    const dtype = target ?? natural;
    const device = deviceIndex(fn, 'options.device', o.device);
    notDetached(fn, 'data', data);
    const binding = cudaBinding(fn);
    const array = DeviceArray.create(fn, data.length, dtype, device);
    try {
      binding.upload(array.handle(fn, 'the new array'), data, srcCode, DTYPE_CODES[dtype], data.length, undefined);
    } catch (e) {
      array.dispose();
      rethrow(fn, e);
    }
    return array;
  }

  /** A new DeviceArray of `length` elements, contents unspecified (not zeroed). */
  static alloc(length: number, dtype: DeviceDtype = 'float32', options?: { device?: number }): DeviceArray {
    const fn = 'DeviceArray.alloc';
    if (typeof length !== 'number') throw typeError(fn, ErrorCode.INVALID_ARG, 'length', `length must be an integer, got ${describe(length)}`);
    if (!Number.isSafeInteger(length) || length < 0) {
      throw rangeError(fn, ErrorCode.OUT_OF_RANGE, 'length', `length must be an integer from 0 to 2^53 − 1, got ${describe(length)}`);
    }
    const d = dtypeArg(fn, 'dtype', dtype, 'float32');
    const o = readAllocOptions(fn, options);
    const device = deviceIndex(fn, 'options.device', o.device);
    cudaBinding(fn);
    return DeviceArray.create(fn, length, d, device);
  }

  /** @internal A new array like `like` (same length, dtype, device). */
  static like(fn: string, like: DeviceArray): DeviceArray {
    return DeviceArray.create(fn, like.length, like.dtype, like.device);
  }

  private static create(fn: string, length: number, dtype: DeviceDtype, device: number): DeviceArray {
    const bytes = length * DTYPE_BYTES[dtype];
    if (!Number.isSafeInteger(bytes)) throw rangeError(fn, ErrorCode.OUT_OF_RANGE, 'length', `${length} ${dtype} elements do not fit in memory`);
    try {
      return new DeviceArray(TOKEN, cudaBinding(fn).alloc(bytes, device), length, dtype, device);
    } catch (e) {
      return rethrow(fn, e);
    }
  }

  /** @internal The native handle, or ERR_DISPOSED naming `name`. */
  handle(fn: string, name: string): object {
    return this.liveHandle(fn, name, `${name} must be a DeviceArray made by DeviceArray.from() or alloc(), got an impostor`,
      `${name} has been disposed`);
  }

  /**
   * The contents as a new host array (Float32Array, Float64Array, or Uint16Array of raw half bits), as of
   * this call: later ops on the array do not change the result. The copy does not block the event loop.
   */
  toArray(options?: { stream?: DeviceStream }): Promise<HostArray> {
    const fn = 'DeviceArray.toArray';
    try {
      const h = this.handle(fn, 'the array');
      const stream = readStreamOptions(fn, options, this).stream;
      return cudaBinding(fn).download(h, DTYPE_CODES[this.dtype], this.length, stream);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Like toArray(), but waits (blocking) for the copy. */
  toArraySync(options?: { stream?: DeviceStream }): HostArray {
    const fn = 'DeviceArray.toArraySync';
    const h = this.handle(fn, 'the array');
    const stream = readStreamOptions(fn, options, this).stream;
    try {
      return cudaBinding(fn).downloadSync(h, DTYPE_CODES[this.dtype], this.length, stream);
    } catch (e) {
      return rethrow(fn, e);
    }
  }

  /** Overwrites the contents with a host array of the same length (converted like DeviceArray.from). */
  copyFrom(data: Float32Array | Float64Array | Uint16Array, options?: { stream?: DeviceStream }): void {
    const fn = 'DeviceArray.copyFrom';
    const h = this.handle(fn, 'the array');
    const [srcCode] = hostDtype(fn, 'data', data, this.dtype);
    if (typedArrayName(data) === 'Uint16Array' && DTYPE_CODES[this.dtype] !== srcCode) {
      throw typeError(fn, ErrorCode.DTYPE_MISMATCH, 'data', `a Uint16Array cannot fill a ${this.dtype} array`);
    }
    if (data.length !== this.length) {
      notDetached(fn, 'data', data);
      throw rangeError(fn, ErrorCode.LENGTH_MISMATCH, 'data', `data must have the array's length (${this.length}), got ${data.length}`);
    }
    const stream = readStreamOptions(fn, options, this).stream;
    try {
      cudaBinding(fn).upload(h, data, srcCode, DTYPE_CODES[this.dtype], this.length, stream);
    } catch (e) {
      rethrow(fn, e);
    }
  }

  /** Frees the GPU memory once the work already enqueued on it has finished (dispose()). */
  protected release(handle: object): void {
    cudaBinding('DeviceArray.dispose').free(handle);
  }

  get [Symbol.toStringTag](): string {
    return 'DeviceArray';
  }
}

/** The native stream of a `stream` option (undefined: the per-thread default stream of `device`). */
export function deviceStream(fn: string, name: string, s: unknown, device: number): object | undefined {
  if (s === undefined) return undefined;
  if (!(s instanceof DeviceStream)) {
    throw typeError(fn, ErrorCode.INVALID_ARG, name, `${name} must be a DeviceStream (cuda.createStream()), got ${describe(s)}`);
  }
  if (s.device !== device) {
    throw typeError(fn, ErrorCode.DEVICE_MISMATCH, name, `${name} is on device ${s.device}, the arrays on device ${device}`);
  }
  return s.handle(fn);
}

export function dtypeBytes(dtype: DeviceDtype): number {
  return DTYPE_BYTES[dtype];
}
