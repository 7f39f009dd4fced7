/**
 * selu-kernels/tfjs: selu-kernels inside TensorFlow.js 4.x. `register(tf)` replaces the Selu kernel of
 * the cpu and wasm backends (float32; other dtypes keep tfjs's kernel), Selu's gradient (seluBackward
 * where the plugin covers the active backend, tfjs's composite elsewhere), and adds a seeded
 * AlphaDropout layer. `unregister()` puts every original kernel and gradient back.
 *
 * tfjs is not a dependency: the caller passes the `tf` module it uses, so loading selu-kernels never
 * loads tfjs. The 'tensorflow' backend (tfjs-node) is left alone: its kernels are native already and
 * it could not be installed where this was built and tested.
 */
import { ErrorCode } from '../index';
import { alphaDropoutGradKernel, alphaDropoutGradients, alphaDropoutKernel } from './alpha-dropout-kernels';
import * as layerModule from './alpha-dropout-layer';
import { type AlphaDropoutClass, createAlphaDropout } from './alpha-dropout-layer';
import * as backendModule from './backend-io';
import type { SupportedBackend } from './backend-io';
import * as errorsModule from './errors';
import { tfjsError } from './errors';
import { SELU, seluGradGradient, seluGradKernel, seluGradient, seluKernel } from './selu-kernels';
import type { GradConfig, KernelConfig, Tf } from './tf-types';

// Plain properties, not `export { … } from` (TypeScript's getters; lib/index.ts says why).
export const { TfjsErrorCode } = errorsModule;
export const { SUPPORTED_BACKENDS } = backendModule;
export const { ALPHA_DROPOUT_CLASS_NAME } = layerModule;
export type { TfjsErrorCodeValue } from './errors';
export type { SupportedBackend } from './backend-io';
export type { AlphaDropoutArgs, AlphaDropoutClass, AlphaDropoutLayer } from './alpha-dropout-layer';
export type { Tf } from './tf-types';

export interface RegisterOptions {
  /** The backends to take over, from SUPPORTED_BACKENDS; default: each of them whose package is loaded. */
  backends?: readonly string[];
}

export interface TfjsPlugin {
  /** The backends whose Selu kernel is selu-kernels' now (empty after unregister()). */
  readonly backends: readonly SupportedBackend[];
  /** The seeded alpha-dropout layer class (a tf.layers.Layer); needs tfjs-layers in `tf`. */
  readonly AlphaDropout: AlphaDropoutClass;
  /** Restores every original kernel and gradient; later calls do nothing. */
  unregister(): void;
}

const FN = 'register';
/** Marks the configs this module registers, so another copy of selu-kernels sees them too. */
const MARK = Symbol.for('selu-kernels.tfjs');
const OPTION_KEYS = new Set(['backends']);
/** One plugin per tfjs engine (the registry lives beside it, one per loaded tfjs-core). */
const plugins = new WeakMap<object, TfjsPlugin>();

function checkTf(tf: unknown): Tf {
  if (tf === null || typeof tf !== 'object') {
    throw tfjsError(TypeError, FN, ErrorCode.INVALID_ARG, 'tf', "tf must be the TensorFlow.js module (require('@tensorflow/tfjs'))");
  }
  const t = tf as Tf;
  const version = t.version_core ?? t.version?.['tfjs-core'];
  if (typeof version !== 'string' || !version.startsWith('4.')) {
    throw tfjsError(Error, FN, TfjsErrorCode.VERSION, 'tf', `needs TensorFlow.js 4.x (tested with 4.22), got tfjs-core ${String(version)}`);
  }
  const needed = ['registerKernel', 'unregisterKernel', 'getKernel', 'registerGradient', 'unregisterGradient', 'getGradient', 'engine', 'getBackend'] as const;
  const missing = needed.filter((name) => typeof t[name] !== 'function');
  if (missing.length > 0 || t.getGradient(SELU) === undefined) {
    throw tfjsError(Error, FN, TfjsErrorCode.VERSION, 'tf',
      `tf lacks ${missing.length > 0 ? missing.join(', ') : "Selu's gradient"}: pass the @tensorflow/tfjs (or tfjs-core) 4.x module itself`);
  }
  return t;
}

