// Zone evaluation against hand-computed small cases (tests/plan/, geo/plan/planner.hpp).
#include <catch2/catch.hpp>

#include <cmath>

#include "geo/plan/network.hpp"
#include "geo/plan/planner.hpp"
#include "geo/model/zone.hpp"

using namespace hq;
using namespace hq::plan;
using Approx = Catch::Detail::Approx;

namespace {

Geometry rect(double x0, double y0, double x1, double y1) {
    return Geometry::polygon({{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}});
}

// Four 100 m squares: U1 [0,100], U2 [100,200], U3 [200,300] in a row (queen neighbours
// U1–U2, U2–U3) and U4 [1000,1100] far away (an island). Counts (g1, g2):
//   U1 (80, 20)   U2 (50, 50)   U3 (10, 30)   U4 (60, 0);  X1 = 200, X2 = 100, T = 300.
// Representative points (point on surface of a square = its centre): x = 50, 150, 250, 1050; y = 50.
PlanInput row_of_squares() {
    PlanInput in;
    in.unit_ids = {"U1", "U2", "U3", "U4"};
    in.units = {rect(0, 0, 100, 100), rect(100, 0, 200, 100), rect(200, 0, 300, 100), rect(1000, 0, 1100, 100)};
    in.counts.units = 4;
    in.counts.groups = 2;
    in.counts.data = {80, 20, 50, 50, 10, 30, 60, 0};
    in.counts.names = {"g1", "g2"};
    in.venues = {{150, 150}};  // 100 m from U2's point (covered: the band includes 100), 141 m from U1 and U3
    return in;
}

}  // namespace

TEST_CASE("zone kinds round-trip through their ids", "[plan][zone]") {
    for (ZoneKind k : all_zone_kinds) CHECK(zone_kind_from_id(zone_kind_id(k)) == k);
    CHECK(zone_kind_from_id("Micro-Garden") == ZoneKind::MicroGarden);
    CHECK_FALSE(zone_kind_from_id("castle"));
    CHECK(is_iso_date("2024-02-29"));
    CHECK_FALSE(is_iso_date("2023-02-29"));
    CHECK_FALSE(is_iso_date("2023-13-01"));
    CHECK_FALSE(is_iso_date("1/2/2023"));
}

TEST_CASE("zones survive a trip through a layer", "[plan][zone]") {
    Zone z;
    z.id = "Z-1";
    z.geometry = rect(0, 0, 10, 10);
    z.name_zh = "藏族院落共享活动室";
    z.name_en = "Shared room";
    z.kind = ZoneKind::SharedActivityVenue;
    z.status = "proposed";
    z.budget = 120000;
    z.start_date = "2025-03-01";
    Layer l = zones_to_layer({z}, Crs{});
    const auto back = zones_from_layer(l);
    REQUIRE(back.size() == 1);
    CHECK(back[0] == z);

    l.table.rows[0][static_cast<std::size_t>(l.table.field_index("start_date"))] = std::string("March");
    CHECK_THROWS_AS(zones_from_layer(l), InputError);
}

