/**
 * Bad input to the theory functions: a TypeError or RangeError with a stable code that names the
 * argument (and a message `theory.fn(): <argument> …`). No function returns NaN.
 */
import { theory } from '../lib/theory';

type Kind = 'TypeError' | 'RangeError';

function expectError(fn: () => unknown, kind: Kind, code: string, argument: string, message?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(kind === 'TypeError' ? TypeError : RangeError);
  expect(caught).toMatchObject({ code, argument });
  const text = (caught as Error).message;
  expect(text).toMatch(/^theory\.\w+\(\): /);
  expect(text).toContain(argument);
  if (message) expect(text).toMatch(message);
}

const INVALID = 'ERR_SELU_INVALID_ARG';
const UNKNOWN = 'ERR_SELU_UNKNOWN_OPTION';
const RANGE = 'ERR_SELU_OUT_OF_RANGE';
const NO_SOLUTION = 'ERR_SELU_NO_SOLUTION';

const P = { mu: 0.1, omega: 0.5, nu: 1, tau: 1 };
const bad = (x: unknown) => x as never;

describe.each([
  ['meanVarianceMap', (p: unknown) => theory.meanVarianceMap(bad(p))],
  ['jacobian', (p: unknown) => theory.jacobian(bad(p))],
  ['spectralNorm', (p: unknown) => theory.spectralNorm(bad(p))],
] as const)('theory.%s(p)', (name, call) => {
  test('p must be an object', () => {
    for (const p of [undefined, null, 1, 'p', [1, 2, 3, 4], true]) expectError(() => call(p), 'TypeError', INVALID, 'p');
  });

  test('each number is required and must be a finite number', () => {
    for (const key of ['mu', 'omega', 'nu', 'tau'] as const) {
      const { [key]: _omitted, ...rest } = P;
      expectError(() => call(rest), 'TypeError', INVALID, `p.${key}`, /must be a finite number, got undefined/);
      for (const v of ['1', null, 1n, {}]) expectError(() => call({ ...P, [key]: v }), 'TypeError', INVALID, `p.${key}`);
      for (const v of [NaN, Infinity, -Infinity]) expectError(() => call({ ...P, [key]: v }), 'RangeError', RANGE, `p.${key}`);
    }
    for (const key of ['alpha', 'scale'] as const) {
      expectError(() => call({ ...P, [key]: 'x' }), 'TypeError', INVALID, `p.${key}`);
      expectError(() => call({ ...P, [key]: NaN }), 'RangeError', RANGE, `p.${key}`);
    }
  });

  test('ν·τ must be > 0 (and finite), μ·ω finite', () => {
    expectError(() => call({ ...P, nu: 0 }), 'RangeError', RANGE, 'p.nu', new RegExp(`^theory\\.${name}\\(\\): p\\.nu \\* p\\.tau must be > 0, got 0$`));
    expectError(() => call({ ...P, nu: -1 }), 'RangeError', RANGE, 'p.nu', /p\.nu \* p\.tau must be > 0, got -1$/);
    expectError(() => call({ ...P, tau: -2 }), 'RangeError', RANGE, 'p.tau', /must be > 0, got -2$/);
    expectError(() => call({ ...P, nu: 1e-200, tau: 1e-200 }), 'RangeError', RANGE, 'p.tau', /got 0$/); // underflow
    expectError(() => call({ ...P, nu: 1e200, tau: 1e200 }), 'RangeError', RANGE, 'p.nu', /must be finite/);
    expectError(() => call({ ...P, mu: 1e200, omega: 1e200 }), 'RangeError', RANGE, 'p.mu', /p\.mu \* p\.omega must be finite/);
  });

  test('unknown properties are rejected', () => {
    expectError(() => call({ ...P, alfa: 1 }), 'TypeError', UNKNOWN, 'p.alfa');
  });

  test('results beyond double range are a RangeError naming p', () => {
    expectError(() => call({ mu: 1, omega: 1e300, nu: 1, tau: 1 }), 'RangeError', RANGE, 'p', /overflow/);
  });
});

