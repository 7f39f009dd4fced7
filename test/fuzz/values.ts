/**
 * The fuzzer's inputs. fast-check generates *specs* (plain data, printable in a counterexample and
 * shrinkable); `materialize` turns a spec into fresh JS values for one call. Specs rather than values
 * because typed arrays are mutable and can be detached: every call, and every re-run of a call (the
 * async-vs-sync comparison), gets its own freshly built arrays, proxies and getters.
 */
import fc from 'fast-check';
import { DeviceArray } from '../../lib';

/** Thrown by the fuzzer's own getters and proxy traps: the only foreign error a call may let through. */
export class UserCodeError extends Error {
  readonly fuzzUserError = true;
  constructor(where: string) {
    super(`thrown by user code: ${where}`);
  }
}

export function isUserCodeError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { fuzzUserError?: unknown }).fuzzUserError === true;
}

export const TYPED_KINDS = [
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'DataView', 'Buffer',
] as const;
export type TypedKind = (typeof TYPED_KINDS)[number];
export type FloatKind = 'Float32Array' | 'Float64Array';

/** Objects that are not typed arrays but may look like one, or like an options object. */
const OBJECT_KINDS = [
  'empty', 'array', 'pair', 'function', 'frozen', 'nullProto', 'proxy', 'throwingProxy', 'throwingGetter', 'date', 'map',
  'promise', 'arrayLike', 'arrayBuffer', 'sharedArrayBuffer', 'fakeDeviceArray', 'boxedNumber', 'regexp',
] as const;

/** Impostors of a Float32Array: they pass `instanceof` but are not one, or are one of another kind. */
const FAKE_KINDS = ['proxyOfFloat32', 'createdFromPrototype', 'int8WithFloat32Prototype', 'float32WithFloat64Prototype', 'subclass'] as const;

/** What a getter on an option key does when read. */
export type GetterMode = 'throw' | 'detach' | 'flip';

export type Spec =
  | { t: 'prim'; v: undefined | null | boolean | number | string | bigint }
  | { t: 'symbol' }
  | { t: 'obj'; kind: (typeof OBJECT_KINDS)[number] }
  /** A typed array: a view of `length` elements at element `offset` of a (Shared)ArrayBuffer. */
  | { t: 'typed'; kind: TypedKind; length: number; offset: number; shared: boolean; fill: number; detach: 'no' | 'before' | 'during' }
  | { t: 'fake'; kind: (typeof FAKE_KINDS)[number]; length: number }
  /** A view over the memory of an array made earlier in the same call (index modulo their count): overlap. */
  | { t: 'alias'; of: number; start: number; length: number; kind: FloatKind | 'same' }
  /** A new array with the length of the call's first float array, of its dtype (or the other one, or 16-bit bits). */
  | { t: 'like'; dtype: 'same' | 'other' | 'bits'; offset: number; shared: boolean; fill: number }
  /** [rows, cols] for the first float array of the call: exact, transposed, wrong, or with a junk entry. */
  | { t: 'shape'; mode: 'exact' | 'transposed' | 'wrong' | 'three' | 'junk'; junk: Spec }
  | { t: 'list'; items: Spec[] }
  | { t: 'opts'; entries: [string, Spec][]; wrap: 'plain' | 'frozen' | 'proxy' | 'throwingProxy' | 'nullProto' | 'inherited'; getters: [string, GetterMode][] }
  /** A tensor object { type, data, dims } (FuzzTensor), its dims right or not, maybe on a GPU, maybe with a throwing getter. */
  | { t: 'tensor'; type: string; data: Spec; dims: 'flat' | 'matrix' | 'wrong' | 'junk' | 'missing'; location: 'none' | 'cpu' | 'gpu-buffer'; throwing: 'none' | 'data' | 'dims' };

/** The tensor class of the fuzzer's tensor objects: results of tensor inputs are built by it. */
export class FuzzTensor {
  constructor(readonly type: string, readonly data: unknown, readonly dims: unknown) {}
}

/** The data kind of each tensor type (int32: a type the ops do not take). */
const TENSOR_DATA: Record<string, TypedKind> = { float32: 'Float32Array', float64: 'Float64Array', float16: 'Uint16Array', bfloat16: 'Uint16Array', int32: 'Int32Array' };

