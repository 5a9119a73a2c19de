#!/usr/bin/env python3
"""Generate the ILLUSTRATIVE Shuhan Street Community dataset (data/shuhan/).

No surveyed data exists for 蜀汉街社区 (Jiangxijie subdistrict, Wuhou district, Chengdu),
so this script invents a realistic one that matches the totals published in the study
(see data/README.md and ../shared/context/README.md): 0.28 km², 32 courtyards,
7,460 registered + 4,600 temporary residents of 36 ethnic groups, 6 activity venues,
17 large work units, 12 liaison offices, 284 shops, 1 Party-service centre, 14 Party
branches (537 members). Geometry and every other attribute are invented.

Python 3 standard library only, deterministic (random.Random(20011)). Geometry is built in
local metres of UTM zone 48N (EPSG:32648) and converted to WGS 84 lon/lat with GDAL's
`gdaltransform`; `ogr2ogr` writes the XLSX table and `ogrinfo` (SQLite dialect, SpatiaLite)
re-checks the written files. Run from anywhere:  python3 data/generate_shuhan.py
"""
from __future__ import annotations

import csv
import json
import math
import re
import subprocess
import tempfile
from datetime import date
from pathlib import Path
import random

SEED = 20011
HERE = Path(__file__).resolve().parent
OUT = HERE / "shuhan"

# Local origin of the layout in EPSG:32648; (305, 250) local lies near 104.040°E 30.640°N.
E0, N0 = 407700.0, 3389850.0
TARGET_AREA = 280_000.0          # m², the study's 0.28 km²
TOTAL_REG, TOTAL_TMP = 7460, 4600
N_COURTYARDS = 32
N_BRANCHES, N_PARTY_MEMBERS = 14, 537
REFERENCE_DAY = date(2026, 11, 28)   # statuses of the micro-garden projects are as of this day

STREET_SETBACK = 12.0   # courtyards stay this far from street centre lines
BOUNDARY_MARGIN = 10.0  # ... and from the boundary (which follows street centre lines)

# ---------------------------------------------------------------------------------------------
# The 36 groups: key, zh, en, total residents (reg + tmp; Han gets the remainder), share of
# temporary residents (a weight; the 4,600 are apportioned exactly), colour.
# ---------------------------------------------------------------------------------------------
GROUPS = [
    ("han", "汉族", "Han", None, 0.36, "#9e9e9e"),
    ("tibetan", "藏族", "Tibetan", 2680, 0.45, "#c62828"),
    ("yi", "彝族", "Yi", 650, 0.50, "#f9a825"),
    ("qiang", "羌族", "Qiang", 470, 0.40, "#2e7d32"),
    ("hui", "回族", "Hui", 350, 0.30, "#00838f"),
    ("mongol", "蒙古族", "Mongol", 160, 0.35, "#1565c0"),
    ("manchu", "满族", "Manchu", 85, 0.30, "#6a1b9a"),
    ("miao", "苗族", "Miao", 70, 0.40, "#ef6c00"),
    ("tujia", "土家族", "Tujia", 62, 0.40, "#8d6e63"),
    ("zhuang", "壮族", "Zhuang", 44, 0.40, "#ad1457"),
    ("bai", "白族", "Bai", 38, 0.35, "#4e342e"),
    ("naxi", "纳西族", "Naxi", 30, 0.35, "#558b2f"),
    ("uyghur", "维吾尔族", "Uyghur", 26, 0.50, "#0277bd"),
    ("korean", "朝鲜族", "Korean", 18, 0.30, "#d81b60"),
    ("buyei", "布依族", "Buyei", 15, 0.40, "#7cb342"),
    ("dong", "侗族", "Dong", 13, 0.40, "#5e35b1"),
    ("yao", "瑶族", "Yao", 11, 0.40, "#fb8c00"),
    ("lisu", "傈僳族", "Lisu", 10, 0.40, "#00acc1"),
    ("dai", "傣族", "Dai", 9, 0.40, "#c0ca33"),
    ("hani", "哈尼族", "Hani", 8, 0.40, "#3949ab"),
    ("kazakh", "哈萨克族", "Kazakh", 7, 0.50, "#26a69a"),
    ("li", "黎族", "Li", 6, 0.40, "#ec407a"),
    ("pumi", "普米族", "Pumi", 6, 0.30, "#9ccc65"),
    ("lahu", "拉祜族", "Lahu", 5, 0.40, "#ab47bc"),
    ("tu", "土族", "Tu", 5, 0.40, "#ff7043"),
    ("va", "佤族", "Va", 4, 0.40, "#5d4037"),
    ("she", "畲族", "She", 4, 0.30, "#29b6f6"),
    ("dongxiang", "东乡族", "Dongxiang", 3, 0.30, "#827717"),
    ("gelao", "仡佬族", "Gelao", 3, 0.30, "#e91e63"),
    ("salar", "撒拉族", "Salar", 3, 0.30, "#004d40"),
    ("monba", "门巴族", "Monba", 3, 0.30, "#ff5252"),
    ("lhoba", "珞巴族", "Lhoba", 2, 0.30, "#b71c1c"),
    ("sui", "水族", "Sui", 2, 0.30, "#1a237e"),
    ("xibe", "锡伯族", "Xibe", 2, 0.30, "#ffca28"),
    ("nu", "怒族", "Nu", 1, 0.00, "#64dd17"),
    ("jingpo", "景颇族", "Jingpo", 1, 1.00, "#6d4c41"),
]
GROUP_KEYS = [g[0] for g in GROUPS]
# Groups that the study's setting ties to the Tibetan side (Aba, Ganzi, Tibet, Qinghai).
TIBET_SIDE = {"qiang", "monba", "lhoba", "tu", "pumi", "salar"}

# Streets (centre lines). The boundary follows the four streets around the block.
STREETS = {
    "south": ("高升桥东路", "Gaoshengqiao East Road"),
    "east": ("洗面桥街", "Ximianqiao Street"),
    "north": ("武侯祠大街", "Wuhouci Avenue"),
    "west": ("一环路西一段", "First Ring Road West Section 1"),
    "h1": ("洗面桥横街", "Ximianqiao Hengjie"),
    "h2": ("武侯祠横街", "Wuhouci Hengjie"),
    "shuhan": ("蜀汉路", "Shuhan Road"),
}


# ============================================================================ geometry helpers
def shoelace(ring):
    a = 0.0
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i]
        x2, y2 = ring[(i + 1) % n]
        a += x1 * y2 - x2 * y1
    return a / 2.0


def centroid(ring):
    a = shoelace(ring)
    cx = cy = 0.0
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i]
        x2, y2 = ring[(i + 1) % n]
        f = x1 * y2 - x2 * y1
        cx += (x1 + x2) * f
        cy += (y1 + y2) * f
    return (cx / (6 * a), cy / (6 * a))


def point_in_ring(p, ring):
    x, y = p
    inside = False
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i]
        x2, y2 = ring[(i + 1) % n]
        if (y1 > y) != (y2 > y):
            xi = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if xi > x:
                inside = not inside
    return inside


def dist_point_seg(p, a, b):
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    L2 = dx * dx + dy * dy
    t = 0.0 if L2 == 0 else max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / L2))
    qx, qy = ax + t * dx, ay + t * dy
    return math.hypot(p[0] - qx, p[1] - qy), (qx, qy), t


def dist_point_ring(p, ring):
    n = len(ring)
    return min(dist_point_seg(p, ring[i], ring[(i + 1) % n])[0] for i in range(n))


def dist_point_polyline(p, line):
    best = (float("inf"), None, -1, 0.0)
    for i in range(len(line) - 1):
        d, q, t = dist_point_seg(p, line[i], line[i + 1])
        if d < best[0]:
            best = (d, q, i, t)
    return best


def _orient(a, b, c):
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def segments_intersect(p1, p2, q1, q2):
    """True when the closed segments share any point."""
    d1, d2 = _orient(q1, q2, p1), _orient(q1, q2, p2)
    d3, d4 = _orient(p1, p2, q1), _orient(p1, p2, q2)
    if ((d1 > 0 and d2 < 0) or (d1 < 0 and d2 > 0)) and ((d3 > 0 and d4 < 0) or (d3 < 0 and d4 > 0)):
        return True

    def on(a, b, c):
        return min(a[0], b[0]) - 1e-9 <= c[0] <= max(a[0], b[0]) + 1e-9 and \
            min(a[1], b[1]) - 1e-9 <= c[1] <= max(a[1], b[1]) + 1e-9

    return (d1 == 0 and on(q1, q2, p1)) or (d2 == 0 and on(q1, q2, p2)) or \
        (d3 == 0 and on(p1, p2, q1)) or (d4 == 0 and on(p1, p2, q2))


def ring_edges(ring):
    return [(ring[i], ring[(i + 1) % len(ring)]) for i in range(len(ring))]


def ring_min_distance(a, b):
    """Minimum distance between two rings' boundaries (0 if they intersect)."""
    ea, eb = ring_edges(a), ring_edges(b)
    for p1, p2 in ea:
        for q1, q2 in eb:
            if segments_intersect(p1, p2, q1, q2):
                return 0.0
    d = min(dist_point_ring(p, b) for p in a)
    return min(d, min(dist_point_ring(p, a) for p in b))