TEST_CASE("straight-line catchment, diversity, reach and exposure by hand", "[plan][evaluate]") {
    PlannerOptions o;
    o.radius = 100;
    o.exposure_fraction = 0.2;
    // LISA on g2's share (0.2, 0.5, 0.75, 0), mean 0.3625, z = (-.1625, .1375, .3875, -.3625);
    // row-standardised queen lags: U1 .1375, U2 (−.1625 + .3875)/2 = .1125, U3 .1375, U4 island.
    // HH quadrant (z > 0, lag > 0): U2 and U3 for g2; none for g1 (U1 is HL, U4 an island).
    // The planner takes the clusters as given (geo/analysis computes them, with their
    // p-values: tests/plan/test_shuhan.cpp checks they are the LISA map's).
    PlanInput in = row_of_squares();
    in.hh = {0, 0, /*U2*/ 0, 1, /*U3*/ 0, 1, 0, 0};
    const Planner planner(in, o);
    REQUIRE(planner.distance_mode() == DistanceMode::Straight);
    CHECK(planner.unit_points()[1].x == Approx(150));
    CHECK(planner.unit_points()[1].y == Approx(50));

    // Zone [90,110] x [40,60] straddles U1 and U2: 40 m from the points of U1 and U2,
    // 140 m from U3. Overlap: 10 x 20 = 200 m² of each 10,000 m² square = 0.02.
    const Geometry zone = rect(90, 40, 110, 60);
    const Catchment c = planner.catchment(zone);
    CHECK(c.distance[0] == Approx(40));
    CHECK(c.distance[1] == Approx(40));
    CHECK(std::isinf(c.distance[2]));
    CHECK(c.overlap[0] == Approx(0.02));
    CHECK(c.overlap[1] == Approx(0.02));
    CHECK(c.weight == std::vector<double>{1, 1, 0, 0});

    const ZoneEvaluation e = planner.evaluate(zone);
    // Reached: g1 = 80 + 50 = 130, g2 = 20 + 50 = 70; catchment mix π = (0.65, 0.35).
    CHECK(e.residents_total == Approx(300));
    CHECK(e.residents_reached == Approx(200));
    REQUIRE(e.groups.size() == 2);
    CHECK(e.groups[0].reached == Approx(130));
    CHECK(e.groups[1].reached == Approx(70));
    CHECK(e.groups[0].share == Approx(0.65));  // 130 / 200
    CHECK(e.groups[1].share == Approx(0.70));  // 70 / 100
    CHECK_FALSE(e.groups[0].minority);
    CHECK(e.groups[1].minority);
    CHECK(e.entropy == Approx(-(0.65 * std::log(0.65) + 0.35 * std::log(0.35))));
    CHECK(e.entropy_normalised == Approx(-(0.65 * std::log(0.65) + 0.35 * std::log(0.35)) / std::log(2.0)));
    CHECK(e.simpson_interaction == Approx(2 * 0.65 * 0.35));  // 0.455
    // Redundancy: only U2 is within 100 m of the venue: 100 of the 200 reached residents.
    CHECK(e.venues_available);
    CHECK(e.redundancy == Approx(0.5));

    // HH clusters as given above: U2 and U3 for g2.
    CHECK(e.lisa_available);
    CHECK(e.groups[1].hh_total == Approx(80));    // 50 + 30
    CHECK(e.groups[1].hh_reached == Approx(50));  // U2 only
    CHECK(e.groups[0].hh_total == Approx(0));
    CHECK(e.hh_share == Approx(50.0 / 80.0));

    // Residential exposure (xPy = Σ_i (x_ig / X_g)(x_ih / t_i)), t = (100, 100, 40, 60):
    //   E11 = (80·.8 + 50·.5 + 10·.25 + 60·1)/200 = 151.5/200 = .7575,  E12 = .2425
    //   E22 = (20·.2 + 50·.5 + 30·.75)/100 = .515,                       E21 = .485
    // After, f = 0.2, zone mix π = (.65, .35):
    //   E11' = .7575 + .2·[.4·(.65−.8) + .25·(.65−.5)] = .7575 − .0045 = .753
    //   E22' = .515 + .2·[.2·(.35−.2) + .5·(.35−.5)] = .515 − .009 = .506
    CHECK(e.groups[0].isolation_before == Approx(0.7575));
    CHECK(e.groups[0].interaction_before == Approx(0.2425));
    CHECK(e.groups[1].isolation_before == Approx(0.515));
    CHECK(e.groups[0].isolation_after == Approx(0.753));
    CHECK(e.groups[0].interaction_after == Approx(0.247));
    CHECK(e.groups[1].isolation_after == Approx(0.506));
    CHECK(e.groups[1].interaction_after == Approx(0.494));
    CHECK(e.mean_isolation_before == Approx(203.0 / 300.0));    // (200·.7575 + 100·.515)/300
    CHECK(e.mean_isolation_after == Approx(201.2 / 300.0));     // (200·.753 + 100·.506)/300
}

TEST_CASE("units reached only through overlap get their overlapped share", "[plan][evaluate]") {
    PlannerOptions o;
    o.radius = 30;  // points of U1 and U2 are 40 m away: reached by overlap only
    const Planner planner(row_of_squares(), o);
    const ZoneEvaluation e = planner.evaluate(rect(90, 40, 110, 60));
    REQUIRE(e.units.size() == 2);
    CHECK(e.units[0].weight == Approx(0.02));
    // g1: 0.02·80 + 0.02·50 = 2.6; g2: 0.02·20 + 0.02·50 = 1.4.
    CHECK(e.groups[0].reached == Approx(2.6));
    CHECK(e.groups[1].reached == Approx(1.4));
    CHECK(e.residents_reached == Approx(4.0));
}

