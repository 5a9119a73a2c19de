// Local environments and multiscalar profiles (geo/stats/seg_profile.hpp).
#include <catch2/catch.hpp>

#include <cmath>

#include "geo/core/parallel.hpp"
#include "geo/stats/seg_profile.hpp"
#include "geo/stats/segregation_multigroup.hpp"
#include "tests/segregation/sacramento.hpp"

using Catch::Matchers::WithinAbs;

namespace seg = hq::seg;

TEST_CASE("multiscalar profile equals PySAL's published values on Sacramento", "[seg_inference][profile][pysal]") {
    // pysal/segregation segregation/tests/test_multiscalar_profile.py (commit d3be7d2):
    // compute_multiscalar_profile(MultiDissim, distances [500, 1000, 1500, 2000], groups
    // HISP, BLACK, WHITE) on Sacramento1 in estimate_utm_crs() (UTM 10N, our file), asserted
    // to decimal = 4 (|Δ| < 1.5e-4); the first value is the aspatial index (distance 0).
    const auto& s = hq::test::sacramento();
    const auto m = s.matrix({"HISP", "BLACK", "WHITE"});
    seg::ProfileOptions o;
    o.distances = {500, 1000, 1500, 2000};
    const auto p = seg::multiscalar_profile("multi_dissim", m, s.centroids, o);
    REQUIRE(p.size() == 5);
    const double pysal[5] = {0.4246, 0.4246, 0.4173, 0.4008, 0.3776};
    for (std::size_t i = 0; i < 5; ++i) CHECK(std::abs(p[i].value - pysal[i]) < 1.5e-4);
    CHECK(p[0].distance == 0.0);
    CHECK(p[4].distance == 2000.0);
    CHECK(p[0].value == seg::multi_dissim(m));
}

TEST_CASE("profile at a distance below every centroid spacing equals the aspatial index", "[seg_inference][profile]") {
    const auto& s = hq::test::sacramento();
    double min_d = 1e300;
    for (std::size_t i = 0; i < s.centroids.size(); ++i)
        for (std::size_t j = i + 1; j < s.centroids.size(); ++j)
            min_d = std::min(min_d, std::hypot(s.centroids[i].x - s.centroids[j].x, s.centroids[i].y - s.centroids[j].y));
    REQUIRE(min_d > 1.0);
    seg::ProfileOptions o;
    o.distances = {min_d * 0.99};
    const auto c = s.group("HISP", "TOT_POP");
    for (const char* id : {"dissim", "gini", "entropy", "isolation"}) {
        const auto p = seg::multiscalar_profile(id, c, s.centroids, o);
        REQUIRE(p.size() == 2);
        CHECK(p[1].value == p[0].value);
        CHECK(p[0].value == seg::single_group_index(id, c));
    }
    const auto m = s.matrix({"WHITE", "BLACK", "ASIAN", "HISP"});
    const auto p = seg::multiscalar_profile("multi_info_theory", m, s.centroids, o);
    CHECK(p[1].value == seg::multi_info_theory(m));
}

TEST_CASE("grid local sums equal a brute-force kernel sum", "[seg_inference][profile]") {
    // 2000 random points, 3 columns; brute force over all pairs with w = 1 − d/h (d ≤ h),
    // w_ii = 1, in index order. The grid visits neighbours in another order: compare to 1e-9.
    hq::Rng rng(5, 0);
    const std::size_t n = 2000;
    std::vector<hq::Vec2> pts(n);
    std::vector<double> v(n * 3);
    for (std::size_t i = 0; i < n; ++i) {
        pts[i] = {rng.uniform() * 5000.0, rng.uniform() * 3000.0};
        for (std::size_t k = 0; k < 3; ++k) v[i * 3 + k] = static_cast<double>(rng.below(100));
    }
    pts[7] = pts[8];  // coincident points are full neighbours (w = 1)
    seg::LocalEnvironmentOptions o;
    o.bandwidth = 250.0;
    o.round_half_even = false;
    const auto grid = seg::local_sums(pts, v, 3, o);
    for (std::size_t i = 0; i < n; ++i) {
        double acc[3] = {0, 0, 0};
        for (std::size_t j = 0; j < n; ++j) {
            const double d = std::hypot(pts[i].x - pts[j].x, pts[i].y - pts[j].y);
            const double w = i == j ? 1.0 : (d <= o.bandwidth ? 1.0 - d / o.bandwidth : 0.0);
            for (std::size_t k = 0; k < 3; ++k) acc[k] += w * v[j * 3 + k];
        }
        for (std::size_t k = 0; k < 3; ++k) REQUIRE_THAT(grid[i * 3 + k], WithinAbs(acc[k], 1e-9));
    }
    // rounding: half to even, as pandas round(0)
    o.round_half_even = true;
    const auto rounded = seg::local_sums(pts, v, 3, o);
    for (std::size_t i = 0; i < rounded.size(); ++i) CHECK(rounded[i] == std::nearbyint(grid[i]));
    // identical for any thread count
    o.threads = 1;
    const auto one = seg::local_sums(pts, v, 3, o);
    o.threads = 3;
    CHECK(seg::local_sums(pts, v, 3, o) == one);
}

TEST_CASE("local sums with weights force the diagonal to 1", "[seg_inference][profile]") {
    // 3 units in a row; weights 0 → 1 (0.5), 1 → 0 (0.5), 1 → 2 (2), 2 → 2 (7, ignored).
    auto w = hq::Weights::from_lists({{1}, {0, 2}, {2}}, {{0.5}, {0.5, 2.0}, {7.0}}, hq::WeightsStyle::General);
    const std::vector<double> v = {10, 20, 30};
    const auto s = seg::local_sums(w, v, 1, false);
    CHECK(s[0] == 10 + 0.5 * 20);
    CHECK(s[1] == 20 + 0.5 * 10 + 2.0 * 30);
    CHECK(s[2] == 30);
    // 2.5 → 2 and 3.5 → 4: ties to even
    const auto r = seg::local_sums(hq::Weights::from_lists({{1}, {0}}, {{0.5}, {0.5}}, hq::WeightsStyle::General),
                                   {1, 3}, 1, true);
    CHECK(r[0] == 2.0);  // 1 + 1.5 = 2.5
    CHECK(r[1] == 4.0);  // 3 + 0.5 = 3.5
}

TEST_CASE("profile input errors", "[seg_inference][profile]") {
    const auto& s = hq::test::sacramento();
    const auto c = s.group("HISP", "TOT_POP");
    seg::ProfileOptions o;
    o.distances = {-5};
    CHECK_THROWS_AS(seg::multiscalar_profile("dissim", c, s.centroids, o), hq::InputError);
    o.distances = {100};
    CHECK_THROWS_AS(seg::multiscalar_profile("multi_dissim", c, s.centroids, o), hq::InputError);
    std::vector<hq::Vec2> short_list(s.centroids.begin(), s.centroids.begin() + 5);
    CHECK_THROWS_AS(seg::multiscalar_profile("dissim", c, short_list, o), hq::InputError);
}
