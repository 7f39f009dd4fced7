/**
 * One entry per exported function: how to call it, what to generate for each argument position, and
 * what a successful result must look like. test/fuzz-api.test.ts fails when an export (or a `theory`
 * or `cuda` member, or a static of DeviceArray/DeviceStream) has no entry here.
 */
import fc from 'fast-check';
import * as lib from '../../lib';
import { OPS } from '../../lib/ops';
import {
  type Spec, FuzzTensor, Materialized, aliasSpec, anySpec, arg, bigintSpec, constantSpec, floatSpec, likeSpec, listSpec, moderate, mostly, numberSpec,
  optsSpec, shapeSpec, tensorSpec, typedSpec,
} from './values';

export interface Entry {
  /** How error messages and reports name it: 'selu', 'theory.fixedPoint', 'new DeviceArray', ... */
  name: string;
  /** Async entries must return a promise (never throw) and are awaited with a time limit. */
  async: boolean;
  call: (...args: unknown[]) => unknown;
  /** One arbitrary per argument position. */
  args: fc.Arbitrary<Spec>[];
  /** Where the arrays the function reads or writes go ('arg0', 'arg1.out'): one detached there makes the call fail. */
  arrays?: string[];
  /** Throws (an expect failure) unless a successful result is plausible for these arguments. */
  check: (result: unknown, m: Materialized) => void;
  /** The sync form of an async entry: on the same (fresh) arguments it must give the same outcome. */
  twin?: (...args: unknown[]) => unknown;
  /** GPU entries: plain Errors with a GPU code (ERR_CUDA_*, ERR_DISPOSED) are documented outcomes too. */
  gpu?: boolean;
  /** Internal constructors: their "use the factory" TypeError names no argument. */
  noArgumentName?: boolean;
  /** Restores process-wide state the call may change (the thread count). */
  after?: () => void;
}

// ---------------------------------------------------------------------------------------------------
// Argument arbitraries shared by the kernels.

/** A second array (gradOutput/input) or an out: mostly shaped like the first, else overlapping it, else anything. */
const companion = fc.oneof(
  { arbitrary: likeSpec, weight: 6 }, { arbitrary: aliasSpec, weight: 2 }, { arbitrary: floatSpec(), weight: 1 }, { arbitrary: anySpec, weight: 1 },
);
/** The first array: mostly a Float32Array/Float64Array, sometimes 16-bit bits (a Uint16Array) or a tensor object. */
const x = arg(fc.oneof({ arbitrary: floatSpec(), weight: 6 }, { arbitrary: typedSpec(['Uint16Array']), weight: 2 }, { arbitrary: tensorSpec, weight: 2 }));
const second = companion;
const out = companion;
const real = (min: number, max: number) => moderate(min, max);
const uint64 = mostly(
  fc.oneof(
    fc.nat(1e6).map((v): Spec => ({ t: 'prim', v })),
    fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((v): Spec => ({ t: 'prim', v })),
    fc.constantFrom<Spec>({ t: 'prim', v: 2 ** 53 - 1 }, { t: 'prim', v: 18446744073709551600n }, { t: 'prim', v: 2n ** 64n - 1n }),
  ),
  fc.oneof(bigintSpec, numberSpec, anySpec),
);

/** An arbitrary for each option key the op table's schemas use (test/fuzz-api fails on a key missing here). */
const OPTION_ARBITRARIES: Record<string, fc.Arbitrary<Spec>> = {
  out,
  alpha: real(-4, 4),
  scale: real(-4, 4),
  rate: mostly(fc.oneof(constantSpec(0, 0.1, 0.5, 0.9, 0.999999), fc.double({ min: 0, max: 0.999, noNaN: true }).map((v): Spec => ({ t: 'prim', v }))), fc.oneof(numberSpec, anySpec)),
  seed: uint64,
  offset: uint64,
  training: mostly(constantSpec(true, false, true)),
  mean: real(-2, 2),
  variance: real(0, 4),
  shape: fc.oneof({ arbitrary: shapeSpec, weight: 4 }, { arbitrary: anySpec, weight: 1 }),
  axis: mostly(constantSpec(0, 1)),
  correction: mostly(constantSpec(0, 1)),
  dtype: mostly(constantSpec('float32', 'float64', 'float16', 'bfloat16')),
};
/** Keys without a default: an options object mostly has them. */
const REQUIRED_KEYS = ['rate', 'seed'];

