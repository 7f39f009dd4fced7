/**
 * Loads the CUDA addon lazily: on the first GPU use, never when the package is required, and never from
 * the CPU addon. It comes from the platform package @selu-kernels/<platform>-cuda (an optional
 * dependency), else from a source build (build-cuda/Release/selu_kernels_cuda.node). When it cannot be
 * used, `reason` says why in plain words: not installed and not built (and why the build was skipped or
 * failed, from build-cuda/cuda-build.json), failed to load, no driver, no GPU, an old driver or GPU.
 *
 * SELU_KERNELS_CUDA_ADDON=path loads another build of the addon; SELU_KERNELS_CUDA=0 disables CUDA.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorCode, plainError } from '../errors';
import { ADDON_FILES, findPackage, hostPlatform, ownVersion, packageNameOf, PREBUILT_TARGETS, targetOf } from '../platform-package';

type Handle = object;
type StreamHandle = object | undefined;
type FloatArray = Float32Array | Float64Array;

export interface CudaStatus {
  available: boolean;
  reason?: string;
  error: number;
  errorName: string;
  deviceCount: number;
  driverVersion: number;
  runtimeVersion: number;
}

export interface CudaDeviceInfo {
  id: number;
  name: string;
  computeCapability: string;
  totalMemory: number;
  multiProcessorCount: number;
  supported: boolean;
}

/** The addon's functions (cuda/napi). dtype codes: 0 float32, 1 float64, 2 float16, 3 bfloat16. */
export interface CudaBinding {
  status(): CudaStatus;
  devices(): CudaDeviceInfo[];
  memInfo(device: number): { free: number; total: number };
  alloc(bytes: number, device: number): Handle;
  free(handle: Handle): void;
  upload(handle: Handle, data: FloatArray | Uint16Array, srcDtype: number, dstDtype: number, length: number, stream: StreamHandle): void;
  downloadSync(handle: Handle, dtype: number, length: number, stream: StreamHandle): Float32Array | Float64Array | Uint16Array;
  download(handle: Handle, dtype: number, length: number, stream: StreamHandle): Promise<Float32Array | Float64Array | Uint16Array>;
  copy(dst: Handle, src: Handle, bytes: number, stream: StreamHandle): void;
  whenDone(stream: StreamHandle, device: number): Promise<void>;
  synchronize(stream: StreamHandle, device: number): void;
  createStream(device: number): object;
  destroyStream(stream: object): void;
  selu(dtype: number, n: number, x: Handle, out: Handle, stream: StreamHandle, k0: number, k1: number, k2: number, k3: number): Handle;
  seluBackward(dtype: number, n: number, grad: Handle, x: Handle, out: Handle, stream: StreamHandle,
    k0: number, k1: number, k2: number, k3: number): Handle;
  alphaDropout(dtype: number, n: number, x: Handle, out: Handle, stream: StreamHandle, seed: bigint, offset: bigint, rate: number,
    a: number, b: number, dropped: number): Handle;
  alphaDropoutBackward(dtype: number, n: number, grad: Handle, out: Handle, stream: StreamHandle, seed: bigint, offset: bigint,
    rate: number, a: number): Handle;
  seluAlphaDropout(dtype: number, n: number, x: Handle, out: Handle, stream: StreamHandle, seed: bigint, offset: bigint, rate: number,
    a: number, b: number, dropped: number, k0: number, k1: number, k2: number, k3: number): Handle;
  seluAlphaDropoutBackward(dtype: number, n: number, grad: Handle, x: Handle, out: Handle, stream: StreamHandle, seed: bigint,
    offset: bigint, rate: number, a: number, k0: number, k1: number, k2: number, k3: number): Handle;
  moments(dtype: number, x: Handle, rows: number, cols: number, axis: -1 | 0 | 1, correction: 0 | 1, stream: StreamHandle,
    out: Handle | null, k0?: number, k1?: number, k2?: number, k3?: number): Promise<Float64Array>;
  /** Timing support for bench/gpu (not used by the library). */
  bench: {
    eventCreate(device: number): object;
    eventRecord(event: object, stream: StreamHandle): void;
    eventElapsed(start: object, stop: object): number;
    readBandwidth(handle: Handle, bytes: number, sink: Handle, stream: StreamHandle): void;
  };
}

const ROOT = path.join(__dirname, '..', '..');
export const CUDA_ADDON_DEFAULT = path.join(ROOT, 'build-cuda', 'Release', ADDON_FILES.cuda);

