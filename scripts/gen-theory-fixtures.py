#!/usr/bin/env python3
"""Reference values for the theory module (lib/theory), computed with mpmath at 50 digits.

Writes test/fixtures/theory-*.json. Reproducible: fixed grids and a fixed random seed; run

    python3 scripts/gen-theory-fixtures.py

from the repository root (needs mpmath). Every input is a double, used exactly (mpf(float) is
exact); products such as mu*omega are formed exactly in mpmath. Outputs are stored as the nearest
doubles (Python's float repr round-trips).

The map is evaluated from the paper's formulas (Klambauer et al. 2017, Eq. 4 and 5, docs/THEORY.md)
as printed (the variance second - mean^2 at whatever precision it needs to settle); the Jacobian by
mpmath's numerical differentiation (mp.diff, at raised precision) of those formulas, independently
of the closed forms lib/theory uses. The script asserts that the two agree (and uses the closed
forms, so verified, only for nu*tau > 1e6, where mp.diff's step is too small), and that the formulas
agree with direct numerical integration of selu(z) and selu(z)^2 over the Gaussian (mp.quad).
"""

import json
import math
import os
import random
import sys

import mpmath as mp

mp.mp.dps = 50

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
OUT = os.path.join(ROOT, 'test', 'fixtures')

# --- the SELU constants --------------------------------------------------------------------------

ALPHA01 = -mp.sqrt(2 / mp.pi) / (mp.erfc(1 / mp.sqrt(2)) * mp.sqrt(mp.e) - 1)


def lambda_for_fixed_point_01(alpha):
    # mean 0: alpha = -P1/N1 (the closed form above); variance 1: lambda^2 (P2 + alpha^2 N2) = 1
    P2, N2 = mp.mpf(1) / 2, truncated(0, 1)[3]
    return 1 / mp.sqrt(P2 + alpha ** 2 * N2)


# --- the paper's map, as printed -----------------------------------------------------------------

def paper_moments(m, v, a, l):
    """E[selu(z)], E[selu(z)^2] for z ~ N(m, v), docs/THEORY.md verbatim."""
    m, v, a, l = mp.mpf(m), mp.mpf(v), mp.mpf(a), mp.mpf(l)
    s = mp.sqrt(2 * v)

    def exp_erfc(a, t):  # e^a erfc(t); for huge t (v > 1e10) through erfcx, as mpmath's erfc cannot take it
        return mp.exp(a) * mp.erfc(t) if t < 10 ** 5 else mp.exp(-m ** 2 / (2 * v)) * ref_erfcx(t)
    e0 = exp_erfc(0, m / s)
    e1 = exp_erfc(m + v / 2, (m + v) / s)
    e2 = exp_erfc(2 * (m + v), (m + 2 * v) / s)
    g = mp.sqrt(2 / mp.pi) * mp.sqrt(v) * mp.exp(-m ** 2 / (2 * v))
    mean = l / 2 * (-(a + m) * e0 + a * e1 + g + 2 * m)
    second = l ** 2 / 2 * ((m ** 2 + v) * (2 - e0) + a ** 2 * (-2 * e1 + e2 + e0) + m * g)
    return mean, second


def truncated(m, v):
    """P(z>0), F1, F2, N2, P1 for z ~ N(m, v) (the pieces lib/theory/moments.ts uses)."""
    m, v = mp.mpf(m), mp.mpf(v)
    s = mp.sqrt(2 * v)
    pPos = mp.erfc(-m / s) / 2
    pNeg = mp.erfc(m / s) / 2
    E = mp.exp(-m ** 2 / (2 * v))
    F1 = E * ref_erfcx((m + v) / s) / 2
    F2 = E * ref_erfcx((m + 2 * v) / s) / 2
    N2 = F2 - 2 * F1 + pNeg
    P1 = m * pPos + mp.sqrt(v / (2 * mp.pi)) * mp.exp(-m ** 2 / (2 * v))
    return pPos, F1, F2, N2, P1


def closed_form_derivatives(m, v, a, l):
    """d mean/dm, d mean/dv, d second/dm, d second/dv: the closed forms of lib/theory/moments.ts."""
    m, v, a, l = mp.mpf(m), mp.mpf(v), mp.mpf(a), mp.mpf(l)
    pPos, F1, F2, _, P1 = truncated(m, v)
    dens0 = mp.exp(-m ** 2 / (2 * v)) / mp.sqrt(2 * mp.pi * v)
    return (l * (pPos + a * F1), l / 2 * (a * F1 + (1 - a) * dens0),
            2 * l ** 2 * (P1 + a ** 2 * (F2 - F1)), l ** 2 * (pPos + a ** 2 * (2 * F2 - F1)))


