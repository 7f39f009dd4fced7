/**
 * What DeviceArray and DeviceStream share: one native handle from the CUDA addon, released once, by
 * dispose() or at the end of a `using` block (the addon's finalizer releases it otherwise).
 */
import { ErrorCode, plainError, typeError } from '../errors';

export abstract class NativeResource {
  #handle: object | null;

  protected constructor(handle: object) {
    this.#handle = handle;
  }

  /** True after dispose(). */
  get disposed(): boolean {
    return this.#handle === null;
  }

  /**
   * The native handle; `impostor` (a TypeError) for an object made with Object.create(prototype), which
   * passes `instanceof` but has no handle (reading it would throw V8's own TypeError, without a code),
   * and `disposedMessage` (ERR_DISPOSED) after dispose().
   */
  protected liveHandle(fn: string, name: string, impostor: string, disposedMessage: string): object {
    if (!(#handle in this)) throw typeError(fn, ErrorCode.INVALID_ARG, name, impostor);
    if (this.#handle === null) throw plainError(fn, ErrorCode.DISPOSED, name, disposedMessage);
    return this.#handle;
  }

  /** Releases the native handle once the work already enqueued on it has finished. A second call does nothing. */
  dispose(): void {
    const h = this.#handle;
    if (h === null) return;
    this.#handle = null;
    this.release(h);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Hands the handle back to the addon (free, destroyStream). */
  protected abstract release(handle: object): void;
}
