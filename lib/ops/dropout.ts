/**
 * The alpha-dropout ops: alphaDropout, alphaDropoutBackward, seluAlphaDropout, seluAlphaDropoutBackward
 * (cpp/dropout, cuda/dropout) and alphaDropoutMask. The keep mask of element i is drawn from the
 * Philox4x32-10 stream at position offset + i (docs: the dropout stream), on the CPU and the GPU alike;
 * a, b and the dropped value come from lib/theory/dropout-parameters.ts.
 */
import { constants as bufferConstants } from 'node:buffer';
import { binding } from '../binding';
import { type SeluKernelConstants, seluKernelConstants } from '../constants';
import { cudaBinding, rethrow } from '../cuda/binding';
import { DTYPE_CODES, DeviceArray } from '../device-array';
import { ErrorCode, rangeError } from '../errors';
import { type Snapshot, booleanOr, byteOut, dropRate, integerInRange, optionsReader, streamFits, uint64Or } from '../options';
import { DROPOUT_PARAMETER_KEYS, dropoutAffine } from '../theory/dropout-parameters';
import { type FloatArray, notDetached, outputFor, ownOutput, ownedUntilSettled } from '../validate';
import { type GpuOptions, type Op, launch } from './op';
import { SELU, SELU_BACKWARD } from './selu';

const REQUIRED = 'an object with at least rate and seed';

/** The dropout ops' keys: the parameters' (rate, mean, variance, alpha, scale), then the stream's and training. */
const DROPOUT_KEYS = { ...DROPOUT_PARAMETER_KEYS, seed: uint64Or(), offset: uint64Or(0n), training: booleanOr(true) };
type DropoutKeys = typeof DROPOUT_KEYS;
type Gpu = GpuOptions<DropoutKeys>;

/**
 * What a call computes from its snapshot, after the stream range is checked: the affine parameters,
 * and the SELU kernel constants of the fused ops.
 */
interface Affine {
  a: number;
  b: number;
  dropped: number;
  k: SeluKernelConstants;
}

function affine(fn: string, o: Snapshot<DropoutKeys>, length: number): Affine {
  streamFits(fn, o.offset, length);
  const p = dropoutAffine(fn, 'options', o.rate, o.mean, o.variance, o.alpha, o.scale);
  return { a: p.a, b: p.b, dropped: p.droppedValue, k: seluKernelConstants(o.alpha, o.scale) };
}

/**
 * training: false on typed arrays: `x` itself, or x copied into `out`. Partial overlap is rejected as
 * in training mode (where the addon checks it).
 */
function identity<A extends FloatArray | Uint16Array>(fn: string, xName: string, x: A, out: A | undefined): A {
  // No kernel runs here, so the addon's detached check does not either (found by test/fuzz-detach.test.ts).
  notDetached(fn, xName, x);
  if (out !== undefined) notDetached(fn, 'options.out', out);
  if (out === undefined || out === x) return x;
  if (out.buffer === x.buffer && !(out.byteOffset === x.byteOffset)) {
    const disjoint = out.byteOffset + out.byteLength <= x.byteOffset || x.byteOffset + x.byteLength <= out.byteOffset;
    if (!disjoint) {
      throw rangeError(fn, ErrorCode.OVERLAP, 'options.out',
        'options.out overlaps the input partially; pass the same array for in-place operation or a disjoint one');
    }
  }
  (out as Uint16Array).set(x as Uint16Array);
  return out;
}

/** training: false on DeviceArrays: x itself, or x copied into out. */
function deviceIdentity(fn: string, xName: string, x: DeviceArray, o: Gpu): DeviceArray {
  if (o.out === undefined || o.out === x) return x;
  try {
    cudaBinding(fn).copy(o.out.handle(fn, 'options.out'), x.handle(fn, xName), x.byteLength, o.stream);
  } catch (e) {
    rethrow(fn, e);
  }
  return o.out;
}

/** A dropout op: the dropout keys, an output, options required. */
function dropoutOp(name: string, arrays: Op<DropoutKeys>['arrays'], run: Pick<Op<DropoutKeys>, 'cpu' | 'cpu16' | 'gpu'>): Op<DropoutKeys> {
  return { name, arrays, options: DROPOUT_KEYS, output: true, required: REQUIRED, cpu: run.cpu, cpu16: run.cpu16, gpu: run.gpu };
}

