/**
 * The AlphaDropout layer: a tfjs-layers Layer (the class is made from the user's `tf`, which selu-kernels
 * does not import) that applies the library's alpha-dropout, seeded, on its Philox stream.
 *
 * Each training call draws from stream position `offset` on and then moves `offset` on by the number of
 * values drawn, so consecutive calls get fresh masks and two layers with the same seed, called alike,
 * give the same outputs. Outside training (`training` not true) the layer is the identity, as tfjs's is.
 *
 * On a backend the plugin covers, with float32 input and a mask as large as the input, the layer runs the plugin's
 * alpha-dropout kernel, whose gradient regenerates the mask from the seed and offset. Otherwise (a
 * noiseShape, or a backend the plugin does not cover) it draws the mask of the noise shape with the
 * library and applies it with tfjs ops, x·m + s, broadcast; tfjs then keeps those two small tensors for
 * the backward pass.
 */
import { randomInt } from 'node:crypto';
import { ErrorCode, alphaDropout, alphaDropoutBackward } from '../index';
import { ALPHA_DROPOUT, type DropoutAttrs } from './alpha-dropout-kernels';
import { tfjsError } from './errors';
import type { Covers } from './selu-kernels';
import type { Tensor, Tf } from './tf-types';

/** The name under which the class is registered for serialization (tfjs's own is 'AlphaDropout'). */
export const ALPHA_DROPOUT_CLASS_NAME = 'SeluKernelsAlphaDropout';

export interface AlphaDropoutArgs {
  /** Drop probability, 0 ≤ rate < 1. */
  rate: number;
  /** The stream's key, an integer 0 ≤ seed ≤ 2^53 − 1; a random one (kept in getConfig()) when omitted. */
  seed?: number;
  /**
   * As in tfjs's AlphaDropout: the shape of the mask, broadcast over the input (each entry the input's
   * size along that axis or 1; null takes the input's).
   */
  noiseShape?: (number | null)[];
  /** The fixed point the layer keeps: mean (default 0) and variance (> 0, default 1) of its input. */
  mean?: number;
  variance?: number;
  /** Other tfjs-layers options (name, inputShape, ...) are passed to tf.layers.Layer. */
  [layerOption: string]: unknown;
}

/** What the layer adds to tfjs's Layer (the instance is a tf.layers.Layer). */
export interface AlphaDropoutLayer {
  readonly rate: number;
  readonly seed: number;
  readonly noiseShape: (number | null)[] | undefined;
  readonly mean: number;
  readonly variance: number;
  /** The stream position the next training call draws from. */
  offset: number;
  getConfig(): Record<string, unknown>;
  apply(inputs: unknown, kwargs?: Record<string, unknown>): unknown;
}

export type AlphaDropoutClass = (new (args: AlphaDropoutArgs) => AlphaDropoutLayer) & { className: string };

const FN = 'AlphaDropout';

function checkArgs(args: AlphaDropoutArgs) {
  if (args === null || typeof args !== 'object') {
    throw tfjsError(TypeError, FN, ErrorCode.INVALID_ARG, 'args', 'args must be an object with at least { rate }');
  }
  const { rate, seed, noiseShape, mean = 0, variance = 1 } = args;
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
    throw tfjsError(RangeError, FN, ErrorCode.OUT_OF_RANGE, 'args.rate', `args.rate must be a number in [0, 1), got ${String(rate)}`);
  }
  if (seed !== undefined && !(Number.isSafeInteger(seed) && seed >= 0)) {
    throw tfjsError(RangeError, FN, ErrorCode.OUT_OF_RANGE, 'args.seed', `args.seed must be an integer in [0, 2^53), got ${String(seed)}`);
  }
  if (typeof mean !== 'number' || !Number.isFinite(mean)) {
    throw tfjsError(RangeError, FN, ErrorCode.OUT_OF_RANGE, 'args.mean', `args.mean must be a finite number, got ${String(mean)}`);
  }
  if (typeof variance !== 'number' || !(Number.isFinite(variance) && variance > 0)) {
    throw tfjsError(RangeError, FN, ErrorCode.OUT_OF_RANGE, 'args.variance', `args.variance must be a finite number > 0, got ${String(variance)}`);
  }
  if (noiseShape !== undefined && noiseShape !== null
    && !(Array.isArray(noiseShape) && noiseShape.every((d) => d === null || (Number.isSafeInteger(d) && d > 0)))) {
    throw tfjsError(TypeError, FN, ErrorCode.INVALID_ARG, 'args.noiseShape',
      'args.noiseShape must be an array of positive integers or nulls, one per input axis');
  }
  // A random key when none is given: 48 bits, the most node:crypto's randomInt draws in one call.
  return { rate, seed: seed ?? randomInt(2 ** 48 - 1), noiseShape: noiseShape ?? undefined, mean, variance };
}

