#include "geo/weights/contiguity.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "geo/core/error.hpp"
#include "geo/core/limits.hpp"
#include "geo/core/parallel.hpp"
#include "geo/geometry/geos.hpp"
#include "geo/geometry/spatial_index.hpp"

namespace hq {

namespace detail {

struct VertexKey {
    double x, y;
    std::uint32_t id;
};

struct EdgeKey {
    double x1, y1, x2, y2;
    std::uint32_t id;
};

bool vertex_less(const VertexKey& a, const VertexKey& b) {
    if (a.x != b.x) return a.x < b.x;
    if (a.y != b.y) return a.y < b.y;
    return a.id < b.id;
}

bool edge_less(const EdgeKey& a, const EdgeKey& b) {
    if (a.x1 != b.x1) return a.x1 < b.x1;
    if (a.y1 != b.y1) return a.y1 < b.y1;
    if (a.x2 != b.x2) return a.x2 < b.x2;
    if (a.y2 != b.y2) return a.y2 < b.y2;
    return a.id < b.id;
}

/// Refuses a unit with more neighbours than the documented limit (docs/limits.md): N stacked
/// copies of one polygon are all each other's neighbours, N² links (5,000 copies: 25
/// million), which no analysis of a neighbourhood needs and which would take minutes and
/// gigabytes. Called before the quadratic work, so a refusal is quick.
void check_neighbour_count(std::size_t feature, std::size_t count) {
    const std::size_t limit = limits().neighbours_per_unit;
    if (count > limit)
        throw InputError(ErrorContext{.feature = feature},
                         "has more than " + std::to_string(limit) +
                             " contiguity neighbours, the limit per unit (docs/limits.md); are many copies of one "
                             "polygon stacked on each other?");
}

/// For each group of keys that compare equal (by `same`), records every pair of distinct
/// ids (a < b) in pairs[a]. Keys must be sorted with ids ascending inside a group. A group
/// of more than limits().neighbours_per_unit + 1 ids is refused before its pairs are made.
template <class Key, class Same>
void pairs_from_groups(const std::vector<Key>& keys, Same same, std::vector<std::vector<std::uint32_t>>& pairs) {
    std::vector<std::uint32_t> ids;
    for (std::size_t g = 0; g < keys.size();) {
        std::size_t e = g + 1;
        while (e < keys.size() && same(keys[g], keys[e])) ++e;
        if (e - g > 1) {
            ids.clear();
            for (std::size_t k = g; k < e; ++k)
                if (ids.empty() || ids.back() != keys[k].id) ids.push_back(keys[k].id);
            if (!ids.empty()) check_neighbour_count(ids.front(), ids.size() - 1);
            for (std::size_t a = 0; a < ids.size(); ++a)
                for (std::size_t b = a + 1; b < ids.size(); ++b) pairs[ids[a]].push_back(ids[b]);
        }
        g = e;
    }
    for (auto& p : pairs) {
        std::sort(p.begin(), p.end());
        p.erase(std::unique(p.begin(), p.end()), p.end());
    }
}

template <class F>
void for_each_ring(const Geometry& g, F&& f) {
    for (const auto& poly : g.polygons)
        for (const auto& r : poly.rings) f(r);
}

/// True when the vertices of a and b lying in the intersection of their boxes have at
/// least two distinct coordinates: the precondition for a shared segment of positive
/// length (both ends of a common segment are vertices of a or b and lie in both boxes).
bool two_points_in_box_overlap(const Geometry& a, const Box& ba, const Geometry& b, const Box& bb) {
    const Box o{std::max(ba.minx, bb.minx), std::max(ba.miny, bb.miny), std::min(ba.maxx, bb.maxx),
                std::min(ba.maxy, bb.maxy)};
    if (o.empty()) return false;
    bool have = false;
    Vec2 first;
    bool found = false;
    auto visit = [&](const Geometry& g) {
        for_each_ring(g, [&](const Ring& r) {
            if (found) return;
            for (const auto& p : r) {
                if (!o.contains(p)) continue;
                if (!have) {
                    first = p;
                    have = true;
                } else if (!(p == first)) {
                    found = true;
                    return;
                }
            }
        });
    };
    visit(a);
    if (!found) visit(b);
    return found;
}

bool contains_sorted(const std::vector<std::uint32_t>& v, std::uint32_t x) {
    return std::binary_search(v.begin(), v.end(), x);
}

}  // namespace detail

Weights contiguity_weights(const std::vector<Geometry>& polygons, const ContiguityOptions& options,
                           const Progress& progress) {
    const std::size_t n = polygons.size();
    if (!(options.tolerance >= 0.0) || !std::isfinite(options.tolerance))
        throw InputError("contiguity: the snapping tolerance must be a finite number >= 0, not " +
                         std::to_string(options.tolerance));
    for (std::size_t i = 0; i < n; ++i) {
        const Geometry& g = polygons[i];
        if (!g.is_polygonal() && !g.empty())
            throw InputError(ErrorContext{.feature = i},
                             std::string("contiguity weights need polygons, but this feature is a ") +
                                 geom_type_name(g.type));
    }
    if (n > 0xFFFFFFF0u) throw InputError("contiguity: too many features");
    const bool rook = options.kind == ContiguityKind::Rook;
    const double tol = options.tolerance;

    // 1. Boxes and the STR tree.
    std::vector<Box> boxes(n);
    for (std::size_t i = 0; i < n; ++i) boxes[i] = polygons[i].bounds();
    const SpatialIndex index(boxes);

    // 2. Identical vertices (and edges for rook), by sorting.
    std::vector<std::vector<std::uint32_t>> shared_vertex(n);
    {
        std::vector<detail::VertexKey> keys;
        for (std::size_t i = 0; i < n; ++i) {
            detail::for_each_ring(polygons[i], [&](const Ring& r) {
                const std::size_t m = (r.size() > 1 && r.front() == r.back()) ? r.size() - 1 : r.size();
                for (std::size_t k = 0; k < m; ++k)
                    keys.push_back({r[k].x, r[k].y, static_cast<std::uint32_t>(i)});
            });
        }
        std::sort(keys.begin(), keys.end(), detail::vertex_less);
        detail::pairs_from_groups(
            keys, [](const auto& a, const auto& b) { return a.x == b.x && a.y == b.y; }, shared_vertex);
    }
    progress.check();
    std::vector<std::vector<std::uint32_t>> shared_edge;
    if (rook) {
        shared_edge.resize(n);
        std::vector<detail::EdgeKey> keys;
        for (std::size_t i = 0; i < n; ++i) {
            detail::for_each_ring(polygons[i], [&](const Ring& r) {
                for (std::size_t k = 0; k + 1 < r.size(); ++k) {
                    Vec2 p = r[k], q = r[k + 1];
                    if (p == q) continue;
                    if (q.x < p.x || (q.x == p.x && q.y < p.y)) std::swap(p, q);
                    keys.push_back({p.x, p.y, q.x, q.y, static_cast<std::uint32_t>(i)});
                }
            });
        }
        std::sort(keys.begin(), keys.end(), detail::edge_less);
        detail::pairs_from_groups(
            keys,
            [](const auto& a, const auto& b) { return a.x1 == b.x1 && a.y1 == b.y1 && a.x2 == b.x2 && a.y2 == b.y2; },
            shared_edge);
    }
    progress.check();

    // 3. GEOS geometries, built lazily per feature by its own task would race; build all
    // up front (in parallel) and force their envelopes so later reads are read-only.
    std::vector<geos::GeomPtr> gg(n);
    parallel_for(
        n,
        [&](std::size_t i) {
            if (polygons[i].empty()) return;
            try {
                gg[i] = geos::to_geos(polygons[i]);
            } catch (const std::exception& e) {
                throw InputError(ErrorContext{.feature = i}, std::string("invalid polygon: ") + e.what());
            }
            double x = 0;
            GEOSGeom_getXMin_r(geos::context(), gg[i].get(), &x);
        },
        Progress{}, options.threads);

    // 4. Per feature i, the neighbours j > i (at most the limit per unit: a unit with more
    // stops the work at once, so stacked shifted copies are refused as fast as exact ones).
    std::vector<std::vector<std::uint32_t>> upper(n);
    parallel_for(
        n,
        [&](std::size_t i) {
            if (!gg[i]) return;
            GEOSContextHandle_t h = geos::context();
            std::vector<std::uint32_t> cand;
            index.query(tol > 0 ? boxes[i].inflated(tol) : boxes[i], cand);
            std::sort(cand.begin(), cand.end());
            geos::PreparedPtr prepared;
            auto& out = upper[i];
            for (const std::uint32_t j : cand) {
                if (j <= i || !gg[j]) continue;
                // Queen test.
                bool queen = detail::contains_sorted(shared_vertex[i], j);
                if (!queen) {
                    if (!prepared) prepared = geos::prepare(gg[i].get());
                    const char r = tol > 0 ? GEOSPreparedDistanceWithin_r(h, prepared.get(), gg[j].get(), tol)
                                           : GEOSPreparedIntersects_r(h, prepared.get(), gg[j].get());
                    if (r == 2)
                        throw InputError(ErrorContext{.feature = i},
                                         "GEOS failed on the contiguity test with feature " + std::to_string(j) +
                                             ": " + geos::last_error());
                    queen = r == 1;
                }
                if (!queen) continue;
                if (!rook) {
                    out.push_back(j);
                    detail::check_neighbour_count(i, out.size());
                    continue;
                }
                // Rook test.
                if (detail::contains_sorted(shared_edge[i], j)) {
                    out.push_back(j);
                    continue;
                }
                if (tol == 0 && !detail::two_points_in_box_overlap(polygons[i], boxes[i], polygons[j], boxes[j]))
                    continue;
                char r = 0;
                if (tol > 0) {
                    geos::GeomPtr snapped(GEOSSnap_r(h, gg[i].get(), gg[j].get(), tol));
                    if (!snapped)
                        throw InputError(ErrorContext{.feature = i}, "GEOS failed to snap to feature " +
                                                                         std::to_string(j) + ": " + geos::last_error());
                    r = GEOSRelatePattern_r(h, snapped.get(), gg[j].get(), "****1****");
                } else {
                    r = GEOSRelatePattern_r(h, gg[i].get(), gg[j].get(), "****1****");
                }
                if (r == 2)
                    throw InputError(ErrorContext{.feature = i}, "GEOS failed on the rook test with feature " +
                                                                     std::to_string(j) + ": " + geos::last_error());
                if (r == 1) out.push_back(j);
                detail::check_neighbour_count(i, out.size());
            }
        },
        progress, options.threads);

    std::vector<std::vector<std::uint32_t>> nb(n);
    for (std::size_t i = 0; i < n; ++i) {
        for (const std::uint32_t j : upper[i]) {
            nb[i].push_back(j);
            nb[j].push_back(static_cast<std::uint32_t>(i));
        }
    }
    for (std::size_t i = 0; i < n; ++i) detail::check_neighbour_count(i, nb[i].size());
    return Weights::from_lists(std::move(nb));
}

}  // namespace hq
