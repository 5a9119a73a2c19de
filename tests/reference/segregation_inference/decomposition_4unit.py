#!/usr/bin/env python3
"""Reference values for tests/seg_inference/test_decomposition.cpp (Python stdlib only).

Re-implements, from PySAL segregation's definitions (inference/comparative.py and
decomposition/decompose_segregation.py), the counterfactual populations and the Shapley
decomposition of the dissimilarity index for two 4-unit cities, written out step by step.
pandas' rank(pct=True) is the average 1-based rank of ties divided by n; Series.quantile(q)
interpolates linearly at position (n - 1) q of the sorted values. Run: python3 decomposition_4unit.py
"""

A = [(10, 20), (0, 20), (5, 10), (15, 50)]   # city A: (group, total) per unit
B = [(2, 10), (8, 40), (20, 20), (0, 30)]    # city B


def dissim(rows):
    X = sum(x for x, t in rows)
    T = sum(t for x, t in rows)
    P = X / T
    return sum(t * abs(x / t - P) for x, t in rows if t > 0) / (2 * T * P * (1 - P))


def pct_rank(v):
    n = len(v)
    out = []
    for a in v:
        less = sum(1 for b in v if b < a)
        equal = sum(1 for b in v if b == a)
        out.append((less + (equal + 1) / 2) / n)  # average of ranks less+1 .. less+equal
    return out


def quantile(v, q):
    s = sorted(v)
    pos = (len(s) - 1) * q
    lo = int(pos // 1)
    if lo + 1 >= len(s):
        return s[-1]
    return s[lo] + (s[lo + 1] - s[lo]) * (pos - lo)


def ratio(num, den):
    return [a / b if b > 0 else 0.0 for a, b in zip(num, den)]


def counterfactual(a, b, approach):
    xa, ta = [x for x, t in a], [t for x, t in a]
    xb, tb = [x for x, t in b], [t for x, t in b]
    ya = [t - x for x, t in a]
    yb = [t - x for x, t in b]
    if approach == "composition":
        ca, cb = ratio(xa, ta), ratio(xb, tb)
        g = [quantile(cb, r) * t for r, t in zip(pct_rank(ca), ta)]
        return list(zip(g, ta))
    if approach == "dual_composition":
        ca, cb = ratio(xa, ta), ratio(xb, tb)
        da, db = ratio(ya, ta), ratio(yb, tb)
        g = [quantile(cb, r) * t for r, t in zip(pct_rank(ca), ta)]
        h = [quantile(db, r) * t for r, t in zip(pct_rank(da), ta)]
        return [(gi, gi + hi) for gi, hi in zip(g, h)]
    if approach == "share":
        sa = [x / sum(xa) for x in xa]
        sb = [x / sum(xb) for x in xb]
        qa = [quantile(sb, r) for r in pct_rank(sa)]
        g = [q / sum(qa) * sum(xa) for q in qa]
        ua = [y / sum(ya) for y in ya]
        ub = [y / sum(yb) for y in yb]
        qu = [quantile(ub, r) for r in pct_rank(ua)]
        h = [q / sum(qu) * sum(ya) for q in qu]
        return [(gi, gi + hi) for gi, hi in zip(g, h)]
    raise ValueError(approach)


for approach in ["composition", "share", "dual_composition"]:
    cfa = counterfactual(A, B, approach)
    cfb = counterfactual(B, A, approach)
    s1a1, s2a2 = dissim(A), dissim(B)
    s1a2, s2a1 = dissim(cfa), dissim(cfb)
    cs = 0.5 * (s1a1 - s2a1 + s1a2 - s2a2)
    ca = 0.5 * (s1a1 - s1a2 + s2a1 - s2a2)
    print(approach)
    print("  counterfactual A:", [(repr(g), repr(t)) for g, t in cfa])
    print("  counterfactual B:", [(repr(g), repr(t)) for g, t in cfb])
    print("  s1_a1 %r s1_a2 %r s2_a1 %r s2_a2 %r" % (s1a1, s1a2, s2a1, s2a2))
    print("  spatial %r attribute %r" % (cs, ca))
