/**
 * The checks of typed-array arguments (brand checks, shapes, detached buffers); options are read by
 * lib/options.ts. Every public function validates all of its arguments before it touches any output,
 * so a thrown error never leaves a half-written array. Loads the addon only to ask about a detached buffer.
 */
import { ErrorCode, describe, rangeError, typeError } from './errors';

export type FloatArray = Float32Array | Float64Array;

// %TypedArray%.prototype[Symbol.toStringTag]'s getter returns a typed array's real element type and
// undefined for anything else. Unlike `instanceof` it is a brand check: a Proxy of a Float32Array, an
// Object.create(Float32Array.prototype) or an Int8Array whose prototype was swapped cannot pass it, so
// every array that passes is one whose length, buffer and offset can be read and that the addon
// accepts as that type (found by test/fuzz-ops.test.ts). It costs no more than instanceof.
const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag)!.get!;

/** The element type of a real typed array ('Float32Array', 'Uint16Array', ...), undefined for any other value. */
export function typedArrayName(value: unknown): string | undefined {
  return typedArrayTag.call(value) as string | undefined;
}

/** True for Float32Array and Float64Array (including subarray views and SharedArrayBuffer-backed ones). */
export function isFloatArray(value: unknown): value is FloatArray {
  const name = typedArrayTag.call(value);
  return name === 'Float32Array' || name === 'Float64Array';
}

export function dtypeName(a: FloatArray): 'Float32Array' | 'Float64Array' {
  return typedArrayTag.call(a) as 'Float32Array' | 'Float64Array';
}

/** True when the view's buffer has been detached (transferred). */
function isDetached(a: ArrayBufferView): boolean {
  // Only an empty view can be detached; only then is the addon asked (Node 20 has no `buffer.detached`).
  return a.byteLength === 0 && (require('./binding') as typeof import('./binding')).isDetached(a.buffer);
}

/** Throws TypeError when the array's buffer has been detached (it then reads as empty). */
export function notDetached(fn: string, name: string, a: ArrayBufferView): void {
  if (isDetached(a)) {
    throw typeError(fn, ErrorCode.DETACHED, name, `${name}'s ArrayBuffer is detached (it was transferred)`);
  }
}

/**
 * The promise of an async call on the caller's arrays (`[name, array]` pairs; undefined entries are
 * skipped), rejected with ERR_SELU_DETACHED when one of them was detached while the work ran. The addon
 * pinned their memory (cpp/napi/array_memory_pin.h), so the transfer could not crash anything, but the
 * result was written to memory that now belongs to the transfer's receiver.
 */
export function ownedUntilSettled<R>(fn: string, work: Promise<R>, arrays: ReadonlyArray<readonly [string, ArrayBufferView | undefined]>): Promise<R> {
  return work.then((result) => {
    for (const [name, a] of arrays) {
      if (a !== undefined && isDetached(a)) {
        throw typeError(fn, ErrorCode.DETACHED, name,
          `${name}'s ArrayBuffer was detached (transferred) while the call ran; the work finished on memory the receiver now owns`);
      }
    }
    return result;
  });
}

/** Throws TypeError unless `value` is a Float32Array or Float64Array. */
export function floatArray(fn: string, name: string, value: unknown): FloatArray {
  if (!isFloatArray(value)) {
    throw typeError(fn, ErrorCode.INVALID_ARG, name, `${name} must be a Float32Array or Float64Array, got ${describe(value)}`);
  }
  return value;
}

/** Throws TypeError (dtype) or RangeError (length) unless `b` matches `a`. */
export function sameShape(fn: string, aName: string, a: FloatArray, bName: string, b: FloatArray): void {
  if (dtypeName(a) !== dtypeName(b)) {
    throw typeError(fn, ErrorCode.DTYPE_MISMATCH, bName,
      `${bName} must be a ${dtypeName(a)} like ${aName}, got ${describe(b)}`);
  }
  if (a.length !== b.length) {
    notDetached(fn, aName, a);
    notDetached(fn, bName, b);
    throw rangeError(fn, ErrorCode.LENGTH_MISMATCH, bName,
      `${bName} must have the same length as ${aName} (${a.length}), got ${b.length}`);
  }
}

/** A new zero-filled array of x's dtype and length. */
export function newLike<T extends FloatArray>(x: T): T {
  return (dtypeName(x) === 'Float32Array' ? new Float32Array(x.length) : new Float64Array(x.length)) as T;
}

// Small outputs of sync calls. V8 keeps typed arrays of up to 64 bytes inside the JS heap, and N-API
// hands such an array to the addon only after moving its bytes out of the heap: ~200 ns in Node 20,
// most of a small call's cost. So a sync call without `out` whose output would be that small writes
// into a view of one private buffer that lives outside the heap from the start, and returns a copy of
// the view in a new array (a byte copy: every bit is kept, NaN payloads too). The buffer is never
// handed out, so it cannot alias a caller's array; a sync call finishes with it before any other call
// can start (each worker has its own module instance).
const IN_HEAP_BYTES = 64;
const SCRATCH = new ArrayBuffer(IN_HEAP_BYTES);
const VIEWS_F32: readonly Float32Array[] = Array.from({ length: IN_HEAP_BYTES / 4 + 1 }, (_, n) => new Float32Array(SCRATCH, 0, n));
const VIEWS_F64: readonly Float64Array[] = Array.from({ length: IN_HEAP_BYTES / 8 + 1 }, (_, n) => new Float64Array(SCRATCH, 0, n));

/**
 * `out`, or where it is undefined an output like `like`: for a sync call a scratch view when the new
 * array would be small (see above; pass the call's result through {@link ownOutput}), otherwise a new
 * zero-filled array.
 */
export function outputFor<T extends FloatArray>(out: FloatArray | undefined, like: T, async: boolean): T {
  if (out !== undefined) return out as T;
  const n = like.length;
  const views: readonly FloatArray[] = dtypeName(like) === 'Float32Array' ? VIEWS_F32 : VIEWS_F64;
  return (!async && n > 0 && n < views.length ? views[n] : newLike(like)) as T;
}

/**
 * A sync call's result: `r` itself, or a copy in a new array when `r` is a scratch view of
 * {@link outputFor} (`slice` between arrays of one type copies the bytes).
 */
export function ownOutput<R>(r: R): R {
  const n = (r as { length?: number }).length as number;
  const scratch = (r as unknown) === VIEWS_F32[n] || (r as unknown) === VIEWS_F64[n];
  return scratch ? (r as unknown as FloatArray).slice() as unknown as R : r;
}
