/**
 * The numerical core of the theory module: E[selu(z)], E[selu(z)²], Var[selu(z)] and their
 * derivatives in the mean m and the variance v of z ~ N(m, v), for any finite m and v > 0.
 *
 * Notation: σ = √v, s = √(2v), h = √(v/2), t_k = (m + k·v)/s = t₀ + k·h, E = e^(−t₀²), and
 *   P(z>0) = ½erfc(−t₀),  P(z≤0) = ½erfc(t₀),  F_k = E[e^(kz); z ≤ 0] = ½e^(km + k²v/2)·erfc(t_k).
 * Since t_k² − t₀² = km + k²v/2, every e^(…)·erfc(…) product of docs/THEORY.md is ½E·erfcx(t_k):
 * nothing overflows however large v is. Where t_k < 0, erfc(t_k) = 2 − erfc(−t_k) gives
 * F_k = e^(km + k²v/2) − ½E·erfcx(−t_k) (the exponent is then negative).
 *
 * The paper's two moments are
 *   μ̃ = λ·(P₁ + α·N₁),  ξ̃ = λ²·(P₂ + α²·N₂), with
 *   P₁ = E[z; z>0] = m·P(z>0) + σφ,  P₂ = E[z²; z>0] = (m² + v)·P(z>0) + m·σφ  (σφ = σ·E/√(2π)),
 *   N₁ = E[eᶻ − 1; z≤0] = F₁ − P(z≤0),  N₂ = E[(eᶻ − 1)²; z≤0] = F₂ − 2F₁ + P(z≤0).
 * This is docs/THEORY.md regrouped (test/theory-map.test.ts checks it against mpmath at 50 digits).
 *
 * Cancellation. N₁ and N₂ are first and second differences of ½E·erfcx(t) with step h: for small v
 * (h ≪ 1) they are O(σ) and O(v) while their terms are O(1), so computing them term by term loses
 * a factor 1/h and 1/h² (2·10⁴ at v = 10⁻⁴). Where that matters (h ≤ 0.5, −2 ≤ t ≤ 2.5) they are
 * computed instead from the Taylor series of erfcx about the middle point, with the derivatives from
 * the recurrence y⁽ⁿ⁺¹⁾ = 2t·y⁽ⁿ⁾ + 2n·y⁽ⁿ⁻¹⁾ (y' = 2ty − 2/√π, the differential equation of erfcx):
 *   erfcx(c + d) − erfcx(c − d) = 2 Σ_{n odd} dⁿ/n!·y⁽ⁿ⁾(c),
 *   erfcx(c + h) − 2erfcx(c) + erfcx(c − h) = 2 Σ_{n even ≥ 2} hⁿ/n!·y⁽ⁿ⁾(c).
 * Elsewhere the differences are taken directly, grouped so that the exponential parts go through
 * expm1 (for t₀ ≪ 0, N₁ → expm1(m + v/2), N₂ → expm1(m + v/2)² + e^(2m+v)·expm1(v)).
 *
 * The variance ξ̃ − μ̃² cancels when |m| ≫ σ (it is O(v), ξ̃ is O(m²)); there it is computed as
 * E[(selu(z) − c)²] − (μ̃ − c)² with c = selu(m), E[(selu(z) − c)²] a sum of non-negative terms.
 *
 * Derivatives (by differentiating under the expectation, and ∂/∂v E[f(z)] = ½E[f''(z)] for the
 * Gaussian; selu' jumps by λ(1 − α) at 0, so selu'' has a delta there, which contributes
 * λ(1 − α) times the density of z at 0):
 *   ∂μ̃/∂m = λ·(P(z>0) + α·F₁),        ∂μ̃/∂v = ½λ·(α·F₁ + (1 − α)·φ₀),  φ₀ = E/√(2πv),
 *   ∂ξ̃/∂m = 2λ²·(P₁ + α²·(F₂ − F₁)),   ∂ξ̃/∂v = λ²·(P(z>0) + α²·(2F₂ − F₁)).
 */
import { erfcx } from './erfcx';

export interface SeluGaussianMoments {
  /** E[selu(z)] */
  mean: number;
  /** E[selu(z)²] */
  second: number;
  /** Var[selu(z)] (≥ 0) */
  variance: number;
  dMeanDm: number;
  dMeanDv: number;
  dSecondDm: number;
  dSecondDv: number;
}

const INV_SQRT_2PI = 0.3989422804014326779399461; // 1/√(2π)
const TWO_INV_SQRT_PI = 1.1283791670955125738961589; // 2/√π

/** Series are used for step h ≤ H_SERIES and a middle point C_LOW ≤ c ≤ C_HIGH (see the header). */
const H_SERIES = 0.5;
const C_LOW = -2;
const C_HIGH = 2.5;

function inSeriesRange(c: number): boolean {
  return c >= C_LOW && c <= C_HIGH;
}

