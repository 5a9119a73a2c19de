// Counterfactual populations and the Shapley decomposition (geo/stats/seg_decomposition.hpp).
#include <catch2/catch.hpp>

#include <cmath>

#include "geo/stats/seg_decomposition.hpp"
#include "tests/segregation/sacramento.hpp"

using Catch::Matchers::WithinAbs;

namespace seg = hq::seg;

namespace {

seg::GroupCounts counts(std::vector<double> x, std::vector<double> t) {
    seg::GroupCounts c;
    c.group = std::move(x);
    c.total = std::move(t);
    return c;
}

// City A: (group, total) = (10, 20), (0, 20), (5, 10), (15, 50); city B: (2, 10), (8, 40),
// (20, 20), (0, 30).
seg::GroupCounts city_a() { return counts({10, 0, 5, 15}, {20, 20, 10, 50}); }
seg::GroupCounts city_b() { return counts({2, 8, 20, 0}, {10, 40, 20, 30}); }

}  // namespace

TEST_CASE("composition counterfactual, worked by hand on 4 units", "[seg_inference][decomposition]") {
    // A's compositions 0.5, 0, 0.5, 0.3 have pandas pct ranks 0.875 (ties 3 and 4 average
    // 3.5, /4), 0.25, 0.875, 0.5. B's sorted compositions are 0, 0.2, 0.2, 1; its linear
    // quantile at q sits at position 3q: q = 0.875 → 2.625 → 0.2 + 0.625·0.8 = 0.7;
    // q = 0.25 → 0.75 → 0.15; q = 0.5 → 1.5 → 0.2. Times A's totals: 14, 3, 7, 10.
    const auto cf = seg::counterfactual(city_a(), city_b(), seg::CounterfactualApproach::Composition);
    REQUIRE(cf.units() == 4);
    CHECK_THAT(cf.group[0], Catch::Matchers::WithinRel(14.0, 1e-12));
    CHECK_THAT(cf.group[1], Catch::Matchers::WithinRel(3.0, 1e-12));
    CHECK_THAT(cf.group[2], Catch::Matchers::WithinRel(7.0, 1e-12));
    CHECK_THAT(cf.group[3], Catch::Matchers::WithinRel(10.0, 1e-12));
    for (std::size_t i = 0; i < 4; ++i) CHECK(cf.total[i] == city_a().total[i]);
    // D of A = Σ t|p − P| / (2TP(1−P)) with P = 30/100: (20·0.2 + 20·0.3 + 10·0.2 + 50·0) /
    // (2·100·0.3·0.7) = 12/42 = 0.285714...; D of the counterfactual (P = 34/100):
    // (20·0.36 + 20·0.19 + 10·0.36 + 50·0.14)/(200·0.34·0.66) = 21.6/44.88 = 0.481283...
    CHECK_THAT(seg::dissim(city_a()), Catch::Matchers::WithinRel(12.0 / 42.0, 1e-12));
    CHECK_THAT(seg::dissim(cf), Catch::Matchers::WithinRel(21.6 / 44.88, 1e-12));
}

TEST_CASE("Shapley decomposition on 4 units matches the reference script", "[seg_inference][decomposition]") {
    // Values printed by tests/reference/segregation_inference/decomposition_4unit.py (a
    // stdlib re-implementation of PySAL's sim_composition / sim_share / sim_dual_composition
    // and DecomposeSegregation, 2026-11-28).
    struct Case {
        seg::CounterfactualApproach approach;
        double s1_a2, s2_a1, spatial, attribute;
    };
    const Case cases[] = {
        {seg::CounterfactualApproach::Composition, 0.48128342245989303, 0.2240896358543417, -0.06187929717341478,
         -0.31907308377896615},
        {seg::CounterfactualApproach::Share, 0.3085714285714286, 0.31212121212121213, -0.19225108225108223,
         -0.1887012987012987},
        {seg::CounterfactualApproach::DualComposition, 0.3401904114246856, 0.2401129943502825, -0.14043748193898892,
         -0.24051489901339201},
    };
    for (const auto& k : cases) {
        const auto d = seg::decompose("dissim", city_a(), city_b(), k.approach);
        INFO(d.approach);
        CHECK_THAT(d.s1_a1, WithinAbs(0.2857142857142857, 1e-14));
        CHECK_THAT(d.s2_a2, WithinAbs(0.6666666666666666, 1e-14));
        CHECK_THAT(d.s1_a2, WithinAbs(k.s1_a2, 1e-14));
        CHECK_THAT(d.s2_a1, WithinAbs(k.s2_a1, 1e-14));
        CHECK_THAT(d.spatial, WithinAbs(k.spatial, 1e-14));
        CHECK_THAT(d.attribute, WithinAbs(k.attribute, 1e-14));
        // Shapley: the two parts add up to the difference.
        CHECK_THAT(d.spatial + d.attribute, WithinAbs(d.difference(), 1e-14));
    }
}

TEST_CASE("decomposition equals PySAL's published values on Sacramento", "[seg_inference][decomposition][pysal]") {
    // pysal/segregation segregation/tests/test_decomposition.py (commit 77a9b9b):
    // Dissim(HISP, TOT_POP) vs Dissim(BLACK, TOT_POP) on libpysal's Sacramento1, asserted to
    // 7 decimals. Our file holds the same tracts (tests/segregation/test_sacramento.cpp
    // checks the totals).
    const auto& s = hq::test::sacramento();
    const auto hisp = s.group("HISP", "TOT_POP");
    const auto black = s.group("BLACK", "TOT_POP");
    auto d = seg::decompose("dissim", hisp, black, seg::CounterfactualApproach::Composition);
    CHECK_THAT(d.attribute, WithinAbs(-0.16138819842911295, 1e-7));
    CHECK_THAT(d.spatial, WithinAbs(-0.005104643275796905, 1e-7));
    d = seg::decompose("dissim", hisp, black, seg::CounterfactualApproach::Share);
    CHECK_THAT(d.attribute, WithinAbs(-0.1543828579279878, 1e-7));
    CHECK_THAT(d.spatial, WithinAbs(-0.012109983776922045, 1e-7));
    d = seg::decompose("dissim", hisp, black, seg::CounterfactualApproach::DualComposition);
    CHECK_THAT(d.attribute, WithinAbs(-0.16159526946235048, 1e-7));
    CHECK_THAT(d.spatial, WithinAbs(-0.004897572242559378, 1e-7));
}

TEST_CASE("counterfactual approach names", "[seg_inference][decomposition]") {
    CHECK(seg::counterfactual_from_name("share") == seg::CounterfactualApproach::Share);
    CHECK(seg::counterfactual_from_name("counterfactual_dual_composition") ==
          seg::CounterfactualApproach::DualComposition);
    CHECK_THROWS_AS(seg::counterfactual_from_name("random"), hq::InputError);
}
