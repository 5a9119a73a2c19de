#!/usr/bin/env python3
"""Reference values for tests/segregation: small hand-worked examples.

Standard library only; not run in CI. Each index is computed here from its paper's
formula, written independently of the C++ code (and, where the paper allows, in a
different but equivalent form: D as half the L1 distance of the two distributions,
Gini over all pairs, M as the entropy difference, the folded-normal mode by direct
root of its density's derivative). Run `python3 make_reference.py` and paste the printed
values into the tests; each test cites this file next to the numbers.
"""
import math

# ---------------------------------------------------------------------------------------
# Example S: single group, 5 units, one unit with no group member and one empty unit.
#   x = group counts, t = totals.
# ---------------------------------------------------------------------------------------
S_X = [10.0, 20.0, 5.0, 0.0, 0.0]
S_T = [50.0, 40.0, 60.0, 30.0, 0.0]


def single(x, t):
    n = len(x)
    y = [ti - xi for xi, ti in zip(x, t)]
    X, Y, T = sum(x), sum(y), sum(t)
    P = X / T
    out = {}
    # Duncan & Duncan (1955): D = 1/2 sum |x_i/X - y_i/Y|
    out["dissim"] = 0.5 * sum(abs(xi / X - yi / Y) for xi, yi in zip(x, y))
    # Massey & Denton (1988) Gini over all ordered pairs (empty units have weight 0)
    p = [xi / ti if ti > 0 else 0.0 for xi, ti in zip(x, t)]
    g = 0.0
    for i in range(n):
        for j in range(n):
            g += t[i] * t[j] * abs(p[i] - p[j])
    out["gini"] = g / (2 * T * T * P * (1 - P))

    # Theil's entropy index H
    def ent(q):
        e = 0.0
        for v in (q, 1 - q):
            if v > 0:
                e -= v * math.log(v)
        return e

    E = ent(P)
    out["entropy"] = sum(ti * (E - ent(pi)) for ti, pi in zip(t, p) if ti > 0) / (E * T)
    # Atkinson b = 0.5
    b = 0.5
    s = sum((1 - pi) ** (1 - b) * pi ** b * ti for pi, ti in zip(p, t) if ti > 0) / (P * T)
    out["atkinson"] = 1 - P / (1 - P) * abs(s) ** (1 / (1 - b))
    # Hong & Sadahiro (2014) concentration profile, PySAL's grid: 1000 points j/999, / 1000
    m = 1000
    grid = [j * (1.0 / (m - 1)) for j in range(m)]
    grid[-1] = 1.0
    below = above = 0.0
    for th in grid:
        v = sum(xi for xi, ti in zip(x, t) if ti > 0 and xi / ti >= th) / X
        if th < P:
            below += v
        else:
            above += v
    out["con_prof"] = (P - (below / m - above / m)) / (1 - P)
    # O'Sullivan & Wong (2007) min-max on the two distributions
    a = [xi / X for xi in x]
    c = [yi / Y for yi in y]
    out["min_max"] = 1 - sum(min(u, v) for u, v in zip(a, c)) / sum(max(u, v) for u, v in zip(a, c))
    # Bell (1954) / Massey & Denton exposure
    out["isolation"] = sum((xi / X) * (xi / ti) for xi, ti in zip(x, t) if ti > 0)
    out["interaction"] = sum((xi / X) * (yi / ti) for xi, yi, ti in zip(x, y, t) if ti > 0)
    out["correlation_r"] = (out["isolation"] - P) / (1 - P)
    # Allen et al. (2015) density-corrected D, n(theta) = argmax of the folded-normal density
    dc = 0.0
    for xi, yi in zip(x, y):
        p0, p1 = xi / X, yi / Y
        sig = math.sqrt(p1 * (1 - p1) / Y + p0 * (1 - p0) / X)
        if sig == 0:
            continue
        dc += sig * folded_mode(abs(p1 - p0) / sig)
    out["density_corrected_dissim"] = dc / 2
    return out


def folded_mode(theta):
    """argmax_z>=0 of phi(z - theta) + phi(z + theta), by bisection on its derivative.

    The derivative is proportional to g(z) = (theta - z) e^{-(z-theta)^2/2} - (z + theta) e^{-(z+theta)^2/2};
    g < 0 on z > 0 when theta <= 1 (mode at 0); otherwise g > 0 just right of 0 and g(theta) < 0.
    """
    if theta <= 1.0:
        return 0.0

    def g(z):
        return (theta - z) * math.exp(-0.5 * (z - theta) ** 2) - (z + theta) * math.exp(-0.5 * (z + theta) ** 2)

    lo, hi = 0.0, theta
    for _ in range(200):
        mid = (lo + hi) / 2
        if g(mid) > 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