describe('theory.fixedPoint(p)', () => {
  test('validation', () => {
    expectError(() => theory.fixedPoint(bad(undefined)), 'TypeError', INVALID, 'p');
    expectError(() => theory.fixedPoint(bad({ tau: 1 })), 'TypeError', INVALID, 'p.omega');
    expectError(() => theory.fixedPoint(bad({ omega: 0 })), 'TypeError', INVALID, 'p.tau');
    expectError(() => theory.fixedPoint({ omega: 0, tau: 0 }), 'RangeError', RANGE, 'p.tau', /must be > 0, got 0/);
    expectError(() => theory.fixedPoint({ omega: 0, tau: -1 }), 'RangeError', RANGE, 'p.tau');
    expectError(() => theory.fixedPoint({ omega: NaN, tau: 1 }), 'RangeError', RANGE, 'p.omega');
    expectError(() => theory.fixedPoint({ omega: 0, tau: 1, scale: Infinity }), 'RangeError', RANGE, 'p.scale');
    expectError(() => theory.fixedPoint(bad({ omega: 0, tau: 1, start: 5 })), 'TypeError', INVALID, 'p.start');
    expectError(() => theory.fixedPoint(bad({ omega: 0, tau: 1, start: { mu: 0 } })), 'TypeError', INVALID, 'p.start.nu');
    expectError(() => theory.fixedPoint({ omega: 0, tau: 1, start: { mu: 0, nu: 0 } }), 'RangeError', RANGE, 'p.start.nu');
    expectError(() => theory.fixedPoint(bad({ omega: 0, tau: 1, start: { mu: 0, nu: 1, sigma: 1 } })), 'TypeError', UNKNOWN, 'p.start.sigma');
    expectError(() => theory.fixedPoint({ omega: 0, tau: 1, tolerance: 0 }), 'RangeError', RANGE, 'p.tolerance');
    expectError(() => theory.fixedPoint(bad({ omega: 0, tau: 1, tolerance: '1e-9' })), 'TypeError', INVALID, 'p.tolerance');
    expectError(() => theory.fixedPoint({ omega: 0, tau: 1, maxIterations: 1.5 }), 'RangeError', RANGE, 'p.maxIterations');
    expectError(() => theory.fixedPoint({ omega: 0, tau: 1, maxIterations: -1 }), 'RangeError', RANGE, 'p.maxIterations');
    expectError(() => theory.fixedPoint(bad({ omega: 0, tau: 1, maxIterations: '10' })), 'TypeError', INVALID, 'p.maxIterations');
    expectError(() => theory.fixedPoint(bad({ omega: 0, tau: 1, maxIteration: 10 })), 'TypeError', UNKNOWN, 'p.maxIteration');
    expectError(() => theory.fixedPoint({ omega: 1e200, tau: 1, start: { mu: 1e200, nu: 1 } }), 'RangeError', RANGE, 'p.start.mu');
  });
});

describe('theory.solveParameters(target)', () => {
  test('validation', () => {
    expectError(() => theory.solveParameters(bad(null)), 'TypeError', INVALID, 'target');
    expectError(() => theory.solveParameters(bad({ variance: 1 })), 'TypeError', INVALID, 'target.mean');
    expectError(() => theory.solveParameters(bad({ mean: 0 })), 'TypeError', INVALID, 'target.variance');
    expectError(() => theory.solveParameters({ mean: NaN, variance: 1 }), 'RangeError', RANGE, 'target.mean');
    expectError(() => theory.solveParameters({ mean: 0, variance: Infinity }), 'RangeError', RANGE, 'target.variance');
    expectError(() => theory.solveParameters(bad({ mean: 0, variance: 1, var: 1 })), 'TypeError', UNKNOWN, 'target.var');
  });

  test('no solution', () => {
    expectError(() => theory.solveParameters({ mean: 0, variance: 0 }), 'RangeError', NO_SOLUTION, 'target.variance', /must be > 0/);
    expectError(() => theory.solveParameters({ mean: 0, variance: -2 }), 'RangeError', NO_SOLUTION, 'target.variance');
    expectError(() => theory.solveParameters({ mean: 3, variance: 0.01 }), 'RangeError', NO_SOLUTION, 'target', /no SELU parameters/);
  });
});