def ring_inside(inner, outer, margin=0.0):
    """inner lies inside outer, at least `margin` from outer's boundary."""
    if not all(point_in_ring(p, outer) for p in inner):
        return False
    if any(point_in_ring(p, inner) for p in outer):
        return False
    return ring_min_distance(inner, outer) >= margin


def rings_disjoint(a, b, gap=0.0):
    if point_in_ring(a[0], b) or point_in_ring(b[0], a):
        return False
    return ring_min_distance(a, b) >= gap


def bbox(ring):
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    return (min(xs), min(ys), max(xs), max(ys))


def bbox_gap(a, b):
    return max(a[0] - b[2], b[0] - a[2], a[1] - b[3], b[1] - a[3])


def polyline_y_at(line, x):
    """y of an x-monotonic polyline at x (clamped at its ends)."""
    pts = sorted(line)
    if x <= pts[0][0]:
        return pts[0][1]
    for (x1, y1), (x2, y2) in zip(pts, pts[1:]):
        if x1 <= x <= x2:
            return y1 + (y2 - y1) * (x - x1) / (x2 - x1) if x2 != x1 else y1
    return pts[-1][1]


def polyline_x_at(line, y):
    flipped = [(p[1], p[0]) for p in line]
    return polyline_y_at(flipped, y)


def line_ring_intersections(a, b, ring):
    """Points where the infinite line a->b crosses the ring, sorted along a->b."""
    out = []
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ring_edges(ring):
        ex, ey = q[0] - p[0], q[1] - p[1]
        den = dx * ey - dy * ex
        if abs(den) < 1e-12:
            continue
        t = ((p[0] - a[0]) * ey - (p[1] - a[1]) * ex) / den
        u = ((p[0] - a[0]) * dy - (p[1] - a[1]) * dx) / den
        if 0.0 <= u < 1.0:
            out.append((t, (a[0] + t * dx, a[1] + t * dy)))
    out.sort()
    return [pt for _, pt in out]


def rnd(p):
    return (round(p[0], 2), round(p[1], 2))


# ============================================================================ apportionment
def apportion(total, weights, caps=None):
    """Integers summing to `total`, proportional to `weights`, each <= caps[i]
    (largest-remainder with water-filling at the caps). Deterministic."""
    n = len(weights)
    if caps is None:
        caps = [total] * n
    if sum(caps) < total:
        raise ValueError(f"apportion: capacity {sum(caps)} < total {total}")
    result = [0] * n
    fixed = [False] * n
    w = [max(0.0, float(x)) for x in weights]
    for i in range(n):
        if caps[i] <= 0:
            fixed[i] = True
    remaining = total
    while True:
        active = [i for i in range(n) if not fixed[i]]
        sw = sum(w[i] for i in active)
        if sw <= 0:  # nothing left with weight: fall back to the free capacity
            for i in active:
                w[i] = float(caps[i])
            sw = sum(w[i] for i in active)
        over = [i for i in active if remaining * w[i] / sw >= caps[i]]
        if not over:
            break
        for i in over:
            result[i] = caps[i]
            fixed[i] = True
            remaining -= caps[i]
    active = [i for i in range(n) if not fixed[i]]
    if not active:
        assert remaining == 0
        return result
    sw = sum(w[i] for i in active)
    shares = {i: remaining * w[i] / sw for i in active}
    for i in active:
        result[i] = int(math.floor(shares[i]))
    left = total - sum(result)
    order = sorted(active, key=lambda i: (-(shares[i] - math.floor(shares[i])), i))
    k = 0
    while left > 0:
        i = order[k % len(order)]
        if result[i] < caps[i]:
            result[i] += 1
            left -= 1
        k += 1
    assert sum(result) == total and all(r <= c for r, c in zip(result, caps))
    return result


# ============================================================================ layout
class Courtyard:
    def __init__(self):
        self.ring = []          # world (local metres) polygon, CCW
        self.center = (0, 0)
        self.W = self.H = 0.0
        self.theta = 0.0
        self.flip = False       # top-row courtyards face the street to their north
        self.cut = None         # (u0, u1, v0, v1) removed corner in local frame, or None
        self.street = None      # key of the street the gate faces
        self.gate = None
        self.buildings = []     # list of dicts
        self.band = self.row = 0


def to_world(cy, u, v):
    lu, lv = u - cy.W / 2.0, v - cy.H / 2.0
    if cy.flip:
        lu, lv = -lu, -lv
    c, s = math.cos(cy.theta), math.sin(cy.theta)
    return (cy.center[0] + c * lu - s * lv, cy.center[1] + s * lu + c * lv)


def local_ring(cy):
    W, H = cy.W, cy.H
    if cy.cut is None:
        pts = [(0, 0), (W, 0), (W, H), (0, H)]
    else:
        u0, u1, v0, _ = cy.cut
        if u1 >= W - 1e-9:   # cut at the far right corner
            pts = [(0, 0), (W, 0), (W, v0), (u0, v0), (u0, H), (0, H)]
        else:                # cut at the far left corner
            pts = [(0, 0), (W, 0), (W, H), (u1, H), (u1, v0), (0, v0)]
    ring = [rnd(to_world(cy, u, v)) for u, v in pts]
    if shoelace(ring) < 0:
        ring.reverse()
    return ring


def build_boundary():
    # Local metres; edges follow the street centre lines (CCW).
    pts = [(45, 0), (330, -4), (605, 2), (612, 240), (603, 492), (340, 500), (135, 505),
           (0, 330), (-6, 110)]
    names = ["south", "south", "east", "east", "north", "north", "west", "west", "west"]
    east_idx = (2, 3, 4)

    def with_shift(d):
        return [(x + d, y) if i in east_idx else (x, y) for i, (x, y) in enumerate(pts)]

    a0, a1 = shoelace(with_shift(0.0)), shoelace(with_shift(1.0))
    d = (TARGET_AREA - a0) / (a1 - a0)
    ring = [rnd(p) for p in with_shift(d)]   # area 280,000 m² up to the cm rounding
    return ring, names


def make_layout(rng):
    ring, edge_names = build_boundary()
    n = len(ring)
    # Named boundary streets as polylines (in ring order).
    bstreets = {}
    for i in range(n):
        key = edge_names[i]
        a, b = ring[i], ring[(i + 1) % n]
        if key not in bstreets:
            bstreets[key] = [a, b]
        else:
            assert bstreets[key][-1] == a
            bstreets[key].append(b)
    south, east, north, west = bstreets["south"], bstreets["east"], bstreets["north"], bstreets["west"]

    # Internal streets, clipped to the boundary ring.
    def clip(a, b):
        pts = line_ring_intersections(a, b, ring)
        assert len(pts) == 2, pts
        return [rnd(pts[0]), rnd(pts[1])]

    h1 = clip((-100, 165 - 1.2), (700, 165 + 0.012 * 700))
    h2 = clip((-100, 335 + 0.8), (700, 335 - 0.008 * 700))
    sh_line = clip((318 - 0.02 * 100, -100), (318 + 0.02 * 700, 700))

    def shuhan_x(y):
        return 318 + 0.02 * y

    # Add the crossings of Shuhan Road with the two Hengjie as vertices.
    def cross(l1, l2):
        a, b = l1
        c, d = l2
        den = (b[0] - a[0]) * (d[1] - c[1]) - (b[1] - a[1]) * (d[0] - c[0])
        t = ((c[0] - a[0]) * (d[1] - c[1]) - (c[1] - a[1]) * (d[0] - c[0])) / den
        return rnd((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))

    x1, x2 = cross(sh_line, h1), cross(sh_line, h2)
    shuhan = [sh_line[0], x1, x2, sh_line[1]]
    h1 = [h1[0], x1, h1[1]]
    h2 = [h2[0], x2, h2[1]]
    streets = {"south": south, "east": east, "north": north, "west": west,
               "h1": h1, "h2": h2, "shuhan": shuhan}

    bands = [("south", "h1"), ("h1", "h2"), ("h2", "north")]

    def band_limits(bi, xa, xb):
        lo_line, hi_line = streets[bands[bi][0]], streets[bands[bi][1]]
        xs = [xa, xb] + [p[0] for p in lo_line + hi_line if xa < p[0] < xb]
        lo = max(polyline_y_at(lo_line, x) for x in xs) + STREET_SETBACK
        hi = min(polyline_y_at(hi_line, x) for x in xs) - STREET_SETBACK
        return lo, hi

    cells = []   # (band, side, col, row, x0, x1, y0, y1, lower_street, upper_street)
    for bi in range(3):
        lo_key, hi_key = bands[bi]
        for side in ("west", "east"):
            # Column widths outwards from Shuhan Road; the same columns serve both rows.
            cols = []
            if side == "east":
                lo0, hi0 = band_limits(bi, 330, 600)
                xs_start = max(shuhan_x(lo0), shuhan_x(hi0)) + STREET_SETBACK
                x_end = min(polyline_x_at(east, lo0), polyline_x_at(east, hi0)) - STREET_SETBACK
                x = xs_start
                while x_end - x > 0:
                    w = rng.uniform(60, 98)
                    if x_end - (x + w) < 50:
                        w = x_end - x
                    cols.append((x, x + w))
                    x = x + w + 10.0
            else:
                lo0, hi0 = band_limits(bi, 0, 300)
                xs_start = min(shuhan_x(lo0), shuhan_x(hi0)) - STREET_SETBACK
                x = xs_start
                while x > 10:
                    w = rng.uniform(60, 98)
                    cols.append((x - w, x))
                    x = x - w - 10.0
                cols.reverse()
            for ci, (xa, xb) in enumerate(cols):
                lo, hi = band_limits(bi, xa, xb)
                split = lo + (hi - lo) * rng.uniform(0.42, 0.58)
                cells.append(dict(band=bi, side=side, col=ci, ncol=len(cols), row=0, x0=xa, x1=xb,
                                  y0=lo, y1=split - 5.0, lower=lo_key, upper=hi_key))
                cells.append(dict(band=bi, side=side, col=ci, ncol=len(cols), row=1, x0=xa, x1=xb,
                                  y0=split + 5.0, y1=hi, lower=lo_key, upper=hi_key))
    return ring, streets, cells


