import { fake, fakeBindingModule } from './helpers/fake-cuda';

jest.mock('../lib/cuda/binding', () => fakeBindingModule());

// eslint-disable-next-line import/first
import * as lib from '../lib';
// eslint-disable-next-line import/first
import { DeviceArray } from '../lib';

test('every public op routes DeviceArrays', async () => {
  const x32 = new Float32Array(64).map((_, i) => Math.sin(i) * 3);
  const x = DeviceArray.from(x32), g = DeviceArray.from(x32.slice().reverse());
  const o = { rate: 0.1, seed: 3 };
  const calls: [string, unknown[]][] = [['alphaDropout', [x, o]], ['alphaDropoutBackward', [g, o]], ['seluAlphaDropout', [x, o]],
    ['seluAlphaDropoutBackward', [g, x, o]]];
  for (const [name, args] of calls) {
    const f = (lib as unknown as Record<string, (...a: unknown[]) => unknown>)[name];
    const fa = (lib as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[`${name}Async`];
    expect(f(...args)).toBeInstanceOf(DeviceArray);
    expect(await fa(...args)).toBeInstanceOf(DeviceArray);
  }
  const m = lib.moments(x);
  expect(m).toBeInstanceOf(Promise);
  expect((await m).count).toBe(64);
  expect((await lib.momentsAsync(x, { shape: [8, 8], axis: 0 })).mean).toHaveLength(8);
  const s = await lib.seluMoments(x);
  expect(s.out).toBeInstanceOf(DeviceArray);
  expect((await lib.seluMomentsAsync(x)).out).toBeInstanceOf(DeviceArray);
  expect(fake.calls).toEqual(expect.arrayContaining(['alphaDropout', 'seluAlphaDropoutBackward', 'moments', 'seluMoments']));
  await expect(lib.alphaDropoutAsync(x, { ...o, out: x32 as unknown as DeviceArray })).rejects.toMatchObject({ name: 'TypeError' });
  expect(() => lib.seluAlphaDropoutBackward(g, x32 as unknown as DeviceArray, o)).toThrow(TypeError);
});
