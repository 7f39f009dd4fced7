/**
 * The options layer (lib/options.ts) as the op table (lib/ops) uses it: each key read exactly once, and
 * the same mistake answered with the same error (class, code, argument, message) on typed arrays and on
 * DeviceArrays (the GPU path, on the stand-in CUDA addon).
 */
import { fakeBindingModule } from './helpers/fake-cuda';

jest.mock('../lib/cuda/binding', () => fakeBindingModule());

// eslint-disable-next-line import/first
import * as lib from '../lib';
// eslint-disable-next-line import/first
import { OPS } from '../lib/ops';

type AnyOp = (...args: unknown[]) => unknown;
const exported = lib as unknown as Record<string, AnyOp>;

/**
 * What an error says. An unknown key's message ends with the keys the call knows, which differ by one
 * (`stream`, only with DeviceArrays): that list is left out.
 */
function described(e: unknown): unknown {
  const err = e as Error & { code?: string; argument?: string };
  return { name: err.name, code: err.code, argument: err.argument, message: err.message.replace(/; known: .*$/, '') };
}

function outcome(f: () => unknown): unknown {
  try {
    const r = f();
    if (r instanceof Promise) r.catch(() => undefined);
    return 'no error';
  } catch (e) {
    return described(e);
  }
}

/** A valid options object for the op, plus `extra`. */
function optionsFor(keys: string[], extra: object): Record<string, unknown> {
  return { ...(keys.includes('rate') ? { rate: 0.25, seed: 7 } : {}), ...extra };
}

const MISTAKES: [string, object][] = [
  ['an unknown key', { alpah: 1 }],
  ['a string alpha', { alpha: '1' }],
  ['an infinite scale', { scale: Infinity }],
  ['a rate of 1', { rate: 1 }],
  ['a string rate', { rate: '0.1' }],
  ['a negative seed', { seed: -1 }],
  ['a fractional offset', { offset: 0.5 }],
  ['a numeric training', { training: 1 }],
  ['a zero variance', { variance: 0 }],
  ['an axis of 2', { shape: [2, 4], axis: 2 }],
  ['a shape of the wrong size', { shape: [3, 3] }],
  ['a correction of 2', { correction: 2 }],
];

describe.each(OPS.map((op) => [op.name, op] as const))('%s', (name, op) => {
  const keys = [...Object.keys(op.options), ...(op.output ? ['out'] : [])];
  const x = new Float32Array([0.5, -1, 2, -0.25, 1, 3, -2, 0]);
  const args = (a: unknown, o: unknown): unknown[] => (op.arrays.length === 2 ? [a, a, o] : [a, o]);

  test.each(MISTAKES.filter(([, m]) => Object.keys(m).every((k) => keys.includes(k) || k === 'alpah')))(
    '%s: the same error on the CPU and the GPU', (_what, mistake) => {
      const d = lib.DeviceArray.from(x);
      const options = optionsFor(keys, mistake);
      const cpu = outcome(() => exported[name](...args(x, options)));
      expect(cpu).not.toBe('no error');
      // moments on a DeviceArray returns a rejected promise rather than throwing: compare its reason.
      const gpu = outcome(() => exported[name](...args(d, options)));
      if (gpu === 'no error') {
        return (exported[name](...args(d, options)) as Promise<unknown>).then(() => { throw new Error('resolved'); }, (e) => {
          expect(described(e)).toEqual(cpu);
        });
      }
      expect(gpu).toEqual(cpu);
      return undefined;
    });

  test('each option is read once, on the CPU and the GPU', async () => {
    for (const array of [x, lib.DeviceArray.from(x)]) {
      const reads: Record<string, number> = {};
      const base = optionsFor(keys, {});
      const options = {};
      for (const k of keys.filter((key) => key !== 'out')) {
        Object.defineProperty(options, k, { enumerable: true, get: () => { reads[k] = (reads[k] ?? 0) + 1; return base[k]; } });
      }
      await exported[name](...args(array, options));
      for (const k of Object.keys(reads)) expect([k, reads[k]]).toEqual([k, 1]);
      expect(Object.keys(reads).sort()).toEqual(keys.filter((key) => key !== 'out').sort());
    }
  });
});