TEST_CASE("an empty zone reaches nobody and prints no NaN where a number is defined", "[plan][evaluate]") {
    const Planner planner(row_of_squares());
    const ZoneEvaluation e = planner.evaluate(Geometry{});
    CHECK(e.residents_reached == 0);
    CHECK(std::isnan(e.entropy));
    CHECK(e.groups[0].isolation_after == Approx(e.groups[0].isolation_before));
}

TEST_CASE("the street graph merges close vertices and splits T-junctions", "[plan][network]") {
    // S1 (0,0)→(200,0) has no vertex at x = 100; S2 starts 0.5 m above it at (100, 0.5):
    // a T-junction within the 1 m snap. S3 starts at (200.6, 0), 0.6 m from S1's end: merged.
    Geometry s1, s2, s3;
    s1.type = s2.type = s3.type = GeomType::LineString;
    s1.lines = {{{0, 0}, {200, 0}}};
    s2.lines = {{{100, 0.5}, {100, 150}}};
    s3.lines = {{{200.6, 0}, {300, 0}}};
    const StreetGraph g({s1, s2, s3}, 1.0);
    CHECK(g.node_count() == 5);  // (0,0) (200,0) (100,.5) (100,150) (300,0)
    CHECK(g.edge_count() == 4);
    std::vector<double> d;
    g.shortest_paths({{0, 0.0}}, 1e9, d);
    const double leg = std::hypot(100.0, 0.5);  // (0,0) → (100, 0.5)
    CHECK(d[static_cast<std::size_t>(g.nearest_node({300, 0}))] == Approx(2 * leg + 100));
    CHECK(d[static_cast<std::size_t>(g.nearest_node({100, 150}))] == Approx(leg + 149.5));
    const StreetGraph unsnapped({s1, s2, s3}, 0.1);
    CHECK(unsnapped.node_count() == 6);
    CHECK(unsnapped.edge_count() == 3);
}

TEST_CASE("network catchment along the streets by hand", "[plan][evaluate][network]") {
    // Same streets; units are points A (0,0), B (100,150), C (300,0), D (150,100) off the
    // network (nearest node (100,150), 70.71 m away). Zone [-5,5]² around A.
    Geometry s1, s2, s3;
    s1.type = s2.type = s3.type = GeomType::LineString;
    s1.lines = {{{0, 0}, {200, 0}}};
    s2.lines = {{{100, 0.5}, {100, 150}}};
    s3.lines = {{{200.6, 0}, {300, 0}}};
    PlanInput in;
    in.unit_ids = {"A", "B", "C", "D"};
    in.units = {Geometry::point({0, 0}), Geometry::point({100, 150}), Geometry::point({300, 0}),
                Geometry::point({150, 100})};
    in.counts.units = 4;
    in.counts.groups = 2;
    in.counts.data = {1, 1, 1, 1, 1, 1, 1, 1};
    in.streets = {s1, s2, s3};
    PlannerOptions o;
    o.radius = 300;
    const Planner p(in, o);
    REQUIRE(p.distance_mode() == DistanceMode::Network);
    // No clusters in the input: the planner computes none itself and says so.
    CHECK_FALSE(p.lisa_available());
    CHECK(p.lisa_note() == "no LISA clusters given");
    PlanInput bad = in;
    bad.hh = {1, 0};  // not units × groups
    CHECK_THROWS_WITH(Planner(bad, o), Catch::Contains("LISA clusters and counts disagree in size"));
    const Geometry zone = rect(-5, -5, 5, 5);
    const double leg = std::hypot(100.0, 0.5);
    const auto d = p.reach_distances(zone, 1e9);
    CHECK(d[0] == Approx(0));                           // inside the zone (direct)
    CHECK(d[1] == Approx(leg + 149.5));                 // 249.50
    CHECK(d[2] == Approx(2 * leg + 100));               // 300.0025: just beyond 300 m
    CHECK(d[3] == Approx(leg + 149.5 + std::hypot(50.0, 50.0)));  // 320.21
    CHECK(p.catchment(zone).weight == std::vector<double>{1, 1, 0, 0});
    // Straight line would reach C (295 m from the zone's edge).
    o.distance = DistanceMode::Straight;
    const Planner straight(in, o);
    CHECK(straight.catchment(zone).weight == std::vector<double>{1, 1, 1, 1});
}
