/**
 * An op as the op table defines it once (lib/ops/selu.ts, dropout.ts, moments.ts), and the public forms
 * derived from it: the sync function and its Async twin, each taking typed arrays (the CPU addon) or
 * DeviceArrays (the CUDA addon). Every form checks its arguments and reads its options (lib/options.ts)
 * before anything runs, so a thrown error never leaves a half-written array or an allocation behind.
 *
 * Adding an input kind (say float16 typed arrays, or tensor objects) means one more branch in `route`
 * below and, where the kind needs them, its own runners in the op definitions: not new entry points.
 */
import { DeviceArray } from '../device-array';
import { cudaBinding, rethrow } from '../cuda/binding';
import { deviceArray, deviceOut, sameDeviceShape, streamOption } from '../cuda/validate';
import { type Check, type Reader, type Schema, type Snapshot, dtypeOption, floatDtype, floatOut, optionsReader, raw } from '../options';
import { type FloatArray, floatArray, isFloatArray, ownedUntilSettled, sameShape, typedArrayName } from '../validate';
import { generalAsync, generalSync } from './inputs';

/** The snapshot of an op's options on the CPU (its keys, and `out` when it has one). */
export type CpuOptions<S extends Schema> = Snapshot<S> & { out: FloatArray | undefined };
/** The snapshot of a call on 16-bit data: `out` is the Uint16Array of its bits. */
export type HalfOptions<S extends Schema> = Snapshot<S> & { out: Uint16Array | undefined };
/** The snapshot on the GPU: `out` is a DeviceArray, and `stream` the native stream (undefined: the default one). */
export type GpuOptions<S extends Schema> = Snapshot<S> & { out: DeviceArray | undefined; stream: object | undefined };

/**
 * One op. `a` is the first array argument (x or gradOutput: the one outputs are shaped like), `b` the
 * second (input, for the backward ops that take one), undefined otherwise. `fn` is the public name
 * being called ('selu' or 'seluAsync'), for error messages.
 */
export interface Op<S extends Schema> {
  name: string;
  /** The array arguments' names: ['x'] or ['gradOutput', 'input']. */
  arrays: readonly [string] | readonly [string, string];
  /** The option keys besides `out` and `stream`, in the order they are checked, with their checks. */
  options: S;
  /** Whether the op writes an output array (then `options.out` is a key). */
  output: boolean;
  /** Set when options may not be omitted: what they must hold ('an object with at least rate and seed'). */
  required?: string;
  /**
   * The CPU: runs the addon's sync call and returns the result, or with `async` its Async call (off the
   * main thread) and returns a promise of the result (or the result itself, for work done at once).
   */
  cpu(fn: string, a: FloatArray, b: FloatArray | undefined, o: CpuOptions<S>, async: boolean): unknown;
  /**
   * The CPU on 16-bit data (format 1 = float16, 2 = bfloat16): the arrays are Uint16Arrays of the bits,
   * the output one too (a new one when `o.out` is undefined); otherwise like `cpu`.
   */
  cpu16?(fn: string, format: 1 | 2, a: Uint16Array, b: Uint16Array | undefined, o: HalfOptions<S>, async: boolean): unknown;
  /**
   * The GPU: enqueues the work and returns the output DeviceArray (the Async form then resolves with it
   * once the stream has finished), or, for ops whose result must come back to the host, a promise of it.
   */
  gpu(fn: string, a: DeviceArray, b: DeviceArray | undefined, o: GpuOptions<S>): unknown;
  /** The GPU result comes back to the host (moments): every form returns a promise, errors included. */
  hostResult?: boolean;
}

/** The public forms of an op: (a, options) or (a, b, options), each routing typed arrays and DeviceArrays. */
export interface Forms {
  sync: (...args: unknown[]) => unknown;
  async: (...args: unknown[]) => Promise<unknown>;
}

interface Readers {
  cpu: Reader<Schema>;
  /** The CPU's other input kinds (lib/ops/inputs.ts): dtype only validated, `out` checked there against the input's kind. */
  general: Reader<Schema>;
  gpu: Reader<Schema>;
}

function readers<S extends Schema>(op: Op<S>): Readers {
  const out: Record<string, Check> = op.output ? { out: floatOut } : {};
  const rawOut: Record<string, Check> = op.output ? { out: raw } : {};
  const gpuOut: Record<string, Check> = op.output ? { out: deviceOut } : {};
  return {
    cpu: optionsReader({ ...op.options, dtype: floatDtype, ...out }, 'options', op.required),
    general: optionsReader({ ...op.options, dtype: dtypeOption, ...rawOut }, 'options', op.required),
    gpu: optionsReader({ ...op.options, ...gpuOut, stream: streamOption }, 'options', op.required),
  };
}

