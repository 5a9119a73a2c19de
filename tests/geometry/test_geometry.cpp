// GEOS wrappers and the STR index, checked against hand-worked geometry.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "geo/core/parallel.hpp"
#include "geo/geometry/geos.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/geometry/spatial_index.hpp"

using Catch::Matchers::WithinRel;

using namespace hq;

namespace {
Geometry rect(double x0, double y0, double x1, double y1) {
    return Geometry::polygon({{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}});
}
}  // namespace

TEST_CASE("area, centroid and point-on-surface of hand-worked polygons") {
    // 10 x 4 rectangle: area 40, centroid (5, 2).
    const Geometry r = rect(0, 0, 10, 4);
    REQUIRE_THAT(area(r), Catch::Matchers::WithinRel(40.0, 1e-12));
    REQUIRE_THAT(centroid(r).x, Catch::Matchers::WithinRel(5.0, 1e-12));
    REQUIRE_THAT(centroid(r).y, Catch::Matchers::WithinRel(2.0, 1e-12));
    // With a 2 x 2 hole at (1..3, 1..3): area 36; centroid x = (40*5 - 4*2)/36 = 5.3333.
    Geometry holed = r;
    holed.polygons[0].rings.push_back({{1, 1}, {1, 3}, {3, 3}, {3, 1}, {1, 1}});
    REQUIRE_THAT(area(holed), Catch::Matchers::WithinRel(36.0, 1e-12));
    REQUIRE_THAT(centroid(holed).x, Catch::Matchers::WithinRel(192.0 / 36.0, 1e-12));
    // L-shape: its centroid (1.1667, 1.1667) is outside the L; point-on-surface is inside.
    const Geometry l = Geometry::polygon({{0, 0}, {3, 0}, {3, 0.5}, {0.5, 0.5}, {0.5, 3}, {0, 3}, {0, 0}});
    REQUIRE_THAT(area(l), Catch::Matchers::WithinRel(3 * 0.5 + 2.5 * 0.5, 1e-12));
    const Vec2 c = centroid(l);
    REQUIRE_FALSE(point_in_polygon(l, c));
    REQUIRE(point_in_polygon(l, point_on_surface(l)));
    // Large UTM-like coordinates keep their precision in the shoelace.
    const Geometry far = rect(408000, 3390000, 408010.5, 3390004);
    REQUIRE_THAT(area(far), WithinRel(42.0, 1e-12));
}

TEST_CASE("predicates, overlay, buffer and distance") {
    const Geometry a = rect(0, 0, 2, 2), b = rect(1, 1, 3, 3), c = rect(5, 0, 6, 1);
    REQUIRE(intersects(a, b));
    REQUIRE_FALSE(intersects(a, c));
    REQUIRE(contains(rect(-1, -1, 4, 4), b));
    REQUIRE_FALSE(contains(a, b));
    REQUIRE_THAT(area(intersection(a, b)), Catch::Matchers::WithinRel(1.0, 1e-12));
    REQUIRE_THAT(area(difference(a, b)), Catch::Matchers::WithinRel(3.0, 1e-12));
    REQUIRE_THAT(area(union_all({a, b})), Catch::Matchers::WithinRel(7.0, 1e-12));
    REQUIRE_THAT(distance(a, c), Catch::Matchers::WithinRel(3.0, 1e-12));
    REQUIRE_THAT(distance(Geometry::point({0, 0}), Geometry::point({3, 4})), Catch::Matchers::WithinRel(5.0, 1e-12));
    // A buffered point approximates a circle: area -> pi r^2 as segments grow.
    REQUIRE_THAT(area(buffer(Geometry::point({0, 0}), 10.0, 64)), WithinRel(3.14159265 * 100, 1e-3));
    REQUIRE_THAT(length(rect(0, 0, 2, 3)), Catch::Matchers::WithinRel(10.0, 1e-12));
}

TEST_CASE("validity check and repair of a bow-tie") {
    const Geometry bow = Geometry::polygon({{0, 0}, {2, 2}, {2, 0}, {0, 2}, {0, 0}});
    const Validity v = check_validity(bow);
    REQUIRE_FALSE(v.valid);
    REQUIRE(v.reason.find("Self-intersection") != std::string::npos);
    const Geometry fixed = make_valid(bow);
    REQUIRE(check_validity(fixed).valid);
    REQUIRE(fixed.is_polygonal());
    REQUIRE(fixed.polygons.size() == 2);  // two triangles
    REQUIRE_THAT(area(fixed), Catch::Matchers::WithinRel(2.0, 1e-12));
    REQUIRE(check_validity(rect(0, 0, 1, 1)).valid);
}