/**
 * erfcx(c + d) − erfcx(c − d) (odd = true) or erfcx(c + d) − 2·erfcx(c) + erfcx(c − d) (odd = false)
 * from the Taylor series about c. For |c| ≤ 2.5, d ≤ 0.5 the terms fall off fast (≤ 40 of them).
 */
export function erfcxDifference(c: number, d: number, odd: boolean): number {
  let yPrev = erfcx(c); // y⁽ⁿ⁻¹⁾
  let y = 2 * c * yPrev - TWO_INV_SQRT_PI; // y⁽ⁿ⁾, n = 1
  let power = d; // dⁿ/n!
  let sum = 0;
  for (let n = 1; n <= 80; n++) {
    if ((n & 1) === (odd ? 1 : 0)) {
      const term = power * y;
      sum += term;
      if (Math.abs(term) <= 1e-17 * Math.abs(sum) && n > 2) break;
    }
    const next = 2 * c * y + 2 * n * yPrev;
    yPrev = y;
    y = next;
    power *= d / (n + 1);
  }
  return 2 * sum;
}

/**
 * The truncated-Gaussian pieces for z ~ N(m, v), which do not depend on α and λ:
 * P₁, P₂, N₁, N₂ of the header, P(z > 0), P(z ≤ 0), F₁, F₂, F₂ − F₁ (D21), σφ and the density at 0.
 */
export interface GaussianPieces {
  t0: number; t1: number; t2: number; E: number;
  pPos: number; pNeg: number; sigmaPhi: number; density0: number;
  P1: number; P2: number; N1: number; N2: number; F1: number; F2: number; D21: number;
}

/** The α, λ-free pieces (see {@link GaussianPieces}); m finite, v > 0 finite. */
export function gaussianPieces(m: number, v: number): GaussianPieces {
  const sigma = Math.sqrt(v);
  const s = Math.sqrt(2 * v);
  const h = Math.sqrt(0.5 * v);
  const t0 = m / s;
  const t1 = (m + v) / s;
  const t2 = (m + 2 * v) / s;
  const E = Math.exp(-t0 * t0);
  const halfE = 0.5 * E;

  // P(z > 0) and P(z ≤ 0), the smaller one from erfcx.
  let pPos: number;
  let pNeg: number;
  if (t0 >= 0) {
    pNeg = halfE * erfcx(t0);
    pPos = 1 - pNeg;
  } else {
    pPos = halfE * erfcx(-t0);
    pNeg = 1 - pPos;
  }
  const sigmaPhi = sigma * E * INV_SQRT_2PI; // σ·φ(m/σ)
  const density0 = (E * INV_SQRT_2PI) / sigma; // density of z at 0

  const P1 = m * pPos + sigmaPhi;
  const P2 = pPos === 0 ? 0 : (m * m + v) * pPos + m * sigmaPhi;

  // F_k = E[e^(kz); z ≤ 0]; the exponent of the reflected branch is k(m + kv/2) < 0 when t_k < 0.
  const F1 = t1 >= 0 ? halfE * erfcx(t1) : Math.exp(m + 0.5 * v) - halfE * erfcx(-t1);
  const F2 = t2 >= 0 ? halfE * erfcx(t2) : Math.exp(2 * m + 2 * v) - halfE * erfcx(-t2);

  // N1 = F1 − P(z ≤ 0), N2 = F2 − 2F1 + P(z ≤ 0), D21 = F2 − F1, each without cancellation.
  const small = h <= H_SERIES;
  let N1: number;
  let N2: number;
  let D21: number;
  if (small && inSeriesRange(t0 + 0.5 * h)) {
    N1 = halfE * erfcxDifference(t0 + 0.5 * h, 0.5 * h, true);
  } else if (t1 < 0) {
    N1 = Math.expm1(m + 0.5 * v) - halfE * (erfcx(-t1) - erfcx(-t0));
  } else if (t0 >= 0) {
    N1 = halfE * (erfcx(t1) - erfcx(t0));
  } else {
    N1 = F1 - pNeg;
  }
  if (small && inSeriesRange(t1)) {
    N2 = halfE * erfcxDifference(t1, h, false);
  } else if (t2 < 0) {
    // E[(eᶻ − 1)²] over the whole line, less the part above 0.
    const a = Math.expm1(m + 0.5 * v);
    const whole = a * a + (v < 1 ? Math.exp(2 * m + v) * Math.expm1(v) : Math.exp(2 * m + 2 * v) - Math.exp(2 * m + v));
    N2 = whole - halfE * (erfcx(-t2) - 2 * erfcx(-t1) + erfcx(-t0));
  } else if (t0 >= 0) {
    N2 = halfE * (erfcx(t2) - 2 * erfcx(t1) + erfcx(t0));
  } else {
    N2 = F2 - 2 * F1 + pNeg;
  }
  if (small && inSeriesRange(t1 + 0.5 * h)) {
    D21 = halfE * erfcxDifference(t1 + 0.5 * h, 0.5 * h, true);
  } else if (t2 < 0) {
    D21 = Math.exp(m + 0.5 * v) * Math.expm1(m + 1.5 * v) - halfE * (erfcx(-t2) - erfcx(-t1));
  } else if (t1 >= 0) {
    D21 = halfE * (erfcx(t2) - erfcx(t1));
  } else {
    D21 = F2 - F1;
  }

  return { t0, t1, t2, E, pPos, pNeg, sigmaPhi, density0, P1, P2, N1, N2, F1, F2, D21 };
}