const newBits = (out: Uint16Array | undefined, like: Uint16Array): Uint16Array => out ?? new Uint16Array(like.length);

export const ALPHA_DROPOUT = dropoutOp('alphaDropout', ['x'], {
  cpu(fn, x, _b, o, async) {
    const p = affine(fn, o, x.length);
    if (!o.training) return identity(fn, 'x', x, o.out);
    const out = outputFor(o.out, x, async);
    return async ? binding.alphaDropoutAsync(x, out, o.seed, o.offset, o.rate, p.a, p.b, p.dropped)
      : ownOutput(binding.alphaDropout(x, out, o.seed, o.offset, o.rate, p.a, p.b, p.dropped));
  },
  cpu16(fn, f, x, _b, o, async) {
    const p = affine(fn, o, x.length);
    if (!o.training) return identity(fn, 'x', x, o.out);
    return (async ? binding.alphaDropout16Async : binding.alphaDropout16)(f, x, newBits(o.out, x), o.seed, o.offset, o.rate, p.a, p.b, p.dropped);
  },
  gpu(fn, x, _b, o) {
    const p = affine(fn, o, x.length);
    if (!o.training) return deviceIdentity(fn, 'x', x, o);
    return launch(fn, x, o.out, (out) => cudaBinding(fn).alphaDropout(DTYPE_CODES[x.dtype], x.length, x.handle(fn, 'x'),
      out.handle(fn, 'options.out'), o.stream, o.seed, o.offset, o.rate, p.a, p.b, p.dropped));
  },
});

export const ALPHA_DROPOUT_BACKWARD = dropoutOp('alphaDropoutBackward', ['gradOutput'], {
  cpu(fn, grad, _b, o, async) {
    const p = affine(fn, o, grad.length);
    if (!o.training) return identity(fn, 'gradOutput', grad, o.out);
    return ownOutput((async ? binding.alphaDropoutBackwardAsync : binding.alphaDropoutBackward)(grad, outputFor(o.out, grad, async), o.seed,
      o.offset, o.rate, p.a));
  },
  cpu16(fn, f, grad, _b, o, async) {
    const p = affine(fn, o, grad.length);
    if (!o.training) return identity(fn, 'gradOutput', grad, o.out);
    return (async ? binding.alphaDropoutBackward16Async : binding.alphaDropoutBackward16)(f, grad, newBits(o.out, grad), o.seed, o.offset, o.rate, p.a);
  },
  gpu(fn, grad, _b, o) {
    const p = affine(fn, o, grad.length);
    if (!o.training) return deviceIdentity(fn, 'gradOutput', grad, o);
    return launch(fn, grad, o.out, (out) => cudaBinding(fn).alphaDropoutBackward(DTYPE_CODES[grad.dtype], grad.length,
      grad.handle(fn, 'gradOutput'), out.handle(fn, 'options.out'), o.stream, o.seed, o.offset, o.rate, p.a));
  },
});

export const SELU_ALPHA_DROPOUT = dropoutOp('seluAlphaDropout', ['x'], {
  // training: false is selu(x) with the same alpha, scale and out.
  cpu(fn, x, _b, o, async) {
    const p = affine(fn, o, x.length);
    if (!o.training) return SELU.cpu(fn, x, undefined, o, async);
    return ownOutput((async ? binding.seluAlphaDropoutAsync : binding.seluAlphaDropout)(x, outputFor(o.out, x, async), o.seed, o.offset, o.rate,
      p.a, p.b, p.dropped, p.k[0], p.k[1], p.k[2], p.k[3]));
  },
  cpu16(fn, f, x, _b, o, async) {
    const p = affine(fn, o, x.length);
    if (!o.training) return SELU.cpu16!(fn, f, x, undefined, o, async);
    return (async ? binding.seluAlphaDropout16Async : binding.seluAlphaDropout16)(f, x, newBits(o.out, x), o.seed, o.offset, o.rate,
      p.a, p.b, p.dropped, p.k[0], p.k[1], p.k[2], p.k[3]);
  },
  gpu(fn, x, _b, o) {
    const p = affine(fn, o, x.length);
    if (!o.training) return SELU.gpu(fn, x, undefined, o);
    return launch(fn, x, o.out, (out) => cudaBinding(fn).seluAlphaDropout(DTYPE_CODES[x.dtype], x.length, x.handle(fn, 'x'),
      out.handle(fn, 'options.out'), o.stream, o.seed, o.offset, o.rate, p.a, p.b, p.dropped, p.k[0], p.k[1], p.k[2], p.k[3]));
  },
});

