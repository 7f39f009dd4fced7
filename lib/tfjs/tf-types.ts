/**
 * The parts of a TensorFlow.js 4.x module (`@tensorflow/tfjs` or `@tensorflow/tfjs-core`) this
 * integration uses, written out structurally: selu-kernels does not depend on tfjs (the user passes
 * their own `tf` object in), so nothing here is imported from it.
 */

/** A tensor's handle as kernels see it (tfjs's TensorInfo). */
export interface TensorInfo {
  dataId: object;
  shape: number[];
  dtype: string;
}

/** A tfjs Tensor: a TensorInfo with a size (ops are called through `tf`). */
export interface Tensor extends TensorInfo {
  size: number;
}

export interface KernelArgs {
  inputs: Record<string, TensorInfo>;
  backend: unknown;
  attrs?: Record<string, unknown>;
}

export interface KernelConfig {
  kernelName: string;
  backendName: string;
  kernelFunc: (args: KernelArgs) => TensorInfo | TensorInfo[];
  setupFunc?: (backend: unknown) => void;
  disposeFunc?: (backend: unknown) => void;
}

export interface GradConfig {
  kernelName: string;
  inputsToSave?: string[];
  outputsToSave?: boolean[];
  gradFunc: (dy: Tensor, saved: Tensor[], attrs: Record<string, unknown>) => Record<string, () => Tensor>;
}

/** tfjs-layers' Layer constructor (present when `tf` includes tfjs-layers). */
export type LayerConstructor = new (args?: Record<string, unknown>) => object;

/* eslint-disable @typescript-eslint/no-explicit-any -- tfjs's op signatures are not restated here */
export interface Tf {
  version_core?: string;
  version?: Record<string, string>;
  registerKernel(config: KernelConfig): void;
  unregisterKernel(kernelName: string, backendName: string): void;
  getKernel(kernelName: string, backendName: string): KernelConfig | undefined;
  registerGradient(config: GradConfig): void;
  unregisterGradient(kernelName: string): void;
  getGradient(kernelName: string): GradConfig | undefined;
  engine(): { runKernel(kernelName: string, inputs: Record<string, Tensor>, attrs?: Record<string, unknown>): Tensor };
  getBackend(): string;
  tidy<T>(fn: () => T): T;
  tensor(values: Float32Array, shape: number[], dtype?: string): Tensor;
  add(a: Tensor, b: Tensor): Tensor;
  mul(a: Tensor, b: Tensor | number | any): Tensor;
  exp(x: Tensor): Tensor;
  greater(a: Tensor, b: any): Tensor;
  where(cond: Tensor, a: Tensor, b: Tensor): Tensor;
  zerosLike(x: Tensor): Tensor;
  scalar(value: number): Tensor;
  layers?: { Layer?: LayerConstructor };
  serialization?: {
    registerClass(cls: unknown): void;
    SerializationMap?: { getMap(): { classNameMap: Record<string, unknown> } };
  };
}
