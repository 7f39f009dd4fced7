/**
 * The errors this library throws. Every one is a plain TypeError or RangeError (so `instanceof`
 * works as users expect), except the GPU ones (ERR_CUDA_*, ERR_DISPOSED: plain Errors), with two
 * extra properties:
 * - `code`: a stable string from {@link ErrorCode}, safe to branch on;
 * - `argument`: the argument or option it is about, e.g. `'x'` or `'options.alpha'`.
 */

export const ErrorCode = {
  /** TypeError: an argument or option has the wrong type (e.g. an Int8Array, a string for a number). */
  INVALID_ARG: 'ERR_SELU_INVALID_ARG',
  /** TypeError: Float32Array and Float64Array mixed in one call. */
  DTYPE_MISMATCH: 'ERR_SELU_DTYPE_MISMATCH',
  /** TypeError: an options object has a key this function does not know (a typo would otherwise pass silently). */
  UNKNOWN_OPTION: 'ERR_SELU_UNKNOWN_OPTION',
  /** TypeError: a typed array's ArrayBuffer has been detached (transferred). */
  DETACHED: 'ERR_SELU_DETACHED',
  /** RangeError: arrays that must have the same length do not. */
  LENGTH_MISMATCH: 'ERR_SELU_LENGTH_MISMATCH',
  /** RangeError: an output overlaps an input partially (exactly the same memory, in place, is allowed). */
  OVERLAP: 'ERR_SELU_OVERLAP',
  /** RangeError: a number is outside its domain (NaN, Infinity, a negative count, a rate of 1, ...). */
  OUT_OF_RANGE: 'ERR_SELU_OUT_OF_RANGE',
  /** RangeError: a problem has no solution (e.g. no SELU parameters reach the requested fixed point). */
  NO_SOLUTION: 'ERR_SELU_NO_SOLUTION',
  /** Error: the native addon could not be loaded (not built, or built for another platform). */
  ADDON_NOT_LOADED: 'ERR_SELU_ADDON_NOT_LOADED',
  /**
   * TypeError: DeviceArrays and typed arrays mixed in one call, or DeviceArrays (or a stream) on
   * different GPUs. Every array argument of a call is a DeviceArray, or none is.
   */
  DEVICE_MISMATCH: 'ERR_SELU_DEVICE_MISMATCH',
  /** Error: a GPU was asked for but CUDA cannot be used here; the message (and `cuda.reason`) says why. */
  CUDA_UNAVAILABLE: 'ERR_CUDA_UNAVAILABLE',
  /** Error: the GPU has no memory left for an allocation (after pending frees and cached memory were released). */
  CUDA_OOM: 'ERR_CUDA_OOM',
  /** Error: a CUDA call failed (the message names the call and CUDA's error). */
  CUDA_ERROR: 'ERR_CUDA',
  /** Error: a DeviceArray (or DeviceStream) was used after dispose(). */
  DISPOSED: 'ERR_DISPOSED',
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface SeluError extends Error {
  code: ErrorCodeValue;
  argument?: string;
}

function withCode<E extends Error>(error: E, code: ErrorCodeValue, argument?: string): E & SeluError {
  const e = error as E & SeluError;
  e.code = code;
  if (argument !== undefined) e.argument = argument;
  return e;
}

/** `fn(): message` as a TypeError with a code. */
export function typeError(fn: string, code: ErrorCodeValue, argument: string | undefined, message: string): TypeError & SeluError {
  return withCode(new TypeError(`${fn}(): ${message}`), code, argument);
}

/** `fn(): message` as a plain Error with a code (GPU availability, memory, disposal). */
export function plainError(fn: string, code: ErrorCodeValue, argument: string | undefined, message: string): Error & SeluError {
  return withCode(new Error(`${fn}(): ${message}`), code, argument);
}

/** `fn(): message` as a RangeError with a code. */
export function rangeError(fn: string, code: ErrorCodeValue, argument: string | undefined, message: string): RangeError & SeluError {
  return withCode(new RangeError(`${fn}(): ${message}`), code, argument);
}

/** A short, safe description of a value for error messages (never calls user code). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'boolean':
      return String(value);
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default: {
      if (Array.isArray(value)) return 'an Array';
      if (ArrayBuffer.isView(value)) {
        const name = Object.prototype.toString.call(value).slice(8, -1);
        return `a ${name}`;
      }
      return 'an object';
    }
  }
}
