// Shared-edge-aware simplification (geo/geometry/simplify.hpp): nodes of a coverage,
// neighbours keeping identical shared edges, areas, collapsed rings, shared holes.
#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include <catch2/catch.hpp>

#include "geo/geometry/simplify.hpp"
#include "tests/geometry/coverage_fixture.hpp"

using Catch::Matchers::WithinRel;

using namespace hq;

namespace {

std::vector<const Geometry*> pointers(const std::vector<Geometry>& gs) {
    std::vector<const Geometry*> out;
    for (const auto& g : gs) out.push_back(&g);
    return out;
}

double quad_area(Vec2 a, Vec2 b, Vec2 c, Vec2 d) {
    return 0.5 * ((a.x * b.y - b.x * a.y) + (b.x * c.y - c.x * b.y) + (c.x * d.y - d.x * c.y) +
                  (d.x * a.y - a.x * d.y));
}

using Edge = std::pair<std::pair<double, double>, std::pair<double, double>>;

/// Directed edges of every ring, counted.
std::map<Edge, int> directed_edges(const std::vector<Geometry>& gs) {
    std::map<Edge, int> e;
    for (const auto& g : gs)
        for (const auto& p : g.polygons)
            for (const auto& r : p.rings)
                for (std::size_t i = 0; i + 1 < r.size(); ++i)
                    ++e[{{r[i].x, r[i].y}, {r[i + 1].x, r[i + 1].y}}];
    return e;
}

}  // namespace

TEST_CASE("coverage nodes: grid vertices where three or more edges meet, not the densified points",
          "[geometry][simplify]") {
    // 6 x 6 cells: 7 x 7 grid vertices. Interior ones meet 4 edges, boundary ones 3, the
    // 4 corners only 2 (like every densified point): 49 - 4 = 45 nodes.
    const auto cov = test::densified_grid(6, 6, 100, 9, 0.4, 4);
    const CoverageNodes nodes(pointers(cov.cells));
    CHECK(nodes.size() == 45);
    CHECK(nodes.is_node(cov.corner(3, 3)));
    CHECK(nodes.is_node(cov.corner(0, 2)));
    CHECK_FALSE(nodes.is_node(cov.corner(0, 0)));
    CHECK_FALSE(nodes.is_node(cov.cells[0].polygons[0].rings[0][1]));  // a densified point
}

TEST_CASE("simplify: a densified coverage falls back to its grid corners, cell by cell",
          "[geometry][simplify]") {
    // Zig-zag of ±0.4 m; tolerance 2 m: Douglas–Peucker at 1 m drops every densified point,
    // the 1 m grid keeps the whole-metre corners. Each cell becomes its 4 corners exactly.
    const auto cov = test::densified_grid(6, 6, 100, 9, 0.4, 4);
    const CoverageNodes nodes(pointers(cov.cells));
    for (int j = 0; j < 6; ++j)
        for (int i = 0; i < 6; ++i) {
            const Geometry s =
                simplify_coverage_member(cov.cells[static_cast<std::size_t>(j * 6 + i)], nodes, 2.0);
            REQUIRE(s.polygons.size() == 1);
            const Ring& r = s.polygons[0].rings[0];
            REQUIRE(r.size() == 5);  // 4 corners + closing point
            const double expected = quad_area(cov.corner(i, j), cov.corner(i + 1, j),
                                              cov.corner(i + 1, j + 1), cov.corner(i, j + 1));
            CHECK_THAT(signed_ring_area(r), WithinRel(expected, 1e-12));
            for (std::size_t k = 0; k < 4; ++k) {
                const Vec2 p = r[k];
                const bool is_corner = p == cov.corner(i, j) || p == cov.corner(i + 1, j) ||
                                       p == cov.corner(i + 1, j + 1) || p == cov.corner(i, j + 1);
                CHECK(is_corner);
            }
        }
}