let state: { binding: CudaBinding | null; status: CudaStatus | null; reason: string | undefined } | undefined;

function buildRecord(): string {
  try {
    const info = JSON.parse(fs.readFileSync(path.join(ROOT, 'build-cuda', 'cuda-build.json'), 'utf8')) as { status?: string; reason?: string };
    if (info.status === 'skipped' || info.status === 'failed') return ` (${info.reason})`;
  } catch {
    // no record: the build was never attempted
  }
  return '';
}

/** The addon file to load: SELU_KERNELS_CUDA_ADDON, else the platform package, else the source build; or why there is none. */
function locate(): { file: string } | { reason: string } {
  const override = process.env.SELU_KERNELS_CUDA_ADDON;
  if (override) {
    const file = path.resolve(override);
    if (fs.existsSync(file)) return { file };
    return {
      reason: `the CUDA addon is not built: ${file} does not exist${buildRecord()}. ` +
        'Build it with `npm run build:cuda` on a machine with the CUDA toolkit (nvcc); a GPU is not needed to build it',
    };
  }
  const target = targetOf(hostPlatform());
  const name = packageNameOf(target, 'cuda');
  const version = ownVersion();
  const installed = findPackage(name);
  if (installed !== null && installed.version === version) return { file: path.join(installed.dir, ADDON_FILES.cuda) };
  if (fs.existsSync(CUDA_ADDON_DEFAULT)) return { file: CUDA_ADDON_DEFAULT };
  const missing = PREBUILT_TARGETS[target] === undefined
    ? `no prebuilt CUDA addon is published for ${target}`
    : installed !== null
      ? `${name}@${installed.version} is installed, but selu-kernels ${version} needs exactly version ${version} ` +
        `(install it with \`npm install ${name}@${version}\`)`
      : `the package ${name} is not installed (install it with \`npm install ${name}@${version}\`; it is an optional ` +
        'dependency, skipped by --omit=optional or a lockfile written on another platform)';
  return {
    reason: `the CUDA addon is not installed: ${missing}, and there is no source build ` +
      `(build-cuda/Release/selu_kernels_cuda.node${buildRecord()}; \`npm run build:cuda\` builds it where the CUDA toolkit is installed)`,
  };
}

function load(): NonNullable<typeof state> {
  if (process.env.SELU_KERNELS_CUDA === '0') {
    return { binding: null, status: null, reason: 'CUDA is disabled by the environment variable SELU_KERNELS_CUDA=0' };
  }
  const found = locate();
  if ('reason' in found) return { binding: null, status: null, reason: found.reason };
  let binding: CudaBinding;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    binding = require(found.file) as CudaBinding;
  } catch (cause) {
    return { binding: null, status: null, reason: `the CUDA addon could not be loaded from ${found.file}: ${(cause as Error).message}` };
  }
  // The addon itself tells no driver, a driver too old for its runtime (both versions) and no GPU apart.
  const status = binding.status();
  return { binding, status, reason: status.available ? undefined : status.reason };
}

function current(): NonNullable<typeof state> {
  if (state === undefined) state = load();
  return state;
}

/** Whether the CUDA addon has been loaded into this process (for tests of the lazy loading). */
export function cudaAddonLoaded(): boolean {
  return state !== undefined && state.binding !== null;
}

/** The addon and whether CUDA works, loading it on first use. */
export function cudaState(): { binding: CudaBinding | null; available: boolean; reason: string | undefined; status: CudaStatus | null } {
  const s = current();
  return { binding: s.binding, available: s.binding !== null && s.reason === undefined, reason: s.reason, status: s.status };
}

/** The addon, or ERR_CUDA_UNAVAILABLE (a plain Error whose message says why) for `fn`. */
export function cudaBinding(fn: string): CudaBinding {
  const s = current();
  if (s.binding === null || s.reason !== undefined) {
    throw plainError(fn, ErrorCode.CUDA_UNAVAILABLE, undefined, `CUDA is not available: ${s.reason}`);
  }
  return s.binding;
}

/** Errors thrown by the addon carry a code but not the function's name: prefix it. */
export function rethrow(fn: string, error: unknown): never {
  const e = error as Error & { code?: string };
  if (e instanceof Error && typeof e.code === 'string' && !e.message.startsWith(`${fn}(): `)) e.message = `${fn}(): ${e.message}`;
  throw e;
}