/** The second array argument (input) of a binary op: a typed array like the first. */
function second(fn: string, names: readonly string[], x: FloatArray, b: unknown): FloatArray {
  const y = floatArray(fn, names[1], b);
  sameShape(fn, names[0], x, names[1], y);
  return y;
}

/**
 * The GPU path: checks the DeviceArrays and options, then enqueues. With `settle` (the Async forms), a
 * promise that resolves with the output once the call's stream has computed it.
 */
function gpu<S extends Schema>(op: Op<S>, r: Readers, fn: string, a: DeviceArray, b: unknown, options: unknown, settle: boolean): unknown {
  const names = op.arrays;
  const x = deviceArray(fn, names[0], a, names[0]);
  let y: DeviceArray | undefined;
  if (names.length === 2) {
    y = deviceArray(fn, names[1], b, names[0]);
    sameDeviceShape(fn, names[0], x, names[1], y);
  }
  const o = r.gpu(fn, options, x, names[0]) as GpuOptions<S>;
  const result = op.gpu(fn, x, y, o);
  if (!settle || result instanceof Promise) return result;
  return cudaBinding(fn).whenDone(o.stream, x.device).then(() => result);
}

/** The arrays an async CPU call must still own when it settles (ERR_SELU_DETACHED otherwise). */
function owned<S extends Schema>(op: Op<S>, x: FloatArray, y: FloatArray | undefined, out: FloatArray | undefined): [string, FloatArray | undefined][] {
  return op.arrays.length === 2 ? [[op.arrays[0], x], [op.arrays[1], y], ['options.out', out]] : [[op.arrays[0], x], ['options.out', out]];
}

/**
 * The sync and Async forms of `op`. In the sync form the Float32Array / Float64Array test comes first
 * (the hot path: one brand check); then any other typed array (16-bit data, lib/ops/inputs.ts: a second
 * brand check); `instanceof` (which runs a Proxy's getPrototypeOf trap) only after both fail, and in the
 * Async form inside the try, so that a throwing trap rejects the promise; last, tensor objects.
 */
export function forms<S extends Schema>(op: Op<S>): Forms {
  const r = readers(op);
  const name = op.name;
  const asyncName = `${name}Async`;
  const binary = op.arrays.length === 2;
  const names = op.arrays;
  const first = names[0];
  // Read once here: the forms of all ops share their code (and V8's type feedback), so what differs
  // per op is taken from the closure rather than read from `op` on every call.
  const cpu = op.cpu;
  const readCpu = r.cpu;
  const readGeneral = r.general;
  const hostResult = op.hostResult === true;
  // One argument list for both arities: (a, options) or (a, b, options).
  const sync = (a: unknown, b: unknown, c: unknown): unknown => {
    const options = binary ? c : b;
    if (isFloatArray(a)) {
      const y = binary ? second(name, names, a, b) : undefined;
      return cpu(name, a, y, readCpu(name, options, a, first) as CpuOptions<S>, false);
    }
    if (typedArrayName(a) !== undefined || !(a instanceof DeviceArray)) return generalSync(op, readGeneral, name, a, b, options);
    if (!hostResult) return gpu(op, r, name, a as DeviceArray, b, options, false);
    try {
      return gpu(op, r, name, a as DeviceArray, b, options, false);
    } catch (error) {
      return Promise.reject(error);
    }
  };
  const async = (a: unknown, b: unknown, c: unknown): Promise<unknown> => {
    try {
      const options = binary ? c : b;
      if (!isFloatArray(a)) {
        if (typedArrayName(a) === undefined && a instanceof DeviceArray) return gpu(op, r, asyncName, a, b, options, true) as Promise<unknown>;
        return generalAsync(op, readGeneral, asyncName, a, b, options);
      }
      const x = a;
      const y = binary ? second(asyncName, names, x, b) : undefined;
      const o = readCpu(asyncName, options, x, first) as CpuOptions<S>;
      return ownedUntilSettled(asyncName, Promise.resolve(cpu(asyncName, x, y, o, true)), owned(op, x, y, o.out));
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return { sync: sync as Forms['sync'], async: async as Forms['async'] };
}

/**
 * Runs a GPU kernel into `given` or into a new DeviceArray like `like` (freed again when the launch
 * throws); returns the output.
 */
export function launch(fn: string, like: DeviceArray, given: DeviceArray | undefined, enqueue: (out: DeviceArray) => void): DeviceArray {
  cudaBinding(fn);  // ERR_CUDA_UNAVAILABLE before anything is allocated
  const out = given ?? DeviceArray.like(fn, like);
  try {
    enqueue(out);
  } catch (e) {
    if (given === undefined) out.dispose();
    rethrow(fn, e);
  }
  return out;
}
