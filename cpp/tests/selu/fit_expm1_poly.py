#!/usr/bin/env python3
"""Fits the polynomials of cpp/common/expm1_poly.h and prints that header's coefficient arrays.

The SIMD kernels reduce x to r = x - n*ln2 with |r| <= ln2/2 and then need
    q(r) = (expm1(r) - r) / r^2,   so that expm1(r) = r + r^2*q(r) and exp(r) = 1 + r + r^2*q(r).
q is smooth and close to 1/2 (0.44..0.57 on the interval), so its relative error is also the relative
error of the term r^2*q(r). We want the polynomial with coefficients *representable in the working
precision* that minimises max |p(r)/q(r) - 1|:

1. Weighted minimax by Lawson's algorithm (iteratively reweighted least squares) on a dense grid,
   in 45-digit arithmetic; with no constraint this converges to the Chebyshev (minimax) fit.
2. Rounding all coefficients of that fit at once loses a few bits (the r^1 coefficient's rounding
   alone costs 2^-28 for float32). So coefficients are fixed one at a time, lowest degree first:
   round c_k to the working precision, then refit c_{k+1}..c_d with c_0..c_k fixed, so the
   remaining free coefficients absorb the rounding errors of the fixed ones.

The interval is [-h, h] with h = ln2/2 * (1 + 1e-4): n = round(x*log2e) is computed in the working
precision, so |r| may exceed ln2/2 by about 1e-6 relative.

Degrees: float32 needs q to about 2^-27 (r^2*q(r) is at most ~0.2 of expm1's value and enters as a
correction, so this costs < 0.02 ulp); degree 5 reaches that, degree 4 only ~2^-23.
float64 needs about 2^-57; degree 10 reaches that, degree 9 only ~2^-52.

Usage: python3 cpp/tests/selu/fit_expm1_poly.py   (python3 with mpmath 1.3; a few minutes)
"""
import struct

import mpmath as mp

mp.mp.dps = 45
H = mp.log(2) / 2 * (1 + mp.mpf("1e-4"))
GRID = 401


def q(r):
    # Taylor series (exact to 60 digits for |r| < 0.35 with 45 terms); avoids cancellation near 0.
    total, term = mp.mpf(0), mp.mpf(1) / 2
    for k in range(45):
        total += term
        term = term * r / (k + 3)
    return total


def round_f32(v):
    return mp.mpf(struct.unpack("<f", struct.pack("<f", float(v)))[0])


def round_f64(v):
    return mp.mpf(float(v))


def lawson(points, powers, targets, weights, fixed, degree, lw, iterations=150):
    """Coefficients c_len(fixed)..c_degree minimising max weight*|sum c_k r^k - target| (Lawson).

    lw holds Lawson's point weights; it is updated in place so the next call starts from them."""
    free = list(range(len(fixed), degree + 1))
    m = len(free)
    resid = [t - mp.fdot(fixed, pw[:len(fixed)]) for t, pw in zip(targets, powers)]
    coeffs = None
    for _ in range(iterations):
        # Normal equations: entry (i, j) needs only the moment of order free[i] + free[j].
        moments = [mp.mpf(0)] * (2 * degree + 1)
        rhs = [mp.mpf(0)] * m
        for pw, y, w, v in zip(powers, resid, weights, lw):
            ww = v * w * w
            for order in range(2 * free[0], 2 * degree + 1):
                moments[order] += ww * pw[order]
            for i, k in enumerate(free):
                rhs[i] += ww * pw[k] * y
        ata = mp.matrix([[moments[a + b] for b in free] for a in free])
        sol = mp.lu_solve(ata, mp.matrix(rhs))
        coeffs = [sol[i] for i in range(m)]
        errs = [abs(w * (mp.fdot(coeffs, pw[free[0]:degree + 1]) - y)) for pw, y, w in zip(powers, resid, weights)]
        total = mp.fsum(v * e for v, e in zip(lw, errs))
        lw[:] = [v * e / total for v, e in zip(lw, errs)]
    return coeffs


def max_rel_error(coeffs, points, targets):
    return max(abs(mp.polyval(list(reversed(coeffs)), r) / t - 1) for r, t in zip(points, targets))


def fit(degree, rounder):
    # Chebyshev-distributed grid (denser at the ends, where the minimax error peaks).
    points = [H * mp.cos(mp.pi * (i + mp.mpf(1) / 2) / GRID) for i in range(GRID)] + [-H, H]
    powers = [[r ** k for k in range(2 * degree + 1)] for r in points]
    targets = [q(r) for r in points]
    weights = [1 / t for t in targets]
    lw = [mp.mpf(1) / len(points)] * len(points)
    fixed = []
    for _ in range(degree + 1):
        free = lawson(points, powers, targets, weights, fixed, degree, lw)
        fixed.append(rounder(free[0]))
    dense = [-H + 2 * H * i / 20000 for i in range(20001)]
    return fixed, max_rel_error(fixed, dense, [q(r) for r in dense])


def main():
    for name, degree, rounder, ctype, suffix in (("kExpm1QF32", 5, round_f32, "float", "f"),
                                                 ("kExpm1QF64", 10, round_f64, "double", "")):
        coeffs, worst = fit(degree, rounder)
        print(f"// Degree {degree}; max |p(r)/q(r) - 1| on [-h, h] with these rounded coefficients: "
              f"2^{mp.nstr(mp.log(worst, 2), 4)}")
        print(f"constexpr {ctype} {name}[{degree + 1}] = {{")
        for k, c in enumerate(coeffs):
            print(f"    {float(c).hex()}{suffix},  // r^{k}: {mp.nstr(c, 17)}")
        print("};")


if __name__ == "__main__":
    main()