def fit_courtyard(rng, cell, boundary):
    """A slightly rotated rectangle (sometimes an L) inside the cell and the boundary."""
    cw, ch = cell["x1"] - cell["x0"], cell["y1"] - cell["y0"]
    theta = math.radians(rng.uniform(-2.5, 2.5))
    W = cw - rng.uniform(0, 6)
    H = ch - rng.uniform(0, 6)
    c, s = math.cos(theta), abs(math.sin(theta))
    while W * c + H * s > cw or W * s + H * c > ch:
        W *= 0.995
        H *= 0.995
    slack_x = cw - (W * c + H * s)
    slack_y = ch - (W * s + H * c)
    cx = cell["x0"] + (W * c + H * s) / 2 + rng.uniform(0, slack_x)
    cy_ = cell["y0"] + (W * s + H * c) / 2 + rng.uniform(0, slack_y)
    cy = Courtyard()
    cy.W, cy.H, cy.theta, cy.center = W, H, theta, (cx, cy_)
    cy.flip = cell["row"] == 1
    cy.street = cell["upper"] if cy.flip else cell["lower"]
    cy.band, cy.row = cell["band"], cell["row"]
    # Shrink from the far (west) side until it sits inside the boundary with a margin.
    while not ring_inside(local_ring(cy), boundary, BOUNDARY_MARGIN):
        if cy.W < 42:
            return None
        dw = 3.0
        cy.W -= dw
        # keep the east edge: move the centre east by half the shrink
        cy.center = (cy.center[0] + dw / 2 * math.cos(theta), cy.center[1] + dw / 2 * math.sin(theta))
    if cy.W >= 58 and cy.H >= 52 and rng.random() < 0.3:
        cw_ = cy.W * rng.uniform(0.3, 0.42)
        ch_ = cy.H * rng.uniform(0.3, 0.42)
        if rng.random() < 0.5:
            cy.cut = (cy.W - cw_, cy.W, cy.H - ch_, cy.H)
        else:
            cy.cut = (0.0, cw_, cy.H - ch_, cy.H)
    cy.ring = local_ring(cy)
    return cy


def layout_buildings(rng, cy):
    """Rows (or columns) of slab buildings in the courtyard's local frame."""
    margin, gate_margin = 3.0, 6.0
    along_u = rng.random() < 0.72
    A, B = (cy.W, cy.H) if along_u else (cy.H, cy.W)
    d = rng.choice([10.0, 11.0, 12.0])
    g = rng.uniform(8.0, 10.0)
    rects = []
    b0 = gate_margin if along_u else margin
    b_end = B - margin
    while b0 + d <= b_end + 1e-9:
        # a-interval for this slab
        lo_a, hi_a = (margin, A - margin) if along_u else (gate_margin, A - margin)
        intervals = [(lo_a, hi_a)]
        if cy.cut is not None:
            u0, u1, v0, v1 = cy.cut
            if along_u:   # slab spans v in [b0, b0+d]; cut blocks u in [u0, u1] when v overlaps
                if b0 + d > v0 - margin:
                    if u0 <= 1e-9:
                        intervals = [(u1 + margin, hi_a)]
                    else:
                        intervals = [(lo_a, u0 - margin)]
            else:         # slab spans u in [b0, b0+d]; cut blocks v in [v0, v1] when u overlaps
                if b0 + d > u0 - margin and b0 < u1 + margin:
                    intervals = [(lo_a, v0 - margin)]
        for ia, ib in intervals:
            L = ib - ia
            if L < 16:
                continue
            k = max(1, int(round(L / rng.uniform(20, 32))))
            while k > 1 and (L - (k - 1) * 6.0) / k < 15:
                k -= 1
            gap = rng.uniform(5.0, 6.5) if k > 1 else 0.0
            piece = (L - (k - 1) * gap) / k
            for j in range(k):
                a0 = ia + j * (piece + gap)
                if along_u:
                    rects.append((a0, a0 + piece, b0, b0 + d))
                else:
                    rects.append((b0, b0 + d, a0, a0 + piece))
        b0 += d + g
    return rects


def floors_for(rng):
    r = rng.random()
    if r < 0.08:
        return rng.randint(14, 18)
    if r < 0.25:
        return rng.randint(8, 12)
    return rng.randint(4, 7)


