// Zone evaluation against hand-computed small cases (tests/plan/, geo/plan/planner.hpp).
#include <catch2/catch.hpp>

#include <cmath>

#include "geo/plan/network.hpp"
#include "geo/plan/planner.hpp"
#include "geo/model/zone.hpp"

using namespace hq;
using namespace hq::plan;

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
    CHECK_THAT(planner.unit_points()[1].x, Catch::Matchers::WithinRel(150, 1e-12));
    CHECK_THAT(planner.unit_points()[1].y, Catch::Matchers::WithinRel(50, 1e-12));

    // Zone [90,110] x [40,60] straddles U1 and U2: 40 m from the points of U1 and U2,
    // 140 m from U3. Overlap: 10 x 20 = 200 m² of each 10,000 m² square = 0.02.
    const Geometry zone = rect(90, 40, 110, 60);
    const Catchment c = planner.catchment(zone);
    CHECK_THAT(c.distance[0], Catch::Matchers::WithinRel(40, 1e-12));
    CHECK_THAT(c.distance[1], Catch::Matchers::WithinRel(40, 1e-12));
    CHECK(std::isinf(c.distance[2]));
    CHECK_THAT(c.overlap[0], Catch::Matchers::WithinRel(0.02, 1e-12));
    CHECK_THAT(c.overlap[1], Catch::Matchers::WithinRel(0.02, 1e-12));
    CHECK(c.weight == std::vector<double>{1, 1, 0, 0});

    const ZoneEvaluation e = planner.evaluate(zone);
    // Reached: g1 = 80 + 50 = 130, g2 = 20 + 50 = 70; catchment mix π = (0.65, 0.35).
    CHECK_THAT(e.residents_total, Catch::Matchers::WithinRel(300, 1e-12));
    CHECK_THAT(e.residents_reached, Catch::Matchers::WithinRel(200, 1e-12));
    REQUIRE(e.groups.size() == 2);
    CHECK_THAT(e.groups[0].reached, Catch::Matchers::WithinRel(130, 1e-12));
    CHECK_THAT(e.groups[1].reached, Catch::Matchers::WithinRel(70, 1e-12));
    CHECK_THAT(e.groups[0].share, Catch::Matchers::WithinRel(0.65, 1e-12));  // 130 / 200
    CHECK_THAT(e.groups[1].share, Catch::Matchers::WithinRel(0.70, 1e-12));  // 70 / 100
    CHECK_FALSE(e.groups[0].minority);
    CHECK(e.groups[1].minority);
    CHECK_THAT(e.entropy, Catch::Matchers::WithinRel(-(0.65 * std::log(0.65) + 0.35 * std::log(0.35)), 1e-12));
    CHECK_THAT(e.entropy_normalised, Catch::Matchers::WithinRel(-(0.65 * std::log(0.65) + 0.35 * std::log(0.35)) / std::log(2.0), 1e-12));
    CHECK_THAT(e.simpson_interaction, Catch::Matchers::WithinRel(2 * 0.65 * 0.35, 1e-12));  // 0.455
    // Redundancy: only U2 is within 100 m of the venue: 100 of the 200 reached residents.
    CHECK(e.venues_available);
    CHECK_THAT(e.redundancy, Catch::Matchers::WithinRel(0.5, 1e-12));

    // HH clusters as given above: U2 and U3 for g2.
    CHECK(e.lisa_available);
    CHECK_THAT(e.groups[1].hh_total, Catch::Matchers::WithinRel(80, 1e-12));    // 50 + 30
    CHECK_THAT(e.groups[1].hh_reached, Catch::Matchers::WithinRel(50, 1e-12));  // U2 only
    CHECK_THAT(e.groups[0].hh_total, Catch::Matchers::WithinAbs(0.0, 1e-12));
    CHECK_THAT(e.hh_share, Catch::Matchers::WithinRel(50.0 / 80.0, 1e-12));

    // Residential exposure (xPy = Σ_i (x_ig / X_g)(x_ih / t_i)), t = (100, 100, 40, 60):
    //   E11 = (80·.8 + 50·.5 + 10·.25 + 60·1)/200 = 151.5/200 = .7575,  E12 = .2425
    //   E22 = (20·.2 + 50·.5 + 30·.75)/100 = .515,                       E21 = .485
    // After, f = 0.2, zone mix π = (.65, .35):
    //   E11' = .7575 + .2·[.4·(.65−.8) + .25·(.65−.5)] = .7575 − .0045 = .753
    //   E22' = .515 + .2·[.2·(.35−.2) + .5·(.35−.5)] = .515 − .009 = .506
    CHECK_THAT(e.groups[0].isolation_before, Catch::Matchers::WithinRel(0.7575, 1e-12));
    CHECK_THAT(e.groups[0].interaction_before, Catch::Matchers::WithinRel(0.2425, 1e-12));
    CHECK_THAT(e.groups[1].isolation_before, Catch::Matchers::WithinRel(0.515, 1e-12));
    CHECK_THAT(e.groups[0].isolation_after, Catch::Matchers::WithinRel(0.753, 1e-12));
    CHECK_THAT(e.groups[0].interaction_after, Catch::Matchers::WithinRel(0.247, 1e-12));
    CHECK_THAT(e.groups[1].isolation_after, Catch::Matchers::WithinRel(0.506, 1e-12));
    CHECK_THAT(e.groups[1].interaction_after, Catch::Matchers::WithinRel(0.494, 1e-12));
    CHECK_THAT(e.mean_isolation_before, Catch::Matchers::WithinRel(203.0 / 300.0, 1e-12));    // (200·.7575 + 100·.515)/300
    CHECK_THAT(e.mean_isolation_after, Catch::Matchers::WithinRel(201.2 / 300.0, 1e-12));     // (200·.753 + 100·.506)/300
}

