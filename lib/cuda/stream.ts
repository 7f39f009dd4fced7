/**
 * CUDA streams for GPU ops. Without a `stream` option an op is enqueued on the per-thread default stream
 * of its device; a DeviceStream lets independent work overlap. Ordering between streams is automatic:
 * an op waits (on the GPU, never blocking JS) for earlier work on the arrays it touches, whichever
 * stream that work was on.
 */
import { ErrorCode, describe, rangeError, typeError } from '../errors';
import { cudaBinding, rethrow } from './binding';
import { NativeResource } from './native-resource';

const TOKEN = Symbol('DeviceStream');

export class DeviceStream extends NativeResource {
  /** The GPU whose work this stream orders. */
  readonly device: number;

  /** @internal Use cuda.createStream(). */
  constructor(token: symbol, handle: object, device: number) {
    if (token !== TOKEN) throw typeError('DeviceStream', ErrorCode.INVALID_ARG, undefined, 'use cuda.createStream() to create a stream');
    super(handle);
    this.device = device;
  }

  /** @internal */
  static create(options?: { device?: number }): DeviceStream {
    const fn = 'cuda.createStream';
    if (options !== undefined && (options === null || typeof options !== 'object')) {
      throw typeError(fn, ErrorCode.INVALID_ARG, 'options', `options must be an object, got ${describe(options)}`);
    }
    const device = deviceIndex(fn, 'options.device', options?.device);
    const binding = cudaBinding(fn);
    try {
      return new DeviceStream(TOKEN, binding.createStream(device), device);
    } catch (e) {
      return rethrow(fn, e);
    }
  }

  /** @internal The native handle, or ERR_DISPOSED. */
  handle(fn: string): object {
    return this.liveHandle(fn, 'options.stream', 'options.stream must be a DeviceStream made by cuda.createStream(), got an impostor',
      'the stream has been disposed');
  }

  /** Resolves once all work enqueued on this stream so far has finished (the event loop keeps running). */
  synchronize(): Promise<void> {
    try {
      return cudaBinding('DeviceStream.synchronize').whenDone(this.handle('DeviceStream.synchronize'), this.device);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Blocks until all work enqueued on this stream so far has finished. */
  synchronizeSync(): void {
    try {
      cudaBinding('DeviceStream.synchronizeSync').synchronize(this.handle('DeviceStream.synchronizeSync'), this.device);
    } catch (e) {
      rethrow('DeviceStream.synchronizeSync', e);
    }
  }

  /** Releases the stream once the work in it has finished (dispose()). */
  protected release(handle: object): void {
    cudaBinding('DeviceStream.dispose').destroyStream(handle);
  }
}

/** A device index: an integer ≥ 0, default 0 (the addon checks it against the device count). */
export function deviceIndex(fn: string, name: string, value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number') throw typeError(fn, ErrorCode.INVALID_ARG, name, `${name} must be a device index (an integer ≥ 0), got ${describe(value)}`);
  if (!Number.isInteger(value) || value < 0 || value > 1023) {
    throw rangeError(fn, ErrorCode.OUT_OF_RANGE, name, `${name} must be a device index (an integer ≥ 0), got ${describe(value)}`);
  }
  return value;
}
