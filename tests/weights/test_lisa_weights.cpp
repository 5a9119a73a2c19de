// The shared LISA weights rule (geo/weights/lisa_weights.hpp): contiguity kept while at most
// a quarter of the units are islands, otherwise the 6 nearest representative points.
// Expected neighbour lists are worked out by hand from the layouts below.
#include <catch2/catch.hpp>

#include <vector>

#include "geo/weights/lisa_weights.hpp"

using hq::Geometry;
using hq::LisaWeights;

namespace {

Geometry square(double x0, double y0, double side = 10.0) {
    return Geometry::polygon({{x0, y0}, {x0 + side, y0}, {x0 + side, y0 + side}, {x0, y0 + side}, {x0, y0}});
}

std::vector<std::uint32_t> row(const hq::Weights& w, std::size_t i) {
    const auto r = w.row(i);
    return {r.begin(), r.end()};
}

}  // namespace

TEST_CASE("lisa_weights keeps contiguity when units touch", "[weights][lisa]") {
    // 3×3 grid of touching 10 m squares, ids row by row: the centre (4) has 8 queen
    // neighbours, 4 rook neighbours.
    std::vector<Geometry> g;
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c) g.push_back(square(10.0 * c, 10.0 * r));
    const LisaWeights q = hq::lisa_weights(g);
    CHECK_FALSE(q.nearest);
    CHECK(q.note_en().empty());
    CHECK(row(q.weights, 4) == std::vector<std::uint32_t>{0, 1, 2, 3, 5, 6, 7, 8});
    const LisaWeights r = hq::lisa_weights(g, hq::ContiguityKind::Rook);
    CHECK(row(r.weights, 4) == std::vector<std::uint32_t>{1, 3, 5, 7});
    CHECK(row(r.weights, 0) == std::vector<std::uint32_t>{1, 3});
}

TEST_CASE("lisa_weights: a quarter of islands is kept, more falls back", "[weights][lisa]") {
    // Six squares touching in a row (0–5) and two alone far away (6, 7): 2 of 8 islands =
    // exactly a quarter, contiguity kept and the two stay neighbourless.
    std::vector<Geometry> g;
    for (int i = 0; i < 6; ++i) g.push_back(square(10.0 * i, 0));
    g.push_back(square(500, 0));
    g.push_back(square(1000, 0));
    const LisaWeights kept = hq::lisa_weights(g);
    CHECK_FALSE(kept.nearest);
    CHECK(kept.contiguity_islands == 2);
    CHECK(kept.weights.islands() == std::vector<std::size_t>{6, 7});
    // A third lone square: 3 of 9 islands > a quarter → 6 nearest by point on surface.
    g.push_back(square(1500, 0));
    const LisaWeights fb = hq::lisa_weights(g);
    REQUIRE(fb.nearest);
    CHECK(fb.k == 6);
    CHECK(fb.contiguity_islands == 3);
    CHECK(fb.weights.islands().empty());
    for (std::size_t i = 0; i < fb.weights.n; ++i) CHECK(fb.weights.cardinality(i) == 6);
    // Centres x = 5, 15, ..., 55 (0–5), 505 (6), 1005 (7), 1505 (8). Unit 0's six nearest are
    // 1–5 (10–50 m) and 6 (500 m); unit 8's are 7 (500), 6 (1000), then 5, 4, 3, 2 (1450–1490).
    CHECK(row(fb.weights, 0) == std::vector<std::uint32_t>{1, 2, 3, 4, 5, 6});
    CHECK(row(fb.weights, 8) == std::vector<std::uint32_t>{2, 3, 4, 5, 6, 7});
    CHECK(fb.note_en() == "6 nearest neighbours (3 units have no contiguity neighbour)");
    CHECK(fb.note_zh() == "6近邻（3个单元无相邻单元）");
}

TEST_CASE("lisa_weights: points, empty units and tiny layers", "[weights][lisa]") {
    // Point units: no contiguity tried; k = min(6, n − 1) = 2 for three points.
    const std::vector<Geometry> pts = {Geometry::point({0, 0}), Geometry::point({10, 0}), Geometry::point({100, 0})};
    const LisaWeights p = hq::lisa_weights(pts);
    CHECK(p.points);
    CHECK(p.nearest);
    CHECK(p.k == 2);
    CHECK(row(p.weights, 2) == std::vector<std::uint32_t>{0, 1});
    CHECK(p.note_en() == "2 nearest neighbours (the units are not polygons)");

    // An empty unit has no location: it stays an island and nobody links to it.
    std::vector<Geometry> g = {square(0, 0), Geometry{}, square(100, 0), square(200, 0)};
    const LisaWeights e = hq::lisa_weights(g);
    REQUIRE(e.nearest);  // contiguity: all four are islands
    CHECK(e.k == 2);     // three located units
    CHECK(e.weights.cardinality(1) == 0);
    CHECK(row(e.weights, 0) == std::vector<std::uint32_t>{2, 3});
    CHECK(row(e.weights, 2) == std::vector<std::uint32_t>{0, 3});

    // One located unit: no links at all, not an error.
    const LisaWeights one = hq::lisa_weights({square(0, 0), Geometry{}});
    CHECK(one.weights.islands().size() == 2);
}