/** The options arbitrary of an op from its keys (as the op table lists them); `own` replaces some keys' arbitraries. */
function optionsFor(keys: readonly string[], own: Record<string, fc.Arbitrary<Spec>> = {}): fc.Arbitrary<Spec> {
  const arbitraries = { ...OPTION_ARBITRARIES, ...own };
  const missing = keys.filter((k) => arbitraries[k] === undefined);
  if (missing.length > 0) throw new Error(`test/fuzz/registry.ts: no arbitrary for option key(s) ${missing.join(', ')}`);
  const required = REQUIRED_KEYS.filter((k) => keys.includes(k));
  const spec = optsSpec(Object.fromEntries(keys.map((k) => [k, arbitraries[k]])), required);
  return required.length > 0 ? arg(spec, 8) : arg(spec);
}

// ---------------------------------------------------------------------------------------------------
// Plausibility checks of successful results.

/** The real [[TypedArrayName]] (a brand check: prototypes and Symbol.toStringTag overrides do not fool it). */
const typedArrayName = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Int8Array.prototype), Symbol.toStringTag)!.get!;

function expectFloatLike(result: unknown, like: unknown, m: Materialized): void {
  if (like instanceof FuzzTensor) {
    // A tensor input gives a tensor of its class (or the given out), its data of the input data's kind.
    expect(result).toBeInstanceOf(FuzzTensor);
    expectFloatLike((result as FuzzTensor).data, like.data, m);
    return;
  }
  expect(typedArrayName.call(result)).toBe(typedArrayName.call(like));
  if (!m.detached.has((result as Float32Array).buffer)) expect((result as Float32Array).length).toBe((like as Float32Array).length);
}

/** The options' `out` when it can be read without running user code (undefined otherwise). */
function givenOut(m: Materialized, index: number): unknown {
  const o = m.args[index];
  return !m.impure && typeof o === 'object' && o !== null ? (o as { out?: unknown }).out : undefined;
}

/** An element-wise op: a float array like args[like], and options.out itself when one was given. */
const elementwise = (like: number, optionsIndex: number) => (result: unknown, m: Materialized): void => {
  expectFloatLike(result, m.args[like], m);
  const o = givenOut(m, optionsIndex);
  // A tensor input with a typed-array out: a new tensor over that out.
  if (o !== undefined) expect(m.args[like] instanceof FuzzTensor && !(o instanceof FuzzTensor) ? (result as FuzzTensor).data : result).toBe(o);
};

function checkMoments(result: unknown, m: Materialized, withOut: boolean): void {
  const r = result as { mean: unknown; variance: unknown; count: number; out?: unknown };
  expect(Number.isSafeInteger(r.count) && r.count >= 1).toBe(true);
  if (typeof r.mean === 'number') {
    expect(typeof r.variance).toBe('number');
  } else {
    expect(typedArrayName.call(r.mean)).toBe('Float64Array');
    expect(typedArrayName.call(r.variance)).toBe('Float64Array');
    expect((r.mean as Float64Array).length).toBe((r.variance as Float64Array).length);
    const x = m.args[0] instanceof FuzzTensor ? m.args[0].data : m.args[0];
    expect((r.mean as Float64Array).length * r.count).toBe((x as Float32Array).length);
  }
  if (withOut) elementwise(0, 1)(r.out, m);
}

/**
 * Every number in a theory result is finite (README: the theory functions never return NaN; they throw
 * OUT_OF_RANGE on overflow), except fixedPoint's spectralNorm, documented as Infinity on overflow.
 */
function expectFinite(value: unknown, path = 'result'): void {
  if (typeof value === 'number') {
    if (path === 'result.spectralNorm' && value === Infinity) return;
    if (!Number.isFinite(value)) throw new Error(`${path} is ${value}: theory results must be finite`);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) expectFinite(v, `${path}.${k}`);
  } else {
    expect(['boolean', 'string']).toContain(typeof value);
  }
}

const isGpuObject = (ctor: Function) => (result: unknown): void => {
  expect(result).toBeInstanceOf(ctor);
  (result as { dispose(): void }).dispose();
};

// ---------------------------------------------------------------------------------------------------
// The entries.

