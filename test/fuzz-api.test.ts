/**
 * Property-based fuzzing of the rest of the API (runtime, setThreads, every `theory` function, `cuda`,
 * DeviceArray, DeviceStream; without a GPU the CUDA ones must fail with ERR_CUDA_UNAVAILABLE after
 * their argument checks), and the registry check: every export has a fuzz entry.
 */
import * as lib from '../lib';
import { timeout, writeTally } from './fuzz/config';
import { fuzzEntry } from './fuzz/harness';
import { ALL_ENTRIES, NOT_FUZZED, OTHER_ENTRIES, THEORY_ENTRIES } from './fuzz/registry';

afterAll(() => writeTally('fuzz-api'));

/** Static functions of a class, as 'Class.name' (constructors' own length/name/prototype excluded). */
function statics(name: string, cls: object): string[] {
  return Object.getOwnPropertyNames(cls)
    .filter((k) => typeof (cls as Record<string, unknown>)[k] === 'function')
    .map((k) => `${name}.${k}`);
}

test('every exported function, theory and cuda member and class static has a fuzz entry', () => {
  const fuzzed = new Set(ALL_ENTRIES.map((e) => e.name));
  const api = [
    ...Object.keys(lib),
    ...Object.keys(lib.theory).map((k) => `theory.${k}`),
    ...Object.keys(lib.cuda).map((k) => `cuda.${k}`),
    'new DeviceArray', ...statics('DeviceArray', lib.DeviceArray),
    'new DeviceStream', ...statics('DeviceStream', lib.DeviceStream),
  ];
  const missing = api.filter((name) => !fuzzed.has(name) && !(name in NOT_FUZZED));
  expect(missing).toEqual([]);
  // And no stale entries: each names something that exists.
  expect([...fuzzed].filter((name) => !api.includes(name))).toEqual([]);
});

describe.each([...THEORY_ENTRIES, ...OTHER_ENTRIES].map((e) => [e.name, e] as const))('fuzz %s', (_name, entry) => {
  test('no crash, no hang, only documented errors, plausible results', async () => {
    await fuzzEntry(entry, entry.args.length === 0 ? 20 : 200);
  }, timeout(60_000));
});