TEST_CASE("GEOS round trip keeps rings, holes and multi parts") {
    Geometry m;
    m.type = GeomType::MultiPolygon;
    m.polygons.push_back(rect(0, 0, 4, 4).polygons[0]);
    m.polygons[0].rings.push_back({{1, 1}, {1, 2}, {2, 2}, {2, 1}, {1, 1}});
    m.polygons.push_back(rect(10, 10, 11, 11).polygons[0]);
    auto g = geos::to_geos(m);
    const Geometry back = geos::from_geos(g.get());
    REQUIRE(back.type == GeomType::MultiPolygon);
    REQUIRE(back.polygons.size() == 2);
    REQUIRE(back.polygons[0].rings.size() == 2);
    REQUIRE_THAT(area(back), Catch::Matchers::WithinRel(16 - 1 + 1, 1e-12));
    // A ring of 3 points is refused by GEOS with a message, not a crash.
    Geometry bad = Geometry::polygon({{0, 0}, {1, 1}, {0, 0}});
    REQUIRE_THROWS(geos::to_geos(bad));
}

TEST_CASE("GEOS works on several threads at once (one context per thread)") {
    std::vector<double> areas(2000);
    parallel_for(areas.size(), [&](std::size_t i) {
        const double s = 1.0 + static_cast<double>(i % 7);
        areas[i] = area(buffer(rect(0, 0, s, s), 0.0)) + area(intersection(rect(0, 0, s, s), rect(0, 0, 1, 1)));
    }, {}, 2);
    for (std::size_t i = 0; i < areas.size(); ++i) {
        const double s = 1.0 + static_cast<double>(i % 7);
        REQUIRE_THAT(areas[i], Catch::Matchers::WithinRel(s * s + 1.0, 1e-12));
    }
}

TEST_CASE("STR index: box queries and k-nearest equal brute force") {
    std::mt19937_64 gen(7);
    std::uniform_real_distribution<double> u(0, 1000);
    std::vector<Box> boxes;
    for (int i = 0; i < 5000; ++i) {
        const double x = u(gen), y = u(gen), w = u(gen) / 100, h = u(gen) / 100;
        boxes.push_back({x, y, x + w, y + h});
    }
    boxes.push_back(Box{});  // an empty box is never returned
    const SpatialIndex index(boxes);
    REQUIRE(index.size() == 5000);
    for (int q = 0; q < 50; ++q) {
        const double x = u(gen), y = u(gen);
        const Box query{x, y, x + 50, y + 30};
        auto got = index.query(query);
        std::sort(got.begin(), got.end());
        std::vector<std::uint32_t> want;
        for (std::uint32_t i = 0; i < boxes.size(); ++i)
            if (!boxes[i].empty() && boxes[i].intersects(query)) want.push_back(i);
        REQUIRE(got == want);
    }
    // Nearest on point items: compare with a sort by distance (ties by id).
    std::vector<Box> pts;
    for (int i = 0; i < 3000; ++i) {
        const double x = u(gen), y = u(gen);
        pts.push_back({x, y, x, y});
    }
    const SpatialIndex pindex(pts);
    for (int q = 0; q < 20; ++q) {
        const Vec2 p{u(gen), u(gen)};
        auto got = pindex.nearest(p, 8, q);
        std::vector<std::uint32_t> ids(pts.size());
        for (std::uint32_t i = 0; i < ids.size(); ++i) ids[i] = i;
        auto d2 = [&](std::uint32_t i) {
            const double dx = pts[i].minx - p.x, dy = pts[i].miny - p.y;
            return dx * dx + dy * dy;
        };
        ids.erase(std::remove(ids.begin(), ids.end(), static_cast<std::uint32_t>(q)), ids.end());
        std::sort(ids.begin(), ids.end(), [&](auto a, auto b) { return d2(a) < d2(b) || (d2(a) == d2(b) && a < b); });
        ids.resize(8);
        REQUIRE(got == ids);
    }
}
