/** A grid search for the largest spectral norm of the map's Jacobian over a box. */
import { SELU_ALPHA, SELU_SCALE } from '../constants';
import { ErrorCode, rangeError } from '../errors';
import { jacobianAt, spectralNorm2x2 } from './jacobian';
import type { ContractionBound, ContractionBoundOptions, ContractionDomain } from './types';
import { finiteNumber, finiteResult, integerInRange, interval, optionalRecord, record } from './validate';

const DOMAIN_KEYS: ReadonlySet<string> = new Set(['mu', 'omega', 'nu', 'tau']);
const OPTION_KEYS: ReadonlySet<string> = new Set(['steps', 'alpha', 'scale']);
/** 100⁴ = 1e8 grid points, a few minutes: beyond that a call would block its thread for hours or days. */
const MAX_STEPS = 100;

/**
 * The largest spectral norm of the Jacobian of (μ, ν) ↦ (μ̃, ν̃) over an evenly spaced grid of
 * `steps` points per axis (both ends included; a degenerate interval [a, a] is one point) in the
 * box `domain`. A grid maximum below 1 is evidence, not a proof, that the map contracts on the box
 * (the paper bounds the norm between grid points with its derivatives); raise `steps` to look closer.
 * Cost: steps⁴ evaluations of about 2 µs each; `steps` is at most 100.
 */
export function contractionBound(domain: ContractionDomain, options?: ContractionBoundOptions): ContractionBound {
  const fn = 'theory.contractionBound';
  const d = record(fn, 'domain', domain, DOMAIN_KEYS);
  const mu = interval(fn, 'domain.mu', d.mu);
  const omega = interval(fn, 'domain.omega', d.omega);
  const nu = interval(fn, 'domain.nu', d.nu);
  const tau = interval(fn, 'domain.tau', d.tau);
  if (!(nu[0] > 0)) throw rangeError(fn, ErrorCode.OUT_OF_RANGE, 'domain.nu', `domain.nu must lie in (0, ∞) (ν·τ > 0 throughout), got [${nu[0]}, ${nu[1]}]`);
  if (!(tau[0] > 0)) throw rangeError(fn, ErrorCode.OUT_OF_RANGE, 'domain.tau', `domain.tau must lie in (0, ∞) (ν·τ > 0 throughout), got [${tau[0]}, ${tau[1]}]`);
  const o = optionalRecord(fn, 'options', options, OPTION_KEYS);
  const steps = integerInRange(fn, 'options.steps', o.steps, 2, MAX_STEPS, 8);
  const alpha = finiteNumber(fn, 'options.alpha', o.alpha, SELU_ALPHA);
  const scale = finiteNumber(fn, 'options.scale', o.scale, SELU_SCALE);
  const maxAbs = (r: readonly [number, number]) => Math.max(Math.abs(r[0]), Math.abs(r[1]));
  if (!Number.isFinite(maxAbs(mu) * maxAbs(omega))) {
    throw rangeError(fn, ErrorCode.OUT_OF_RANGE, 'domain.mu', 'domain.mu * domain.omega must be finite throughout the domain');
  }
  if (!Number.isFinite(nu[1] * tau[1])) throw rangeError(fn, ErrorCode.OUT_OF_RANGE, 'domain.nu', 'domain.nu * domain.tau must be finite throughout the domain');

  const gMu = grid(mu, steps);
  const gOmega = grid(omega, steps);
  const gNu = grid(nu, steps);
  const gTau = grid(tau, steps);
  let best = -Infinity;
  let at = { mu: gMu[0], omega: gOmega[0], nu: gNu[0], tau: gTau[0] };
  for (const x of gMu) {
    for (const w of gOmega) {
      for (const n of gNu) {
        for (const t of gTau) {
          const v = n * t;
          if (!(v > 0)) continue; // ν·τ underflow
          const sn = spectralNorm2x2(jacobianAt({ omega: w, tau: t, alpha, scale, m: x * w, v }));
          if (sn > best) {
            best = sn;
            at = { mu: x, omega: w, nu: n, tau: t };
          }
        }
      }
    }
  }
  finiteResult(fn, 'domain', 'the spectral norm', best);
  return { maxSpectralNorm: best, at: { ...at, alpha, scale } };
}

/** `steps` evenly spaced points from lo to hi, ends exact; one point when lo = hi. */
function grid([lo, hi]: readonly [number, number], steps: number): number[] {
  if (lo === hi) return [lo];
  const out: number[] = [];
  for (let k = 0; k < steps; k++) {
    const f = k / (steps - 1);
    out.push(k === steps - 1 ? hi : lo * (1 - f) + hi * f);
  }
  return out;
}
