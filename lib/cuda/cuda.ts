/**
 * `cuda`: whether the GPU path can be used, why not, and which GPUs there are. Every member loads the
 * CUDA addon on first use (requiring the package never does).
 */
import { cudaState } from './binding';
import { DeviceStream } from './stream';

export interface CudaDevice {
  id: number;
  name: string;
  /** e.g. '9.0' */
  computeCapability: string;
  /** Bytes of device memory. */
  totalMemory: number;
}

export interface Cuda {
  /** True when the CUDA addon is built and loads, a driver is installed and a supported GPU (compute capability ≥ 7.5) is present. */
  available(): boolean;
  /** Why CUDA is not available, in plain words (undefined when it is). */
  readonly reason?: string;
  /**
   * The GPUs the driver reports (an empty list when there is no driver or no GPU; never throws).
   * Entries also carry `multiProcessorCount` and `supported` (compute capability ≥ 7.5).
   */
  devices(): CudaDevice[];
  /** A new stream on a GPU (default 0) for the `stream` option of GPU ops. */
  createStream(options?: { device?: number }): DeviceStream;
}

export const cuda: Cuda = Object.freeze({
  available(): boolean {
    return cudaState().available;
  },
  get reason(): string | undefined {
    return cudaState().reason;
  },
  devices(): CudaDevice[] {
    const { binding, status } = cudaState();
    if (binding === null || status === null || status.error !== 0) return [];
    return binding.devices();
  },
  createStream(options?: { device?: number }): DeviceStream {
    return DeviceStream.create(options);
  },
});
