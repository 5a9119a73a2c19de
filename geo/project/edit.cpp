#include "geo/project/edit.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "geo/core/error.hpp"

namespace hq::edit {

namespace {

double dist(Vec2 a, Vec2 b) { return std::hypot(a.x - b.x, a.y - b.y); }

Vec2 closest_on_segment(Vec2 p, Vec2 a, Vec2 b) {
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double len2 = dx * dx + dy * dy;
    const double t = len2 > 0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0.0, 1.0) : 0.0;
    return {a.x + t * dx, a.y + t * dy};
}

Ring& ring_of(Geometry& g, VertexRef v) {
    if (!g.is_polygonal() || v.polygon >= g.polygons.size() || v.ring >= g.polygons[v.polygon].rings.size())
        throw InputError("no such ring in the zone");
    Ring& r = g.polygons[v.polygon].rings[v.ring];
    if (r.size() < 4 || v.index + 1 >= r.size()) throw InputError("no such vertex in the zone");
    return r;
}

/// Calls f(ref, a, b) for every edge of every ring of every polygon.
template <class F>
void for_each_edge(const Geometry& g, F&& f) {
    for (std::size_t pi = 0; pi < g.polygons.size(); ++pi)
        for (std::size_t ri = 0; ri < g.polygons[pi].rings.size(); ++ri) {
            const Ring& r = g.polygons[pi].rings[ri];
            for (std::size_t k = 0; k + 1 < r.size(); ++k) f(VertexRef{pi, ri, k}, r[k], r[k + 1]);
        }
    for (std::size_t li = 0; li < g.lines.size(); ++li)
        for (std::size_t k = 0; k + 1 < g.lines[li].size(); ++k)
            f(VertexRef{li, 0, k}, g.lines[li][k], g.lines[li][k + 1]);
}

}  // namespace

// [SECTION] Polygon drawing ------------------------------------------------------------------

bool PolygonDrawing::add_vertex(Vec2 p) {
    if (m_confirming) return false;
    if (!m_vertices.empty() && m_vertices.back() == p) return false;
    m_vertices.push_back(p);
    return true;
}

bool PolygonDrawing::remove_last_vertex() {
    if (m_vertices.empty() || m_confirming) return false;
    m_vertices.pop_back();
    return true;
}