# ============================================================================ names
def courtyard_names(courtyards):
    """House numbers along the street each courtyard's gate faces: odd on one side."""
    by_street = {}
    for cy in courtyards:
        by_street.setdefault(cy.street, []).append(cy)
    for key, lst in by_street.items():
        horizontal = key != "shuhan"
        lst.sort(key=lambda c: c.gate[0] if horizontal else c.gate[1])
        n_odd = n_even = 0
        for cy in lst:
            # courtyards south of an E-W street (gate on their north side) get odd numbers
            odd = cy.flip
            if odd:
                n_odd += 1
                num = 2 * n_odd - 1 + 2 * (n_odd // 2)
            else:
                n_even += 1
                num = 2 * n_even + 2 * (n_even // 3)
            zh, en = STREETS[key]
            cy.name_zh = f"{zh}{num}号院"
            cy.name_en = f"{en} No.{num} Courtyard"


SHOP_WORDS = {
    "tibetan_goods": (
        [("格桑", "Gesang"), ("扎西", "Tashi"), ("卓玛", "Drolma"), ("雪域", "Snowland"), ("康巴", "Kham"),
         ("香巴拉", "Shambhala"), ("德吉", "Dekyi"), ("央金", "Yangchen"), ("次仁", "Tsering"),
         ("达瓦", "Dawa"), ("尼玛", "Nyima"), ("措姆", "Tsomo"), ("拉姆", "Lhamo"), ("贡嘎", "Gongga"),
         ("吉祥", "Tashi Delek"), ("念青", "Nyenchen")],
        [("藏式用品", "Tibetan Goods"), ("唐卡", "Thangka"), ("藏装", "Tibetan Costume"),
         ("佛具", "Buddhist Supplies"), ("藏香", "Tibetan Incense"), ("民族饰品", "Ethnic Jewellery"),
         ("牦牛制品", "Yak Products")]),
    "halal_food": (
        [("马记", "Ma's"), ("兰州", "Lanzhou"), ("穆斯林", "Muslim"), ("白记", "Bai's"), ("西北", "Northwest"),
         ("伊香", "Yixiang")],
        [("清真牛肉面", "Halal Beef Noodles"), ("清真餐厅", "Halal Restaurant"), ("清真牛羊肉", "Halal Butcher"),
         ("清真烧烤", "Halal Barbecue")]),
    "tea_house": (
        [("老", "Old"), ("蜀汉", "Shuhan"), ("高原", "Plateau"), ("悦来", "Yuelai"), ("听雨", "Tingyu"),
         ("雪莲", "Snow Lotus"), ("邻里", "Neighbours'")],
        [("茶馆", "Teahouse"), ("甜茶馆", "Sweet Tea House"), ("茶铺", "Tea Shop")]),
    "restaurant": (
        [("老成都", "Old Chengdu"), ("王记", "Wang's"), ("李记", "Li's"), ("张姐", "Sister Zhang's"),
         ("蜀汉", "Shuhan"), ("高升桥", "Gaoshengqiao"), ("阿坝", "Aba"), ("甘孜", "Ganzi"), ("凉山", "Liangshan"),
         ("刘嬢嬢", "Auntie Liu's"), ("陈麻婆", "Chen's"), ("牦牛", "Yak")],
        [("面馆", "Noodle House"), ("火锅", "Hotpot"), ("家常菜", "Home Cooking"), ("串串", "Chuanchuan"),
         ("藏餐", "Tibetan Restaurant"), ("冒菜", "Maocai"), ("彝家菜", "Yi Kitchen")]),
    "grocery": (
        [("邻家", "Neighbour"), ("红旗", "Hongqi"), ("舞东风", "Wudongfeng"), ("便民", "Community"),
         ("惠民", "Huimin"), ("好又多", "Haoyouduo")],
        [("便利店", "Convenience Store"), ("超市", "Supermarket"), ("粮油店", "Grain and Oil Store"),
         ("水果店", "Fruit Shop")]),
    "clothing": (
        [("锦绣", "Jinxiu"), ("雪域", "Snowland"), ("彩虹", "Rainbow"), ("羌绣", "Qiang Embroidery"),
         ("云裳", "Yunshang")],
        [("服装店", "Clothing"), ("民族服饰", "Ethnic Clothing"), ("鞋店", "Shoe Shop"),
         ("裁缝铺", "Tailor")]),
    "pharmacy": (
        [("仁心", "Renxin"), ("藏医", "Tibetan Medicine"), ("康泰", "Kangtai"), ("百草", "Baicao")],
        [("大药房", "Pharmacy"), ("药店", "Drugstore"), ("藏药店", "Tibetan Medicine Shop")]),
    "other": (
        [("小李", "Xiao Li"), ("快捷", "Express"), ("明亮", "Bright"), ("社区", "Community"), ("阿旺", "Ngawang")],
        [("理发店", "Barber"), ("手机维修", "Phone Repair"), ("文具店", "Stationery"), ("洗衣店", "Laundry"),
         ("快递点", "Parcel Point"), ("打印店", "Print Shop")]),
}

SHOP_PLAN = {   # street -> kind -> count (Tibetan goods concentrated on Wuhouci Hengjie)
    "h2": dict(tibetan_goods=62, tea_house=9, restaurant=10, clothing=7, pharmacy=3, grocery=3, other=4),
    "west": dict(halal_food=12, restaurant=12, grocery=6, clothing=4, other=5, tea_house=3, tibetan_goods=2),
    "north": dict(tibetan_goods=6, restaurant=10, clothing=8, tea_house=4, grocery=5, pharmacy=2, other=5),
    "east": dict(restaurant=10, grocery=8, clothing=4, tea_house=4, halal_food=3, pharmacy=2, other=5),
    "south": dict(restaurant=8, grocery=7, clothing=3, tea_house=3, pharmacy=1, other=5, halal_food=1),
    "shuhan": dict(restaurant=6, grocery=5, tea_house=2, tibetan_goods=2, clothing=2, pharmacy=1, other=3,
                   halal_food=1),
    "h1": dict(restaurant=4, grocery=4, tea_house=1, clothing=2, pharmacy=1, other=3, halal_food=1),
}

LIAISON_OFFICES = [
    ("西藏自治区驻成都办事处", "Tibet Autonomous Region Office in Chengdu"),
    ("甘孜藏族自治州驻成都办事处", "Garze Tibetan Autonomous Prefecture Office in Chengdu"),
    ("阿坝藏族羌族自治州驻成都办事处", "Aba Tibetan and Qiang Autonomous Prefecture Office in Chengdu"),
    ("凉山彝族自治州驻成都办事处", "Liangshan Yi Autonomous Prefecture Office in Chengdu"),
    ("昌都市驻成都办事处", "Qamdo City Office in Chengdu"),
    ("那曲市驻成都办事处", "Nagqu City Office in Chengdu"),
    ("日喀则市驻成都联络处", "Xigaze City Liaison Office in Chengdu"),
    ("山南市驻成都联络处", "Shannan City Liaison Office in Chengdu"),
    ("林芝市驻成都联络处", "Nyingchi City Liaison Office in Chengdu"),
    ("玉树藏族自治州驻成都联络处", "Yushu Tibetan Autonomous Prefecture Liaison Office in Chengdu"),
    ("果洛藏族自治州驻成都联络处", "Golog Tibetan Autonomous Prefecture Liaison Office in Chengdu"),
    ("迪庆藏族自治州驻成都联络处", "Dechen Tibetan Autonomous Prefecture Liaison Office in Chengdu"),
]

WORK_UNITS = [
    ("蜀汉路小学", "Shuhan Road Primary School"),
    ("武侯区第三幼儿园", "Wuhou District No.3 Kindergarten"),
    ("浆洗街社区卫生服务中心", "Jiangxijie Community Health Service Centre"),
    ("四川民族印务厂", "Sichuan Ethnic Printing Works"),
    ("西南民族文化研究所", "Southwest Institute of Ethnic Culture"),
    ("蜀汉街派出所", "Shuhan Street Police Station"),
    ("藏医院门诊部", "Tibetan Medicine Hospital Outpatient Department"),
    ("省交通规划设计院", "Provincial Transport Planning and Design Institute"),
    ("武侯区税务所", "Wuhou District Tax Office"),
    ("高升桥邮政支局", "Gaoshengqiao Post Office"),
    ("民族出版物发行公司", "Ethnic Publications Distribution Company"),
    ("洗面桥农贸市场", "Ximianqiao Farmers' Market"),
    ("康巴宾馆", "Kangba Hotel"),
    ("蜀汉街供电所", "Shuhan Street Power Supply Station"),
    ("省地质勘查院", "Provincial Geological Survey Institute"),
    ("第四建筑工程公司", "No.4 Construction Engineering Company"),
    ("武侯祠支行营业部", "Wuhouci Sub-branch Bank Office"),
]

ACTIVITY_VENUES = [
    ("民族团结进步活动室", "Ethnic Unity and Progress Activity Room"),
    ("锅庄舞广场", "Guozhuang Dance Square"),
    ("社区老年活动中心", "Community Senior Activity Centre"),
    ("社区图书阅览室", "Community Reading Room"),
    ("青少年活动之家", "Youth Activity Home"),
    ("院落文化坝坝", "Courtyard Culture Yard"),
]


# ============================================================================ coordinates
class Converter:
    """UTM 48N local metres -> WGS 84 lon/lat through one gdaltransform call."""

    def __init__(self):
        self.points = {}

    def add(self, p):
        self.points.setdefault(rnd(p), None)

    def run(self):
        keys = list(self.points)
        text = "\n".join(f"{E0 + x:.2f} {N0 + y:.2f}" for x, y in keys) + "\n"
        res = subprocess.run(["gdaltransform", "-s_srs", "EPSG:32648", "-t_srs", "EPSG:4326"],
                             input=text, capture_output=True, text=True, check=True)
        lines = res.stdout.strip().splitlines()
        assert len(lines) == len(keys), "gdaltransform returned a different number of points"
        for k, line in zip(keys, lines):
            lon, lat = (float(v) for v in line.split()[:2])
            assert 103.9 < lon < 104.2 and 30.5 < lat < 30.8, (lon, lat)  # lon first
            self.points[k] = [round(lon, 7), round(lat, 7)]

    def __call__(self, p):
        return self.points[rnd(p)]


# ============================================================================ main
def main():
    rng = random.Random(SEED)
    boundary, streets, cells = make_layout(rng)
    b_area = abs(shoelace(boundary))

    # ---------------------------------------------------------------- courtyards
    candidates = []
    for cell in cells:
        cy = fit_courtyard(rng, cell, boundary)
        if cy is not None:
            candidates.append((cell, cy))
    assert len(candidates) >= N_COURTYARDS + 3, f"only {len(candidates)} courtyard sites"
    # The site nearest the crossing of Shuhan Road and Wuhouci Hengjie hosts the
    # Party-service centre; a few more random sites host large work units.
    crossing = streets["shuhan"][2]
    order = sorted(range(len(candidates)),
                   key=lambda i: math.dist(centroid(candidates[i][1].ring), crossing))
    centre_site = order[0]
    others = [i for i in range(len(candidates)) if i != centre_site]
    rng.shuffle(others)
    n_nonres = len(candidates) - N_COURTYARDS
    nonres = [centre_site] + sorted(others[:n_nonres - 1])
    residential = [candidates[i][1] for i in range(len(candidates)) if i not in nonres]
    nonres_sites = [candidates[i] for i in nonres]
    # Order north -> south, west -> east.
    residential.sort(key=lambda c: (-round(centroid(c.ring)[1] / 60), centroid(c.ring)[0]))
    courtyards = residential
    for i, cy in enumerate(courtyards):
        cy.id = f"CY-{i + 1:02d}"
        cy.gate = rnd(to_world(cy, cy.W / 2.0, 0.0))

    courtyard_names(courtyards)

    # ---------------------------------------------------------------- buildings
    cand_garden = [i for i in range(len(courtyards))]
    rng.shuffle(cand_garden)
    n_gardens = 10
    for i, cy in enumerate(courtyards):
        rects = layout_buildings(rng, cy)
        assert rects, cy.id
        cy.rects = rects
    garden_pick = [i for i in cand_garden if len(courtyards[i].rects) >= 4][:n_gardens]
    assert len(garden_pick) == n_gardens
    buildings = []
    gardens_geom = {}
    for i, cy in enumerate(courtyards):
        rects = list(cy.rects)
        if i in garden_pick:
            j = rng.randrange(len(rects))
            u0, u1, v0, v1 = rects.pop(j)
            gardens_geom[i] = (u0 + 1.0, u1 - 1.0, v0 - 1.5, v1 + 1.5)
        for k, (u0, u1, v0, v1) in enumerate(rects):
            ring = [rnd(to_world(cy, u, v)) for u, v in [(u0, v0), (u1, v0), (u1, v1), (u0, v1)]]
            if shoelace(ring) < 0:
                ring.reverse()
            b = dict(cy=cy, ring=ring, floors=floors_for(rng), num=k + 1,
                     footprint=abs(shoelace(ring)))
            cy.buildings.append(b)
            buildings.append(b)
    for b in buildings:
        b["id"] = f"{b['cy'].id}-B{b['num']:02d}"
        b["name_zh"] = f"{b['cy'].name_zh}{b['num']}栋"
        b["name_en"] = f"{b['cy'].name_en}, Building {b['num']}"

    # ---------------------------------------------------------------- population
    gsize = {g[0]: g[3] for g in GROUPS}
    gsize["han"] = TOTAL_REG + TOTAL_TMP - sum(v for k, v in gsize.items() if k != "han")
    # capacity of each building (people), exact total
    cap = apportion(TOTAL_REG + TOTAL_TMP,
                    [b["footprint"] * b["floors"] * rng.uniform(0.85, 1.15) for b in buildings])
    for b, c in zip(buildings, cap):
        b["cap"] = c
    cy_index = {id(cy): i for i, cy in enumerate(courtyards)}
    cents = [centroid(cy.ring) for cy in courtyards]

    def nearest_courtyards(p, k, exclude=()):
        idx = [i for i in range(len(courtyards)) if i not in exclude]
        idx.sort(key=lambda i: math.dist(cents[i], p))
        return idx[:k]

    # Home courtyards (relatives settle near relatives).
    homes = {}
    h2_line = streets["h2"]
    liaison_anchor = (430.0, polyline_y_at(h2_line, 430.0))
    homes["tibetan"] = nearest_courtyards(liaison_anchor, 7)
    tib_c = (sum(cents[i][0] for i in homes["tibetan"]) / 7, sum(cents[i][1] for i in homes["tibetan"]) / 7)
    homes["qiang"] = nearest_courtyards(tib_c, 3, exclude=homes["tibetan"][:5])
    # Yi: south-east block; Hui: north-west towards the ring road (halal shops there).
    homes["yi"] = nearest_courtyards((560, 60), 3)
    homes["hui"] = nearest_courtyards((60, 300), 2)
    used_seeds = set(homes["tibetan"][:3] + homes["yi"][:1] + homes["hui"][:1] + homes["qiang"][:1])
    for key, *_ in GROUPS:
        if key in homes or key == "han":
            continue
        size = gsize[key]
        nh = 1 if size < 6 else (2 if size < 60 else 3)
        if key in TIBET_SIDE:
            seed = rng.choice(homes["tibetan"] + homes["qiang"])
        else:
            pool = [i for i in range(len(courtyards)) if i not in used_seeds] or list(range(len(courtyards)))
            seed = rng.choice(pool)
        used_seeds.add(seed)
        homes[key] = nearest_courtyards(cents[seed], nh)

    # Building-level weights: home courtyards strong, others decaying with distance.
    reach = {"tibetan": 140.0, "yi": 90.0, "qiang": 90.0, "hui": 80.0, "mongol": 80.0}
    boost = {"tibetan": 2.0}
    minority_cap = [int(0.82 * b["cap"]) for b in buildings]
    used = [0] * len(buildings)
    pop = {k: [0] * len(buildings) for k in GROUP_KEYS}
    order_groups = sorted((k for k in GROUP_KEYS if k != "han"), key=lambda k: -gsize[k])
    for key in order_groups:
        size = gsize[key]
        hs = homes[key]
        lam = reach.get(key, 60.0)
        w = []
        for bi, b in enumerate(buildings):
            ci = cy_index[id(b["cy"])]
            if ci in hs:
                a = boost.get(key, 1.5)
            elif size >= 12:
                d = min(math.dist(cents[ci], cents[h]) for h in hs)
                a = math.exp(-d / lam) + (0.04 if size >= 100 else 0.0)
            else:
                a = 0.0   # tiny groups: one family or two, in their home courtyards only
            w.append(a * b["cap"] * rng.uniform(0.6, 1.4))
        caps = [max(0, minority_cap[i] - used[i]) for i in range(len(buildings))]
        if size < 12:  # one family or two: 1-2 buildings of the home courtyards with room
            nb = 2 if size >= 4 else 1
            # nearest buildings to the home courtyard that still have room
            hc = cents[hs[0]]
            room = [i for i in range(len(w)) if caps[i] >= (size + nb - 1) // nb + 1]
            ranked = sorted(room, key=lambda i: (round(math.dist(cents[cy_index[id(buildings[i]["cy"])]], hc)),
                                                 -w[i]))[:nb]
            assert ranked, key
            w = [b["cap"] * rng.uniform(0.6, 1.4) if i in ranked else 0.0 for i, b in enumerate(buildings)]
            homes[key] = sorted({cy_index[id(buildings[i]["cy"])] for i in ranked})
        alloc = apportion(size, w, caps)
        for i, a in enumerate(alloc):
            pop[key][i] = a
            used[i] += a
    for i, b in enumerate(buildings):
        pop["han"][i] = b["cap"] - used[i]
        assert pop["han"][i] > 0
    for k in GROUP_KEYS:
        assert sum(pop[k]) == gsize[k], k

    # registered / temporary split: group temporary totals exact, then per building.
    tmp_total = apportion(TOTAL_TMP, [gsize[k] * g[4] for k, g in zip(GROUP_KEYS, GROUPS)],
                          [gsize[k] for k in GROUP_KEYS])
    tmp_total = dict(zip(GROUP_KEYS, tmp_total))
    rent = {}
    for cy in courtyards:
        base = rng.uniform(0.6, 1.5)
        for b in cy.buildings:
            rent[id(b)] = base * rng.uniform(0.8, 1.25)
    tmp = {}
    for k in GROUP_KEYS:
        tmp[k] = apportion(tmp_total[k], [pop[k][i] * rent[id(b)] for i, b in enumerate(buildings)], pop[k])
    for i, b in enumerate(buildings):
        c = {}
        for k in GROUP_KEYS:
            c[f"reg_{k}"] = pop[k][i] - tmp[k][i]
            c[f"tmp_{k}"] = tmp[k][i]
            c[f"pop_{k}"] = pop[k][i]
        c["registered"] = sum(c[f"reg_{k}"] for k in GROUP_KEYS)
        c["temporary"] = sum(c[f"tmp_{k}"] for k in GROUP_KEYS)
        c["population"] = c["registered"] + c["temporary"]
        b["counts"] = c
    count_cols = [f"{p}_{k}" for k in GROUP_KEYS for p in ("reg", "tmp", "pop")] + \
                 ["registered", "temporary", "population"]
    for cy in courtyards:
        cy.counts = {col: sum(b["counts"][col] for b in cy.buildings) for col in count_cols}
        cy.households = int(round(cy.counts["registered"] / 2.7 + cy.counts["temporary"] / 2.1))
    assert sum(cy.counts["registered"] for cy in courtyards) == TOTAL_REG
    assert sum(cy.counts["temporary"] for cy in courtyards) == TOTAL_TMP
    assert all(cy.counts["population"] > 0 for cy in courtyards)

    # Party branches: 14 courtyards (the most populous of a random half), 537 members.
    pool = sorted(range(len(courtyards)), key=lambda i: -courtyards[i].counts["population"] * rng.uniform(0.6, 1.4))
    branch_idx = sorted(pool[:N_BRANCHES])
    members = apportion(N_PARTY_MEMBERS,
                        [courtyards[i].counts["registered"] * rng.uniform(0.7, 1.3) for i in branch_idx])
    for cy in courtyards:
        cy.branch, cy.members = None, None
    for n, (i, m) in enumerate(zip(branch_idx, members)):
        courtyards[i].branch = f"第{n + 1}党支部"
        courtyards[i].members = m

    # ---------------------------------------------------------------- micro-gardens
    statuses = ["completed"] * 5 + ["under_construction"] * 3 + ["planned"] * 2
    gardens = []
    for n, i in enumerate(sorted(garden_pick)):
        cy = courtyards[i]
        u0, u1, v0, v1 = gardens_geom[i]
        ring = [rnd(to_world(cy, u, v)) for u, v in [(u0, v0), (u1, v0), (u1, v1), (u0, v1)]]
        if shoelace(ring) < 0:
            ring.reverse()
        st = statuses[n]
        if st == "completed":
            start = date(2019 + n, rng.randint(3, 6), rng.randint(1, 28))
            end = date(start.year, start.month + rng.randint(3, 6), rng.randint(1, 28))
        elif st == "under_construction":
            start = date(2026, rng.randint(5, 10), rng.randint(1, 28))
            end = date(2027, rng.randint(1, 6), rng.randint(1, 28))
        else:
            start = date(2027, rng.randint(3, 5), rng.randint(1, 28))
            end = date(2027, rng.randint(8, 11), rng.randint(1, 28))
        assert (st == "completed") == (end < REFERENCE_DAY)
        assert (st == "planned") == (start > REFERENCE_DAY)
        part = max(8, int(round(cy.households * rng.uniform(0.25, 0.55))))
        gpop = [cy.counts[f"pop_{k}"] for k in GROUP_KEYS]
        hh = apportion(part, gpop, [(p + 1) // 2 for p in gpop])
        gardens.append(dict(id=f"MG-{n + 1:02d}", cy=cy, ring=ring, status=st, start=start.isoformat(),
                            end=end.isoformat(), budget=int(round(rng.uniform(30, 260)) * 1000),
                            hh=dict(zip(GROUP_KEYS, hh))))

    # ---------------------------------------------------------------- street network
    base = {k: list(v) for k, v in streets.items()}      # named street polylines
    junctions = {k: set() for k in base}
    junctions["shuhan"].update([base["shuhan"][1], base["shuhan"][2]])
    junctions["h1"].add(base["h1"][1])
    junctions["h2"].add(base["h2"][1])

    def attach(key, p):
        """Insert the foot of p on street `key` as a junction vertex; returns it."""
        line = base[key]
        d, q, i, t = dist_point_polyline(p, line)
        q = rnd(q)
        if q not in line:
            line.insert(i + 1, q)
        junctions[key].add(q)
        return q

    # Internal street ends on the boundary streets.
    def attach_end(p):
        best = min(("south", "east", "north", "west"), key=lambda k: dist_point_polyline(p, base[k])[0])
        line = base[best]
        d, _, i, _ = dist_point_polyline(p, line)
        assert d < 0.05, (p, best, d)
        if p not in line:
            line.insert(i + 1, p)
        junctions[best].add(p)

    for key in ("h1", "h2", "shuhan"):
        attach_end(base[key][0])
        attach_end(base[key][-1])

    paths = []
    for cy in courtyards:
        q = attach(cy.street, cy.gate)
        paths.append(dict(line=[cy.gate, q], name=None, cy=cy))
    # Lanes between courtyard columns (through both rows), from street to street, where the
    # gap between two columns lies wholly inside the block.
    lanes_by_gap = {}
    for cell in cells:
        if cell["row"] != 0 or cell["col"] == 0:
            continue
        lanes_by_gap[(cell["band"], cell["side"], cell["col"])] = cell
    xcols = {}
    for cell in cells:
        if cell["row"] == 0:
            xcols[(cell["band"], cell["side"], cell["col"])] = (cell["x0"], cell["x1"])
    for (bi, side, ci), cell in sorted(lanes_by_gap.items()):
        if rng.random() < 0.45:
            continue
        xa = xcols[(bi, side, ci - 1)][1]
        xb = xcols[(bi, side, ci)][0]
        x = (xa + xb) / 2.0
        lo_line, hi_line = base[cell["lower"]], base[cell["upper"]]
        if not (min(p[0] for p in lo_line) + 5 < x < max(p[0] for p in lo_line) - 5 and
                min(p[0] for p in hi_line) + 5 < x < max(p[0] for p in hi_line) - 5):
            continue
        if dist_point_polyline((x, polyline_y_at(hi_line, x)), base["west"])[0] < 15 or \
                dist_point_polyline((x, polyline_y_at(lo_line, x)), base["west"])[0] < 15:
            continue
        lo = rnd((x, polyline_y_at(base[cell["lower"]], x)))
        hi = rnd((x, polyline_y_at(base[cell["upper"]], x)))
        lo = attach(cell["lower"], lo)
        hi = attach(cell["upper"], hi)
        paths.append(dict(line=[lo, hi], name=None, cy=None))

    # Split the named streets at junctions.
    network = []
    for key in ("north", "west", "south", "east", "h2", "h1", "shuhan"):
        line = base[key]
        piece = [line[0]]
        for p in line[1:]:
            piece.append(p)
            if p in junctions[key] and p != line[-1]:
                network.append(dict(line=piece, key=key, kind="street"))
                piece = [p]
        network.append(dict(line=piece, key=key, kind="street"))
    for p in paths:
        network.append(dict(line=p["line"], key=None, kind="path"))
    for n, s in enumerate(network):
        s["id"] = f"ST-{n + 1:03d}"

    # ---------------------------------------------------------------- venues
    venues = []
    all_bld_rings = [b["ring"] for b in buildings]
    cy_rings = [cy.ring for cy in courtyards]

    def free_point(p, min_gap=3.0, allow_courtyard=False):
        if not point_in_ring(p, boundary) or dist_point_ring(p, boundary) < 2.0:
            return False
        if any(point_in_ring(p, r) for r in all_bld_rings):
            return False
        if not allow_courtyard and any(point_in_ring(p, r) or dist_point_ring(p, r) < 1.0 for r in cy_rings):
            return False
        return all(math.dist(p, v["p"]) >= min_gap for v in venues)

    def frontage(key, offset, step=3.0):
        """Candidate points along a street, `offset` metres to each side (inside only)."""
        line = streets[key]
        pts = []
        for i in range(len(line) - 1):
            a, b = line[i], line[i + 1]
            L = math.dist(a, b)
            ux, uy = (b[0] - a[0]) / L, (b[1] - a[1]) / L
            s = step / 2
            while s < L:
                for side in (1, -1):
                    p = (a[0] + ux * s - side * uy * offset, a[1] + uy * s + side * ux * offset)
                    # stay clear of crossing streets
                    near = min(dist_point_polyline(p, streets[k])[0] for k in streets if k != key)
                    if near >= 9.0:
                        pts.append((i, s, side, rnd(p)))
                s += step
        return pts

    def spread(cands, n):
        """n candidates spread evenly along the list."""
        assert len(cands) >= n, (len(cands), n)
        return [cands[int(j * len(cands) / n)] for j in range(n)]

    # Party-service centre and work units on the non-residential sites.
    site_pts = []
    for cell, cy in nonres_sites:
        site_pts.append(rnd(centroid(cy.ring)))
    venues.append(dict(p=site_pts[0], category="party_service_center", kind="party_service_center",
                       zh="蜀汉街社区党群服务中心", en="Shuhan Street Community Party-Masses Service Centre"))
    venues.append(dict(p=rnd((site_pts[0][0] + 18, site_pts[0][1] - 10)), category="activity_venue",
                       kind="activity_venue", zh=ACTIVITY_VENUES[1][0], en=ACTIVITY_VENUES[1][1]))
    wu_pts = []
    for (cell, cy), p in zip(nonres_sites[1:], site_pts[1:]):
        wu_pts.append(p)
        # a second unit in the same compound, clear of the first and of everything else
        for _ in range(50):
            q = rnd(to_world(cy, rng.uniform(6, cy.W - 6), rng.uniform(6, cy.H - 6)))
            if math.dist(p, q) > 12 and free_point(q) and point_in_ring(q, cy.ring):
                wu_pts.append(q)
                break
    # liaison offices: on Wuhouci Hengjie (east part) and Wuhouci Avenue, behind the shops
    lo_cands = [c for c in frontage("h2", 10.0, 5.0) if c[3][0] > 200] 
    lo_pts = [c[3] for c in spread([c for c in lo_cands if free_point(c[3])], 9)]
    lo_cands2 = [c for c in frontage("north", 10.0, 5.0) if 250 < c[3][0] < 560]
    lo_pts += [c[3] for c in spread([c for c in lo_cands2 if free_point(c[3])], 3)]
    for (zh, en), p in zip(LIAISON_OFFICES, lo_pts):
        assert free_point(p)
        venues.append(dict(p=p, category="liaison_office", kind="liaison_office", zh=zh, en=en))
    # remaining work units along the other streets, behind the shops
    extra = 17 - len(wu_pts)
    if extra > 0:
        wc = [c[3] for k in ("south", "east", "h1", "shuhan") for c in frontage(k, 10.0, 7.0)]
        wc = [p for p in wc if free_point(p, 12.0)]
        wu_pts += spread(wc, extra)
    wu_pts = wu_pts[:17]
    for (zh, en), p in zip(WORK_UNITS, wu_pts):
        assert free_point(p), (zh, p)
        venues.append(dict(p=p, category="work_unit", kind="work_unit", zh=zh, en=en))
    # other activity venues: inside courtyards, next to the gate, clear of buildings
    act = [ACTIVITY_VENUES[0]] + ACTIVITY_VENUES[2:]
    act_cys = [courtyards[i] for i in sorted(rng.sample(range(len(courtyards)), len(act)))]
    for (zh, en), cy in zip(act, act_cys):
        p = rnd(to_world(cy, cy.W / 2.0 + 6.0, 3.0))
        assert free_point(p, allow_courtyard=True)
        venues.append(dict(p=p, category="activity_venue", kind="activity_venue", zh=zh, en=en))
    # shops, along the streets per plan
    used_names = set()
    for key, plan in SHOP_PLAN.items():
        kinds = [k for k, n in plan.items() for _ in range(n)]
        rng.shuffle(kinds)
        cands = [c for c in frontage(key, 6.5, 2.0) if free_point(c[3])]
        chosen = spread(cands, len(kinds))
        for kind, c in zip(kinds, chosen):
            p = c[3]
            if not free_point(p, 2.0):
                alt = [d for d in cands if free_point(d[3], 2.0)]
                p = min(alt, key=lambda d: math.dist(d[3], c[3]))[3]
            pre, suf = SHOP_WORDS[kind]
            for _ in range(100):
                a, b = rng.choice(pre), rng.choice(suf)
                if (a[0] + b[0]) not in used_names:
                    break
            used_names.add(a[0] + b[0])
            venues.append(dict(p=p, category="shop", kind=kind, zh=a[0] + b[0], en=f"{a[1]} {b[1]}"))
    for n, v in enumerate(venues):
        v["id"] = f"V-{n + 1:03d}"

    # ---------------------------------------------------------------- local checks (metres)
    check_local(boundary, courtyards, buildings, gardens, network, venues, b_area)

    # ---------------------------------------------------------------- write
    conv = Converter()
    for p in boundary:
        conv.add(p)
    for cy in courtyards:
        for p in cy.ring:
            conv.add(p)
    for b in buildings:
        for p in b["ring"]:
            conv.add(p)
    for g in gardens:
        for p in g["ring"]:
            conv.add(p)
    for s in network:
        for p in s["line"]:
            conv.add(p)
    for v in venues:
        conv.add(v["p"])
    conv.run()

    def poly(ring):
        r = [conv(p) for p in ring]
        return {"type": "Polygon", "coordinates": [r + [r[0]]]}

    OUT.mkdir(parents=True, exist_ok=True)
    for f in OUT.iterdir():
        if f.is_file():
            f.unlink()

    def write(name, layer, feats):
        doc = {"type": "FeatureCollection", "name": layer, "features": feats}
        with open(OUT / name, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False, separators=(",", ":"))
            fh.write("\n")

    write("boundary.geojson", "boundary", [{
        "type": "Feature",
        "properties": {"id": "SHUHAN", "name_zh": "蜀汉街社区", "name_en": "Shuhan Street Community",
                       "subdistrict_zh": "浆洗街街道", "subdistrict_en": "Jiangxijie Subdistrict",
                       "district_zh": "武侯区", "district_en": "Wuhou District", "founded": 2001},
        "geometry": poly(boundary)}])
    write("courtyards.geojson", "courtyards", [{
        "type": "Feature",
        "properties": {"cy_id": cy.id, "name_zh": cy.name_zh, "name_en": cy.name_en,
                       "party_branch": cy.branch, "party_members": cy.members,
                       "households": cy.households, "n_buildings": len(cy.buildings)},
        "geometry": poly(cy.ring)} for cy in courtyards])
    write("buildings.geojson", "buildings", [{
        "type": "Feature",
        "properties": {"bld_id": b["id"], "cy_id": b["cy"].id, "name_zh": b["name_zh"],
                       "name_en": b["name_en"], "floors": b["floors"], **b["counts"]},
        "geometry": poly(b["ring"])} for b in buildings])
    write("microgardens.geojson", "microgardens", [{
        "type": "Feature",
        "properties": {"proj_id": g["id"], "cy_id": g["cy"].id,
                       "name_zh": f"{g['cy'].name_zh}微花园改造",
                       "name_en": f"{g['cy'].name_en} Micro-garden Renovation",
                       "status": g["status"], "start_date": g["start"], "end_date": g["end"],
                       "budget_cny": g["budget"],
                       "households": sum(g["hh"].values()),
                       **{f"hh_{k}": g["hh"][k] for k in GROUP_KEYS}},
        "geometry": poly(g["ring"])} for g in gardens])
    write("streets.geojson", "streets", [{
        "type": "Feature",
        "properties": {"street_id": s["id"],
                       "name_zh": STREETS[s["key"]][0] if s["key"] else None,
                       "name_en": STREETS[s["key"]][1] if s["key"] else None,
                       "kind": s["kind"]},
        "geometry": {"type": "LineString", "coordinates": [conv(p) for p in s["line"]]}} for s in network])
    write("venues.geojson", "venues", [{
        "type": "Feature",
        "properties": {"venue_id": v["id"], "category": v["category"], "kind": v["kind"],
                       "name_zh": v["zh"], "name_en": v["en"]},
        "geometry": {"type": "Point", "coordinates": conv(v["p"])}} for v in venues])

    # courtyard counts: CSV (+ .csvt types) -> XLSX through ogr2ogr
    with tempfile.TemporaryDirectory() as tmpd:
        csv_path = Path(tmpd) / "counts.csv"
        with open(csv_path, "w", newline="", encoding="utf-8") as fh:
            wr = csv.writer(fh)
            wr.writerow(["cy_id"] + count_cols)
            for cy in courtyards:
                wr.writerow([cy.id] + [cy.counts[c] for c in count_cols])
        with open(Path(tmpd) / "counts.csvt", "w") as fh:
            fh.write(",".join(['"String"'] + ['"Integer"'] * len(count_cols)) + "\n")
        xlsx = OUT / "courtyard_counts.xlsx"
        subprocess.run(["ogr2ogr", "-f", "XLSX", str(xlsx), str(csv_path), "-nln", "counts"],
                       check=True, capture_output=True)

    manifest = {
        "huqian_manifest": 1,
        "name": {"zh": "蜀汉街社区", "en": "Shuhan Street Community"},
        "illustrative": True,
        "source": {
            "zh": "示意数据：由 data/generate_shuhan.py 生成，总数与研究文献公布的数字一致"
                  "（面积0.28平方公里，常住7460人、暂住4600人，36个民族，32个院落）；"
                  "几何形状与属性均为虚构，并非实测。",
            "en": "Illustrative data generated by data/generate_shuhan.py to match the totals published "
                  "in the study (0.28 km², 7,460 registered + 4,600 temporary residents, 36 ethnic groups, "
                  "32 courtyards); geometry and attributes are invented, not surveyed."},
        "crs": "EPSG:32648",
        "count_roles": ["units", "buildings"],
        "layers": {
            "boundary": {"path": "boundary.geojson"},
            "units": {"path": "courtyards.geojson", "id": "cy_id",
                      "join": {"table": "courtyard_counts.xlsx", "sheet": "counts",
                               "key": "cy_id", "table_key": "cy_id"}},
            "buildings": {"path": "buildings.geojson", "id": "bld_id"},
            "venues": {"path": "venues.geojson", "id": "venue_id"},
            "projects": {"path": "microgardens.geojson", "id": "proj_id"},
            "streets": {"path": "streets.geojson", "id": "street_id"},
            # Hand-drawn illustrative proposals (not generated): three intervention zones.
            "zones": {"path": "zones_proposed.geojson", "id": "id"},
        },
        "groups": [{"column": f"pop_{k}", "registered": f"reg_{k}", "temporary": f"tmp_{k}",
                    "zh": zh, "en": en, "color": col} for k, zh, en, _, _, col in GROUPS],
    }
    with open(OUT / "project.json", "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=2)
        fh.write("\n")

    verify_written(courtyards, buildings, gardens, network, venues, gsize)

    # ---------------------------------------------------------------- summary
    print(f"boundary area (local UTM shoelace): {b_area:.1f} m²")
    print(f"courtyards {len(courtyards)}, buildings {len(buildings)}, micro-gardens {len(gardens)}, "
          f"street features {len(network)} ({sum(s['kind'] == 'street' for s in network)} street, "
          f"{sum(s['kind'] == 'path' for s in network)} path)")
    cats = {}
    for v in venues:
        cats[v["category"]] = cats.get(v["category"], 0) + 1
    print("venues:", ", ".join(f"{k} {n}" for k, n in sorted(cats.items())))
    kinds = {}
    for v in venues:
        if v["category"] == "shop":
            kinds[v["kind"]] = kinds.get(v["kind"], 0) + 1
    print("shops:", ", ".join(f"{k} {n}" for k, n in sorted(kinds.items(), key=lambda t: -t[1])))
    tot = sum(gsize.values())
    print(f"residents: {TOTAL_REG} registered + {TOTAL_TMP} temporary = {tot}")
    for k, zh, en, *_ in sorted(GROUPS, key=lambda g: -gsize[g[0]]):
        print(f"  {k:10s} {zh:6s} {gsize[k]:5d} ({100 * gsize[k] / tot:5.2f} %)  "
              f"reg {gsize[k] - tmp_total[k]:5d}  tmp {tmp_total[k]:5d}  homes "
              + ",".join(courtyards[i].id for i in homes.get(k, [])))


def check_local(boundary, courtyards, buildings, gardens, network, venues, b_area):
    assert abs(b_area - TARGET_AREA) / TARGET_AREA < 0.001, b_area
    assert len(courtyards) == N_COURTYARDS
    for cy in courtyards:
        assert ring_inside(cy.ring, boundary, BOUNDARY_MARGIN - 0.1), cy.id
    for i, a in enumerate(courtyards):
        ba = bbox(a.ring)
        for b in courtyards[i + 1:]:
            if bbox_gap(ba, bbox(b.ring)) < 20:
                assert rings_disjoint(a.ring, b.ring, 4.0), (a.id, b.id)
    assert len(buildings) >= 150, len(buildings)
    for cy in courtyards:
        for b in cy.buildings:
            assert ring_inside(b["ring"], cy.ring, 1.0), b["id"]
        for i, b in enumerate(cy.buildings):
            for c in cy.buildings[i + 1:]:
                assert rings_disjoint(b["ring"], c["ring"], 3.0), (b["id"], c["id"])
    for g in gardens:
        assert ring_inside(g["ring"], g["cy"].ring, 0.5), g["id"]
        for b in g["cy"].buildings:
            assert rings_disjoint(g["ring"], b["ring"], 0.5), (g["id"], b["id"])
    # Network: connected through shared end points, and no crossings except at them.
    parent = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for s in network:
        parent[find(s["line"][0])] = find(s["line"][-1])
    roots = {find(s["line"][0]) for s in network}
    assert len(roots) == 1, f"street network has {len(roots)} components"
    segs = []
    for si, s in enumerate(network):
        for a, b in zip(s["line"], s["line"][1:]):
            segs.append((si, a, b))
    for i in range(len(segs)):
        si, a, b = segs[i]
        for j in range(i + 1, len(segs)):
            sj, c, d = segs[j]
            if si == sj:
                continue
            if segments_intersect(a, b, c, d):
                shared = {a, b} & {c, d}
                assert shared, ("streets cross without a junction", network[si]["id"], network[sj]["id"])
    for s in network:
        if s["kind"] == "path":
            for cy in courtyards:
                for a, b in zip(s["line"], s["line"][1:]):
                    mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
                    assert not point_in_ring(mid, cy.ring), (s["id"], cy.id)
        for p in s["line"]:
            assert point_in_ring(p, boundary) or dist_point_ring(p, boundary) < 0.05, s["id"]
    cats = {}
    for v in venues:
        assert point_in_ring(v["p"], boundary), v["id"]
        cats[v["category"]] = cats.get(v["category"], 0) + 1
    assert cats == {"activity_venue": 6, "work_unit": 17, "liaison_office": 12, "shop": 284,
                    "party_service_center": 1}, cats


def ogr_sql(db, sql):
    res = subprocess.run(["ogrinfo", "-ro", "-q", "-dialect", "SQLite", "-sql", sql, str(db)],
                         capture_output=True, text=True, check=True)
    vals = re.findall(r"^\s+v\s*\(\w+\)\s*=\s*(.*)$", res.stdout, flags=re.M)
    assert len(vals) == 1, (sql, res.stdout, res.stderr)
    return float(vals[0])


def verify_written(courtyards, buildings, gardens, network, venues, gsize):
    """Re-read the written files with GDAL and check the invariants again, in EPSG:32648."""
    files = ["boundary", "courtyards", "buildings", "microgardens", "streets", "venues"]
    with tempfile.TemporaryDirectory() as tmpd:
        db = Path(tmpd) / "check.sqlite"
        for i, name in enumerate(files):
            src = OUT / f"{name}.geojson"
            with open(src, encoding="utf-8") as fh:
                doc = json.load(fh)
            assert doc["type"] == "FeatureCollection" and doc["name"] == name and "crs" not in doc
            for f in doc["features"]:
                geom = f["geometry"]
                if geom["type"] == "Polygon":   # RFC 7946: exterior ring counterclockwise, closed
                    r = geom["coordinates"][0]
                    assert r[0] == r[-1] and shoelace(r[:-1]) > 0, (name, f["properties"])
            args = ["ogr2ogr", "-f", "SQLite", "-dsco", "SPATIALITE=YES", "-t_srs", "EPSG:32648",
                    "-nln", name, "-lco", "GEOMETRY_NAME=geom"]
            if i > 0:
                args = ["ogr2ogr", "-update", "-t_srs", "EPSG:32648", "-nln", name,
                        "-lco", "GEOMETRY_NAME=geom"]
            subprocess.run(args + [str(db), str(src)], check=True, capture_output=True)
        q = lambda sql: ogr_sql(db, sql)  # noqa: E731
        area = q("SELECT ST_Area(geom) AS v FROM boundary")
        assert abs(area - TARGET_AREA) / TARGET_AREA < 0.01, area
        assert q("SELECT count(*) AS v FROM courtyards") == N_COURTYARDS
        assert q("SELECT count(*) AS v FROM courtyards c, boundary b WHERE NOT ST_Within(c.geom, b.geom)") == 0
        assert q("SELECT count(*) AS v FROM courtyards a, courtyards b "
                 "WHERE a.cy_id < b.cy_id AND ST_Intersects(a.geom, b.geom)") == 0
        assert q("SELECT count(*) AS v FROM buildings") == len(buildings)
        assert q("SELECT count(*) AS v FROM buildings x JOIN courtyards c ON x.cy_id = c.cy_id "
                 "WHERE ST_Within(x.geom, c.geom)") == len(buildings)
        assert q("SELECT count(*) AS v FROM buildings a, buildings b "
                 "WHERE a.bld_id < b.bld_id AND ST_Intersects(a.geom, b.geom)") == 0
        assert q("SELECT count(*) AS v FROM microgardens g JOIN courtyards c ON g.cy_id = c.cy_id "
                 "WHERE ST_Within(g.geom, c.geom)") == len(gardens)
        assert q("SELECT count(*) AS v FROM microgardens g, buildings x "
                 "WHERE ST_Intersects(g.geom, x.geom)") == 0
        assert q("SELECT count(*) AS v FROM venues v, boundary b WHERE NOT ST_Within(v.geom, b.geom)") == 0
        assert q("SELECT count(*) AS v FROM venues v, buildings x WHERE ST_Within(v.geom, x.geom)") == 0
        assert q("SELECT count(*) AS v FROM streets s, boundary b "
                 "WHERE NOT ST_Within(s.geom, ST_Buffer(b.geom, 0.1))") == 0
        assert q("SELECT sum(registered) AS v FROM buildings") == TOTAL_REG
        assert q("SELECT sum(temporary) AS v FROM buildings") == TOTAL_TMP
        assert q("SELECT count(*) AS v FROM venues WHERE category = 'shop'") == 284
        assert q("SELECT min(ST_IsValid(geom)) AS v FROM (SELECT geom FROM courtyards UNION ALL "
                 "SELECT geom FROM buildings UNION ALL SELECT geom FROM boundary UNION ALL "
                 "SELECT geom FROM microgardens)") == 1
        for k in GROUP_KEYS:
            assert q(f"SELECT sum(pop_{k}) AS v FROM buildings") == gsize[k], k
            assert q(f"SELECT sum(pop_{k} - reg_{k} - tmp_{k}) AS v FROM buildings") == 0
        for k in GROUP_KEYS:
            assert gsize[k] >= 1, k
        cys = json.load(open(OUT / "courtyards.geojson", encoding="utf-8"))["features"]
        assert sum(1 for f in cys if f["properties"]["party_branch"]) == N_BRANCHES
        assert sum(f["properties"]["party_members"] or 0 for f in cys) == N_PARTY_MEMBERS
        man = json.load(open(OUT / "project.json", encoding="utf-8"))
        assert len(man["groups"]) == 36 and len({g["color"] for g in man["groups"]}) == 36
        assert all(re.fullmatch(r"#[0-9a-f]{6}", g["color"]) for g in man["groups"])
        print(f"verified with GDAL/SpatiaLite: boundary area {area:.1f} m² in EPSG:32648")

    # The spreadsheet: integer columns, same numbers as the buildings.
    info = subprocess.run(["ogrinfo", "-ro", "-al", "-so", str(OUT / "courtyard_counts.xlsx")],
                          capture_output=True, text=True, check=True).stdout
    assert "Layer name: counts" in info and "Feature Count: 32" in info, info
    assert "cy_id: String" in info
    for k in GROUP_KEYS:
        for p in ("reg", "tmp", "pop"):
            assert re.search(rf"^{p}_{k}: Integer", info, flags=re.M), (p, k, "not Integer in XLSX")
    rows = subprocess.run(["ogrinfo", "-ro", "-q", "-dialect", "SQLite", "-sql",
                           "SELECT cy_id, registered, temporary, pop_tibetan FROM counts",
                           str(OUT / "courtyard_counts.xlsx")], capture_output=True, text=True,
                          check=True).stdout
    got = re.findall(r"cy_id \(String\) = (CY-\d+)\s+registered \(Integer\) = (\d+)\s+"
                     r"temporary \(Integer\) = (\d+)\s+pop_tibetan \(Integer\) = (\d+)", rows)
    assert len(got) == 32, rows[:400]
    by_id = {cy.id: cy for cy in courtyards}
    for cid, r, t, tib in got:
        c = by_id[cid].counts
        assert (int(r), int(t), int(tib)) == (c["registered"], c["temporary"], c["pop_tibetan"]), cid


if __name__ == "__main__":
    main()
