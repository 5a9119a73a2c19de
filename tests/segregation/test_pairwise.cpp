// Pairwise tables and the mutual information index M with its decompositions.
#include <catch2/catch.hpp>

#include <cmath>

#include "geo/stats/segregation.hpp"
#include "geo/stats/segregation_multigroup.hpp"
#include "geo/stats/segregation_pairwise.hpp"
#include "tests/segregation/sacramento.hpp"

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

seg::CountMatrix example_m() { return matrix(3, {30, 10, 0, 5, 25, 10, 10, 10, 40, 0, 0, 0}); }

// Example W of make_reference.py: 6 units (districts 0,0,0,1,1,1) × 3 groups (families 0,0,1).
seg::CountMatrix example_w() {
    return matrix(3, {40, 10, 5, 30, 20, 0, 10, 10, 30, 5, 40, 5, 0, 10, 50, 20, 20, 20});
}

}  // namespace

TEST_CASE("pairwise exposure and dissimilarity on a hand-worked example", "[segregation][pairwise]") {
    // make_reference.py, Example M
    const double e_ref[3][3] = {{0.5509259259259259, 0.27314814814814814, 0.17592592592592596},
                                {0.27314814814814814, 0.4398148148148148, 0.2870370370370371},
                                {0.15833333333333333, 0.2583333333333333, 0.5833333333333334}};
    const double d_ref[3][3] = {{0.0, 0.4444444444444444, 0.6666666666666667},
                                {0.4444444444444444, 0.0, 0.5777777777777777},
                                {0.6666666666666667, 0.5777777777777777, 0.0}};
    const auto t = seg::pairwise_tables(example_m());
    REQUIRE(t.groups == 3);
    for (std::size_t a = 0; a < 3; ++a)
        for (std::size_t b = 0; b < 3; ++b) {
            CHECK_THAT(t.exposure_at(a, b), WithinRel(e_ref[a][b], 1e-13));
            CHECK_THAT(t.dissim_at(a, b), WithinAbs(d_ref[a][b], 1e-15) || WithinRel(d_ref[a][b], 1e-13));
        }
}

TEST_CASE("pairwise tables: properties on Sacramento's six groups", "[segregation][pairwise]") {
    const std::vector<std::string> groups = {"WHITE", "BLACK", "ASIAN", "HISP", "MULTI_RA", "OTHER"};
    const auto m = hq::test::sacramento().matrix(groups);
    const auto t = seg::pairwise_tables(m);
    const std::size_t k = groups.size();
    for (std::size_t a = 0; a < k; ++a) {
        double row = 0.0;
        for (std::size_t b = 0; b < k; ++b) {
            row += t.exposure_at(a, b);
            // two-group D is symmetric and equals `dissim` with group a and total a + b
            CHECK(t.dissim_at(a, b) == t.dissim_at(b, a));
            if (a == b) continue;
            seg::GroupCounts c;
            for (std::size_t i = 0; i < m.units; ++i) {
                c.group.push_back(m.at(i, a));
                c.total.push_back(m.at(i, a) + m.at(i, b));
            }
            CHECK_THAT(t.dissim_at(a, b), WithinRel(seg::dissim(c), 1e-12));
        }
        CHECK_THAT(row, WithinRel(1.0, 1e-13));  // exposures of a group sum to 1
        // the diagonal is isolation against the sum of the listed groups (= TOT_POP here)
        const auto c = hq::test::sacramento().group(groups[a], "TOT_POP");
        CHECK_THAT(t.exposure_at(a, a), WithinRel(seg::isolation(c), 1e-12));
        // X_a · aP*b = X_b · bP*a (both count a–b contacts)
    }
    double xa = 0.0;
    double xb = 0.0;
    for (std::size_t i = 0; i < m.units; ++i) {
        xa += m.at(i, 0);
        xb += m.at(i, 1);
    }
    CHECK_THAT(xa * t.exposure_at(0, 1), WithinRel(xb * t.exposure_at(1, 0), 1e-12));
    // identical for any thread count
    const auto t1 = seg::pairwise_tables(m, {}, 1);
    CHECK(t1.exposure == t.exposure);
    CHECK(t1.dissim == t.dissim);
}

TEST_CASE("mutual information M and H", "[segregation][mutual]") {
    const auto m = example_m();
    const auto mt = seg::mutual_total(m);
    // make_reference.py, Example M: M as E(groups) − Σ (t_i/T) E(groups | unit)
    CHECK_THAT(mt.m, WithinRel(0.3076551662156073, 1e-13));
    CHECK_THAT(mt.h, WithinRel(0.2803616313489269, 1e-13));
    // M is Roberto's divergence index and H is Theil's H (multi_info_theory)
    CHECK_THAT(mt.m, WithinRel(seg::multi_divergence(m), 1e-13));
    CHECK_THAT(mt.h, WithinRel(seg::multi_info_theory(m), 1e-13));
}

TEST_CASE("M decomposes into between and within parts", "[segregation][mutual]") {
    const auto m = example_w();
    // make_reference.py, Example W
    const auto byu = seg::mutual_within_units(m, {0, 0, 0, 1, 1, 1}, {"north", "south"});
    CHECK_THAT(byu.total, WithinRel(0.3357859918106998, 1e-13));
    CHECK_THAT(byu.between, WithinRel(0.08119292851152715, 1e-13));
    REQUIRE(byu.parts.size() == 2);
    CHECK(byu.parts[0].name == "north");
    CHECK_THAT(byu.parts[0].p, WithinRel(0.47692307692307695, 1e-13));
    CHECK_THAT(byu.parts[0].m, WithinRel(0.23378829153963696, 1e-13));
    CHECK_THAT(byu.parts[1].p, WithinRel(0.5230769230769231, 1e-13));
    CHECK_THAT(byu.parts[1].m, WithinRel(0.273562119903455, 1e-13));
    CHECK_THAT(byu.between + byu.within, WithinRel(byu.total, 1e-13));
    // Σ p · ent_ratio · H = within / H-normaliser (R segregation's identity)
    const double e = byu.total / seg::mutual_total(m).h;
    double s = 0.0;
    for (const auto& p : byu.parts) s += p.p * p.entropy_ratio * p.h;
    CHECK_THAT(s, WithinRel(byu.within / e, 1e-13));

    const auto byg = seg::mutual_within_groups(m, {0, 0, 1});
    CHECK_THAT(byg.total, WithinRel(0.3357859918106998, 1e-13));
    CHECK_THAT(byg.between, WithinRel(0.23421208605735694, 1e-13));
    REQUIRE(byg.parts.size() == 2);
    CHECK(byg.parts[0].name == "part 1");
    CHECK_THAT(byg.parts[0].p, WithinRel(0.6615384615384615, 1e-13));
    CHECK_THAT(byg.parts[0].m, WithinRel(0.15354195055737857, 1e-13));
    CHECK(byg.parts[1].m == 0.0);  // a single group: no segregation inside
    CHECK(std::isnan(byg.parts[1].h));  // and H undefined (zero entropy), documented
    CHECK_THAT(byg.between + byg.within, WithinRel(byg.total, 1e-13));

    CHECK_THROWS_AS(seg::mutual_within_units(m, {0, 1}), hq::InputError);
    CHECK_THROWS_AS(seg::mutual_within_groups(m, {0, 1}), hq::InputError);
}