/** Numbers at the edges: NaN, ±Infinity, −0, fractions, negatives, 2^53, 2^64, the extremes of double. */
export const EDGE_NUMBERS = [
  NaN, Infinity, -Infinity, -0, 0, 1, -1, 0.5, -0.5, 1.5, 2, 3, 7, 0.1, 0.999999, 1 - 2 ** -53, 256, 257, 1000, 1e6,
  2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, 2 ** 64, -(2 ** 53), 2 ** 32 + 0.5, 1e308, Number.MAX_VALUE, Number.MIN_VALUE, 1e-300, -1e308,
];

/** Numbers of every kind (no lengths between 1e6 and 2^32: those would allocate gigabytes, validly). */
export const anyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(...EDGE_NUMBERS),
  fc.integer({ min: -10, max: 1000 }),
  fc.double(),
);

export const anyBigInt: fc.Arbitrary<bigint> = fc.oneof(
  fc.constantFrom(0n, 1n, -1n, 2n ** 53n, 2n ** 63n, 2n ** 64n - 1n, 2n ** 64n, 2n ** 64n + 1n, -(2n ** 64n), 2n ** 200n),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
);

const prim = (v: Extract<Spec, { t: 'prim' }>['v']): Spec => ({ t: 'prim', v });

export const numberSpec: fc.Arbitrary<Spec> = anyNumber.map(prim);
export const bigintSpec: fc.Arbitrary<Spec> = anyBigInt.map(prim);

/** A tensor object: mostly a valid one (its data of the type's kind), else with a flaw. */
export const tensorSpec: fc.Arbitrary<Spec> = fc.record({
  t: fc.constant('tensor' as const),
  type: fc.constantFrom('float32', 'float32', 'float64', 'float16', 'bfloat16', 'int32'),
  matching: fc.oneof({ arbitrary: fc.constant(true), weight: 8 }, { arbitrary: fc.constant(false), weight: 1 }),
  data: fc.constant(null),
  dims: fc.constantFrom('flat', 'matrix', 'flat', 'matrix', 'wrong', 'junk', 'missing') as fc.Arbitrary<Extract<Spec, { t: 'tensor' }>['dims']>,
  location: fc.constantFrom('none', 'none', 'none', 'cpu', 'gpu-buffer') as fc.Arbitrary<Extract<Spec, { t: 'tensor' }>['location']>,
  throwing: fc.constantFrom('none', 'none', 'none', 'none', 'none', 'none', 'data', 'dims') as fc.Arbitrary<Extract<Spec, { t: 'tensor' }>['throwing']>,
}).chain((s) => typedSpec(s.matching ? [TENSOR_DATA[s.type]] : ['Float32Array', 'Float64Array', 'Uint16Array', 'Int8Array'])
  .map((data): Spec => ({ t: 'tensor', type: s.type, data, dims: s.dims, location: s.location, throwing: s.throwing })));

/** A typed array of any kind, length (0 included) and placement. */
export function typedSpec(kinds: readonly TypedKind[] = TYPED_KINDS, maxLength = 70): fc.Arbitrary<Spec> {
  return fc.record({
    t: fc.constant('typed' as const),
    kind: fc.constantFrom(...kinds),
    length: fc.oneof(fc.constantFrom(0, 1, 2, 3, 4, 8, 16, 17, 64), fc.nat(maxLength)),
    offset: fc.oneof(fc.constant(0), fc.nat(5)),
    shared: fc.boolean(),
    fill: fc.nat(1000),
    detach: fc.constantFrom('no', 'no', 'no', 'no', 'no', 'before', 'during') as fc.Arbitrary<'no' | 'before' | 'during'>,
  }).map((s) => (s.shared && s.detach !== 'no' ? { ...s, detach: 'no' as const } : s)); // a SharedArrayBuffer cannot be transferred
}

export const floatSpec = (maxLength = 70): fc.Arbitrary<Spec> => typedSpec(['Float32Array', 'Float64Array'], maxLength);

export const aliasSpec: fc.Arbitrary<Spec> = fc.record({
  t: fc.constant('alias' as const),
  of: fc.nat(3),
  start: fc.nat(8),
  length: fc.nat(70),
  kind: fc.constantFrom('same', 'same', 'Float32Array', 'Float64Array') as fc.Arbitrary<FloatKind | 'same'>,
});

