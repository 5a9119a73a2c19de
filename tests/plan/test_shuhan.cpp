// The planner on the illustrative Shuhan dataset: properties that must hold whatever the
// data (the numbers themselves are checked on the hand-worked cases), and the CLI.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>

#include <sys/wait.h>

#include "geo/analysis/planning.hpp"
#include "geo/plan/planner.hpp"
#include "geo/plan/suggest.hpp"
#include "geo/model/zone.hpp"
#include "geo/project/gpkg_project.hpp"
#include "tests/test_support.hpp"

using Catch::Matchers::WithinRel;

using namespace hq;

namespace {

const Project& shuhan() {
    static const Project p = load_project(test::shuhan());
    return p;
}

std::vector<plan::Zone> proposed_zones(const Project& p) {
    ReadOptions ro;
    Layer l = read_layer_raw(test::shuhan() + "/zones_proposed.geojson", ro);
    std::vector<std::string> w;
    georeference_layer(l, p.metric_crs, w);
    return plan::zones_from_layer(l);
}

/// Runs the huqian executable (HUQIAN_EXE) in a subprocess, as a user does; returns its exit code.
int run_cli(const std::vector<std::string>& args) {
    std::string cmd = std::string("'") + HUQIAN_EXE + "'";
    for (const auto& a : args) cmd += " '" + a + "'";
    cmd += " 2>/dev/null";
    const int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

nlohmann::json read_json(const std::string& path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in);
}

}  // namespace

TEST_CASE("Shuhan: the proposed zones load with their attributes", "[plan][shuhan]") {
    const auto zones = proposed_zones(shuhan());
    REQUIRE(zones.size() == 3);
    CHECK(zones[0].kind == plan::ZoneKind::SharedActivityVenue);
    CHECK(zones[1].kind == plan::ZoneKind::MicroGarden);
    CHECK(zones[2].kind == plan::ZoneKind::FestivalSite);
    CHECK(zones[0].name_zh == "武侯祠横街共享活动室");
    CHECK(zones[0].budget == 180000.0);
    CHECK(zones[0].start_date == "2026-03-01");
    // 30 m x 24 m drawn in degrees: about 720 m² in UTM 48N.
    CHECK_THAT(planar_area(zones[0].geometry), WithinRel(720, 0.02));
}

TEST_CASE("Shuhan: catchment and exposure properties", "[plan][shuhan]") {
    const Project& p = shuhan();
    const auto zones = proposed_zones(p);
    plan::PlannerOptions o;
    const plan::Planner net = analysis::make_planner(p, o);
    REQUIRE(net.distance_mode() == plan::DistanceMode::Network);
    o.distance = plan::DistanceMode::Straight;
    const plan::Planner straight = analysis::make_planner(p, o);
    for (const auto& z : zones) {
        const auto cn = net.catchment(z.geometry), cs = straight.catchment(z.geometry);
        for (std::size_t i = 0; i < cn.weight.size(); ++i) {
            // Walking along streets is never shorter than the straight line.
            CHECK(cn.weight[i] <= cs.weight[i]);
            if (std::isfinite(cn.distance[i])) CHECK(cn.distance[i] >= cs.distance[i] - 1e-9);
        }
        const auto e = net.evaluate(z.geometry);
        CHECK(e.residents_reached <= e.residents_total);
        CHECK(e.residents_reached > 0);
        double sum = 0;
        for (const auto& g : e.groups) {
            sum += g.reached;
            if (g.total > 0) {
                CHECK(g.share >= 0);
                CHECK(g.share <= 1 + 1e-12);
                CHECK_THAT(g.isolation_before + g.interaction_before, Catch::Matchers::WithinRel(1, 1e-12));
                CHECK_THAT(g.isolation_after + g.interaction_after, Catch::Matchers::WithinRel(1, 1e-12));
            }
        }
        CHECK_THAT(sum, Catch::Matchers::WithinRel(e.residents_reached, 1e-12));
        // One zone never raises mean isolation: Σ_g X_g ΔE_gg = f (C|π|² − Σ_i w_i t_i |p_i|²) ≤ 0
        // (Jensen), with equality only when every reached unit has the catchment's mix.
        CHECK(e.mean_isolation_after <= e.mean_isolation_before + 1e-12);
        CHECK(e.simpson_interaction <= 1 - 1.0 / static_cast<double>(e.groups.size()) + 1e-12);
        CHECK(e.lisa_available);
    }
}

TEST_CASE("Shuhan: the planner's HH clusters are the LISA map's", "[plan][shuhan]") {
    // One request, one answer: the planner's HH clusters of each group are those of the
    // LISA of its share that the map, the CLI and the viewer compute (geo/analysis), with
    // the planner's parameters (queen weights and their fallback, 999 permutations, seed
    // 12345, alpha 0.05, no adjustment).
    const Project& p = shuhan();
    const plan::PlannerOptions o;
    const plan::Planner planner = analysis::make_planner(p, o);
    REQUIRE(planner.lisa_available());
    // The courtyards do not touch: queen falls back to the 6 nearest neighbours.
    CHECK_THAT(planner.lisa_note(), Catch::Contains("nearest neighbours"));
    REQUIRE(planner.group_count() == p.groups.size());
    std::size_t hh = 0;
    for (std::size_t g = 0; g < p.groups.size(); ++g) {
        const auto r = analysis::autocorrelation(
            p, analysis::lisa_request(p.groups[g].column, "queen", 999, 12345, 0.05, "none"));
        REQUIRE(r->cluster.size() == planner.unit_count());
        for (std::size_t i = 0; i < planner.unit_count(); ++i) {
            const bool map_hh = r->cluster[i] == Quadrant::HH && r->local_moran_significant[i];
            CHECK(planner.hh(i, g) == map_hh);
            hh += map_hh ? 1 : 0;
        }
    }
    CHECK(hh > 0);  // the comparison is not vacuous
}