/** Moments of selu(z), z ~ N(m, v), with their derivatives. m finite, v > 0 finite. Non-finite only on overflow. */
export function seluGaussianMoments(m: number, v: number, alpha: number, scale: number): SeluGaussianMoments {
  const q = gaussianPieces(m, v);
  const { pPos, density0, P1, P2, N1, N2, F1, F2, D21 } = q;
  const lambda2 = scale * scale;
  const alpha2 = alpha * alpha;
  const mean = scale * (P1 + alpha * N1);
  const second = lambda2 * (P2 + alpha2 * N2);
  const variance = seluVariance(m, v, alpha, scale, q, mean, second);

  return {
    mean,
    second,
    variance,
    dMeanDm: scale * (pPos + alpha * F1),
    dMeanDv: 0.5 * scale * (alpha * F1 + (1 - alpha) * density0),
    dSecondDm: 2 * lambda2 * (P1 + alpha2 * D21),
    dSecondDv: lambda2 * (pPos + alpha2 * (F2 + D21)),
  };
}

/**
 * Var[selu(z)] = E[(selu(z) − c)²] − (μ̃ − c)² with c = selu(m), for m ≥ 0, and for m < 0 where
 * m is more than √2·σ below 0 and m + 2v < 0. Elsewhere ξ̃ − μ̃² loses at most a small factor
 * (ξ̃/ν̃ ≲ 1 + 2t₀²) and is used as it is.
 */
function seluVariance(m: number, v: number, alpha: number, scale: number, q: GaussianPieces, mean: number, second: number): number {
  const lambda2 = scale * scale;
  let variance: number;
  if (m >= 0) {
    // selu(z) − λm = λ(z − m) above 0, λ(α(eᶻ − 1) − m) below: every term below is ≥ 0.
    const spread = v * q.pPos - m * q.sigmaPhi + alpha * alpha * q.N2 - 2 * alpha * m * q.N1 + (q.pNeg === 0 ? 0 : m * m * q.pNeg);
    const shift = q.sigmaPhi - m * q.pNeg + alpha * q.N1; // (μ̃ − λm)/λ
    variance = lambda2 * (spread - shift * shift);
  } else if (q.t0 * q.t0 > 2 && q.t2 < 0) {
    // c = λα·expm1(m) = −λd: selu(z) − c = λ(z + d) above 0, λα(eᶻ − eᵐ) below.
    const d = -alpha * Math.expm1(m);
    const above = q.P2 + 2 * d * q.P1 + d * d * q.pPos;
    // E[(eᶻ − eᵐ)²; z ≤ 0] = E[(eᶻ − eᵐ)²] − E[(eᶻ − eᵐ)²; z > 0]
    // (the exponents m + v/2, 2m + v, 2m + 2v are < 0 here: nothing overflows for large v)
    const em = Math.exp(m);
    const ea = v < 1 ? em * Math.expm1(0.5 * v) : Math.exp(m + 0.5 * v) - em; // eᵐ(e^(v/2) − 1)
    const whole = ea * ea + (v < 1 ? Math.exp(2 * m + v) * Math.expm1(v) : Math.exp(2 * m + 2 * v) - Math.exp(2 * m + v));
    // Above 0 (t₀ < t₁ < t₂ < 0 here): E[e^(kz); z > 0] = ½E·erfcx(−t_k).
    const t1 = q.t1;
    const upper = 0.5 * q.E * (erfcx(-q.t2) - 2 * em * erfcx(-t1) + em * em * erfcx(-q.t0));
    const below = whole - upper;
    // (μ̃ − c)/λ = P₁ + α(N₁ − expm1(m)), N₁ − expm1(m) = eᵐ·expm1(v/2) − ½E(erfcx(−t₁) − erfcx(−t₀))
    const shift = q.P1 + alpha * (ea - 0.5 * q.E * (erfcx(-t1) - erfcx(-q.t0)));
    variance = lambda2 * (above + alpha * alpha * below - shift * shift);
  } else {
    variance = second - mean * mean;
  }
  return variance < 0 ? 0 : variance; // rounding can push a tiny variance below 0; NaN (overflow) stays NaN
}