/** Any JS value, typed arrays of every kind and impostors included (`depth` bounds nesting). */
export const anySpec: fc.Arbitrary<Spec> = fc.oneof(
  fc.constantFrom<Spec>(prim(undefined), prim(null), prim(true), prim(false), { t: 'symbol' }),
  numberSpec,
  bigintSpec,
  fc.oneof(fc.constantFrom('', '1', '0.5', 'NaN', 'x', 'Float32Array'), fc.string({ maxLength: 8 })).map(prim),
  fc.constantFrom(...OBJECT_KINDS).map((kind): Spec => ({ t: 'obj', kind })),
  typedSpec(),
  fc.record({ t: fc.constant('fake' as const), kind: fc.constantFrom(...FAKE_KINDS), length: fc.nat(16) }),
  aliasSpec,
);

/**
 * A value for an argument: mostly `good` (so calls get past the first check and reach the deep ones),
 * sometimes anything at all.
 */
export function arg(good: fc.Arbitrary<Spec>, goodWeight = 4): fc.Arbitrary<Spec> {
  return fc.oneof({ arbitrary: good, weight: goodWeight }, { arbitrary: anySpec, weight: 1 });
}

/**
 * An options object with keys from `keys` (each value from its arbitrary), sometimes an unknown key,
 * wrapped plainly, frozen, in a Proxy, with a null or option-carrying prototype, and with getters that
 * throw, detach an array or return a different value on each read.
 */
export function optsSpec(keys: Record<string, fc.Arbitrary<Spec>>, required: readonly string[] = []): fc.Arbitrary<Spec> {
  const names = Object.keys(keys);
  const entries = fc.tuple(
    ...names.map((k) => fc.option(keys[k].map((v): [string, Spec] => [k, v]), { freq: required.includes(k) ? 8 : 2 })),
  ).map((es) => es.filter((e): e is [string, Spec] => e !== null));
  const unknownKey = fc.constantFrom('aplha', 'Out', 'constructor', '__proto__', 'toString', 'length', '0').chain((k) => anySpec.map((v): [string, Spec] => [k, v]));
  const extra = fc.oneof({ arbitrary: fc.constant(null), weight: 9 }, { arbitrary: unknownKey, weight: 1 });
  const getters = fc.array(fc.tuple(fc.constantFrom(...names), fc.constantFrom<GetterMode>('throw', 'detach', 'flip')), { maxLength: 2 });
  return fc.record({
    t: fc.constant('opts' as const),
    entries: fc.tuple(entries, extra).map(([es, x]) => (x === null ? es : [...es, x])),
    wrap: fc.constantFrom('plain', 'plain', 'plain', 'plain', 'plain', 'frozen', 'proxy', 'throwingProxy', 'nullProto', 'inherited') as fc.Arbitrary<Extract<Spec, { t: 'opts' }>['wrap']>,
    getters: fc.oneof({ arbitrary: fc.constant([] as [string, GetterMode][]), weight: 6 }, { arbitrary: getters, weight: 1 }),
  });
}

/** An array shaped like the call's first one: mostly what a second input or an `out` must be. */
export const likeSpec: fc.Arbitrary<Spec> = fc.record({
  t: fc.constant('like' as const),
  dtype: fc.constantFrom('same', 'same', 'same', 'same', 'other') as fc.Arbitrary<'same' | 'other'>,
  offset: fc.oneof(fc.constant(0), fc.nat(3)),
  shared: fc.boolean(),
  fill: fc.nat(1000),
});

/** A valid value most of the time (weight 6), something else otherwise (weight 1). */
export function mostly(valid: fc.Arbitrary<Spec>, other: fc.Arbitrary<Spec> = anySpec): fc.Arbitrary<Spec> {
  return fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: other, weight: 1 });
}

/** [rows, cols] for moments' shape. */
export const shapeSpec: fc.Arbitrary<Spec> = fc.record({
  t: fc.constant('shape' as const),
  mode: fc.constantFrom('exact', 'exact', 'exact', 'transposed', 'wrong', 'three', 'junk') as fc.Arbitrary<Extract<Spec, { t: 'shape' }>['mode']>,
  junk: anySpec,
});

