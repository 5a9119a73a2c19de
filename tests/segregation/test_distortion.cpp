// Distortion coefficients (Olteanu et al. 2019) against PySAL's published values.
#include <catch2/catch.hpp>

#include <cmath>

#include "geo/stats/segregation_spatial.hpp"
#include "tests/segregation/sacramento.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace seg = hq::seg;

TEST_CASE("local and global distortion equal PySAL's values on Sacramento", "[segregation][pysal][spatial]") {
    // PySAL reprojects sacramentot2.shp with estimate_utm_crs() (UTM 10N = EPSG:32610, our
    // file) and uses shapely polygon centroids; sacramento.hpp computes the same centroids.
    const auto& s = hq::test::sacramento();
    const auto m = s.matrix({"WHITE", "BLACK", "ASIAN", "HISP"});
    const auto local = seg::local_distortion(m, s.centroids);
    REQUIRE(local.size() == 403);
    // pysal/segregation segregation/tests/test_local_distortion.py (691f2c4), which lists all
    // 403 values to 8 decimals; here the first 24 and the last 9.
    const double head[24] = {25.39661811, 24.30782048, 24.60991437, 24.36648691, 27.83680606, 24.65638555,
                             24.88922494, 24.92836492, 25.14415759, 24.01771598, 23.97749865, 23.42248598,
                             14.77405384, 22.51638462, 18.75242164, 26.92174443, 21.33143264, 25.94099694,
                             7.51574987,  23.87897129, 24.11579856, 24.24919432, 19.94738295, 23.67435917};
    const double tail[9] = {17.65660508, 8.36480324,  17.23432627, 19.687141, 14.8972051,
                            15.99540884, 16.39727766, 15.83193257, 18.93337774};
    for (std::size_t i = 0; i < 24; ++i) CHECK_THAT(local[i], WithinAbs(head[i], 1e-8));
    for (std::size_t i = 0; i < 9; ++i) CHECK_THAT(local[394 + i], WithinAbs(tail[i], 1e-8));
    // segregation/tests/test_global_distortion.py (6aa75ee): 15.28564652573017 (decimal = 7);
    // it weighs all 403 local values, so it checks every one of them.
    CHECK_THAT(seg::global_distortion(m, s.centroids), WithinAbs(15.28564652573017, 1e-9));
    // identical for any thread count
    CHECK(seg::local_distortion(m, s.centroids, {}, 1) == local);
}

TEST_CASE("distortion on a hand-made strip", "[segregation][spatial]") {
    // Two units at x = 0 and 1, groups (a, b) = (1, 0) and (0, 1): from either unit the first
    // step sees one group only, KL = ln 2 (P = ½, ½), and the second step sees P, KL = 0.
    seg::CountMatrix m;
    m.units = 2;
    m.groups = 2;
    m.data = {1, 0, 0, 1};
    const std::vector<hq::Vec2> c = {{0, 0}, {1, 0}};
    const auto d = seg::local_distortion(m, c);
    CHECK_THAT(d[0], WithinRel(std::log(2.0), 1e-15));
    CHECK_THAT(d[1], WithinRel(std::log(2.0), 1e-15));
    CHECK_THAT(seg::global_distortion(m, c), WithinRel(std::log(2.0), 1e-15));
    // an empty unit first in line is skipped, not NaN
    seg::CountMatrix m3;
    m3.units = 3;
    m3.groups = 2;
    m3.data = {0, 0, 1, 0, 0, 1};
    const auto d3 = seg::local_distortion(m3, {{0, 0}, {1, 0}, {3, 0}});
    CHECK_THAT(d3[0], WithinRel(std::log(2.0), 1e-15));
    CHECK_THROWS_AS(seg::local_distortion(m3, {{0, 0}}), hq::InputError);
}