TEST_CASE("units reached only through overlap get their overlapped share", "[plan][evaluate]") {
    PlannerOptions o;
    o.radius = 30;  // points of U1 and U2 are 40 m away: reached by overlap only
    const Planner planner(row_of_squares(), o);
    const ZoneEvaluation e = planner.evaluate(rect(90, 40, 110, 60));
    REQUIRE(e.units.size() == 2);
    CHECK_THAT(e.units[0].weight, Catch::Matchers::WithinRel(0.02, 1e-12));
    // g1: 0.02·80 + 0.02·50 = 2.6; g2: 0.02·20 + 0.02·50 = 1.4.
    CHECK_THAT(e.groups[0].reached, Catch::Matchers::WithinRel(2.6, 1e-12));
    CHECK_THAT(e.groups[1].reached, Catch::Matchers::WithinRel(1.4, 1e-12));
    CHECK_THAT(e.residents_reached, Catch::Matchers::WithinRel(4.0, 1e-12));
}

TEST_CASE("an empty zone reaches nobody and prints no NaN where a number is defined", "[plan][evaluate]") {
    const Planner planner(row_of_squares());
    const ZoneEvaluation e = planner.evaluate(Geometry{});
    CHECK(e.residents_reached == 0);
    CHECK(std::isnan(e.entropy));
    CHECK_THAT(e.groups[0].isolation_after, Catch::Matchers::WithinRel(e.groups[0].isolation_before, 1e-12));
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
    CHECK_THAT(d[static_cast<std::size_t>(g.nearest_node({300, 0}))], Catch::Matchers::WithinRel(2 * leg + 100, 1e-12));
    CHECK_THAT(d[static_cast<std::size_t>(g.nearest_node({100, 150}))], Catch::Matchers::WithinRel(leg + 149.5, 1e-12));
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
    CHECK_THAT(d[0], Catch::Matchers::WithinAbs(0.0, 1e-12));                           // inside the zone (direct)
    CHECK_THAT(d[1], Catch::Matchers::WithinRel(leg + 149.5, 1e-12));                 // 249.50
    CHECK_THAT(d[2], Catch::Matchers::WithinRel(2 * leg + 100, 1e-12));               // 300.0025: just beyond 300 m
    CHECK_THAT(d[3], Catch::Matchers::WithinRel(leg + 149.5 + std::hypot(50.0, 50.0), 1e-12));  // 320.21
    CHECK(p.catchment(zone).weight == std::vector<double>{1, 1, 0, 0});
    // Straight line would reach C (295 m from the zone's edge).
    o.distance = DistanceMode::Straight;
    const Planner straight(in, o);
    CHECK(straight.catchment(zone).weight == std::vector<double>{1, 1, 1, 1});
}
