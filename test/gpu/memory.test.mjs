// DeviceArray memory on a real GPU: transfers and conversions for every dtype and size, dispose
// semantics (at once, idempotent, ERR_DISPOSED, in flight), the GC finalizer, out of memory, streams.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DTYPES, DeviceArray, capped, LARGE_SIZES, SMALL_SIZES, addon, bitCompare, cuda, dev, disposeAll, float32Data, hostOf, lib, result, skip,
} from './helpers.mjs';

test('devices() describes the GPUs', { skip }, () => {
  const list = cuda.devices();
  assert.ok(list.length > 0);
  for (const d of list) {
    assert.equal(typeof d.name, 'string');
    assert.match(d.computeCapability, /^\d+\.\d+$/);
    assert.ok(d.totalMemory > 2 ** 30);
  }
  assert.equal(cuda.reason, undefined);
});

test('from → toArraySync / toArray round trips, every dtype, every size', { skip }, async () => {
  for (const dtype of DTYPES) {
    for (const n of [...SMALL_SIZES, ...LARGE_SIZES]) {
      const x32 = float32Data(n, n + 1);
      const host = hostOf(dtype, x32);
      const d = DeviceArray.from(host, { dtype });
      assert.equal(d.length, n);
      assert.equal(d.dtype, dtype);
      assert.equal(d.byteLength, host.byteLength);
      const back = d.toArraySync();
      assert.equal(back.constructor, host.constructor);
      const r = bitCompare(back, host, dtype);
      assert.ok(r.equal, `${dtype} n=${n}: sync round trip differs at ${r.first}`);
      if (n <= 2 ** 24) {
        const r2 = bitCompare(await d.toArray(), host, dtype);
        assert.ok(r2.equal, `${dtype} n=${n}: async round trip differs at ${r2.first}`);
      }
      d.dispose();
    }
  }
});

test('conversions on upload round once to nearest even', { skip }, () => {
  for (const n of [1, 5, 4097, 1_000_003]) {
    const x32 = float32Data(n, 11);
    const x64 = new Float64Array(n);
    for (let i = 0; i < n; ++i) x64[i] = x32[i] * (1 + 2 ** -30) + (i % 3) * 2 ** -40;  // not float32-exact
    for (const dtype of ['float32', 'float16', 'bfloat16']) {
      const d = DeviceArray.from(x64, { dtype });
      const want = hostOf(dtype, dtype === 'float32' ? new Float32Array(x64) : x64);
      // hostOf rounds the double once (Float32Array construction rounds once too)
      const r = bitCompare(d.toArraySync(), want, dtype);
      assert.ok(r.equal, `float64 → ${dtype} n=${n} differs at ${r.first}`);
      d.copyFrom(x32);
      assert.ok(bitCompare(d.toArraySync(), hostOf(dtype, x32), dtype).equal, `copyFrom float32 → ${dtype}`);
      d.dispose();
    }
    const d64 = DeviceArray.from(x32, { dtype: 'float64' });
    assert.ok(bitCompare(d64.toArraySync(), Float64Array.from(x32)).equal);
    d64.dispose();
  }
});

test('toArray returns the contents as of the call', { skip }, async () => {
  const x = float32Data(2 ** 22, 5);
  const d = DeviceArray.from(x);
  const pending = d.toArray();
  lib.selu(d, { out: d });  // enqueued after the copy
  assert.ok(bitCompare(await pending, x).equal);
  d.dispose();
});

test('dispose: immediate, idempotent, ERR_DISPOSED afterwards for every use', { skip }, async () => {
  const d = DeviceArray.from(float32Data(1024));
  const other = DeviceArray.alloc(1024);
  d.dispose();
  d.dispose();
  d[Symbol.dispose]();
  assert.equal(d.disposed, true);
  const code = { code: 'ERR_DISPOSED' };
  assert.throws(() => d.toArraySync(), code);
  await assert.rejects(d.toArray(), code);
  assert.throws(() => d.copyFrom(new Float32Array(1024)), code);
  const opts = { rate: 0.1, seed: 1 };
  for (const f of [
    () => lib.selu(d), () => lib.selu(other, { out: d }), () => lib.seluBackward(d, other), () => lib.seluBackward(other, d),
    () => dev.alphaDropoutDevice(d, opts), () => dev.alphaDropoutBackwardDevice(d, opts), () => dev.seluAlphaDropoutDevice(d, opts),
    () => dev.seluAlphaDropoutBackwardDevice(other, d, opts), () => dev.alphaDropoutDevice(other, { ...opts, out: d }),
  ]) assert.throws(f, code);
  await assert.rejects(lib.seluAsync(d), code);
  await assert.rejects(dev.momentsDevice(d), code);
  await assert.rejects(dev.seluMomentsDevice(other, { out: d }), code);
  other.dispose();
});

test('dispose while ops are in flight is safe (freed when they complete)', { skip }, async () => {
  const n = capped(2 ** 26);
  const x32 = float32Data(n, 9);
  const ref = DeviceArray.from(x32);
  const y1 = lib.selu(ref);
  const want1 = y1.toArraySync();                 // selu(x), computed on the GPU before anything below
  const want2 = result(lib.selu(y1));       // selu(selu(x))
  disposeAll(ref, y1);
  for (let round = 0; round < 3; ++round) {
    const x = DeviceArray.from(x32);
    const y = lib.selu(x);                  // enqueued, not finished
    const z = lib.selu(y);                  // reads y
    const pending = y.toArray();            // reads y
    x.dispose();                            // y's op may still be reading x
    y.dispose();                            // in flight: two more ops read y
    const m = dev.momentsDevice(z);
    const zPending = z.toArray();
    z.dispose();
    assert.ok(bitCompare(await pending, want1).equal, 'the in-flight copy of y saw the right data');
    assert.ok(bitCompare(await zPending, want2).equal, 'the in-flight copy of z saw the right data');
    await m;
    // the freed memory is reused at once by new arrays: results must stay right
    const a = DeviceArray.from(x32);
    const b = lib.selu(a);
    a.dispose();
    assert.ok(bitCompare(b.toArraySync(), want1).equal);
    b.dispose();
  }
});

