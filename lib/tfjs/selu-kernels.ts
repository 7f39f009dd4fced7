/**
 * tfjs's Selu kernel and gradient, run by selu-kernels. The forward kernel replaces the backend's own
 * for float32 tensors (other dtypes go to the original kernel). tfjs has no SeluGrad kernel: Selu's
 * gradient is a registry entry shared by every backend, so the replacement gradient runs a kernel of
 * the plugin's own (SeluKernelsSeluGrad, seluBackward) where the active backend is covered and tfjs's
 * composite gradient elsewhere.
 */
import { SELU_ALPHA, SELU_SCALE, selu, seluBackward } from '../index';
import { type SupportedBackend, runFloat32 } from './backend-io';
import type { GradConfig, KernelConfig, Tf } from './tf-types';

export const SELU = 'Selu';
/** Names without '_': tfjs keys its registry as `${backend}_${kernel}` and splits on '_'. */
export const SELU_GRAD = 'SeluKernelsSeluGrad';

/** Whether the plugin's kernels serve the named backend now. */
export type Covers = (backendName: string) => boolean;

export function seluKernel(backendName: SupportedBackend, original: KernelConfig): KernelConfig {
  return {
    kernelName: SELU,
    backendName,
    kernelFunc(args) {
      const { x } = args.inputs;
      if (x.dtype !== 'float32') return original.kernelFunc(args);
      return runFloat32(backendName, args.backend, [x], x.shape,
        ([v], out) => (out === undefined ? selu(v) : selu(v, { out })));
    },
    // The wasm backend calls setupFunc for the kernels registered when it starts; the original kernel
    // (still used for other dtypes, and restored by unregister) needs its setup then.
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
  };
}

export function seluGradKernel(backendName: SupportedBackend): KernelConfig {
  return {
    kernelName: SELU_GRAD,
    backendName,
    kernelFunc(args) {
      const { dy, x } = args.inputs;
      return runFloat32(backendName, args.backend, [dy, x], x.shape,
        ([g, v], out) => (out === undefined ? seluBackward(g, v) : seluBackward(g, v, { out })));
    },
  };
}

/** Selu's gradient: seluBackward on a covered backend for float32, tfjs's own (`original`) otherwise. */
export function seluGradient(tf: Tf, original: GradConfig, covers: Covers): GradConfig {
  return {
    kernelName: SELU,
    inputsToSave: ['x'],
    gradFunc(dy, saved, attrs) {
      const [x] = saved;
      if (covers(tf.getBackend()) && x.dtype === 'float32' && dy.dtype === 'float32') {
        return { x: () => tf.engine().runKernel(SELU_GRAD, { dy, x }) };
      }
      return original.gradFunc(dy, saved, attrs);
    },
  };
}

/**
 * The gradient of SeluKernelsSeluGrad (so second derivatives work as with tfjs's composite):
 * it is dy·selu'(x), linear in dy, and selu''(x) = 0 for x > 0, λα·eˣ otherwise.
 */
export function seluGradGradient(tf: Tf): GradConfig {
  return {
    kernelName: SELU_GRAD,
    inputsToSave: ['dy', 'x'],
    gradFunc(g, [dy, x]) {
      return {
        dy: () => tf.engine().runKernel(SELU_GRAD, { dy: g, x }),
        x: () => tf.where(tf.greater(x, 0), tf.zerosLike(x), tf.mul(tf.mul(g, dy), tf.mul(tf.exp(x), SELU_SCALE * SELU_ALPHA))),
      };
    },
  };
}
