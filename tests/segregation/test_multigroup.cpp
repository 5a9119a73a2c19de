// Multigroup and local indices: hand-worked examples, properties and bad input.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "geo/stats/segregation.hpp"
#include "geo/stats/segregation_multigroup.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace seg = hq::seg;

namespace {

seg::CountMatrix matrix(std::size_t groups, std::vector<double> data) {
    seg::CountMatrix m;
    m.groups = groups;
    m.units = data.size() / groups;
    m.data = std::move(data);
    return m;
}

// Example M of tests/reference/segregation/make_reference.py: 4 units × 3 groups, unit 3 empty.
seg::CountMatrix example_m() {
    auto m = matrix(3, {30, 10, 0, 5, 25, 10, 10, 10, 40, 0, 0, 0});
    m.names = {"a", "b", "c"};
    return m;
}

}  // namespace

TEST_CASE("multigroup indices on a hand-worked example", "[segregation]") {
    const auto m = example_m();
    // make_reference.py, Example M (each formula from Reardon & Firebaugh 2002 etc.)
    CHECK_THAT(seg::multi_dissim(m), WithinRel(0.5134099616858236, 1e-13));
    CHECK_THAT(seg::multi_gini(m), WithinRel(0.5670498084291188, 1e-13));
    CHECK_THAT(seg::multi_norm_exposure(m), WithinRel(0.29044834307992207, 1e-13));
    CHECK_THAT(seg::multi_info_theory(m), WithinRel(0.2803616313489269, 1e-13));
    CHECK_THAT(seg::multi_relative_diversity(m), WithinRel(0.2892720306513409, 1e-13));
    CHECK_THAT(seg::multi_squared_coef_var(m), WithinRel(0.28703703703703703, 1e-13));
    CHECK_THAT(seg::multi_diversity(m), WithinRel(1.0973511772469036, 1e-13));
    CHECK_THAT(seg::multi_diversity(m, true), WithinRel(0.9988520869152709, 1e-13));
    CHECK_THAT(seg::simpsons_concentration(m), WithinRel(0.3341836734693878, 1e-13));
    CHECK_THAT(seg::simpsons_interaction(m), WithinRel(0.6658163265306123, 1e-13));
    CHECK_THAT(seg::multi_divergence(m), WithinRel(0.3076551662156073, 1e-13));

    const auto all = seg::multigroup_aspatial(m);
    REQUIRE(all.size() == seg::multigroup_aspatial_ids().size());
    for (std::size_t i = 0; i < all.size(); ++i) CHECK(all[i].id == seg::multigroup_aspatial_ids()[i]);
    // the fused batch pass gives the same numbers as the separate functions
    const double separate[] = {seg::multi_dissim(m),           seg::multi_gini(m),
                               seg::multi_norm_exposure(m),    seg::multi_info_theory(m),
                               seg::multi_relative_diversity(m), seg::multi_squared_coef_var(m),
                               seg::multi_diversity(m),        seg::simpsons_concentration(m),
                               seg::simpsons_interaction(m),   seg::multi_divergence(m)};
    for (std::size_t i = 0; i < all.size(); ++i) {
        INFO(all[i].id);
        CHECK_THAT(all[i].value, WithinRel(separate[i], 1e-14));
    }
}

TEST_CASE("local indices on a hand-worked example, NaN at the empty unit", "[segregation]") {
    const auto m = example_m();
    // make_reference.py, Example M
    const double lq_ref[3][3] = {{2.333333333333333, 0.7777777777777777, 0.0},
                                 {0.38888888888888884, 1.9444444444444442, 0.7},
                                 {0.5185185185185185, 0.5185185185185185, 1.8666666666666665}};
    const double ld_ref[3] = {0.5623351446188083, 0.9002560512685369, 0.8675632284814612};
    const double sc_ref[3] = {0.625, 0.46875, 0.5};
    const auto lq = seg::multi_location_quotient(m);
    const auto ld = seg::multi_local_diversity(m);
    const auto le = seg::multi_local_entropy(m);
    const auto sc = seg::multi_local_simpson_concentration(m);
    const auto si = seg::multi_local_simpson_interaction(m);
    REQUIRE(lq.size() == 12);
    for (std::size_t i = 0; i < 3; ++i) {
        for (std::size_t k = 0; k < 3; ++k) CHECK_THAT(lq[i * 3 + k], WithinRel(lq_ref[i][k], 1e-13));
        CHECK_THAT(ld[i], WithinRel(ld_ref[i], 1e-13));
        CHECK_THAT(le[i], WithinRel(ld_ref[i] / std::log(3.0), 1e-13));
        CHECK_THAT(sc[i], WithinRel(sc_ref[i], 1e-13));
        CHECK_THAT(si[i], WithinRel(1.0 - sc_ref[i], 1e-13));
    }
    for (std::size_t k = 0; k < 3; ++k) CHECK(std::isnan(lq[9 + k]));
    CHECK(std::isnan(ld[3]));
    CHECK(std::isnan(le[3]));
    CHECK(std::isnan(sc[3]));
    CHECK(std::isnan(si[3]));

    const auto all = seg::multigroup_local(m);
    REQUIRE(all.size() == 5);
    CHECK(all[0].id == "multi_location_quotient");
    CHECK(all[0].columns == 3);
    CHECK(all[0].column_names == std::vector<std::string>{"a", "b", "c"});
    CHECK(all[1].id == "multi_local_diversity");
    CHECK(all[1].values.size() == 4);
}