describe('theory.alphaDropoutParameters(p)', () => {
  test('validation', () => {
    expectError(() => theory.alphaDropoutParameters(bad(0.1)), 'TypeError', INVALID, 'p');
    expectError(() => theory.alphaDropoutParameters(bad({})), 'TypeError', INVALID, 'p.rate', /must be a number in \[0, 1\), got undefined/);
    expectError(() => theory.alphaDropoutParameters(bad({ rate: '0.1' })), 'TypeError', INVALID, 'p.rate');
    for (const rate of [1, 1.5, -0.1, -1e-300, NaN, Infinity]) {
      expectError(() => theory.alphaDropoutParameters({ rate }), 'RangeError', RANGE, 'p.rate', /must be in \[0, 1\)/);
    }
    expectError(() => theory.alphaDropoutParameters({ rate: 0.1, variance: 0 }), 'RangeError', RANGE, 'p.variance', /must be > 0/);
    expectError(() => theory.alphaDropoutParameters({ rate: 0.1, variance: -1 }), 'RangeError', RANGE, 'p.variance');
    expectError(() => theory.alphaDropoutParameters({ rate: 0.1, mean: Infinity }), 'RangeError', RANGE, 'p.mean');
    expectError(() => theory.alphaDropoutParameters(bad({ rate: 0.1, mean: '0' })), 'TypeError', INVALID, 'p.mean');
    expectError(() => theory.alphaDropoutParameters({ rate: 0.1, alpha: NaN }), 'RangeError', RANGE, 'p.alpha');
    expectError(() => theory.alphaDropoutParameters({ rate: 0.1, scale: -Infinity }), 'RangeError', RANGE, 'p.scale');
    expectError(() => theory.alphaDropoutParameters(bad({ rate: 0.1, seed: 1 })), 'TypeError', UNKNOWN, 'p.seed');
    expectError(() => theory.alphaDropoutParameters({ rate: 0.1, alpha: 1e200, scale: 1e200 }), 'RangeError', RANGE, 'p');
  });
});

describe('theory.contractionBound(domain, options)', () => {
  const D = { mu: [-0.1, 0.1], omega: [-0.1, 0.1], nu: [0.8, 1.5], tau: [0.95, 1.1] } as const;

  test('validation', () => {
    expectError(() => theory.contractionBound(bad(undefined)), 'TypeError', INVALID, 'domain');
    expectError(() => theory.contractionBound(bad({ ...D, mu: undefined })), 'TypeError', INVALID, 'domain.mu');
    expectError(() => theory.contractionBound(bad({ ...D, mu: [0] })), 'TypeError', INVALID, 'domain.mu');
    expectError(() => theory.contractionBound(bad({ ...D, omega: [0, 'a'] })), 'TypeError', INVALID, 'domain.omega[1]');
    expectError(() => theory.contractionBound(bad({ ...D, omega: [NaN, 1] })), 'RangeError', RANGE, 'domain.omega[0]');
    expectError(() => theory.contractionBound({ ...D, nu: [1.5, 0.8] }), 'RangeError', RANGE, 'domain.nu', /low ≤ high/);
    expectError(() => theory.contractionBound({ ...D, nu: [0, 1] }), 'RangeError', RANGE, 'domain.nu');
    expectError(() => theory.contractionBound({ ...D, tau: [-1, 1] }), 'RangeError', RANGE, 'domain.tau');
    expectError(() => theory.contractionBound(bad({ ...D, sigma: [0, 1] })), 'TypeError', UNKNOWN, 'domain.sigma');
    expectError(() => theory.contractionBound(D, bad(8)), 'TypeError', INVALID, 'options');
    expectError(() => theory.contractionBound(D, { steps: 1 }), 'RangeError', RANGE, 'options.steps');
    expectError(() => theory.contractionBound(D, { steps: 2.5 }), 'RangeError', RANGE, 'options.steps');
    expectError(() => theory.contractionBound(D, { steps: 101 }), 'RangeError', RANGE, 'options.steps');
    expectError(() => theory.contractionBound(D, bad({ steps: '8' })), 'TypeError', INVALID, 'options.steps');
    expectError(() => theory.contractionBound(D, bad({ step: 8 })), 'TypeError', UNKNOWN, 'options.step');
    expectError(() => theory.contractionBound(D, { alpha: NaN }), 'RangeError', RANGE, 'options.alpha');
    expectError(() => theory.contractionBound({ ...D, mu: [0, 1e200], omega: [0, 1e200] }), 'RangeError', RANGE, 'domain.mu');
  });
});