def selu(z, a, l):
    a, l = mp.mpf(a), mp.mpf(l)
    return l * z if z > 0 else l * a * mp.expm1(z)


def quad_moments(m, v, a, l):
    m, v = mp.mpf(m), mp.mpf(v)
    sd = mp.sqrt(v)
    pdf = lambda z: mp.exp(-(z - m) ** 2 / (2 * v)) / mp.sqrt(2 * mp.pi * v)
    pts = sorted({m - 60 * sd, m - 8 * sd, m, m + 8 * sd, m + 60 * sd} | ({mp.mpf(0)} if abs(m) < 60 * sd else set()))
    pts = [-mp.inf] + pts + [mp.inf]
    mean = mp.quad(lambda z: selu(z, a, l) * pdf(z), pts)
    second = mp.quad(lambda z: selu(z, a, l) ** 2 * pdf(z), pts)
    return mean, second


def close(x, y, rel, what, floor=mp.mpf(10) ** -40):
    if abs(x - y) > rel * max(abs(x), abs(y), floor):
        raise AssertionError(f'{what}: {mp.nstr(x, 30)} != {mp.nstr(y, 30)}')


def exact_variance(m, v, a, l):
    """second - mean^2 cancels to any depth (|m| >> sqrt(v)): raise the precision until it is stable."""
    previous = None
    for dps in (60, 120, 240, 480, 960):
        with mp.workdps(dps):
            mean, second = paper_moments(m, v, a, l)
            variance = second - mean ** 2
        if previous is not None and abs(variance - previous) <= mp.mpf(10) ** -25 * abs(variance):
            return variance
        previous = variance
    raise AssertionError(f'variance at {m, v} does not settle')


def map_point(mu, omega, nu, tau, a, l):
    """Mean, second moment, variance and the Jacobian of (mu, nu) -> (mean, variance)."""
    m = mp.mpf(mu) * mp.mpf(omega)
    v = mp.mpf(nu) * mp.mpf(tau)
    mean, second = paper_moments(m, v, a, l)
    variance = exact_variance(m, v, a, l)

    def f_mean(x, y):
        return paper_moments(x * mp.mpf(omega), y * mp.mpf(tau), a, l)[0]

    def f_var(x, y):
        me, se = paper_moments(x * mp.mpf(omega), y * mp.mpf(tau), a, l)
        return se - me ** 2

    mu_, nu_ = mp.mpf(mu), mp.mpf(nu)
    jac = [[mp.diff(f_mean, (mu_, nu_), (1, 0)), mp.diff(f_mean, (mu_, nu_), (0, 1))],
           [mp.diff(f_var, (mu_, nu_), (1, 0)), mp.diff(f_var, (mu_, nu_), (0, 1))]]
    # the closed forms must agree with the numerical derivatives of the printed formulas
    dmm, dmv, dsm, dsv = closed_form_derivatives(m, v, a, l)
    om, ta = mp.mpf(omega), mp.mpf(tau)
    cf = [[om * dmm, ta * dmv], [om * (dsm - 2 * mean * dmm), ta * (dsv - 2 * mean * dmv)]]
    if v > 10 ** 6:  # mp.diff's absolute step is below the resolution of the map there
        return mean, second, variance, cf
    scale_ = max(abs(mp.mpf(1)), abs(m), v)
    for i in range(2):
        for j in range(2):
            if abs(jac[i][j] - cf[i][j]) > mp.mpf(10) ** -25 * scale_ * max(1, abs(om), abs(ta)):
                raise AssertionError(f'Jacobian closed form at {mu, omega, nu, tau, a, l} [{i}][{j}]: '
                                     f'{mp.nstr(jac[i][j], 30)} vs {mp.nstr(cf[i][j], 30)}')
    return mean, second, variance, jac


def spectral_norm(j):
    a, b, c, d = j[0][0], j[0][1], j[1][0], j[1][1]
    return (mp.sqrt((a + d) ** 2 + (c - b) ** 2) + mp.sqrt((a - d) ** 2 + (b + c) ** 2)) / 2