# ---------------------------------------------------------------------------------------
# Example M: 3 groups, 4 units (one empty unit).
# ---------------------------------------------------------------------------------------
M_X = [
    [30.0, 10.0, 0.0],
    [5.0, 25.0, 10.0],
    [10.0, 10.0, 40.0],
    [0.0, 0.0, 0.0],
]


def multi(xs):
    n, K = len(xs), len(xs[0])
    t = [sum(r) for r in xs]
    T = sum(t)
    Xk = [sum(r[k] for r in xs) for k in range(K)]
    Pk = [v / T for v in Xk]
    I = sum(p * (1 - p) for p in Pk)
    E = -sum(p * math.log(p) for p in Pk)
    p = [[(r[k] / t[i] if t[i] > 0 else 0.0) for k in range(K)] for i, r in enumerate(xs)]
    out = {}
    out["multi_dissim"] = sum(t[i] * abs(p[i][k] - Pk[k]) for i in range(n) for k in range(K)) / (2 * T * I)
    out["multi_gini"] = sum(
        t[i] * t[j] * abs(p[i][k] - p[j][k]) for k in range(K) for i in range(n) for j in range(n)
    ) / (2 * T * T * I)
    out["multi_norm_exposure"] = (
        sum(t[i] * (p[i][k] - Pk[k]) ** 2 / (1 - Pk[k]) for i in range(n) for k in range(K)) / T
    )
    out["multi_info_theory"] = sum(
        t[i] * p[i][k] * math.log(p[i][k] / Pk[k]) for i in range(n) for k in range(K) if p[i][k] > 0
    ) / (T * E)
    out["multi_relative_diversity"] = sum(
        t[i] * (p[i][k] - Pk[k]) ** 2 for i in range(n) for k in range(K)
    ) / (T * I)
    out["multi_squared_coef_var"] = sum(
        t[i] * (p[i][k] - Pk[k]) ** 2 / (T * (K - 1) * Pk[k]) for i in range(n) for k in range(K)
    )
    out["multi_diversity"] = E
    out["multi_diversity_normalized"] = E / math.log(K)
    out["simpsons_concentration"] = sum(v * v for v in Pk)
    out["simpsons_interaction"] = I
    out["multi_divergence"] = sum(
        (t[i] / T) * sum(p[i][k] * math.log(p[i][k] / Pk[k]) for k in range(K) if p[i][k] > 0)
        for i in range(n)
    )
    # Local values (unit 3 is empty: undefined)
    out["lq"] = [[(p[i][k] / Pk[k]) if t[i] > 0 else None for k in range(K)] for i in range(n)]
    out["local_diversity"] = [
        (-sum(v * math.log(v) for v in p[i] if v > 0) if t[i] > 0 else None) for i in range(n)
    ]
    out["local_simpson_concentration"] = [(sum(v * v for v in p[i]) if t[i] > 0 else None) for i in range(n)]
    # Mutual information, as an entropy difference: M = E(groups) - sum_i (t_i/T) E(groups | i)
    def e(v):
        s = sum(v)
        return -sum(a / s * math.log(a / s) for a in v if a > 0) if s > 0 else 0.0

    out["mutual_m"] = E - sum(t[i] / T * e(xs[i]) for i in range(n) if t[i] > 0)
    out["mutual_h"] = out["mutual_m"] / E
    # Pairwise: exposure aP*b with t_i = sum of all groups; two-group D
    out["exposure"] = [
        [sum(xs[i][a] / Xk[a] * xs[i][b] / t[i] for i in range(n) if t[i] > 0) for b in range(K)] for a in range(K)
    ]
    out["pair_dissim"] = [
        [0.5 * sum(abs(xs[i][a] / Xk[a] - xs[i][b] / Xk[b]) for i in range(n)) for b in range(K)] for a in range(K)
    ]
    return out


def mutual_direct(xs):
    """M = sum p_ik ln(p_ik / (p_i p_k)) directly (Theil 1971; Mora & Ruiz-Castillo 2011)."""
    T = sum(sum(r) for r in xs)
    if T == 0:
        return 0.0
    rows = [sum(r) for r in xs]
    cols = [sum(r[k] for r in xs) for k in range(len(xs[0]))]
    m = 0.0
    for i, r in enumerate(xs):
        for k, v in enumerate(r):
            if v > 0:
                m += v / T * math.log(v * T / (rows[i] * cols[k]))
    return m


# Example W: 6 units in 2 districts, 3 groups; group families {0,1} and {2}.
W_X = [
    [40.0, 10.0, 5.0],
    [30.0, 20.0, 0.0],
    [10.0, 10.0, 30.0],
    [5.0, 40.0, 5.0],
    [0.0, 10.0, 50.0],
    [20.0, 20.0, 20.0],
]
W_DISTRICT = [0, 0, 0, 1, 1, 1]
W_FAMILY = [0, 0, 1]


