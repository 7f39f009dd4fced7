/**
 * Alpha-dropout as tfjs kernels of the plugin's own, on the covered backends: the forward kernel runs
 * the library's alphaDropout with the stream position in its attrs, and its gradient runs
 * alphaDropoutBackward with the same attrs, which regenerates the mask (no mask tensor is kept).
 */
import { alphaDropout, alphaDropoutBackward } from '../index';
import { type SupportedBackend, runFloat32 } from './backend-io';
import type { GradConfig, KernelConfig, Tf } from './tf-types';

export const ALPHA_DROPOUT = 'SeluKernelsAlphaDropout';
export const ALPHA_DROPOUT_GRAD = 'SeluKernelsAlphaDropoutGrad';

/** One training call's dropout: the stream position (seed, offset) and the fixed point to keep. */
export interface DropoutAttrs extends Record<string, unknown> {
  rate: number;
  seed: number;
  offset: number;
  mean: number;
  variance: number;
}

function streamOptions(attrs: Record<string, unknown> | undefined, out: Float32Array | undefined) {
  const { rate, seed, offset, mean, variance } = attrs as DropoutAttrs;
  return { rate, seed, offset, mean, variance, out };
}

type StreamOp = (v: Float32Array, options: ReturnType<typeof streamOptions>) => Float32Array;

/** A kernel that runs `op` on its one input, named `input`, at the stream position in its attrs. */
function streamKernel(kernelName: string, input: string, op: StreamOp, backendName: SupportedBackend): KernelConfig {
  return {
    kernelName,
    backendName,
    kernelFunc({ inputs, backend, attrs }) {
      const t = inputs[input];
      return runFloat32(backendName, backend, [t], t.shape, ([v], out) => op(v, streamOptions(attrs, out)));
    },
  };
}

export function alphaDropoutKernel(backendName: SupportedBackend): KernelConfig {
  return streamKernel(ALPHA_DROPOUT, 'x', alphaDropout, backendName);
}

export function alphaDropoutGradKernel(backendName: SupportedBackend): KernelConfig {
  return streamKernel(ALPHA_DROPOUT_GRAD, 'dy', alphaDropoutBackward, backendName);
}

/**
 * The gradients of both kernels. Each is linear in its input with the same masked factor, so both
 * backward passes are alphaDropoutBackward from the forward call's attrs.
 */
export function alphaDropoutGradients(tf: Tf): GradConfig[] {
  return [ALPHA_DROPOUT, ALPHA_DROPOUT_GRAD].map((kernelName) => ({
    kernelName,
    inputsToSave: [],
    gradFunc: (dy, _saved, attrs) => {
      const input = kernelName === ALPHA_DROPOUT ? 'x' : 'dy';
      return { [input]: () => tf.engine().runKernel(ALPHA_DROPOUT_GRAD, { dy }, attrs) };
    },
  }));
}
