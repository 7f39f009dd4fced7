/**
 * A stand-in for the CUDA addon, for testing the TypeScript GPU layer (lib/device-array.ts, lib/cuda/*)
 * on machines without a GPU: "device memory" is host memory and the ops are the CPU addon's, called
 * exactly as lib/cuda calls the real addon (same argument order and types). It records calls, frees and
 * the stream of each call so tests can check routing, disposal and validation order. It does not test
 * the CUDA addon itself (test/gpu does that on a GPU machine).
 */
import { binding as cpu } from '../../lib/binding';

export interface FakeHandle {
  id: number;
  bytes: number;
  device: number;
  data: ArrayBuffer;
  freed: boolean;
}

export interface FakeStream {
  device: number;
  destroyed: boolean;
}

export class FakeCuda {
  calls: string[] = [];
  allocated = 0;
  freed = 0;
  deviceCount = 2;
  failAlloc = false;
  private nextId = 1;

  status() {
    return { available: true, error: 0, errorName: 'cudaSuccess', deviceCount: this.deviceCount, driverVersion: 13000, runtimeVersion: 13000 };
  }
  devices() {
    return Array.from({ length: this.deviceCount }, (_, id) => ({
      id, name: 'Fake GPU', computeCapability: '9.0', totalMemory: 80e9, multiProcessorCount: 132, supported: true,
    }));
  }
  memInfo() {
    return { free: 1e9, total: 8e10 };
  }
  alloc(bytes: number, device: number): FakeHandle {
    this.calls.push('alloc');
    if (device >= this.deviceCount) throw Object.assign(new RangeError(`device ${device} does not exist`), { code: 'ERR_SELU_OUT_OF_RANGE' });
    if (this.failAlloc) throw Object.assign(new Error('out of GPU memory: cannot allocate'), { code: 'ERR_CUDA_OOM' });
    this.allocated++;
    return { id: this.nextId++, bytes, device, data: new ArrayBuffer(bytes), freed: false };
  }
  free(h: FakeHandle): void {
    this.calls.push('free');
    if (!h.freed) this.freed++;
    h.freed = true;
  }
  private live(h: FakeHandle): FakeHandle {
    if (h.freed) throw Object.assign(new Error('has been disposed'), { code: 'ERR_DISPOSED' });
    return h;
  }
  private view(h: FakeHandle, dtype: number, n: number): Float32Array | Float64Array | Uint16Array {
    this.live(h);
    if (dtype === 0) return new Float32Array(h.data, 0, n);
    if (dtype === 1) return new Float64Array(h.data, 0, n);
    return new Uint16Array(h.data, 0, n);
  }
  private checkStream(stream: FakeStream | undefined, device: number): void {
    if (stream !== undefined && stream.device !== device) throw new Error('stream on another device');
  }
  upload(h: FakeHandle, data: Float32Array | Float64Array | Uint16Array, src: number, dst: number, n: number, stream?: FakeStream): void {
    this.calls.push(`upload ${src}->${dst}`);
    this.checkStream(stream, h.device);
    const to = this.view(h, dst, n);
    if (src === dst || dst < 2) {
      for (let i = 0; i < n; ++i) to[i] = data[i];
    } else {
      // float32/64 → half types: a crude conversion is enough for routing tests
      for (let i = 0; i < n; ++i) to[i] = Math.round(Math.abs(data[i])) & 0x7fff;
    }
  }
  downloadSync(h: FakeHandle, dtype: number, n: number) {
    this.calls.push('downloadSync');
    return this.view(h, dtype, n).slice();
  }
  download(h: FakeHandle, dtype: number, n: number) {
    this.calls.push('download');
    const copy = this.view(h, dtype, n).slice();
    return Promise.resolve(copy);
  }
  copy(dst: FakeHandle, src: FakeHandle, bytes: number) {
    this.calls.push('copy');
    new Uint8Array(this.live(dst).data, 0, bytes).set(new Uint8Array(this.live(src).data, 0, bytes));
  }
  whenDone() {
    this.calls.push('whenDone');
    return Promise.resolve();
  }
  synchronize() {
    this.calls.push('synchronize');
  }
  createStream(device: number): FakeStream {
    this.calls.push('createStream');
    return { device, destroyed: false };
  }
  destroyStream(s: FakeStream) {
    s.destroyed = true;
  }
  private float(h: FakeHandle, dtype: number, n: number): Float32Array | Float64Array {
    if (dtype > 1) throw new Error('the fake computes float32/float64 only');
    return this.view(h, dtype, n) as Float32Array | Float64Array;
  }
  selu(dtype: number, n: number, x: FakeHandle, out: FakeHandle, stream: FakeStream | undefined, ...k: [number, number, number, number]) {
    this.calls.push('selu');
    this.checkStream(stream, x.device);
    cpu.selu(this.float(x, dtype, n), this.float(out, dtype, n), ...k);
    return out;
  }
  seluBackward(dtype: number, n: number, g: FakeHandle, x: FakeHandle, out: FakeHandle, stream: FakeStream | undefined,
    ...k: [number, number, number, number]) {
    this.calls.push('seluBackward');
    cpu.seluBackward(this.float(g, dtype, n), this.float(x, dtype, n), this.float(out, dtype, n), ...k);
    return out;
  }
  alphaDropout(dtype: number, n: number, x: FakeHandle, out: FakeHandle, _s: unknown, seed: bigint, offset: bigint, rate: number,
    a: number, b: number, dropped: number) {
    this.calls.push('alphaDropout');
    cpu.alphaDropout(this.float(x, dtype, n), this.float(out, dtype, n), seed, offset, rate, a, b, dropped);
    return out;
  }
  alphaDropoutBackward(dtype: number, n: number, g: FakeHandle, out: FakeHandle, _s: unknown, seed: bigint, offset: bigint, rate: number,
    a: number) {
    this.calls.push('alphaDropoutBackward');
    cpu.alphaDropoutBackward(this.float(g, dtype, n), this.float(out, dtype, n), seed, offset, rate, a);
    return out;
  }
  seluAlphaDropout(dtype: number, n: number, x: FakeHandle, out: FakeHandle, _s: unknown, seed: bigint, offset: bigint, rate: number,
    a: number, b: number, dropped: number, ...k: [number, number, number, number]) {
    this.calls.push('seluAlphaDropout');
    cpu.seluAlphaDropout(this.float(x, dtype, n), this.float(out, dtype, n), seed, offset, rate, a, b, dropped, ...k);
    return out;
  }
  seluAlphaDropoutBackward(dtype: number, n: number, g: FakeHandle, x: FakeHandle, out: FakeHandle, _s: unknown, seed: bigint,
    offset: bigint, rate: number, a: number, ...k: [number, number, number, number]) {
    this.calls.push('seluAlphaDropoutBackward');
    cpu.seluAlphaDropoutBackward(this.float(g, dtype, n), this.float(x, dtype, n), this.float(out, dtype, n), seed, offset, rate, a, ...k);
    return out;
  }
  moments(dtype: number, x: FakeHandle, rows: number, cols: number, axis: -1 | 0 | 1, correction: 0 | 1, _s: unknown,
    out: FakeHandle | null, ...k: number[]): Promise<Float64Array> {
    this.calls.push(out === null ? 'moments' : 'seluMoments');
    const groups = axis === 0 ? cols : axis === 1 ? rows : 1;
    const mean = new Float64Array(groups);
    const variance = new Float64Array(groups);
    const input = this.float(x, dtype, rows * cols);
    if (out === null) {
      cpu.moments(input, mean, variance, rows, cols, axis, correction);
    } else {
      cpu.seluMoments(input, this.float(out, dtype, rows * cols), mean, variance, rows, cols, axis, correction,
        ...(k as [number, number, number, number]));
    }
    const r = new Float64Array(2 * groups);
    r.set(mean);
    r.set(variance, groups);
    return Promise.resolve(r);
  }
}

export const fake = new FakeCuda();

/** The jest.mock factory for lib/cuda/binding: the real module's helpers around the fake addon. */
export function fakeBindingModule(): Record<string, unknown> {
  const actual = jest.requireActual('../../lib/cuda/binding') as Record<string, unknown>;
  return {
    ...actual,
    cudaAddonLoaded: () => true,
    cudaState: () => ({ binding: fake, available: true, reason: undefined, status: fake.status() }),
    cudaBinding: () => fake,
  };
}