def decomposition():
    total = mutual_direct(W_X)
    T = sum(sum(r) for r in W_X)
    # by districts
    between = mutual_direct([[sum(W_X[i][k] for i in range(6) if W_DISTRICT[i] == d) for k in range(3)] for d in (0, 1)])
    parts = []
    for d in (0, 1):
        sub = [W_X[i] for i in range(6) if W_DISTRICT[i] == d]
        parts.append((sum(sum(r) for r in sub) / T, mutual_direct(sub)))
    # by group families
    gbetween = mutual_direct([[sum(r[k] for k in range(3) if W_FAMILY[k] == f) for f in (0, 1)] for r in W_X])
    gparts = []
    for f in (0, 1):
        sub = [[r[k] for k in range(3) if W_FAMILY[k] == f] for r in W_X]
        gparts.append((sum(sum(r) for r in sub) / T, mutual_direct(sub)))
    return total, between, parts, gbetween, gparts


# ---------------------------------------------------------------------------------------
# Example R: exact expectations of the randomised corrections, by enumeration.
#   3 units of 2 people; group counts (2, 0, 1). A draw with no group member or no one
#   else has D = G = 0 (the convention of the C++ code for degenerate draws).
# ---------------------------------------------------------------------------------------
R_X = [2.0, 0.0, 1.0]
R_T = [2.0, 2.0, 2.0]


def d_or_zero(x, t):
    X, T = sum(x), sum(t)
    if X == 0 or X == T:
        return 0.0
    return single(x, t)["dissim"]


def g_or_zero(x, t):
    X, T = sum(x), sum(t)
    if X == 0 or X == T:
        return 0.0
    return single(x, t)["gini"]


def binom_pmf(n, k, p):
    return math.comb(n, k) * p ** k * (1 - p) ** (n - k)


def multinomial_outcomes(n, probs):
    """All (counts, probability) of Multinomial(n, probs)."""
    if len(probs) == 1:
        yield [n], 1.0
        return
    for k in range(n + 1):
        pk = binom_pmf(n, k, probs[0]) if probs[0] < 1 else (1.0 if k == n else 0.0)
        if pk == 0:
            continue
        rest = sum(probs[1:])
        sub = [q / rest for q in probs[1:]] if rest > 0 else [1.0 / len(probs[1:])] * len(probs[1:])
        for counts, q in multinomial_outcomes(n - k, sub):
            yield [k] + counts, pk * q


def randomised_expectations():
    P = sum(R_X) / sum(R_T)
    ed = ed2 = eg = eg2 = 0.0
    n = [int(v) for v in R_T]
    for a in range(n[0] + 1):
        for b in range(n[1] + 1):
            for c in range(n[2] + 1):
                w = binom_pmf(n[0], a, P) * binom_pmf(n[1], b, P) * binom_pmf(n[2], c, P)
                d = d_or_zero([a, b, c], R_T)
                g = g_or_zero([a, b, c], R_T)
                ed += w * d
                ed2 += w * d * d
                eg += w * g
                eg2 += w * g * g
    # bias correction: multinomial draws of each group over units
    y = [t - x for x, t in zip(R_X, R_T)]
    p0 = [v / sum(R_X) for v in R_X]
    p1 = [v / sum(y) for v in y]
    eb = eb2 = 0.0
    for s0, w0 in multinomial_outcomes(int(sum(R_X)), p0):
        for s1, w1 in multinomial_outcomes(int(sum(y)), p1):
            d = d_or_zero(s0, [u + v for u, v in zip(s0, s1)])
            eb += w0 * w1 * d
            eb2 += w0 * w1 * d * d
    return {
        "D": single(R_X, R_T)["dissim"],
        "G": single(R_X, R_T)["gini"],
        "E[D*]": ed,
        "sd(D*)": math.sqrt(ed2 - ed * ed),
        "E[G*]": eg,
        "sd(G*)": math.sqrt(eg2 - eg * eg),
        "E[D_b]": eb,
        "sd(D_b)": math.sqrt(eb2 - eb * eb),
    }


if __name__ == "__main__":
    print("# Example S")
    for k, v in single(S_X, S_T).items():
        print(f"{k} = {v!r}")
    print("# folded-normal modes")
    for th in (0.5, 1.0, 1.5, 2.0, 5.0):
        print(f"n({th}) = {folded_mode(th)!r}")
    print("# Example M")
    for k, v in multi(M_X).items():
        print(f"{k} = {v!r}")
    print("# Example W")
    total, between, parts, gbetween, gparts = decomposition()
    print(f"total = {total!r}")
    print(f"between_districts = {between!r}")
    for p, m in parts:
        print(f"  district p = {p!r}, M = {m!r}")
    print(f"between_families = {gbetween!r}")
    for p, m in gparts:
        print(f"  family p = {p!r}, M = {m!r}")
    print("# Example R (exact expectations under the null draws)")
    for k, v in randomised_expectations().items():
        print(f"{k} = {v!r}")