test('the GC finalizer frees device memory; dispose frees it at once', { skip }, async () => {
  // (The bytes are also reported to V8 with napi_adjust_external_memory, so that GC pressure reflects
  // device memory; Node 20 shows that counter nowhere, neither in process.memoryUsage().external nor in
  // v8.getHeapStatistics(), so it cannot be checked from here.)
  const free = () => {
    addon().synchronize(undefined, 0);  // frees are stream-ordered (on the default stream here)
    return addon().memInfo(0).free;
  };
  const f0 = free();
  const probe = DeviceArray.alloc(2 ** 28);  // 1 GiB
  assert.ok(f0 - free() >= 2 ** 30, 'the allocation takes device memory');
  probe.dispose();
  assert.ok(f0 - free() < 2 ** 29, 'dispose gives it back');
  if (typeof globalThis.gc !== 'function') return;  // run.mjs passes --expose-gc
  // Rounds of never-disposed 1 GiB arrays adding up to 1.5× the GPU's memory: only the finalizers
  // (run after a GC) can make room for the later rounds.
  const total = cuda.devices()[0].totalMemory;
  const perRound = Math.max(1, Math.floor(total / 4 / 2 ** 30));
  const rounds = 6;
  for (let r = 0; r < rounds; ++r) {
    for (let i = 0; i < perRound; ++i) DeviceArray.alloc(2 ** 28);
    globalThis.gc();
    // The wrappers' finalizers run in tasks after the GC, then the frees on the stream.
    for (let k = 0; k < 200 && free() < f0 - 2 ** 29; ++k) await new Promise((res) => setTimeout(res, 5));
  }
  assert.ok(rounds * perRound * 2 ** 30 > 1.4 * total);
});

test('out of memory is ERR_CUDA_OOM, and the process carries on', { skip }, () => {
  const total = cuda.devices()[0].totalMemory;
  assert.throws(() => DeviceArray.alloc(Math.ceil((total * 2) / 4)), (e) => e.code === 'ERR_CUDA_OOM' && /out of GPU memory/.test(e.message));
  const d = DeviceArray.from(new Float32Array([1, -1]));
  assert.equal(result(lib.selu(d))[0], Math.fround(1.0507009873554805));
  d.dispose();
});

test('streams: work on a user stream, cross-stream order is automatic', { skip }, async () => {
  const s1 = cuda.createStream();
  const s2 = cuda.createStream();
  const n = capped(2 ** 24);
  const x32 = float32Data(n, 21);
  const ref = DeviceArray.from(x32);
  const want = lib.selu(lib.selu(ref)).toArraySync();
  for (let round = 0; round < 5; ++round) {
    const x = DeviceArray.from(x32);
    const y = lib.selu(x, { stream: s1 });
    lib.selu(y, { out: y, stream: s2 });       // must wait for s1's write of y
    const got = await y.toArray({ stream: s1 }); // must wait for s2's in-place update
    assert.ok(bitCompare(got, want).equal, `round ${round}`);
    disposeAll(x, y);
  }
  await s1.synchronize();
  s2.synchronizeSync();
  s1.dispose();
  s2.dispose();
  assert.throws(() => lib.selu(ref, { stream: s1 }), { code: 'ERR_DISPOSED' });
  ref.dispose();
});

test('every op, every dtype: zero-length arrays', { skip }, async () => {
  for (const dtype of DTYPES) {
    const e = DeviceArray.alloc(0, dtype);
    const opts = { rate: 0.5, seed: 3 };
    for (const r of [lib.selu(e), lib.seluBackward(e, e), dev.alphaDropoutDevice(e, opts), dev.alphaDropoutBackwardDevice(e, opts),
      dev.seluAlphaDropoutDevice(e, opts), dev.seluAlphaDropoutBackwardDevice(e, e, opts), await lib.seluAsync(e)]) {
      assert.equal(r.length, 0);
      assert.equal(r.toArraySync().length, 0);
    }
    await assert.rejects(dev.momentsDevice(e), { name: 'RangeError', code: 'ERR_SELU_OUT_OF_RANGE' });
  }
});

test('uploads from subarray views and SharedArrayBuffers; copyFrom likewise', { skip }, () => {
  const base = float32Data(4099, 71);
  const shared = new Float32Array(new SharedArrayBuffer(base.byteLength));
  shared.set(base);
  for (const view of [base.subarray(3, 4000), shared, shared.subarray(1, 17)]) {
    const d = DeviceArray.from(view);
    assert.ok(bitCompare(d.toArraySync(), Float32Array.from(view)).equal);
    d.copyFrom(view);
    assert.ok(bitCompare(d.toArraySync(), Float32Array.from(view)).equal);
    d.dispose();
  }
  const h = hostOf('float16', base);
  const hv = new Uint16Array(new SharedArrayBuffer(h.byteLength));
  hv.set(h);
  const d = DeviceArray.from(hv.subarray(5));
  assert.ok(bitCompare(d.toArraySync(), h.subarray(5), 'float16').equal);
  d.dispose();
});