/** A finite double of moderate size, most of the time; any number otherwise. */
export const moderate = (min: number, max: number): fc.Arbitrary<Spec> =>
  fc.oneof({ arbitrary: fc.double({ min, max, noNaN: true }), weight: 4 }, { arbitrary: anyNumber, weight: 1 }).map(prim);

export const constantSpec = (...values: Extract<Spec, { t: 'prim' }>['v'][]): fc.Arbitrary<Spec> => fc.constantFrom(...values).map(prim);

export const listSpec = (...items: fc.Arbitrary<Spec>[]): fc.Arbitrary<Spec> => fc.tuple(...items).map((xs): Spec => ({ t: 'list', items: xs }));

// ---------------------------------------------------------------------------------------------------
// Materialization.

/** Everything one call's values are built from, and what the oracle needs to know about them. */
export class Materialized {
  /** Views made for this call (typed arrays and their aliases), in creation order. */
  readonly views: ArrayBufferView[] = [];
  /** Views to detach after an async call has started. */
  readonly detachDuring: ArrayBufferView[] = [];
  /** Buffers detached by the fuzzer (before, during, or by a getter): their views cannot be compared. */
  readonly detached = new Set<ArrayBufferLike>();
  /** Where arrays detached before the call sit: 'arg0', 'arg1.out', ... (at an array argument, the call must fail). */
  readonly detachedBefore: string[] = [];
  /** Whether user code (getters, traps, impostors) runs during the call: results are then not compared. */
  impure = false;
  readonly args: unknown[];

  constructor(specs: readonly Spec[]) {
    this.args = specs.map((s, i) => this.value(s, `arg${i}`));
  }

  detach(view: ArrayBufferView): void {
    const buffer = view.buffer;
    if (buffer instanceof ArrayBuffer && !this.detached.has(buffer)) {
      structuredClone(buffer, { transfer: [buffer] });
      this.detached.add(buffer);
    }
  }

  /** The first Float32Array/Float64Array/Uint16Array made for this call (moments' shape refers to it). */
  firstFloat(): Float32Array | Float64Array | Uint16Array | undefined {
    return this.views.find((v): v is Float32Array | Float64Array | Uint16Array => v instanceof Float32Array || v instanceof Float64Array || v instanceof Uint16Array);
  }

  /** The value for `s`; `path` says where it goes ('arg1.out'). */
  value(s: Spec, path: string): unknown {
    switch (s.t) {
      case 'prim':
        return s.v;
      case 'symbol':
        return Symbol('fuzz');
      case 'obj':
        return this.object(s.kind);
      case 'typed':
        return this.typed(s, path);
      case 'fake':
        return this.fake(s.kind, s.length);
      case 'alias':
        return this.alias(s, path);
      case 'shape':
        return this.shape(s, path);
      case 'like': {
        const first = this.firstFloat();
        const f32 = first === undefined || first instanceof Float32Array;
        const kind = s.dtype === 'bits' || (first instanceof Uint16Array && s.dtype === 'same') ? 'Uint16Array'
          : (s.dtype === 'same') === f32 ? 'Float32Array' : 'Float64Array';
        const length = first === undefined || this.detached.has(first.buffer) ? 5 : first.length;
        return this.typed({ t: 'typed', kind, length, offset: s.offset, shared: s.shared, fill: s.fill, detach: 'no' }, path);
      }
      case 'list':
        return s.items.map((x, i) => this.value(x, `${path}[${i}]`));
      case 'opts':
        return this.options(s, path);
      case 'tensor':
        return this.tensor(s, path);
    }
  }

  private tensor(s: Extract<Spec, { t: 'tensor' }>, path: string): FuzzTensor {
    const data = this.value(s.data, `${path}.data`);
    const n = (data as Float32Array).length;
    const dims = s.dims === 'flat' ? [n] : s.dims === 'matrix' ? (n % 2 === 0 ? [2, n / 2] : [1, n]) : s.dims === 'wrong' ? [n + 1] : s.dims === 'junk' ? 'x' : undefined;
    const t = new FuzzTensor(s.type, data, dims);
    if (s.location !== 'none') Object.defineProperty(t, 'location', { value: s.location, enumerable: true });
    if (s.throwing !== 'none') {
      this.impure = true;
      Object.defineProperty(t, s.throwing, { enumerable: true, get: () => { throw new UserCodeError(`getter of ${path}.${s.throwing}`); } });
    }
    return t;
  }

