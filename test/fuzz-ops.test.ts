/**
 * Property-based fuzzing of the CPU kernels (selu, alpha-dropout, moments; sync and async): random
 * values of every JS type in every argument position, typed arrays of every kind, overlapping views,
 * detached buffers, hostile option objects. The oracle is in test/fuzz/harness.ts. `npm run fuzz`
 * runs the same properties longer (scripts/fuzz.js).
 */
import { timeout, writeTally } from './fuzz/config';
import { fuzzEntry } from './fuzz/harness';
import { KERNEL_ENTRIES } from './fuzz/registry';

afterAll(() => writeTally('fuzz-ops'));

describe.each(KERNEL_ENTRIES.map((e) => [e.name, e] as const))('fuzz %s', (_name, entry) => {
  test('no crash, no hang, only documented errors, outputs untouched on error', async () => {
    await fuzzEntry(entry, 250);
  }, timeout(60_000));
});