TEST_CASE("multigroup with two groups equals the two-group forms", "[segregation]") {
    // Reardon & Firebaugh (2002): with K = 2 the multigroup D, G, H and the normalised
    // exposure reduce to the two-group D, G, Theil's H and the correlation ratio V.
    const std::vector<double> x = {10, 20, 5, 0, 7};
    const std::vector<double> y = {40, 20, 55, 30, 0};
    seg::CountMatrix m = matrix(2, {});
    seg::GroupCounts c;
    for (std::size_t i = 0; i < x.size(); ++i) {
        m.data.push_back(x[i]);
        m.data.push_back(y[i]);
        c.group.push_back(x[i]);
        c.total.push_back(x[i] + y[i]);
    }
    m.units = x.size();
    CHECK_THAT(seg::multi_dissim(m), WithinRel(seg::dissim(c), 1e-13));
    CHECK_THAT(seg::multi_gini(m), WithinRel(seg::gini(c), 1e-13));
    CHECK_THAT(seg::multi_info_theory(m), WithinRel(seg::entropy(c), 1e-13));
    CHECK_THAT(seg::multi_norm_exposure(m), WithinRel(seg::correlation_r(c), 1e-13));
    CHECK_THAT(seg::multi_relative_diversity(m), WithinRel(seg::correlation_r(c), 1e-13));
    // group_vs_rest builds the same single-group input
    const auto c2 = seg::group_vs_rest(m, 0);
    CHECK(seg::dissim(c2) == seg::dissim(c));
}

TEST_CASE("multigroup: evenly mixed 0, complete segregation 1", "[segregation]") {
    const auto even = matrix(3, {1, 2, 3, 2, 4, 6, 10, 20, 30});
    for (auto f : {seg::multi_dissim, seg::multi_gini, seg::multi_norm_exposure, seg::multi_info_theory,
                   seg::multi_relative_diversity, seg::multi_squared_coef_var, seg::multi_divergence})
        CHECK_THAT(f(even), WithinAbs(0.0, 1e-15));
    const auto apart = matrix(3, {5, 0, 0, 0, 7, 0, 0, 0, 9, 3, 0, 0});
    for (auto f : {seg::multi_dissim, seg::multi_gini, seg::multi_norm_exposure, seg::multi_info_theory,
                   seg::multi_relative_diversity})
        CHECK_THAT(f(apart), WithinRel(1.0, 1e-14));
    const auto lsc = seg::multi_local_simpson_concentration(apart);
    for (double v : lsc) CHECK(v == 1.0);
    CHECK_THAT(seg::simpsons_concentration(apart) + seg::simpsons_interaction(apart), Catch::Matchers::WithinRel(1.0, 1e-12));
}

TEST_CASE("bad multigroup input is a clear error", "[segregation][errors]") {
    auto expect = [](const seg::CountMatrix& m, const std::string& needle) {
        try {
            seg::multi_dissim(m);
        } catch (const hq::InputError& e) {
            const std::string what = e.what();
            INFO(what);
            CHECK(what.find(needle) != std::string::npos);
            return;
        }
        FAIL("no InputError for " << needle);
    };
    auto zero_group = matrix(2, {1, 0, 3, 0});
    zero_group.names = {"WHITE", "TIBETAN"};
    expect(zero_group, "TIBETAN is zero in every unit");
    expect(matrix(2, {1, 2}), "at least 2 units");
    expect(matrix(1, {1, 2}), "at least 2 groups");
    expect(matrix(2, {1, 2, std::nan(""), 4}), "not a finite number");
    expect(matrix(2, {1, 2, -3, 4}), "negative count");
    auto bad_size = matrix(2, {1, 2, 3, 4});
    bad_size.units = 3;
    expect(bad_size, "expected 3 units");
}
