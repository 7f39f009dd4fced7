/**
 * 10 000 async calls of every CPU op, launched at once, all come back bit-identical to the sync op on
 * the same input: mixed ops, float32 and float64, lengths 1 to 200 000 (some above the 65 536-element
 * thread-pool threshold, so calls split across the pool while others queue behind them), the library
 * allocating the output, a fresh options.out, or in place, with and without options. The library is
 * bit-identical for any thread count and split, so any difference is a race or a mixed-up buffer.
 */
import * as lib from '../lib';
import { OPS, type OpCase, describeCase, makeCases, run, sameBytes } from './helpers/op-cases';

const CALLS = 10_000;

// 270 cases: each op × dtype × output mode at least 5 times, each case called ~37 times concurrently.
// 4 % of lengths above 4096 keeps the outputs of 10 000 calls in flight near 200 MB.
const { cases, pool } = makeCases({ count: 270, seed: 7, maxLength: 200_000, largeShare: 0.04 });

test('the cases cover every op, dtype, output mode and both sides of the thread-pool threshold', () => {
  const seen = new Set(cases.map((c) => `${c.op}/${c.dtype}/${c.mode}`));
  for (const { op, inPlace } of OPS) {
    for (const dtype of ['f32', 'f64']) {
      for (const mode of inPlace === undefined ? ['none'] : ['none', 'new', 'inplace']) expect(seen).toContain(`${op}/${dtype}/${mode}`);
    }
  }
  expect(cases.some((c) => c.length === 1)).toBe(true);
  expect(cases.some((c) => c.length >= 65_536)).toBe(true);
  expect(cases.some((c) => c.options === undefined)).toBe(true);
});

test(`${CALLS} concurrent async calls of mixed ops and sizes equal the sync results bit for bit`, async () => {
  const poolBefore = { f32: pool.f32.slice(), f64: pool.f64.slice() };
  // The reference: each case once, synchronously (in-place cases on a copy of the input).
  const expected = cases.map((c) => run(lib, c, true));
  // The digest of an op with an output array holds all of it (≥ 1 byte per element): equal digests mean equal outputs.
  expect(expected.every((bytes, i) => cases[i].op === 'moments' || bytes.length >= cases[i].length)).toBe(true);

  const calls: Array<Promise<string | undefined>> = [];
  for (let k = 0; k < CALLS; k++) {
    const c: OpCase = cases[(k * 7) % cases.length]; // neighbours in time differ in op and size
    calls.push(run(lib, c, false).then((bytes) => (sameBytes(bytes, expected[c.id]) ? undefined : `call ${k}: ${describeCase(c)}`)));
  }
  const mismatches = (await Promise.all(calls)).filter((m) => m !== undefined);
  expect(mismatches).toEqual([]);

  // No call wrote to its inputs (in-place calls worked on copies).
  expect(sameBytes(new Uint8Array(pool.f32.buffer), new Uint8Array(poolBefore.f32.buffer))).toBe(true);
  expect(sameBytes(new Uint8Array(pool.f64.buffer), new Uint8Array(poolBefore.f64.buffer))).toBe(true);
});

test('sync calls interleaved with 2 000 async calls in flight', async () => {
  const expected = cases.map((c) => run(lib, c, true));
  const pending: Array<Promise<boolean>> = [];
  const syncOk: boolean[] = [];
  for (let k = 0; k < 2_000; k++) {
    const c = cases[(k * 11) % cases.length];
    pending.push(run(lib, c, false).then((bytes) => sameBytes(bytes, expected[c.id])));
    // While the pool works on the queued calls, the main thread computes the same ops synchronously.
    if (k % 10 === 0) syncOk.push(sameBytes(run(lib, c, true), expected[c.id]));
  }
  expect(syncOk.every(Boolean)).toBe(true);
  expect((await Promise.all(pending)).every(Boolean)).toBe(true);
});