const maskCheck = (result: unknown, m: Materialized): void => {
  expect(typedArrayName.call(result)).toBe('Uint8Array');
  const mask = result as Uint8Array;
  expect(mask.length === m.args[0]).toBe(true); // === : a length of -0 gives an empty mask
  expect(mask.every((v) => v <= 1)).toBe(true);
  const out = givenOut(m, 1);
  if (out !== undefined) expect(result).toBe(out);
};
/** The mask's length and out: lengths mostly from one small set, so that an out often fits. */
const MASK_LENGTHS = [1, 17];
const maskLength = arg(fc.oneof({ arbitrary: fc.constantFrom(...MASK_LENGTHS), weight: 3 }, { arbitrary: fc.nat(300), weight: 1 })
  .map((v): Spec => ({ t: 'prim', v })));
const maskOut = fc.oneof(
  { arbitrary: typedSpec(['Uint8Array']).chain((s) => fc.constantFrom(...MASK_LENGTHS).map((length): Spec => ({ ...(s as Extract<Spec, { t: 'typed' }>), length }))), weight: 4 },
  { arbitrary: typedSpec(), weight: 1 },
  { arbitrary: anySpec, weight: 1 },
);

const originalThreads = lib.runtime.threads;
const exported = lib as unknown as Record<string, (...a: unknown[]) => unknown>;

/** The sync entry and its Async twin of one op of the op table. */
function kernelEntries(name: string, args: fc.Arbitrary<Spec>[], check: Entry['check'], arrays: string[]): Entry[] {
  return [
    { name, async: false, call: exported[name], args, check, arrays },
    { name: `${name}Async`, async: true, call: exported[`${name}Async`], args, check, arrays, twin: exported[name] },
  ];
}

/** Derived from the op table (lib/ops): every op, with arbitraries for its arrays and option keys. */
export const KERNEL_ENTRIES: Entry[] = [
  ...OPS.flatMap((op) => {
    const keys = [...Object.keys(op.options), 'dtype', ...(op.output ? ['out'] : [])];
    const args = [x, ...(op.arrays.length === 2 ? [second] : []), optionsFor(keys)];
    const last = args.length - 1;
    // Every argument but the options is an array, and so is options.out.
    const arrays = [...Array.from({ length: last }, (_, i) => `arg${i}`), `arg${last}.out`];
    const check: Entry['check'] = op.hostResult ? (r, m) => checkMoments(r, m, op.output) : elementwise(0, last);
    return kernelEntries(op.name, args, check, arrays);
  }),
  ...kernelEntries('alphaDropoutMask', [maskLength, optionsFor(['rate', 'seed', 'offset', 'out'], { out: maskOut })], maskCheck, ['arg1.out']),
];

const mapPointKeys = { mu: real(-3, 3), omega: real(-3, 3), nu: real(0, 4), tau: real(0, 4), alpha: real(-3, 3), scale: real(-3, 3) };
const mapPoint = arg(optsSpec(mapPointKeys, ['mu', 'omega', 'nu', 'tau']), 8);
const interval = (lo: number, hi: number) => fc.oneof(
  { arbitrary: fc.tuple(fc.double({ min: lo, max: hi, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })).map(([a, w]): Spec => ({ t: 'list', items: [{ t: 'prim', v: a }, { t: 'prim', v: a + w }] })), weight: 4 },
  { arbitrary: listSpec(numberSpec, numberSpec), weight: 1 },
  { arbitrary: anySpec, weight: 1 },
);
/** contractionBound's grid has steps⁴ points: valid counts stay small here (100, the maximum, takes minutes). */
const steps = fc.oneof(fc.integer({ min: 2, max: 5 }).map((v): Spec => ({ t: 'prim', v })), constantSpec(NaN, 1.5, 1, 0, -1, 101, 1001, Infinity, '4', 4n));
/** fixedPoint may run maxIterations Newton steps: valid counts stay below 200 here. */
const maxIterations = fc.oneof(fc.integer({ min: 0, max: 200 }).map((v): Spec => ({ t: 'prim', v })), constantSpec(NaN, 1.5, -1, 1e6 + 1, Infinity, '4', 4n, null));

const theoryFn = (key: keyof lib.Theory) => (...a: unknown[]) => (lib.theory[key] as (...b: unknown[]) => unknown)(...a);