/** The mask's shape for an input of `shape`: noiseShape with nulls filled in, checked to broadcast. */
function maskShape(noiseShape: (number | null)[] | undefined, shape: number[]): number[] {
  if (noiseShape === undefined) return shape;
  if (noiseShape.length !== shape.length) {
    throw tfjsError(RangeError, FN, ErrorCode.LENGTH_MISMATCH, 'args.noiseShape',
      `args.noiseShape has ${noiseShape.length} axes, the input ${shape.length} (shape [${shape.join(', ')}])`);
  }
  return noiseShape.map((d, i) => {
    const n = d ?? shape[i];
    if (n !== shape[i] && n !== 1) {
      throw tfjsError(RangeError, FN, ErrorCode.OUT_OF_RANGE, 'args.noiseShape',
        `args.noiseShape[${i}] must be 1 or the input's size ${shape[i]} along that axis, got ${n}`);
    }
    return n;
  });
}

/** x·m + s with m = a where kept, 0 where dropped, and s = b where kept, a·α' + b where dropped. */
function maskedAffine(tf: Tf, x: Tensor, shape: number[], attrs: DropoutAttrs): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const m = alphaDropoutBackward(new Float32Array(n).fill(1), attrs);
  const s = alphaDropout(new Float32Array(n), attrs);
  return tf.add(tf.mul(x, tf.tensor(m, shape)), tf.tensor(s, shape));
}

interface LayerBase {
  supportsMasking: boolean;
  getConfig(): Record<string, unknown>;
  apply(inputs: unknown, kwargs?: Record<string, unknown>): unknown;
}

/** Makes the AlphaDropout class on `tf.layers.Layer`; `covers` says whether the plugin's kernels serve a backend. */
export function createAlphaDropout(tf: Tf, covers: Covers): AlphaDropoutClass {
  const Layer = tf.layers?.Layer as unknown as new (args: Record<string, unknown>) => LayerBase;

  class AlphaDropout extends Layer implements AlphaDropoutLayer {
    static className = ALPHA_DROPOUT_CLASS_NAME;
    readonly rate: number;
    readonly seed: number;
    readonly noiseShape: (number | null)[] | undefined;
    readonly mean: number;
    readonly variance: number;
    offset = 0;

    constructor(args: AlphaDropoutArgs) {
      const checked = checkArgs(args);
      const { rate: _r, seed: _s, noiseShape: _n, mean: _m, variance: _v, ...layerArgs } = args;
      super(layerArgs);
      this.supportsMasking = true;
      this.rate = checked.rate;
      this.seed = checked.seed;
      this.noiseShape = checked.noiseShape;
      this.mean = checked.mean;
      this.variance = checked.variance;
    }

    computeOutputShape(inputShape: unknown): unknown {
      return inputShape;
    }

    getConfig(): Record<string, unknown> {
      const config: Record<string, unknown> = { rate: this.rate, seed: this.seed, mean: this.mean, variance: this.variance };
      if (this.noiseShape !== undefined) config.noiseShape = this.noiseShape;
      return { ...config, ...super.getConfig() };
    }

    call(inputs: Tensor | Tensor[], kwargs: Record<string, unknown> | undefined): Tensor {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      if (kwargs?.training !== true || this.rate === 0) return x;
      const shape = maskShape(this.noiseShape, x.shape);
      const attrs: DropoutAttrs = { rate: this.rate, seed: this.seed, offset: this.offset, mean: this.mean, variance: this.variance };
      this.offset += shape.reduce((p, d) => p * d, 1);
      if (shape.every((d, i) => d === x.shape[i]) && x.dtype === 'float32' && covers(tf.getBackend())) {
        return tf.engine().runKernel(ALPHA_DROPOUT, { x }, attrs);
      }
      return tf.tidy(() => maskedAffine(tf, x, shape, attrs));
    }
  }
  return AlphaDropout as unknown as AlphaDropoutClass;
}
