// The CUDA backend as the benchmark sees it: whether it is there, why not, and device copies of the
// shared arrays. The ops call the same library functions with DeviceArray arguments (lib/ picks the
// backend by argument type), so an op needs no CUDA-specific entry unless it wants a different call
// (an op's optional `cuda(d)` hook returning { sync, async }).
//
// This is the one place that knows the CUDA API's shape; adapt it here if that API changes.
'use strict';

function reasonOf(cuda) {
  try {
    const r = typeof cuda.reason === 'function' ? cuda.reason() : cuda.reason;
    return r ? String(r) : 'CUDA is not available';
  } catch (error) {
    return error.message;
  }
}

/** { available: true, ... } or { available: false, reason }. */
function probe(lib) {
  const cuda = lib.cuda;
  if (!cuda) return { available: false, reason: 'this build of selu-kernels has no CUDA backend (no `cuda` export)' };
  let ok;
  try {
    ok = typeof cuda.available === 'function' ? cuda.available() : Boolean(cuda.available);
  } catch (error) {
    return { available: false, reason: error.message };
  }
  if (!ok) return { available: false, reason: reasonOf(cuda) };
  const DeviceArray = lib.DeviceArray || cuda.DeviceArray;
  if (!DeviceArray) return { available: false, reason: 'CUDA reports available but no DeviceArray class is exported' };
  const toDevice = (a) => (typeof DeviceArray.from === 'function' ? DeviceArray.from(a) : new DeviceArray(a));
  // Sync ops only enqueue work on the device's default stream; a one-element download on that stream
  // returns once everything before it has run, so timing a call plus this measures the GPU work.
  let fence;
  const synchronize = () => {
    if (!fence) fence = toDevice(new Float32Array(1));
    fence.toArraySync();
  };
  let device = 'CUDA';
  try {
    const d = typeof cuda.devices === 'function' ? cuda.devices()[0] : undefined;
    if (d && d.name) device = d.computeCapability ? `${d.name}, sm ${d.computeCapability}` : d.name;
  } catch { /* the name is decoration */ }
  return { available: true, device, toDevice, synchronize };
}

/** Device copies of a host data pool's arrays, made on first use and kept for the run. */
function devicePool(dev, hostData) {
  const pools = new Map();
  return function data(dtype, n) {
    const key = `${dtype}:${n}`;
    if (!pools.has(key)) {
      const host = hostData(dtype, n);
      const lazy = {};
      const pool = { dtype, n, Ctor: host.Ctor, host };
      for (const name of ['x', 'g', 'out', 'out2']) {
        Object.defineProperty(pool, name, { enumerable: true, get: () => lazy[name] || (lazy[name] = dev.toDevice(host[name])) });
      }
      pools.set(key, pool);
    }
    return pools.get(key);
  };
}

module.exports = { probe, devicePool };
