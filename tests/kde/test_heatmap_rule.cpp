// The one spreading rule of geo/analysis/surfaces (docs/heatmap.md, "Points from polygon
// units"), hand-worked on one courtyard of 100 residents and two buildings.
#include <catch2/catch.hpp>

#include <string>

#include "geo/analysis/surfaces.hpp"
#include "geo/core/error.hpp"
#include "geo/project/edit.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

using namespace hq;

/// Planar (metres): courtyard [0,40]², pop_a 100; buildings [5,15]×[5,25] (200 m²) and
/// [25,35]×[5,15] (100 m²), whose own pop_a counts are 30 and 10 when `with_column`.
Project one_courtyard(bool with_column) {
    Project p;
    p.path = "memory";
    p.planar = true;
    p.count_roles = {"units"};
    p.groups = {{"pop_a", "", "", "甲族", "Alpha", "#1565c0"}};
    Layer u;
    u.table.name = "courtyards";
    u.table.path = "courtyards.geojson";
    u.table.fields = {{"pop_a", FieldType::Integer}};
    u.ids = {"C1"};
    u.metric = {edit::rectangle({0, 0}, {40, 40})};
    u.display = u.metric;
    u.table.rows.push_back({Value{std::int64_t{100}}});
    u.geom_type = GeomType::Polygon;
    Layer b;
    b.table.name = "buildings";
    b.table.path = "buildings.geojson";
    b.table.fields = {{with_column ? "pop_a" : "floors", FieldType::Integer}};
    b.ids = {"B1", "B2"};
    b.metric = {edit::rectangle({5, 5}, {15, 25}), edit::rectangle({25, 5}, {35, 15})};
    b.display = b.metric;
    b.table.rows.push_back({Value{std::int64_t{30}}});
    b.table.rows.push_back({Value{std::int64_t{10}}});
    b.geom_type = GeomType::Polygon;
    p.layers.push_back({Role::Units, std::move(u)});
    p.layers.push_back({Role::Buildings, std::move(b)});
    return p;
}

bool inside(Vec2 p, double x0, double y0, double x1, double y1) { return p.x > x0 && p.x < x1 && p.y > y0 && p.y < y1; }

}  // namespace

TEST_CASE("Spreading rule: buildings only when they carry the group's counts", "[kde][heatmap]") {
    analysis::SurfaceRequest r;
    r.privacy.guard = false;  // the raw spreading rule (with the guard on building counts are not used)
    r.radius_m = 50;
    r.pixel_m = 2;
    // Lattice spacing max(pixel / 2, radius / 5) = max(1, 10) = 10 m.
    CHECK_THAT(analysis::spread_spacing(r), WithinAbs(10.0, 0.0));

    SECTION("the buildings hold pop_a: 100 split 30 : 10, i.e. 75 and 25 at the buildings") {
        const Project p = one_courtyard(true);
        const Layer& u = *p.layer(Role::Units);
        const auto sp = analysis::spread_column(p, u, {100.0}, "pop_a", r);
        CHECK(sp.used == analysis::Spread::Buildings);
        REQUIRE(sp.points.points.size() == 2);
        CHECK(inside(sp.points.points[0], 5, 5, 15, 25));
        CHECK(inside(sp.points.points[1], 25, 5, 35, 15));
        CHECK_THAT(sp.points.weights[0], WithinRel(75.0, 1e-15));
        CHECK_THAT(sp.points.weights[1], WithinRel(25.0, 1e-15));
    }
    SECTION("the buildings do not hold pop_a: auto spreads over the courtyard's area") {
        const Project p = one_courtyard(false);
        const Layer& u = *p.layer(Role::Units);
        const auto sp = analysis::spread_column(p, u, {100.0}, "pop_a", r);
        CHECK(sp.used == analysis::Spread::Area);
        // Lattice points (i + ½)·10 inside [0,40]²: x, y ∈ {5, 15, 25, 35}: 16 points of 100 / 16.
        REQUIRE(sp.points.points.size() == 16);
        for (std::size_t i = 0; i < 16; ++i) {
            CHECK_THAT(sp.points.weights[i], WithinRel(6.25, 1e-15));
            CHECK(inside(sp.points.points[i], 0, 0, 40, 40));
        }
        // Asked for explicitly, buildings assume residents evenly spread over the footprints:
        // 200 m² : 100 m² gives 66.67 and 33.33.
        r.spread = analysis::Spread::Buildings;
        const auto fb = analysis::spread_column(p, u, {100.0}, "pop_a", r);
        CHECK(fb.used == analysis::Spread::Buildings);
        REQUIRE(fb.points.weights.size() == 2);
        CHECK_THAT(fb.points.weights[0], WithinRel(200.0 / 3.0, 1e-14));
        CHECK_THAT(fb.points.weights[1], WithinRel(100.0 / 3.0, 1e-14));
    }
    SECTION("the same rule feeds group_density: its grid integrates to 100 residents") {
        const Project p = one_courtyard(true);
        const auto table = analysis::group_count_table(p);
        const Grid g = analysis::group_density(p, *table, 0, r);
        double s = 0;
        for (const double v : g.values) s += v;
        // Scaled quartic over a 2 m grid that covers every disc: Σ · pixel² ≈ 100 (discretisation).
        CHECK_THAT(s * 4.0, WithinRel(100.0, 2e-3));
        // The quartic peak of the 75-resident point: 75 · 3/(π·50²) at its own cell at most.
        double mx = 0;
        for (const double v : g.values) mx = std::max(mx, v);
        CHECK(mx <= (75.0 + 25.0) * 3.0 / (3.141592653589793 * 2500.0));
        CHECK(mx >= 75.0 * 3.0 / (3.141592653589793 * 2500.0) * 0.98);
    }
}
