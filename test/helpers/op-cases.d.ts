/** Types for op-cases.js (plain CommonJS so that worker_threads can load it without ts-jest). */
type FloatArray = Float32Array | Float64Array;

export interface OpCase {
  id: number;
  op: string;
  dtype: 'f32' | 'f64';
  /** none: the library allocates the output; new: a fresh options.out; inplace: options.out is the input. */
  mode: 'none' | 'new' | 'inplace';
  inPlace: 'x' | 'grad' | undefined;
  length: number;
  x: FloatArray | undefined;
  grad: FloatArray | undefined;
  options: Record<string, unknown> | undefined;
}

export const OPS: ReadonlyArray<{ op: string; inPlace: 'x' | 'grad' | undefined }>;

export function makeCases(params: { count: number; seed: number; maxLength: number; largeShare: number }): {
  cases: OpCase[];
  pool: { f64: Float64Array; f32: Float32Array };
};

export function run(lib: unknown, c: OpCase, sync: true): Buffer;
export function run(lib: unknown, c: OpCase, sync: false): Promise<Buffer>;

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean;

export function describeCase(c: OpCase): string;
