/**
 * The GPU paths' argument checks (the DeviceArray forms of the options layer's checks, lib/options.ts):
 * everything is validated before any GPU memory is allocated or any work enqueued.
 */
import { DeviceArray, deviceStream } from '../device-array';
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

/** The options check of a GPU `out`: a DeviceArray like `like`, or undefined (allocated after all checks). */
export function deviceOut(fn: string, name: string, value: unknown, like: unknown, likeName: string): DeviceArray | undefined {
  if (value === undefined) return undefined;
  const out = deviceArray(fn, name, value, likeName);
  sameDeviceShape(fn, likeName, like as DeviceArray, name, out);
  return out;
}

/** The options check of `stream`: the native stream of a DeviceStream on `like`'s device (undefined: the default stream). */
export function streamOption(fn: string, name: string, value: unknown, like: unknown): object | undefined {
  return deviceStream(fn, name, value, (like as DeviceArray).device);
}