function chooseBackends(tf: Tf, options: unknown): SupportedBackend[] {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw tfjsError(TypeError, FN, ErrorCode.INVALID_ARG, 'options', 'options must be an object such as { backends: [\'cpu\'] }');
  }
  const o = (options ?? {}) as RegisterOptions;
  const unknown = Object.keys(o).filter((k) => !OPTION_KEYS.has(k));
  if (unknown.length > 0) {
    throw tfjsError(TypeError, FN, ErrorCode.UNKNOWN_OPTION, `options.${unknown[0]}`, `unknown option '${unknown[0]}' (known: backends)`);
  }
  if (o.backends === undefined) return SUPPORTED_BACKENDS.filter((b) => tf.getKernel(SELU, b) !== undefined);
  if (!Array.isArray(o.backends)) {
    throw tfjsError(TypeError, FN, ErrorCode.INVALID_ARG, 'options.backends', "options.backends must be an array such as ['cpu', 'wasm']");
  }
  for (const b of o.backends) {
    if (!(SUPPORTED_BACKENDS as readonly unknown[]).includes(b)) {
      const why = b === 'tensorflow' ? " (tfjs-node's kernels are native already; the plugin leaves them alone)" : '';
      throw tfjsError(RangeError, FN, TfjsErrorCode.BACKEND, 'options.backends',
        `cannot take over backend '${String(b)}'${why}; supported: ${SUPPORTED_BACKENDS.join(', ')}`);
    }
    if (tf.getKernel(SELU, b) === undefined) {
      throw tfjsError(RangeError, FN, TfjsErrorCode.BACKEND, 'options.backends',
        `backend '${b}' has no Selu kernel registered: load @tensorflow/tfjs-backend-${b} before register()`);
    }
  }
  return [...new Set(o.backends as SupportedBackend[])];
}

function marked<T extends object>(config: T): T {
  Object.defineProperty(config, MARK, { value: true });
  return config;
}

const isMarked = (config: object | undefined): boolean => config !== undefined && MARK in config;

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/**
 * Takes over Selu (and adds the plugin's kernels) on `options.backends` of `tf`. Registering again
 * with the same backends returns the same plugin; with other backends it throws
 * ERR_SELU_TFJS_ALREADY_REGISTERED (unregister() first).
 */
export function register(tf: unknown, options?: RegisterOptions): TfjsPlugin {
  const t = checkTf(tf);
  const backends = chooseBackends(t, options);
  const engine = t.engine();
  const existing = plugins.get(engine);
  if (existing !== undefined) {
    if (sameSet(existing.backends, backends)) return existing;
    throw tfjsError(Error, FN, TfjsErrorCode.ALREADY_REGISTERED, 'options.backends',
      `already registered for [${existing.backends.join(', ')}]; call unregister() before registering for [${backends.join(', ')}]`);
  }
  if (isMarked(t.getGradient(SELU)) || SUPPORTED_BACKENDS.some((b) => isMarked(t.getKernel(SELU, b)))) {
    throw tfjsError(Error, FN, TfjsErrorCode.ALREADY_REGISTERED, 'tf',
      "another copy of selu-kernels has registered with this tfjs; unregister that plugin first");
  }
  const plugin = install(t, backends);
  plugins.set(engine, plugin);
  return plugin;
}

function install(tf: Tf, backends: SupportedBackend[]): TfjsPlugin {
  let active: readonly SupportedBackend[] = Object.freeze([...backends]);
  const covers = (name: string) => (active as readonly string[]).includes(name);

  const originalKernels = backends.map((b) => tf.getKernel(SELU, b) as KernelConfig);
  const originalGradient = tf.getGradient(SELU) as GradConfig;
  const kernels: KernelConfig[] = backends.flatMap((b, i) => [
    seluKernel(b, originalKernels[i]), seluGradKernel(b), alphaDropoutKernel(b), alphaDropoutGradKernel(b),
  ]);
  const gradients: GradConfig[] = [seluGradient(tf, originalGradient, covers), seluGradGradient(tf), ...alphaDropoutGradients(tf)];

  // Replace without tfjs's "already registered" warnings: unregister first.
  for (const b of backends) tf.unregisterKernel(SELU, b);
  for (const k of kernels) tf.registerKernel(marked(k));
  tf.unregisterGradient(SELU);
  for (const g of gradients) tf.registerGradient(marked(g));

  const Layer = tf.layers?.Layer === undefined ? undefined : createAlphaDropout(tf, covers);
  if (Layer !== undefined) tf.serialization?.registerClass(Layer);

  const plugin: TfjsPlugin = {
    get backends() {
      return active;
    },
    get AlphaDropout(): AlphaDropoutClass {
      if (Layer === undefined) {
        throw tfjsError(Error, 'AlphaDropout', TfjsErrorCode.NO_LAYERS, 'tf',
          'the tf passed to register() has no tfjs-layers (tf.layers.Layer): pass @tensorflow/tfjs');
      }
      return Layer;
    },
    unregister() {
      if (plugins.get(tf.engine()) !== plugin) return;
      for (const k of kernels) tf.unregisterKernel(k.kernelName, k.backendName);
      for (const k of originalKernels) tf.registerKernel(k);
      for (const g of gradients) tf.unregisterGradient(g.kernelName);
      tf.registerGradient(originalGradient);
      const classes = tf.serialization?.SerializationMap?.getMap().classNameMap;
      if (classes !== undefined && classes[ALPHA_DROPOUT_CLASS_NAME] !== undefined) delete classes[ALPHA_DROPOUT_CLASS_NAME];
      active = Object.freeze([]);
      plugins.delete(tf.engine());
    },
  };
  return plugin;
}