std::optional<Geometry> PolygonDrawing::finish() {
    if (m_confirming) return std::nullopt;
    std::vector<Vec2> v = m_vertices;
    while (v.size() > 1 && v.back() == v.front()) v.pop_back();  // a click on the first vertex closes
    std::vector<Vec2> distinct = v;
    std::sort(distinct.begin(), distinct.end(), [](Vec2 a, Vec2 b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    if (distinct.size() < 3) return std::nullopt;
    Ring r = v;
    r.push_back(v.front());
    m_vertices.clear();
    return Geometry::polygon(std::move(r));
}

EscapeResult PolygonDrawing::escape() {
    if (m_vertices.empty()) {
        m_confirming = false;
        return EscapeResult::Nothing;
    }
    if (m_confirming) {
        // Esc on the question dismisses it, as in any dialog: the vertices are kept.
        m_confirming = false;
        return EscapeResult::Nothing;
    }
    if (m_vertices.size() > 3) {
        m_confirming = true;
        return EscapeResult::NeedsConfirmation;
    }
    confirm_cancel();
    return EscapeResult::Cancelled;
}

void PolygonDrawing::confirm_cancel() {
    m_vertices.clear();
    m_confirming = false;
}

// [SECTION] Shapes ---------------------------------------------------------------------------

Geometry rectangle(Vec2 a, Vec2 b) {
    const double x0 = std::min(a.x, b.x), x1 = std::max(a.x, b.x);
    const double y0 = std::min(a.y, b.y), y1 = std::max(a.y, b.y);
    if (!(x1 > x0 && y1 > y0)) throw InputError("a rectangle needs two corners that differ in x and in y");
    return Geometry::polygon({{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}});
}

Geometry circle(Vec2 c, double radius, int segments) {
    if (!(radius > 0) || !std::isfinite(radius)) throw InputError("a circle needs a radius above 0 m");
    segments = std::max(segments, 8);
    Ring r;
    r.reserve(static_cast<std::size_t>(segments) + 1);
    for (int k = 0; k < segments; ++k) {
        const double a = 2 * std::numbers::pi * k / segments;
        r.push_back({c.x + radius * std::cos(a), c.y + radius * std::sin(a)});
    }
    r.push_back(r.front());
    return Geometry::polygon(std::move(r));
}

Geometry buffer_feature(const Geometry& g, double metres, int quadrant_segments) {
    if (!(metres > 0) || !std::isfinite(metres)) throw InputError("a buffer needs a distance above 0 m");
    if (g.empty()) throw InputError("nothing to buffer: the feature has no geometry");
    Geometry b = buffer(g, metres, quadrant_segments);
    if (b.empty() || !b.is_polygonal()) throw InputError("the buffer is empty");
    return b;
}

Geometry translate(const Geometry& g, Vec2 d) {
    Geometry out = g;
    out.for_each_vertex([d](Vec2& p) {
        p.x += d.x;
        p.y += d.y;
    });
    return out;
}

// [SECTION] Vertex editing -------------------------------------------------------------------

std::optional<VertexRef> nearest_vertex(const Geometry& g, Vec2 p, double tolerance) {
    std::optional<VertexRef> best;
    double best_d = tolerance;
    for (std::size_t pi = 0; pi < g.polygons.size(); ++pi)
        for (std::size_t ri = 0; ri < g.polygons[pi].rings.size(); ++ri) {
            const Ring& r = g.polygons[pi].rings[ri];
            for (std::size_t k = 0; k + 1 < r.size(); ++k) {
                const double d = dist(r[k], p);
                if (d < best_d || (d == best_d && !best)) {
                    best_d = d;
                    best = VertexRef{pi, ri, k};
                }
            }
        }
    return best;
}

std::optional<EdgeHit> nearest_edge(const Geometry& g, Vec2 p, double tolerance) {
    std::optional<EdgeHit> best;
    for_each_edge(g, [&](VertexRef ref, Vec2 a, Vec2 b) {
        const Vec2 q = closest_on_segment(p, a, b);
        const double d = dist(p, q);
        if (d <= tolerance && (!best || d < best->distance)) best = EdgeHit{ref, q, d};
    });
    return best;
}

Geometry move_vertex(const Geometry& g, VertexRef v, Vec2 p) {
    Geometry out = g;
    Ring& r = ring_of(out, v);
    r[v.index] = p;
    if (v.index == 0) r.back() = p;
    return out;
}

Geometry insert_vertex(const Geometry& g, VertexRef edge, Vec2 p) {
    Geometry out = g;
    Ring& r = ring_of(out, edge);
    r.insert(r.begin() + static_cast<std::ptrdiff_t>(edge.index + 1), p);
    return out;
}

Geometry delete_vertex(const Geometry& g, VertexRef v) {
    Geometry out = g;
    Ring& r = ring_of(out, v);
    if (r.size() <= 4) throw InputError("a polygon ring needs at least 3 vertices");
    r.erase(r.begin() + static_cast<std::ptrdiff_t>(v.index));
    if (v.index == 0) r.back() = r.front();
    return out;
}

// [SECTION] Snapping -------------------------------------------------------------------------

Snapper::Snapper(std::vector<Geometry> targets) : m_targets(std::move(targets)) {
    std::vector<Box> boxes;
    boxes.reserve(m_targets.size());
    for (const auto& t : m_targets) boxes.push_back(t.bounds());
    m_index = SpatialIndex(boxes);
}

std::optional<SnapResult> Snapper::snap(Vec2 p, double tolerance) const {
    if (!enabled || !(tolerance > 0)) return std::nullopt;
    Box q;
    q.expand(p);
    auto ids = m_index.query(q.inflated(tolerance));
    std::sort(ids.begin(), ids.end());
    std::optional<SnapResult> vertex, edge;
    for (std::uint32_t id : ids) {
        const Geometry& g = m_targets[id];
        g.for_each_vertex([&](const Vec2& v) {
            const double d = dist(v, p);
            if (d <= tolerance && (!vertex || d < vertex->distance))
                vertex = SnapResult{SnapResult::Kind::Vertex, v, id, d};
        });
        for_each_edge(g, [&](VertexRef, Vec2 a, Vec2 b) {
            const Vec2 c = closest_on_segment(p, a, b);
            const double d = dist(c, p);
            if (d <= tolerance && (!edge || d < edge->distance)) edge = SnapResult{SnapResult::Kind::Edge, c, id, d};
        });
    }
    return vertex ? vertex : edge;
}

Vec2 Snapper::snapped(Vec2 p, double tolerance) const {
    const auto s = snap(p, tolerance);
    return s ? s->point : p;
}

// [SECTION] Validity -------------------------------------------------------------------------

Validity check_zone(const Geometry& g) {
    if (g.empty()) return {false, "empty geometry"};
    if (!g.is_polygonal()) return {false, std::string("not a polygon (") + geom_type_name(g.type) + ")"};
    try {
        return check_validity(g);
    } catch (const std::exception& e) {
        return {false, e.what()};
    }
}

Geometry repair_zone(const Geometry& g) {
    Geometry fixed;
    try {
        fixed = make_valid(g);
    } catch (const std::exception& e) {
        throw InputError(std::string("the zone cannot be repaired: ") + e.what());
    }
    if (fixed.empty() || !fixed.is_polygonal() || planar_area(fixed) <= 0)
        throw InputError("the zone has no area left after repair");
    return fixed;
}

}  // namespace hq::edit
