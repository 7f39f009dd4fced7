/**
 * Argument checks for the GPU paths, in the style of lib/validate.ts: everything is validated before
 * any GPU memory is allocated or any work enqueued.
 */
import { DeviceArray, streamHandle } from '../device-array';
import { ErrorCode, describe, rangeError, typeError } from '../errors';
import { isFloatArray } from '../validate';

/** A live DeviceArray argument; a typed array here means DeviceArrays and typed arrays were mixed. */
export function deviceArray(fn: string, name: string, value: unknown, first: string): DeviceArray {
  if (value instanceof DeviceArray) {
    value.handle(fn, name);  // ERR_DISPOSED
    return value;
  }
  if (isFloatArray(value) || ArrayBuffer.isView(value)) {
    throw typeError(fn, ErrorCode.DEVICE_MISMATCH, name,
      `${name} must be a DeviceArray like ${first} (DeviceArrays and typed arrays cannot be mixed in one call), got ${describe(value)}`);
  }
  throw typeError(fn, ErrorCode.INVALID_ARG, name, `${name} must be a DeviceArray like ${first}, got ${describe(value)}`);
}

/** Same dtype (TypeError), same device (TypeError) and same length (RangeError) as `a`. */
export function sameDeviceShape(fn: string, aName: string, a: DeviceArray, bName: string, b: DeviceArray): void {
  if (a.dtype !== b.dtype) {
    throw typeError(fn, ErrorCode.DTYPE_MISMATCH, bName, `${bName} must be a ${a.dtype} DeviceArray like ${aName}, got ${b.dtype}`);
  }
  if (a.device !== b.device) {
    throw typeError(fn, ErrorCode.DEVICE_MISMATCH, bName, `${bName} is on device ${b.device}, ${aName} on device ${a.device}`);
  }
  if (a.length !== b.length) {
    throw rangeError(fn, ErrorCode.LENGTH_MISMATCH, bName, `${bName} must have the same length as ${aName} (${a.length}), got ${b.length}`);
  }
}

/** A given `out` checked against `like`, or undefined (allocated by the caller after all checks). */
export function deviceOut(fn: string, value: unknown, like: DeviceArray, likeName: string): DeviceArray | undefined {
  if (value === undefined) return undefined;
  const out = deviceArray(fn, 'options.out', value, likeName);
  sameDeviceShape(fn, likeName, like, 'options.out', out);
  return out;
}

/** The options object (or {}), rejecting unknown keys. */
export function deviceOptions<T extends object>(fn: string, value: unknown, keys: ReadonlySet<string>): Partial<T> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw typeError(fn, ErrorCode.INVALID_ARG, 'options', `options must be an object, got ${describe(value)}`);
  }
  for (const key in value) {
    if (!keys.has(key) && Object.prototype.hasOwnProperty.call(value, key)) {
      throw typeError(fn, ErrorCode.UNKNOWN_OPTION, `options.${key}`, `options.${key} is not a known option (known: ${[...keys].join(', ')})`);
    }
  }
  return value as Partial<T>;
}

export { streamHandle };