  private object(kind: (typeof OBJECT_KINDS)[number]): unknown {
    switch (kind) {
      case 'empty': return {};
      case 'array': return [];
      case 'pair': return [1, 2];
      case 'function': return () => 1;
      case 'frozen': return Object.freeze({});
      case 'nullProto': return Object.create(null);
      case 'proxy': return new Proxy({}, {});
      case 'throwingProxy':
        this.impure = true;
        return throwingProxy({});
      case 'throwingGetter':
        this.impure = true;
        return Object.defineProperty({}, 'length', { enumerable: true, get() { throw new UserCodeError('length getter'); } });
      case 'date': return new Date(0);
      case 'map': return new Map([[1, 2]]);
      case 'promise': return Promise.resolve(new Float32Array(2));
      case 'arrayLike': return { length: 3, 0: 1, 1: 2, 2: 3 };
      case 'arrayBuffer': return new ArrayBuffer(16);
      case 'sharedArrayBuffer': return new SharedArrayBuffer(16);
      case 'fakeDeviceArray':
        this.impure = true;
        return Object.create(DeviceArray.prototype);
      case 'boxedNumber': return Object(1);
      case 'regexp': return /x/;
    }
  }

  private typed(s: Extract<Spec, { t: 'typed' }>, path: string): ArrayBufferView {
    const size = bytesPer(s.kind);
    const bytes = (s.offset + s.length) * size;
    const buffer = s.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    const view = makeView(s.kind, buffer, s.offset * size, s.length);
    fillView(view, s.fill);
    this.views.push(view);
    if (s.detach === 'before') {
      this.detach(view);
      this.detachedBefore.push(path);
    } else if (s.detach === 'during') {
      this.detachDuring.push(view);
    }
    return view;
  }

  private fake(kind: (typeof FAKE_KINDS)[number], length: number): unknown {
    this.impure = true;
    const real = new Float32Array(length).fill(1.5);
    switch (kind) {
      case 'proxyOfFloat32': return new Proxy(real, {}); // what Vue's reactive() and similar wrappers hand out
      case 'createdFromPrototype': return Object.create(Float32Array.prototype);
      case 'int8WithFloat32Prototype': {
        const int8 = new Int8Array(length).fill(3);
        this.views.push(int8);
        return Object.setPrototypeOf(int8, Float32Array.prototype);
      }
      case 'float32WithFloat64Prototype':
        this.views.push(real);
        return Object.setPrototypeOf(real, Float64Array.prototype);
      case 'subclass': {
        class MyFloat32Array extends Float32Array {}
        const sub = new MyFloat32Array(length).fill(1.5);
        this.views.push(sub);
        return sub;
      }
    }
  }

  private alias(s: Extract<Spec, { t: 'alias' }>, path: string): ArrayBufferView {
    const floats = this.views.filter((v) => v instanceof Float32Array || v instanceof Float64Array);
    if (floats.length === 0) return this.typed({ t: 'typed', kind: 'Float32Array', length: s.length, offset: 0, shared: false, fill: 1, detach: 'no' }, path);
    const base = floats[s.of % floats.length] as Float32Array | Float64Array;
    if (this.detached.has(base.buffer)) {
      this.detachedBefore.push(path);
      return base; // no new view over a detached buffer can be made
    }
    const kind = s.kind === 'same' ? (base instanceof Float32Array ? 'Float32Array' : 'Float64Array') : s.kind;
    const size = bytesPer(kind);
    // An aligned byte offset inside the base's buffer, and as many elements as fit from there.
    const first = Math.ceil(base.byteOffset / size) + s.start;
    const fit = Math.max(0, Math.floor(base.buffer.byteLength / size) - first);
    const view = makeView(kind, base.buffer, Math.min(first, Math.floor(base.buffer.byteLength / size)) * size, Math.min(s.length, fit));
    this.views.push(view);
    return view;
  }

