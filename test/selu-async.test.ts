/**
 * The async forms run off the main thread: the event loop keeps turning during a 1e8-element call,
 * and thousands of concurrent calls all come back right.
 */
import { selu, seluAsync, seluBackward, seluBackwardAsync } from '../lib';
import { normal, sameBits } from './helpers/accuracy';

test('a timer keeps firing during a 1e8-element seluAsync', async () => {
  const n = 1e8;
  const x = new Float32Array(n);
  for (let i = 0; i < n; i += 1000) x[i] = -((i % 7) + 0.5);
  const out = new Float32Array(n);
  let ticks = 0;
  let maxGap = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
    ticks++;
  }, 1);
  const started = performance.now();
  const pending = seluAsync(x, { out });
  const syncPart = performance.now() - started;
  const result = await pending;
  const elapsed = performance.now() - started;
  clearInterval(timer);
  expect(result).toBe(out);
  expect(out[1000]).toBeCloseTo(selu(x.subarray(1000, 1001))[0], 6);
  // The call returned at once and the loop kept turning while the kernel ran.
  expect(syncPart).toBeLessThan(20);
  expect(ticks).toBeGreaterThanOrEqual(Math.min(3, Math.floor(elapsed / 5)));
  expect(maxGap).toBeLessThan(Math.max(50, elapsed / 2));
});

test('10 000 concurrent async calls of mixed sizes and dtypes are all correct', async () => {
  const sizes = [0, 1, 7, 64, 1000, 70_000];
  const inputs = sizes.flatMap((n, i) => [new Float32Array(normal(n, i + 1)), new Float64Array(normal(n, i + 100))]);
  const expectedFwd = inputs.map((x) => selu(x));
  const grads = inputs.map((x) => x.map((v) => v * 0.5 + 1));
  const expectedBwd = inputs.map((x, i) => seluBackward(grads[i] as never, x as never));
  const calls: Array<Promise<boolean>> = [];
  for (let c = 0; c < 10_000; c++) {
    const i = c % inputs.length;
    if (c % 2 === 0) calls.push(seluAsync(inputs[i]).then((y) => sameBits(y, expectedFwd[i])));
    else calls.push(seluBackwardAsync(grads[i] as never, inputs[i] as never).then((y) => sameBits(y as Float32Array, expectedBwd[i])));
  }
  const results = await Promise.all(calls);
  expect(results.every(Boolean)).toBe(true);
});

test('in-place async call', async () => {
  const x = new Float64Array(normal(100_000, 5));
  const expected = selu(x);
  const y = await seluAsync(x, { out: x });
  expect(y).toBe(x);
  expect(sameBits(x, expected)).toBe(true);
});

test('an async call touching at most 32 KiB is computed before it returns (README: small calls settle inline)', async () => {
  const x = new Float32Array(normal(4096, 6)); // x and out: 2 × 16 KiB
  const out = new Float32Array(x.length);
  const pending = seluAsync(x, { out });
  expect(sameBits(out, selu(x))).toBe(true); // already written, before any await
  await expect(pending).resolves.toBe(out);
});