TEST_CASE("Shuhan: exact and greedy site choice agree with the guarantee", "[plan][shuhan]") {
    const plan::Planner planner = analysis::make_planner(shuhan());
    plan::CoverageProblem prob;
    prob.unit_weight = plan::unit_isolation_weights(planner.input().counts);
    for (const Vec2& pt : planner.unit_points())
        prob.coverage.push_back(plan::coverage_row(planner.catchment(Geometry::point(pt)).weight));
    plan::SuggestOptions so;
    so.k = 2;
    const auto exact = plan::suggest_sites(prob, so);
    so.force_greedy = true;
    const auto greedy = plan::suggest_sites(prob, so);
    CHECK(exact.exact);
    CHECK(greedy.objective >= (1 - 1 / std::exp(1.0)) * exact.objective);
    CHECK(greedy.objective <= exact.objective + 1e-9);
}

TEST_CASE("Shuhan: the sparse coverage equals the dense catchments along the streets",
          "[plan][shuhan][suggest]") {
    const plan::Planner planner = analysis::make_planner(shuhan());
    REQUIRE(planner.distance_mode() == plan::DistanceMode::Network);
    std::vector<Geometry> cands;
    for (const Vec2& pt : planner.unit_points()) cands.push_back(Geometry::point(pt));
    for (const auto& z : proposed_zones(shuhan())) cands.push_back(z.geometry);
    const plan::CoverageProblem prob = plan::coverage_problem(
        planner, cands.size(), [&cands](std::size_t c) -> const Geometry& { return cands[c]; });
    REQUIRE(prob.coverage.size() == cands.size());
    std::size_t entries = 0;
    for (std::size_t c = 0; c < cands.size(); ++c) {
        const plan::CoverageRow dense = plan::coverage_row(planner.catchment(cands[c]).weight);
        CHECK(prob.coverage[c].units == dense.units);
        CHECK(prob.coverage[c].weight == dense.weight);
        entries += dense.units.size();
    }
    CHECK(prob.entries() == entries);
    CHECK(entries > cands.size());  // not vacuous: catchments reach beyond their own unit
}

TEST_CASE("huqian plan evaluate / compare / suggest on Shuhan", "[plan][shuhan][cli]") {
    test::TempDir dir;
    const std::string zones = test::shuhan() + "/zones_proposed.geojson";
    const std::string out = dir.file("eval.json");
    // With the guard on (tests/privacy audits it): a zone's residents reached is published.
    REQUIRE(run_cli({"plan", "evaluate", test::shuhan(), "--zones", zones, "--json", "-o", out}) == 0);
    auto j = read_json(out);
    REQUIRE(j["zones"].size() == 3);
    CHECK(j["distance"] == "network");
    CHECK(j["zones"][0]["groups"].size() == 36);
    CHECK(j["zones"][0]["residents_reached"].get<double>() > 0);

    const std::string scen = dir.file("scenarios.json");
    std::ofstream(scen) << R"({"scenarios": [{"name": "混合居住", "zones": ["Z-1"],
        "moves": [{"group": "藏族", "from": "CY-15", "to": "CY-01", "count": 10}]}]})";
    const std::string cmp = dir.file("compare.json");
    REQUIRE(run_cli({"plan", "compare", test::shuhan(), "--zones", zones, "--scenarios", scen, "--scenario", "all_zones",
                 "--scenario", "混合居住", "--permutations", "19", "--seed", "1", "--json", "-o", cmp}) == 0);
    j = read_json(cmp);
    REQUIRE(j["scenarios"].size() == 2);
    CHECK(j["scenarios"][1]["moves"] == 1);
    bool found = false;
    for (const auto& u : j["scenarios"][1]["units"])
        if (u["id"] == "CY-15") {
            CHECK(u["delta"]["pop_tibetan"] == -10);
            found = true;
        }
    CHECK(found);
    CHECK(run_cli({"plan", "compare", test::shuhan(), "--scenario", "nope"}) == 1);

    const std::string sug = dir.file("suggest.json");
    REQUIRE(run_cli({"plan", "suggest", test::shuhan(), "--k", "3", "--json", "-o", sug}) == 0);
    j = read_json(sug);
    CHECK(j["method"] == "exact");
    CHECK(j["picks"].size() == 3);
    CHECK(j["picks"][0]["marginal_gain"].get<double>() >= j["picks"][1]["marginal_gain"].get<double>());

    // A project GeoPackage works like the folder.
    const std::string gpkg = dir.file("shuhan.gpkg");
    plan::PlanDocument doc;
    doc.zones = proposed_zones(shuhan());
    save_gpkg_project(shuhan(), doc, gpkg);
    const std::string out2 = dir.file("eval2.json");
    REQUIRE(run_cli({"plan", "evaluate", gpkg, "--json", "-o", out2}) == 0);
    const auto j2 = read_json(out2);
    REQUIRE(j2["zones"].size() == 3);
    CHECK_THAT(j2["zones"][0]["residents_reached"].get<double>(), Catch::Matchers::WithinRel(read_json(out)["zones"][0]["residents_reached"].get<double>(), 1e-12));
    const std::string empty = dir.file("no_zones.gpkg");
    save_gpkg_project(shuhan(), plan::PlanDocument{}, empty);
    CHECK(run_cli({"plan", "evaluate", empty}) == 1);  // no zones anywhere: a clear error, exit 1
}
