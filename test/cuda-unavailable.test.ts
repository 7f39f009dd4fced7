/**
 * The real CUDA addon on a machine without a usable GPU (this is what CI and most machines are): it is
 * loaded lazily, loads without a driver (static cudart, no libcuda), and reports why CUDA is unavailable
 * in plain words; GPU calls throw ERR_CUDA_UNAVAILABLE after their argument checks, and the CPU API is
 * unaffected. Where the addon is not built, the reason says how to build it. On a machine with a GPU
 * the no-GPU expectations are replaced by `available() === true` (test/gpu covers that machine).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DeviceArray, cuda, selu } from '../lib';
import { CUDA_ADDON_DEFAULT, cudaAddonLoaded, cudaState } from '../lib/cuda/binding';

// (Lazy loading is tested in test/cuda-lazy.test.ts, whose module registry has not loaded the addon.)

const root = path.join(__dirname, '..');
const built = fs.existsSync(CUDA_ADDON_DEFAULT);

function hasDriver(): boolean {
  return ['/usr/lib/x86_64-linux-gnu/libcuda.so.1', '/usr/lib64/libcuda.so.1', '/usr/local/nvidia/lib64/libcuda.so.1'].some((f) => fs.existsSync(f));
}

/** Runs a script in a fresh Node process against lib/ through ts-node-free JS: the compiled dist/. */
function inFreshNode(script: string, env: Record<string, string> = {}): string {
  return execFileSync(process.execPath, ['-e', script], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
}

const distBuilt = fs.existsSync(path.join(root, 'dist', 'index.js'));

describe('cuda without a usable GPU', () => {
  const state = cudaState();
  const gpuHere = state.available;

  test('available() and reason agree', () => {
    expect(cuda.available()).toBe(gpuHere);
    if (gpuHere) {
      expect(cuda.reason).toBeUndefined();
    } else {
      expect(typeof cuda.reason).toBe('string');
      expect(cuda.reason!.length).toBeGreaterThan(10);
    }
  });

  (built ? test : test.skip)('the built addon loads without a driver and says so', () => {
    expect(cudaAddonLoaded()).toBe(true);
    if (gpuHere) return;
    if (!hasDriver()) {
      expect(cuda.reason).toMatch(/^no NVIDIA driver found/);
      expect(state.status).toMatchObject({ available: false, error: 35, errorName: 'cudaErrorInsufficientDriver', driverVersion: 0, deviceCount: 0 });
      expect(state.status!.runtimeVersion).toBeGreaterThanOrEqual(13000);
    }
  });

  test('devices() is an empty list, not an error', () => {
    if (gpuHere) {
      expect(cuda.devices().length).toBeGreaterThan(0);
    } else {
      expect(cuda.devices()).toEqual([]);
    }
  });

  const unavailable = gpuHere ? test.skip : test;

  unavailable('DeviceArray.from / alloc and streams throw ERR_CUDA_UNAVAILABLE with the reason', () => {
    for (const f of [
      () => DeviceArray.from(new Float32Array(4)),
      () => DeviceArray.from(new Float64Array(0), { dtype: 'float16' }),
      () => DeviceArray.from(new Uint16Array(3), { dtype: 'bfloat16', device: 0 }),
      () => DeviceArray.alloc(16),
      () => DeviceArray.alloc(0, 'float64'),
      () => cuda.createStream(),
    ]) {
      let caught: unknown;
      try {
        f();
      } catch (e) {
        caught = e;
      }
      expect(caught).toMatchObject({ name: 'Error', code: 'ERR_CUDA_UNAVAILABLE' });
      expect((caught as Error).message).toContain(cuda.reason!);
    }
  });

  unavailable('argument errors come before the availability check', () => {
    expect(() => DeviceArray.alloc(-1)).toThrow(expect.objectContaining({ name: 'RangeError', code: 'ERR_SELU_OUT_OF_RANGE' }));
    expect(() => DeviceArray.alloc(4, 'int8' as 'float32')).toThrow(expect.objectContaining({ name: 'TypeError', code: 'ERR_SELU_INVALID_ARG' }));
    expect(() => DeviceArray.from([1] as unknown as Float32Array)).toThrow(expect.objectContaining({ name: 'TypeError' }));
    expect(() => DeviceArray.from(new Uint16Array(1), { dtype: 'float64' }))
      .toThrow(expect.objectContaining({ name: 'TypeError', code: 'ERR_SELU_DTYPE_MISMATCH' }));
    expect(() => DeviceArray.from(new Float32Array(1), { device: -1 })).toThrow(expect.objectContaining({ name: 'RangeError' }));
  });

  test('the CPU API is unaffected', () => {
    expect(Array.from(selu(new Float32Array([0, 1])))).toEqual([0, Math.fround(1.0507009873554805)]);
  });
});

describe('reasons in other situations (fresh processes)', () => {
  const script = `const m = require('./dist/index.js');
    let code; try { m.DeviceArray.alloc(1) } catch (e) { code = e.code }
    console.log(JSON.stringify({ available: m.cuda.available(), reason: m.cuda.reason, devices: m.cuda.devices(), code }));`;
  const maybe = distBuilt ? test : test.skip;

  maybe('SELU_KERNELS_CUDA=0 disables CUDA', () => {
    const r = JSON.parse(inFreshNode(script, { SELU_KERNELS_CUDA: '0' }));
    expect(r).toMatchObject({ available: false, devices: [], code: 'ERR_CUDA_UNAVAILABLE' });
    expect(r.reason).toMatch(/disabled.*SELU_KERNELS_CUDA=0/);
  });

  maybe('a missing addon: not built, with the command to build it', () => {
    const r = JSON.parse(inFreshNode(script, { SELU_KERNELS_CUDA_ADDON: path.join(root, 'build-cuda', 'no-such.node') }));
    expect(r).toMatchObject({ available: false, devices: [], code: 'ERR_CUDA_UNAVAILABLE' });
    expect(r.reason).toMatch(/CUDA addon is not built: .*no-such\.node does not exist.*npm run build:cuda/);
  });

  maybe('an addon that fails to load: the loader error is in the reason', () => {
    const bogus = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'selu-cuda-')), 'not-an-addon.node');
    fs.writeFileSync(bogus, 'not an ELF file');
    try {
      const r = JSON.parse(inFreshNode(script, { SELU_KERNELS_CUDA_ADDON: bogus }));
      expect(r).toMatchObject({ available: false, code: 'ERR_CUDA_UNAVAILABLE' });
      expect(r.reason).toMatch(/could not be loaded from .*not-an-addon\.node/);
    } finally {
      fs.unlinkSync(bogus);
    }
  });
});