TEST_CASE("simplify: neighbours keep identical shared edges and the total area at a coarse tolerance",
          "[geometry][simplify]") {
    // Tolerance 30 m on 100 m cells with corners jittered by up to 8 m: the 15 m grid moves
    // corners, yet every interior edge is still drawn once in each direction (no gap, no
    // overlap), and the outer square (multiples of 15 m) keeps its area: 600 × 600 m.
    const auto cov = test::densified_grid(6, 6, 100, 9, 0.4, 4);
    const CoverageNodes nodes(pointers(cov.cells));
    std::vector<Geometry> simplified;
    for (const auto& c : cov.cells) simplified.push_back(simplify_coverage_member(c, nodes, 30.0));
    const auto edges = directed_edges(simplified);
    int interior = 0;
    for (const auto& [e, count] : edges) {
        CHECK(count == 1);
        const bool boundary =
            (e.first.first == e.second.first && (e.first.first == 0 || e.first.first == 600)) ||
            (e.first.second == e.second.second && (e.first.second == 0 || e.first.second == 600));
        if (boundary) continue;
        ++interior;
        INFO("edge (" << e.first.first << ", " << e.first.second << ") -> (" << e.second.first << ", "
                      << e.second.second << ")");
        CHECK(edges.count({e.second, e.first}) == 1);
    }
    CHECK(interior > 0);
    double total = 0, original = 0;
    for (const auto& g : simplified) total += planar_area(g);
    for (const auto& g : cov.cells) original += planar_area(g);
    CHECK_THAT(total, WithinRel(360000.0, 1e-9));
    CHECK_THAT(original, WithinRel(360000.0, 0.01));  // the zig-zag on the outer edges cancels out
    // And fewer vertices: 36 cells × 40 points before; at most 4 + a few after.
    std::size_t before = 0, after = 0;
    for (const auto& g : cov.cells) before += g.vertex_count();
    for (const auto& g : simplified) after += g.vertex_count();
    CHECK(after * 4 < before);
}

TEST_CASE("simplify: a ring with no node, a hole filled by another polygon, a collapsed cell",
          "[geometry][simplify]") {
    // A 100 m square densified with ±0.3 m zig-zags, alone: its corners have two neighbours
    // each, so there is no node; it starts at its smallest vertex (a zig-zag point at
    // x = -0.3, kept as the loop's fixed end) and keeps the 4 corners besides.
    const auto lone = test::densified_grid(1, 1, 100, 7, 0.3, 0);
    const CoverageNodes lone_nodes(pointers(lone.cells));
    CHECK(lone_nodes.size() == 0);
    const Geometry s = simplify_coverage_member(lone.cells[0], lone_nodes, 2.0);
    REQUIRE(s.polygons.size() == 1);
    CHECK(s.polygons[0].rings[0].size() == 6);
    CHECK_THAT(planar_area(s), WithinRel(10000.0, 0.005));  // the kept point adds < 0.3 × 100 m²

    // A square with a hole that another polygon fills exactly (the same densified ring,
    // reversed): after simplification the hole and the island are still the same ring.
    Geometry outer = Geometry::polygon({{-100, -100}, {200, -100}, {200, 200}, {-100, 200}, {-100, -100}});
    Ring hole = lone.cells[0].polygons[0].rings[0];
    std::reverse(hole.begin(), hole.end());
    outer.polygons[0].rings.push_back(hole);
    const std::vector<Geometry> pair{outer, lone.cells[0]};
    const CoverageNodes pair_nodes(pointers(pair));
    const Geometry so = simplify_coverage_member(outer, pair_nodes, 2.0);
    const Geometry si = simplify_coverage_member(lone.cells[0], pair_nodes, 2.0);
    REQUIRE(so.polygons.size() == 1);
    REQUIRE(so.polygons[0].rings.size() == 2);
    Ring back = si.polygons[0].rings[0];
    std::reverse(back.begin(), back.end());
    const Ring& h = so.polygons[0].rings[1];
    // Same cyclic sequence (they may start at different vertices).
    REQUIRE(h.size() == back.size());
    const auto start = std::find(back.begin(), back.end() - 1, h[0]);
    REQUIRE(start != back.end() - 1);
    for (std::size_t k = 0; k + 1 < h.size(); ++k)
        CHECK(h[k] == back[(static_cast<std::size_t>(start - back.begin()) + k) % (back.size() - 1)]);
    CHECK_THAT(planar_area(so) + planar_area(si), Catch::Matchers::WithinRel(90000.0, 1e-12));  // 300 × 300 m in all

    // A 3 m triangle at tolerance 20 m (10 m grid): it collapses and is dropped.
    const Geometry tiny = Geometry::polygon({{1, 1}, {4, 1}, {1, 4}, {1, 1}});
    const CoverageNodes tn(std::vector<const Geometry*>{&tiny});
    CHECK(simplify_coverage_member(tiny, tn, 20.0).polygons.empty());
    // Tolerance 0: unchanged.
    CHECK(simplify_coverage_member(tiny, tn, 0.0).polygons[0].rings[0] == tiny.polygons[0].rings[0]);
}