export const THEORY_ENTRIES: Entry[] = [
  { name: 'theory.meanVarianceMap', async: false, call: theoryFn('meanVarianceMap'), args: [mapPoint], check: (r) => expectFinite(r) },
  { name: 'theory.jacobian', async: false, call: theoryFn('jacobian'), args: [mapPoint], check: (r) => expectFinite(r) },
  { name: 'theory.spectralNorm', async: false, call: theoryFn('spectralNorm'), args: [mapPoint], check: (r) => expectFinite(r) },
  {
    name: 'theory.fixedPoint', async: false, call: theoryFn('fixedPoint'), check: (r) => expectFinite(r),
    args: [arg(optsSpec({
      omega: real(-2, 2), tau: real(0, 3), alpha: real(-3, 3), scale: real(-3, 3),
      start: fc.oneof(optsSpec({ mu: real(-2, 2), nu: real(0, 3) }), anySpec), tolerance: real(0, 1e-3), maxIterations,
    }, ['omega', 'tau']), 8)],
  },
  {
    name: 'theory.solveParameters', async: false, call: theoryFn('solveParameters'), check: (r) => expectFinite(r),
    args: [arg(optsSpec({ mean: real(-1, 1), variance: real(0, 3) }, ['mean', 'variance']), 8)],
  },
  {
    name: 'theory.alphaDropoutParameters', async: false, call: theoryFn('alphaDropoutParameters'), check: (r) => expectFinite(r),
    args: [arg(optsSpec({ rate: OPTION_ARBITRARIES.rate, mean: real(-2, 2), variance: real(0, 4), alpha: real(-3, 3), scale: real(-3, 3) }, ['rate']), 8)],
  },
  {
    name: 'theory.contractionBound', async: false, call: theoryFn('contractionBound'), check: (r) => expectFinite(r),
    args: [
      arg(optsSpec({ mu: interval(-1, 1), omega: interval(-1, 1), nu: interval(0, 2), tau: interval(0, 2) }, ['mu', 'omega', 'nu', 'tau']), 8),
      arg(optsSpec({ steps, alpha: real(-3, 3), scale: real(-3, 3) })),
    ],
  },
];

const deviceIndex = fc.oneof(constantSpec(0, 1, 1023, 1024, -1, 0.5, NaN), anySpec);
const dtype = fc.oneof(constantSpec('float32', 'float64', 'float16', 'bfloat16', 'float8', ''), anySpec);
const hostArray = arg(fc.oneof(floatSpec(), fc.constant<Spec>({ t: 'typed', kind: 'Uint16Array', length: 5, offset: 1, shared: false, fill: 3, detach: 'no' })));

const halfDtype = arg(constantSpec('float16', 'bfloat16', 'float32', 'float16'));
/** A conversion's out: mostly an array of the right kind and length (`dtype` of likeSpec: 'other' is a Float32Array beside a Uint16Array). */
const conversionOut = (kind: 'other' | 'bits') => arg(optsSpec({ out: fc.oneof({ arbitrary: likeSpec.map((s) => ({ ...s, dtype: kind })), weight: 4 }, { arbitrary: anySpec, weight: 1 }) }));
const conversionCheck = (kind: string) => (result: unknown, m: Materialized): void => {
  const o = givenOut(m, 2);
  if (o !== undefined) expect(result).toBe(o);
  else expect(typedArrayName.call(result)).toBe(kind);
  if (!m.detached.has((result as Uint16Array).buffer)) expect((result as Uint16Array).length).toBe((m.args[0] as Uint16Array).length);
};