export const SELU_ALPHA_DROPOUT_BACKWARD = dropoutOp('seluAlphaDropoutBackward', ['gradOutput', 'input'], {
  // training: false is seluBackward(gradOutput, input) with the same alpha, scale and out.
  cpu(fn, grad, x, o, async) {
    const p = affine(fn, o, grad.length);
    if (!o.training) return SELU_BACKWARD.cpu(fn, grad, x, o, async);
    return ownOutput((async ? binding.seluAlphaDropoutBackwardAsync : binding.seluAlphaDropoutBackward)(grad, x!, outputFor(o.out, grad, async),
      o.seed, o.offset, o.rate, p.a, p.k[0], p.k[1], p.k[2], p.k[3]));
  },
  cpu16(fn, f, grad, x, o, async) {
    const p = affine(fn, o, grad.length);
    if (!o.training) return SELU_BACKWARD.cpu16!(fn, f, grad, x, o, async);
    return (async ? binding.seluAlphaDropoutBackward16Async : binding.seluAlphaDropoutBackward16)(f, grad, x!, newBits(o.out, grad), o.seed,
      o.offset, o.rate, p.a, p.k[0], p.k[1], p.k[2], p.k[3]);
  },
  gpu(fn, grad, x, o) {
    const p = affine(fn, o, grad.length);
    if (!o.training) return SELU_BACKWARD.gpu(fn, grad, x, o);
    return launch(fn, grad, o.out, (out) => cudaBinding(fn).seluAlphaDropoutBackward(DTYPE_CODES[grad.dtype], grad.length,
      grad.handle(fn, 'gradOutput'), x!.handle(fn, 'input'), out.handle(fn, 'options.out'), o.stream, o.seed, o.offset, o.rate, p.a,
      p.k[0], p.k[1], p.k[2], p.k[3]));
  },
});

// alphaDropoutMask(length, options): no array input, CPU only; the mask goes to options.out (a
// Uint8Array of `length` elements, so that a loop can reuse one) or to a new Uint8Array.
const MASK_KEYS = { rate: dropRate, seed: uint64Or(), offset: uint64Or(0n), out: byteOut };
const readMaskOptions = optionsReader(MASK_KEYS, 'options', REQUIRED);

/** The checked options and the array the mask goes to (options.out, else a new one). */
function maskArgs(fn: string, length: unknown, options: unknown): { o: Snapshot<typeof MASK_KEYS>; mask: Uint8Array } {
  const n = integerInRange(fn, 'length', length, 0, bufferConstants.MAX_LENGTH);
  const o = readMaskOptions(fn, options, n, 'length');
  streamFits(fn, o.offset, n);
  return { o, mask: o.out ?? new Uint8Array(n) };
}

export const ALPHA_DROPOUT_MASK = {
  name: 'alphaDropoutMask',
  sync(length: unknown, options: unknown): Uint8Array {
    const { o, mask } = maskArgs('alphaDropoutMask', length, options);
    return binding.alphaDropoutMask(mask, o.seed, o.offset, o.rate);
  },
  async(length: unknown, options: unknown): Promise<Uint8Array> {
    const fn = 'alphaDropoutMaskAsync';
    try {
      const { o, mask } = maskArgs(fn, length, options);
      // As for the other ops' Async forms: a given out must still be the caller's when the work settles.
      return ownedUntilSettled(fn, binding.alphaDropoutMaskAsync(mask, o.seed, o.offset, o.rate), [['options.out', o.out]]);
    } catch (error) {
      return Promise.reject(error);
    }
  },
};