  private shape(s: Extract<Spec, { t: 'shape' }>, path: string): unknown {
    const n = this.firstFloat()?.length ?? 6;
    const rows = largestDivisor(n);
    const cols = n === 0 ? 0 : n / rows;
    switch (s.mode) {
      case 'exact': return [rows, cols];
      case 'transposed': return [cols, rows];
      case 'wrong': return [rows + 1, cols];
      case 'three': return [rows, cols, 1];
      case 'junk': return [rows, this.value(s.junk, `${path}[1]`)];
    }
  }

  private options(s: Extract<Spec, { t: 'opts' }>, path: string): unknown {
    const target: Record<string, unknown> = s.wrap === 'nullProto' ? Object.create(null) : {};
    for (const [key, valueSpec] of s.entries) {
      const value = this.value(valueSpec, `${path}.${key}`);
      const getter = s.getters.find(([k]) => k === key);
      if (getter === undefined) {
        Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
      } else {
        this.impure = true;
        Object.defineProperty(target, key, { enumerable: true, configurable: true, get: this.getter(key, value, getter[1]) });
      }
    }
    switch (s.wrap) {
      case 'frozen': return Object.freeze(target);
      case 'proxy':
        this.impure = true;
        return new Proxy(target, {});
      case 'throwingProxy':
        this.impure = true;
        return throwingProxy(target);
      case 'inherited': return Object.create(target); // the keys live on the prototype: not own, so not options
      default: return target;
    }
  }

  private getter(key: string, value: unknown, mode: GetterMode): () => unknown {
    let reads = 0;
    return () => {
      reads++;
      if (mode === 'throw') throw new UserCodeError(`getter of ${key}`);
      if (mode === 'detach') {
        for (const v of this.views) this.detach(v);
        return value;
      }
      // 'flip': the value on the first read, something else (a string, then a symbol) afterwards.
      return reads === 1 ? value : reads === 2 ? 'changed' : Symbol('changed');
    };
  }
}

/** A Proxy whose every trap throws a UserCodeError. */
function throwingProxy(target: object): object {
  const trap = (name: string) => () => {
    throw new UserCodeError(`proxy trap ${name}`);
  };
  return new Proxy(target, {
    get: trap('get'), has: trap('has'), ownKeys: trap('ownKeys'), getOwnPropertyDescriptor: trap('getOwnPropertyDescriptor'),
    getPrototypeOf: trap('getPrototypeOf'), set: trap('set'), defineProperty: trap('defineProperty'),
  });
}

function bytesPer(kind: TypedKind): number {
  switch (kind) {
    case 'Int16Array': case 'Uint16Array': return 2;
    case 'Int32Array': case 'Uint32Array': case 'Float32Array': return 4;
    case 'Float64Array': case 'BigInt64Array': case 'BigUint64Array': return 8;
    default: return 1;
  }
}

function makeView(kind: TypedKind, buffer: ArrayBufferLike, byteOffset: number, length: number): ArrayBufferView {
  if (kind === 'DataView') return new DataView(buffer, byteOffset, length);
  if (kind === 'Buffer') return Buffer.from(buffer, byteOffset, length);
  return new globalThis[kind](buffer as ArrayBuffer, byteOffset, length);
}

/** Values that exercise both SELU branches and the special cases: ±0, NaN, ±∞, tiny, huge. */
const FLOAT_PATTERN = [0.5, -1.25, 0, -0, 3, -7.5, 1e-40, -1e-40, NaN, Infinity, -Infinity, 88.5, -100, 2.5e-8, -3e38, 1];

function fillView(view: ArrayBufferView, fill: number): void {
  if (view instanceof Float32Array || view instanceof Float64Array) {
    for (let i = 0; i < view.length; i++) view[i] = FLOAT_PATTERN[(i + fill) % FLOAT_PATTERN.length];
  } else {
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + fill) & 255;
  }
}

function largestDivisor(n: number): number {
  for (let d = Math.floor(Math.sqrt(n)); d > 1; d--) if (n % d === 0) return d;
  return 1;
}

/** A byte copy of a view's memory (empty when its buffer is detached). */
export function snapshot(view: ArrayBufferView): Buffer {
  if (view.buffer.byteLength === 0) return Buffer.alloc(0); // detached, or empty (a DataView's byteLength would throw)
  return Buffer.from(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
}