def f(x):
    return float(x)


def write(name, data):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name)
    with open(path, 'w') as fh:
        json.dump(data, fh, indent=1)
        fh.write('\n')
    print(f'wrote {os.path.relpath(path, ROOT)}')


# --- erfcx ---------------------------------------------------------------------------------------

def ref_erfcx(x):
    x = mp.mpf(x)
    if x > 10 ** 6:  # asymptotic series (mpmath's erfc cannot take huge arguments)
        s, term = mp.mpf(0), mp.mpf(1)
        for n in range(12):
            s += term
            term *= -(2 * n + 1) / (2 * x * x)
        return s / (x * mp.sqrt(mp.pi))
    return mp.erfc(x) * mp.exp(x * x)


def gen_erfcx(rng):
    xs = [-26.5, -20.0, -10.0, -5.0, -1.0, -0.5, -0.46875, -0.3, -1e-5, 0.0, 1e-300, 1e-10, 0.1, 0.3,
          0.46875, 0.4688, 0.5, 1.0, 2.0, 3.99, 4.0, 4.01, 5.0, 10.0, 26.0, 30.0, 100.0, 1e3, 1e5,
          6.7e7, 6.72e7, 1e8, 1e15, 1e200, 1e300]
    xs += [rng.uniform(-26, 30) for _ in range(150)]
    xs += [10 ** rng.uniform(-3, 3) for _ in range(100)]
    return {'x': xs, 'erfcx': [f(ref_erfcx(x)) for x in xs],
            'erfc': [f(mp.erfc(x)) if abs(x) < 1e6 else (0.0 if x > 0 else 2.0) for x in xs]}


# --- the map -------------------------------------------------------------------------------------