export const OTHER_ENTRIES: Entry[] = [
  {
    name: 'toFloat32', async: false, arrays: ['arg0', 'arg2.out'], check: conversionCheck('Float32Array'),
    args: [arg(typedSpec(['Uint16Array'])), halfDtype, conversionOut('other')],
    call: (a, d, o) => lib.toFloat32(a as Uint16Array, d as lib.HalfDtype, o as { out?: Float32Array }),
  },
  {
    name: 'fromFloat32', async: false, arrays: ['arg0', 'arg2.out'], check: conversionCheck('Uint16Array'),
    args: [arg(typedSpec(['Float32Array'])), halfDtype, conversionOut('bits')],
    call: (a, d, o) => lib.fromFloat32(a as Float32Array, d as lib.HalfDtype, o as { out?: Uint16Array }),
  },
  {
    // Returns the thread count it set (read before `after` restores the original).
    name: 'setThreads', async: false, after: () => lib.setThreads(originalThreads),
    call: (n) => [lib.setThreads(n as number), lib.runtime.threads],
    args: [arg(fc.integer({ min: 1, max: 4 }).map((v): Spec => ({ t: 'prim', v })), 1)],
    check: (r, m) => expect(r).toEqual([undefined, m.args[0]]),
  },
  {
    name: 'runtime', async: false, args: [],
    call: () => ({ simd: lib.runtime.simd, detectedSimd: lib.runtime.detectedSimd, threads: lib.runtime.threads, version: lib.runtime.version }),
    check: (r) => {
      const rt = r as lib.Runtime;
      expect(['avx512', 'avx2', 'scalar']).toContain(rt.simd);
      expect(['avx512', 'avx2', 'scalar']).toContain(rt.detectedSimd);
      expect(Number.isInteger(rt.threads) && rt.threads >= 1).toBe(true);
      expect(typeof rt.version).toBe('string');
    },
  },
  { name: 'cuda.available', async: false, gpu: true, args: [], call: () => lib.cuda.available(), check: (r) => expect(typeof r).toBe('boolean') },
  { name: 'cuda.reason', async: false, gpu: true, args: [], call: () => lib.cuda.reason, check: (r) => expect(r === undefined || typeof r === 'string').toBe(true) },
  { name: 'cuda.devices', async: false, gpu: true, args: [], call: () => lib.cuda.devices(), check: (r) => expect(Array.isArray(r)).toBe(true) },
  {
    name: 'cuda.createStream', async: false, gpu: true, args: [arg(optsSpec({ device: deviceIndex }))],
    call: (o) => lib.cuda.createStream(o as { device?: number }), check: isGpuObject(lib.DeviceStream),
  },
  {
    name: 'DeviceArray.from', async: false, gpu: true, arrays: ['arg0'], args: [hostArray, arg(optsSpec({ device: deviceIndex, dtype }))],
    call: (d, o) => lib.DeviceArray.from(d as Float32Array, o as lib.DeviceArrayOptions), check: isGpuObject(lib.DeviceArray),
  },
  {
    name: 'DeviceArray.alloc', async: false, gpu: true,
    args: [arg(fc.nat(100).map((v): Spec => ({ t: 'prim', v }))), arg(dtype), arg(optsSpec({ device: deviceIndex }))],
    call: (n, d, o) => lib.DeviceArray.alloc(n as number, d as lib.DeviceDtype, o as { device?: number }), check: isGpuObject(lib.DeviceArray),
  },
  {
    // Only the factories may construct: any arguments give a TypeError.
    name: 'new DeviceArray', async: false, gpu: true, noArgumentName: true, args: [anySpec, anySpec, anySpec, anySpec, anySpec],
    call: (...a) => new (lib.DeviceArray as unknown as new (...b: unknown[]) => unknown)(...a), check: () => { throw new Error('constructed without the token'); },
  },
  {
    name: 'new DeviceStream', async: false, gpu: true, noArgumentName: true, args: [anySpec, anySpec, anySpec],
    call: (...a) => new (lib.DeviceStream as unknown as new (...b: unknown[]) => unknown)(...a), check: () => { throw new Error('constructed without the token'); },
  },
];

export const ALL_ENTRIES: Entry[] = [...KERNEL_ENTRIES, ...THEORY_ENTRIES, ...OTHER_ENTRIES];

/**
 * Exports that are not functions to fuzz, with the reason; the coverage test accepts nothing else
 * without an entry.
 */
export const NOT_FUZZED: Record<string, string> = {
  SELU_ALPHA: 'a number constant',
  SELU_SCALE: 'a number constant',
  ErrorCode: 'a frozen table of strings',
  theory: 'an object: each member has its own entry',
  cuda: 'an object: each member has its own entry',
  DeviceArray: "a class: the constructor and static factories have entries",
  DeviceStream: 'a class: the constructor has an entry (streams come from cuda.createStream)',
  'DeviceArray.like': '@internal (used by the GPU ops after validation)',
  'DeviceArray.create': 'private (TypeScript) static',
  'DeviceStream.create': '@internal: cuda.createStream, which has an entry',
};
