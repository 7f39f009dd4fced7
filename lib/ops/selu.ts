/** The SELU ops: selu and seluBackward, on typed arrays (cpp/selu) and DeviceArrays (cuda/selu). */
import { binding } from '../binding';
import { SELU_ALPHA, SELU_SCALE, seluKernelConstants } from '../constants';
import { cudaBinding } from '../cuda/binding';
import { DTYPE_CODES } from '../device-array';
import { finiteOr } from '../options';
import { outputFor, ownOutput } from '../validate';
import { type Op, launch } from './op';

/** SELU's parameters, shared by every op that applies SELU. */
export const SELU_KEYS = { alpha: finiteOr(SELU_ALPHA), scale: finiteOr(SELU_SCALE) };

export type SeluKeys = typeof SELU_KEYS;

export const SELU: Op<SeluKeys> = {
  name: 'selu',
  arrays: ['x'],
  options: SELU_KEYS,
  output: true,
  cpu(_fn, x, _b, o, async) {
    const k = seluKernelConstants(o.alpha, o.scale);
    const out = outputFor(o.out, x, async);
    // Two direct calls, not a call of a chosen function: V8 then calls the addon through its fast path.
    return async ? binding.seluAsync(x, out, k[0], k[1], k[2], k[3]) : ownOutput(binding.selu(x, out, k[0], k[1], k[2], k[3]));
  },
  cpu16(_fn, f, x, _b, o, async) {
    const k = seluKernelConstants(o.alpha, o.scale);
    const out = o.out ?? new Uint16Array(x.length);
    return (async ? binding.selu16Async : binding.selu16)(f, x, out, k[0], k[1], k[2], k[3]);
  },
  gpu(fn, x, _b, o) {
    const k = seluKernelConstants(o.alpha, o.scale);
    return launch(fn, x, o.out, (out) => cudaBinding(fn).selu(DTYPE_CODES[x.dtype], x.length, x.handle(fn, 'x'),
      out.handle(fn, 'options.out'), o.stream, k[0], k[1], k[2], k[3]));
  },
};

export const SELU_BACKWARD: Op<SeluKeys> = {
  name: 'seluBackward',
  arrays: ['gradOutput', 'input'],
  options: SELU_KEYS,
  output: true,
  cpu(_fn, grad, x, o, async) {
    const k = seluKernelConstants(o.alpha, o.scale);
    const out = outputFor(o.out, grad, async);
    return async ? binding.seluBackwardAsync(grad, x!, out, k[0], k[1], k[2], k[3])
      : ownOutput(binding.seluBackward(grad, x!, out, k[0], k[1], k[2], k[3]));
  },
  cpu16(_fn, f, grad, x, o, async) {
    const k = seluKernelConstants(o.alpha, o.scale);
    const out = o.out ?? new Uint16Array(grad.length);
    return (async ? binding.seluBackward16Async : binding.seluBackward16)(f, grad, x!, out, k[0], k[1], k[2], k[3]);
  },
  gpu(fn, grad, x, o) {
    const k = seluKernelConstants(o.alpha, o.scale);
    return launch(fn, grad, o.out, (out) => cudaBinding(fn).seluBackward(DTYPE_CODES[grad.dtype], grad.length,
      grad.handle(fn, 'gradOutput'), x!.handle(fn, 'input'), out.handle(fn, 'options.out'), o.stream, k[0], k[1], k[2], k[3]));
  },
};
