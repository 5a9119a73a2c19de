#include "geo/geometry/simplify.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace hq {
namespace {

bool less_xy(Vec2 a, Vec2 b) {
    return a.x < b.x || (a.x == b.x && a.y < b.y);
}

/// The ring's distinct vertices in order: no closing repeat, no consecutive duplicates.
std::vector<Vec2> open_ring(const Ring& r) {
    std::vector<Vec2> out;
    out.reserve(r.size());
    for (const Vec2& p : r)
        if (out.empty() || !(out.back() == p)) out.push_back(p);
    while (out.size() > 1 && out.front() == out.back()) out.pop_back();
    return out;
}

double segment_distance(Vec2 p, Vec2 a, Vec2 b) {
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0;
    t = std::clamp(t, 0.0, 1.0);
    return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/// Douglas–Peucker on pts[first..last] (both kept): marks the kept vertices in `keep`.
void douglas_peucker(const std::vector<Vec2>& pts, std::size_t first, std::size_t last, double eps,
                     std::string& keep) {
    std::vector<std::pair<std::size_t, std::size_t>> stack{{first, last}};
    while (!stack.empty()) {
        const auto [a, b] = stack.back();
        stack.pop_back();
        if (b <= a + 1) continue;
        double best = -1;
        std::size_t at = a;
        for (std::size_t i = a + 1; i < b; ++i) {
            const double d = segment_distance(pts[i], pts[a], pts[b]);
            if (d > best) {
                best = d;
                at = i;
            }
        }
        if (best > eps) {
            keep[at] = 1;
            stack.emplace_back(a, at);
            stack.emplace_back(at, b);
        }
    }
}

/// Simplifies one arc (node to node, both kept) in its canonical direction, so the arc and
/// its reverse (the neighbour's copy) give the same vertices.
std::vector<Vec2> simplify_arc(std::vector<Vec2> arc, double eps) {
    const std::size_t n = arc.size();
    if (n <= 2) return arc;
    const bool closed = arc.front() == arc.back();
    const bool reversed = closed ? less_xy(arc[n - 2], arc[1]) : less_xy(arc.back(), arc.front());
    if (reversed) std::reverse(arc.begin(), arc.end());
    // A string, not a vector<char>: GCC 12 warns of a null dereference on a vector it cannot
    // prove non-empty (-Wnull-dereference); a string's buffer is never null.
    std::string keep(n, '\0');
    keep[0] = keep[n - 1] = 1;
    if (closed) {
        // A loop from one node back to it: split at the vertex farthest from the node.
        std::size_t far = 1;
        double best = -1;
        for (std::size_t i = 1; i + 1 < n; ++i) {
            const double d = std::hypot(arc[i].x - arc[0].x, arc[i].y - arc[0].y);
            if (d > best) {
                best = d;
                far = i;
            }
        }
        keep[far] = 1;
        douglas_peucker(arc, 0, far, eps, keep);
        douglas_peucker(arc, far, n - 1, eps, keep);
    } else {
        douglas_peucker(arc, 0, n - 1, eps, keep);
    }
    std::vector<Vec2> out;
    for (std::size_t i = 0; i < n; ++i)
        if (keep[i]) out.push_back(arc[i]);
    if (reversed) std::reverse(out.begin(), out.end());
    return out;
}

/// Removes consecutive duplicates and back-and-forth spikes (a, b, a) around the ring.
void clean_ring(std::vector<Vec2>& r) {
    std::vector<Vec2> out;
    out.reserve(r.size());
    for (const Vec2& p : r) {
        if (!out.empty() && out.back() == p) continue;
        if (out.size() >= 2 && out[out.size() - 2] == p) {  // a, b, a -> a
            out.pop_back();
            continue;
        }
        out.push_back(p);
    }
    // The same across the seam (the ring is cyclic).
    bool changed = true;
    while (changed && out.size() >= 3) {
        changed = false;
        if (out.front() == out.back()) {
            out.pop_back();
            changed = true;
        } else if (out[1] == out.back()) {  // ..., b | a, b, ... : a is a spike
            out.erase(out.begin());
            out.pop_back();
            changed = true;
        } else if (out.front() == out[out.size() - 2]) {  // ..., a, b | a, ... : b is a spike
            out.pop_back();
            out.pop_back();
            changed = true;
        }
    }
    r = std::move(out);
}

Ring simplify_ring(const Ring& ring, const CoverageNodes& nodes, double eps, double grid) {
    std::vector<Vec2> pts = open_ring(ring);
    const std::size_t n = pts.size();
    if (n < 3) return {};
    std::vector<std::size_t> cuts;
    for (std::size_t i = 0; i < n; ++i)
        if (nodes.is_node(pts[i])) cuts.push_back(i);
    if (cuts.empty()) {  // no node: start at the smallest vertex (the same for every copy of the ring)
        std::size_t m = 0;
        for (std::size_t i = 1; i < n; ++i)
            if (less_xy(pts[i], pts[m])) m = i;
        cuts.push_back(m);
    }
    std::vector<Vec2> out;
    out.reserve(n);
    std::vector<Vec2> arc;
    for (std::size_t k = 0; k < cuts.size(); ++k) {
        const std::size_t a = cuts[k], b = cuts[(k + 1) % cuts.size()];
        arc.clear();
        for (std::size_t i = a;; i = (i + 1) % n) {
            arc.push_back(pts[i]);
            if (arc.size() > 1 && i == b) break;
        }
        const std::vector<Vec2> s = simplify_arc(arc, eps);
        out.insert(out.end(), s.begin(), s.end() - 1);  // the end node starts the next arc
    }
    if (grid > 0)
        for (Vec2& p : out) p = {std::round(p.x / grid) * grid, std::round(p.y / grid) * grid};
    clean_ring(out);
    if (out.size() < 3) return {};
    out.push_back(out.front());
    if (signed_ring_area(out) == 0) return {};
    return out;
}

}  // namespace

CoverageNodes::CoverageNodes(const std::vector<const Geometry*>& geometries) {
    // Every (vertex, neighbour) pair, sorted: a vertex whose distinct neighbours are not
    // exactly two is where arcs meet (or a ring's dead end).
    struct Pair {
        Vec2 v, nb;
    };
    std::vector<Pair> pairs;
    std::size_t total = 0;
    for (const Geometry* g : geometries)
        if (g && g->is_polygonal()) total += g->vertex_count();
    pairs.reserve(2 * total);
    for (const Geometry* g : geometries) {
        if (!g || !g->is_polygonal()) continue;
        for (const Polygon& poly : g->polygons)
            for (const Ring& r : poly.rings) {
                const std::vector<Vec2> pts = open_ring(r);
                const std::size_t n = pts.size();
                if (n < 2) continue;
                for (std::size_t i = 0; i < n; ++i) {
                    pairs.push_back({pts[i], pts[(i + n - 1) % n]});
                    pairs.push_back({pts[i], pts[(i + 1) % n]});
                }
            }
    }
    std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) {
        if (!(a.v == b.v)) return less_xy(a.v, b.v);
        return less_xy(a.nb, b.nb);
    });
    for (std::size_t i = 0; i < pairs.size();) {
        std::size_t j = i, distinct = 0;
        for (; j < pairs.size() && pairs[j].v == pairs[i].v; ++j)
            if (j == i || !(pairs[j].nb == pairs[j - 1].nb)) ++distinct;
        if (distinct != 2) m_nodes.push_back(pairs[i].v);
        i = j;
    }
}

bool CoverageNodes::is_node(Vec2 p) const {
    return std::binary_search(m_nodes.begin(), m_nodes.end(), p, less_xy);
}

Geometry simplify_coverage_member(const Geometry& geometry, const CoverageNodes& nodes, double tolerance) {
    if (!geometry.is_polygonal() || !(tolerance > 0)) return geometry;
    Geometry out;
    out.type = geometry.type;
    const double eps = tolerance * 0.5, grid = tolerance * 0.5;
    for (const Polygon& poly : geometry.polygons) {
        if (poly.rings.empty()) continue;
        Polygon p;
        Ring shell = simplify_ring(poly.rings[0], nodes, eps, grid);
        if (shell.empty()) continue;
        p.rings.push_back(std::move(shell));
        for (std::size_t h = 1; h < poly.rings.size(); ++h) {
            Ring hole = simplify_ring(poly.rings[h], nodes, eps, grid);
            if (!hole.empty()) p.rings.push_back(std::move(hole));
        }
        out.polygons.push_back(std::move(p));
    }
    return out;
}

}  // namespace hq