def gen_map(rng, alpha, scale):
    params = [None, None, (1.0, 1.0), (2.5, 0.9), (1.2, 1.3), (0.5, 2.0)]
    omegas = [1.0, 0.5, -1.0, 2.0, 0.25, -0.5, 4.0]
    taus = [1.0, 2.0, 0.5, 0.25, 4.0]
    ms = [-3, -2.5, -2, -1.5, -1, -0.5, -0.25, -0.1, -0.01, 0, 0.01, 0.1, 0.25, 0.5, 1, 1.5, 2, 2.5, 3]
    vs = [1e-4] + [float(mp.mpf(10) ** (-4 + k * (mp.log10(500) + 4) / 12)) for k in range(1, 12)] + [500.0]
    raw = []
    i = 0
    for m in ms:
        for v in vs:
            om, ta = omegas[i % len(omegas)], taus[(i // 3) % len(taus)]
            raw.append((m / om, om, v / ta, ta, params[i % len(params)]))
            i += 1
    for k in range(80):
        m = rng.uniform(-3, 3)
        v = 10 ** rng.uniform(-4, math.log10(500))
        om = rng.uniform(0.3, 2) * rng.choice([-1, 1])
        ta = rng.uniform(0.5, 2)
        raw.append((m / om, om, v / ta, ta, params[k % len(params)]))
    for mu in (-2.0, 0.0, 1.5):  # omega = 0: mu drops out
        raw.append((mu, 0.0, 1.0, 1.0, None))
    raw.append((0.0, 0.0, 1.0, 1.0, None))  # the paper's point
    points = []
    for mu, om, nu, ta, p in raw:
        a, l = (alpha, scale) if p is None else p
        mean, second, variance, jac = map_point(mu, om, nu, ta, a, l)
        point = {'mu': mu, 'omega': om, 'nu': nu, 'tau': ta}
        if p is not None:
            point['alpha'], point['scale'] = a, l
        points.append({'p': point, 'mean': f(mean), 'secondMoment': f(second), 'variance': f(variance),
                       'jacobian': [[f(jac[0][0]), f(jac[0][1])], [f(jac[1][0]), f(jac[1][1])]],
                       'spectralNorm': f(spectral_norm(jac))})
    return points


def gen_extreme(alpha, scale):
    """Beyond the contract's domain (v up to 1e300, v down to 1e-12, |m| up to 100)."""
    cases = [(m, v) for m in (-3.0, 0.0, 3.0) for v in (1e3, 1e4, 1e8, 1e100, 1e300)]
    cases += [(m, v) for m in (-3.0, -0.5, 0.0, 1e-7, 0.5, 3.0) for v in (1e-8, 1e-12)]
    cases += [(100.0, 1e-4), (-100.0, 1e-4), (-50.0, 1e3), (30.0, 1e4), (-30.0, 3.0), (-700.0, 1.0)]
    points = []
    for m, v in cases:
        mean, second, variance, jac = map_point(m, 1.0, v, 1.0, alpha, scale)
        points.append({'p': {'mu': m, 'omega': 1.0, 'nu': v, 'tau': 1.0}, 'mean': f(mean), 'secondMoment': f(second),
                       'variance': f(variance),
                       'jacobian': [[f(jac[0][0]), f(jac[0][1])], [f(jac[1][0]), f(jac[1][1])]]})
    return points


def gen_quad(alpha, scale):
    checks = []
    for m, v, a, l in [(0, 1, alpha, scale), (-1.25, 0.5, alpha, scale), (2.0, 3.0, alpha, scale),
                       (0.3, 1e-4, alpha, scale), (-2.5, 40.0, 1.2, 1.3), (1.0, 500.0, alpha, scale)]:
        qm, qs = quad_moments(m, v, a, l)
        pm, ps = paper_moments(m, v, a, l)
        close(qm, pm, mp.mpf(10) ** -30, f'quad mean at {m, v}', floor=1 + abs(mp.mpf(m)) + mp.sqrt(v))
        close(qs, ps, mp.mpf(10) ** -30, f'quad second moment at {m, v}')
        p = {'mu': float(m), 'omega': 1.0, 'nu': float(v), 'tau': 1.0}
        if (a, l) != (alpha, scale):
            p['alpha'], p['scale'] = a, l
        checks.append({'p': p, 'mean': f(qm), 'secondMoment': f(qs)})
    return checks


# --- fixed points, parameters, contraction -------------------------------------------------------

def fixed_point(omega, tau, a, l, start=(0, 1)):
    def g(mu, nu):
        mean, second = paper_moments(mu * omega, nu * tau, a, l)
        return mean - mu, second - mean ** 2 - nu
    mu, nu = mp.findroot(g, (mp.mpf(start[0]), mp.mpf(start[1])))
    _, _, _, jac = map_point_mp(mu, omega, nu, tau, a, l)
    return mu, nu, spectral_norm(jac)


def map_point_mp(mu, omega, nu, tau, a, l):
    m, v = mu * omega, nu * tau
    mean, second = paper_moments(m, v, a, l)
    dmm, dmv, dsm, dsv = closed_form_derivatives(m, v, a, l)
    jac = [[omega * dmm, tau * dmv], [omega * (dsm - 2 * mean * dmm), tau * (dsv - 2 * mean * dmv)]]
    return mean, second, second - mean ** 2, jac


def solve_parameters(mean, variance):
    m, v = mp.mpf(mean), mp.mpf(variance)

    def r(a, l):
        me, se = paper_moments(m, v, a, l)
        return me - m, se - me ** 2 - v
    a, l = mp.findroot(r, (mp.mpf('1.67'), mp.mpf('1.05')))
    return a, l


def gen_solutions(alpha, scale):
    fixed = []
    for om, ta, a, l in [(0.0, 1.0, alpha, scale), (0.0, 1.1, alpha, scale), (0.05, 1.0, alpha, scale),
                         (-0.1, 0.95, alpha, scale), (0.0, 1.0, 1.5, 1.1), (0.1, 1.05, 1.8, 1.0)]:
        mu, nu, sn = fixed_point(mp.mpf(om), mp.mpf(ta), mp.mpf(a), mp.mpf(l))
        fixed.append({'omega': om, 'tau': ta, 'alpha': a, 'scale': l, 'mu': f(mu), 'nu': f(nu), 'spectralNorm': f(sn)})
    params = []
    for mean, variance in [(0.0, 1.0), (0.0, 0.5), (0.0, 2.0), (0.1, 1.0), (-0.1, 1.0), (0.2, 0.8), (-0.5, 1.5),
                           (0.0, 1e-3), (0.05, 10.0)]:
        a, l = solve_parameters(mean, variance)
        # the solution reproduces the target
        me, se = paper_moments(mean, variance, a, l)
        close(me + 1, mp.mpf(mean) + 1, mp.mpf(10) ** -40, 'solution mean')
        close(se - me ** 2, mp.mpf(variance), mp.mpf(10) ** -40, 'solution variance')
        params.append({'mean': mean, 'variance': variance, 'alpha': f(a), 'scale': f(l)})
    return fixed, params


def gen_contraction(alpha, scale, steps=4):
    dom = {'mu': [-0.1, 0.1], 'omega': [-0.1, 0.1], 'nu': [0.8, 1.5], 'tau': [0.95, 1.1]}
    grid = lambda lo, hi: [mp.mpf(lo) + (mp.mpf(hi) - mp.mpf(lo)) * k / (steps - 1) for k in range(steps)]
    best, at = mp.mpf(-1), None
    for mu in grid(*dom['mu']):
        for om in grid(*dom['omega']):
            for nu in grid(*dom['nu']):
                for ta in grid(*dom['tau']):
                    _, _, _, jac = map_point_mp(mu, om, nu, ta, mp.mpf(alpha), mp.mpf(scale))
                    sn = spectral_norm(jac)
                    if sn > best:
                        best, at = sn, (mu, om, nu, ta)
    return {'domain': dom, 'steps': steps, 'maxSpectralNorm': f(best),
            'at': {'mu': f(at[0]), 'omega': f(at[1]), 'nu': f(at[2]), 'tau': f(at[3])}}


def gen_dropout(alpha, scale):
    out = []
    ap = -mp.mpf(alpha) * mp.mpf(scale)
    for rate, mean, variance in [(0.1, 0, 1), (0.05, 0, 1), (0.5, 0, 1), (0.9, 0, 1), (0.2, 0.1, 0.9), (0.3, -0.5, 2)]:
        q = 1 - mp.mpf(rate)
        mu, nu = mp.mpf(mean), mp.mpf(variance)
        a = mp.sqrt(nu / (q * ((1 - q) * (ap - mu) ** 2 + nu)))
        b = mu - a * (q * mu + (1 - q) * ap)
        out.append({'rate': rate, 'mean': mean, 'variance': variance, 'a': f(a), 'b': f(b), 'droppedValue': f(a * ap + b)})
    return out


def main():
    rng = random.Random(20170608)  # fixed seed (the paper's arXiv date)
    alpha = ALPHA01
    scale = lambda_for_fixed_point_01(alpha)
    close(alpha, mp.mpf('1.6732632423543772848170429916717'), mp.mpf(10) ** -31, 'alpha01 (docs/CONSTANTS.md)')
    close(scale, mp.mpf('1.0507009873554804934193349852946'), mp.mpf(10) ** -31, 'lambda01 (docs/CONSTANTS.md)')
    # the pair solves E[selu(z)] = 0, Var[selu(z)] = 1 for z ~ N(0, 1)
    me, se = paper_moments(0, 1, alpha, scale)
    close(me + 1, mp.mpf(1), mp.mpf(10) ** -45, 'mean at (alpha01, lambda01)')
    close(se, mp.mpf(1), mp.mpf(10) ** -45, 'second moment at (alpha01, lambda01)')
    a64, l64 = float(alpha), float(scale)  # the doubles the library uses (nearest, as mpmath rounds to nearest)

    write('theory-constants.json', {
        'alpha01': mp.nstr(alpha, 40), 'lambda01': mp.nstr(scale, 40),
        'scaleAlpha01': mp.nstr(alpha * scale, 40),
        'alpha01Double': a64, 'lambda01Double': l64,
        # lambda01 and lambda01*alpha01 as double-double hi + lo (hi the nearest double, lo the nearest to the rest)
        'lambda01Hi': l64, 'lambda01Lo': f(scale - mp.mpf(l64)),
        'scaleAlpha01Hi': f(alpha * scale), 'scaleAlpha01Lo': f(alpha * scale - mp.mpf(f(alpha * scale))),
    })
    write('theory-erfcx.json', gen_erfcx(rng))
    quad = gen_quad(a64, l64)
    write('theory-map.json', {'points': gen_map(rng, a64, l64), 'extreme': gen_extreme(a64, l64), 'quad': quad})
    fixed, params = gen_solutions(a64, l64)
    write('theory-solutions.json', {'fixedPoints': fixed, 'parameters': params,
                                    'contraction': gen_contraction(a64, l64), 'dropout': gen_dropout(a64, l64)})


if __name__ == '__main__':
    sys.exit(main())
