// Spatially explicit single-group indices against PySAL's published values, and small
// hand-checked cases.
#include <catch2/catch.hpp>

#include <cmath>

#include "geo/stats/seg_profile.hpp"
#include "geo/stats/segregation_multigroup.hpp"
#include "geo/stats/segregation_spatial.hpp"
#include "geo/weights/contiguity.hpp"
#include "tests/segregation/sacramento.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace seg = hq::seg;

TEST_CASE("distance-decay family equals PySAL's values (UTM 10N)", "[segregation][pysal][spatial]") {
    // PySAL's tests reproject sacramentot2.shp with estimate_utm_crs() (EPSG:32610, our file).
    const auto& s = hq::test::sacramento();
    const auto c = s.group("HISP", "TOT_POP");
    const auto all = seg::distance_decay_indices(c, s.centroids, s.areas);
    REQUIRE(all.size() == 5);
    // pysal/segregation segregation/tests/test_spatial_proximity.py (c3083d2)
    CHECK(all[0].id == "spatial_proximity");
    CHECK_THAT(all[0].value, WithinAbs(1.0467806527410652, 1e-9));
    // segregation/tests/test_absolute_clustering.py (6761349), asserted there to decimal = 4
    CHECK(all[1].id == "absolute_clustering");
    CHECK_THAT(all[1].value, WithinAbs(0.060701540314293256, 1e-9));
    // segregation/tests/test_relative_clustering.py (6761349)
    CHECK(all[2].id == "relative_clustering");
    CHECK_THAT(all[2].value, WithinAbs(0.5172753899054523, 1e-9));
    // segregation/tests/test_distance_decay_isolation.py (6761349)
    CHECK(all[3].id == "distance_decay_isolation");
    CHECK_THAT(all[3].value, WithinAbs(0.20144710843904595, 1e-9));
    // segregation/tests/test_distance_decay_interaction.py (d3be7d2)
    CHECK(all[4].id == "distance_decay_interaction");
    CHECK_THAT(all[4].value, WithinAbs(0.8620769567792631, 1e-9));
    // the single-index entry points agree with the batch
    CHECK(seg::spatial_proximity(c, s.centroids, s.areas) == all[0].value);
    CHECK(seg::relative_clustering(c, s.centroids, s.areas) == all[2].value);
    // identical for any thread count
    seg::ProximityOptions one;
    one.threads = 1;
    CHECK(seg::distance_decay_indices(c, s.centroids, s.areas, one)[3].value == all[3].value);
}

TEST_CASE("area and centre indices equal PySAL's values (lon/lat)", "[segregation][pysal][spatial]") {
    // These PySAL tests read sacramentot2.shp without reprojecting it, i.e. in degrees; the
    // numbers are reproduced on our EPSG:4326 file (the library takes whatever units it gets).
    const auto& s = hq::test::sacramento_lonlat();
    const auto c = s.group("HISP", "TOT_POP");
    // segregation/tests/test_delta.py (b2d4a18)
    CHECK_THAT(seg::delta(c, s.areas), WithinAbs(0.8044969214141899, 1e-9));
    // segregation/tests/test_absolute_concentration.py (77a9b9b)
    CHECK_THAT(seg::absolute_concentration(c, s.areas), WithinAbs(0.8512824549657465, 1e-9));
    // segregation/tests/test_relative_concentration.py (b2d4a18)
    CHECK_THAT(seg::relative_concentration(c, s.areas), WithinAbs(0.12733820870675222, 1e-9));
    // segregation/tests/test_absolute_centralization.py (b2d4a18), centre = mean of centroids
    CHECK_THAT(seg::absolute_centralization(c, s.centroids, s.areas), WithinAbs(0.6891422368736286, 1e-9));
    // segregation/tests/test_relative_centralization.py (77a9b9b)
    CHECK_THAT(seg::relative_centralization(c, s.centroids), WithinAbs(-0.11194177550430595, 1e-9));

    // segregation/tests/test_local_relative_centralization.py (77a9b9b): BLACK, first 10
    const auto b = s.group("BLACK", "TOT_POP");
    const auto lrc = seg::local_relative_centralization(b, s.centroids);
    const double ref[10] = {0.03443055, -0.29063264, -0.19110976, 0.24978919, 0.01252249,
                            0.61152941, 0.78917647,  0.53129412,  0.04436346, -0.20216325};
    REQUIRE(lrc.size() == 403);
    for (std::size_t i = 0; i < 10; ++i) CHECK_THAT(lrc[i], WithinAbs(ref[i], 1e-8));
}

TEST_CASE("centralization and concentration on a hand-made line", "[segregation][spatial]") {
    // Three equal-area units on a line, centre at the first. Group all in the centre unit,
    // others outside: X reaches 1 at the first step, so RCE = Σ X_{k−1}Y_k − Σ X_k Y_{k−1}
    // = (1·½ + 1·1) − (1·0 + 1·½) = 1 (completely centralized).
    seg::GroupCounts c;
    c.group = {10, 0, 0};
    c.total = {10, 5, 5};
    const std::vector<hq::Vec2> p = {{0, 0}, {1, 0}, {2, 0}};
    seg::Center at_first;
    at_first.kind = seg::Center::Kind::Unit;
    at_first.unit = 0;
    CHECK_THAT(seg::relative_centralization(c, p, at_first), WithinRel(1.0, 1e-15));
    // Reversed: the group at the far end → −1.
    seg::GroupCounts r;
    r.group = {0, 0, 10};
    r.total = {5, 5, 10};
    CHECK_THAT(seg::relative_centralization(r, p, at_first), WithinRel(-1.0, 1e-15));
    // ACE with equal areas: A_k = k/3; group all in unit 0: X = 1, 1, 1 →
    // (1·⅔ + 1·1) − (1·⅓ + 1·⅔) = ⅔.
    CHECK_THAT(seg::absolute_centralization(c, p, {1, 1, 1}, at_first), WithinRel(2.0 / 3.0, 1e-15));
    // Delta: group share (1, 0, 0) vs area share (⅓, ⅓, ⅓): ½(⅔ + ⅓ + ⅓) = ⅔.
    CHECK_THAT(seg::delta(c, {1, 1, 1}), WithinRel(2.0 / 3.0, 1e-15));
    // A centre given as a point equals the same centre given as a unit.
    seg::Center pt;
    pt.kind = seg::Center::Kind::Point;
    pt.point = {0, 0};
    CHECK(seg::relative_centralization(c, p, pt) == seg::relative_centralization(c, p, at_first));

    CHECK_THROWS_AS(seg::delta(c, {1, 1}), hq::InputError);
    CHECK_THROWS_AS(seg::delta(c, {1, -1, 1}), hq::InputError);
    CHECK_THROWS_AS(seg::relative_centralization(c, {{0, 0}, {1, 0}, {NAN, 0}}), hq::InputError);
    seg::Center bad;
    bad.kind = seg::Center::Kind::Unit;
    bad.unit = 7;
    CHECK_THROWS_AS(seg::relative_centralization(c, p, bad), hq::InputError);
}

TEST_CASE("contiguity-based dissimilarities equal PySAL's values", "[segregation][pysal][spatial]") {
    {
        // segregation/tests/test_spatial_dissimilarity.py (77a9b9b): sacramentot2.shp unprojected,
        // libpysal Queen weights, binary, not standardised (asserted there to decimal = 4; we agree to 1e-12).
        const auto& s = hq::test::sacramento_lonlat();
        const auto c = s.group("HISP", "TOT_POP");
        const auto queen = hq::contiguity_weights(s.geometries);
        CHECK_THAT(seg::spatial_dissim(c, queen), WithinAbs(0.2611974332919437, 1e-9));
        // segregation/tests/test_boundary_spatial_dissimilarity.py (77a9b9b): shared boundary
        // lengths (in degrees there), row-standardised (asserted there to decimal = 2; we agree to 1e-12).
        const auto lengths = seg::shared_boundary_weights(s.geometries);
        CHECK_THAT(seg::boundary_spatial_dissim(c, lengths), WithinAbs(0.2638936888653678, 1e-9));
    }
    {
        // segregation/tests/test_perimeter_area_ratio_spatial_dissimilarity.py (b2d4a18): UTM,
        // lengths divided by their total (decimal = 4 there; 1e-12 here).
        const auto& s = hq::test::sacramento();
        const auto c = s.group("HISP", "TOT_POP");
        const auto lengths = seg::shared_boundary_weights(s.geometries);
        const auto per = seg::perimeters(s.geometries);
        CHECK_THAT(seg::par_dissim(c, lengths, per, s.areas), WithinAbs(0.3112698489030527, 1e-9));
    }
}

TEST_CASE("contiguity dissimilarities on a hand-made strip", "[segregation][spatial]") {
    // Three unit squares in a row; shares p = (1, 0.5, 0). D = ½ Σ|x_i/X − y_i/Y| with
    // x = (4, 2, 0), y = (0, 2, 4): ½(⅔ + 0 + ⅔) = ⅔. Neighbour pairs (0,1), (1,2), each
    // |Δp| = ½, so Σ c|Δp| / Σ c = ½ and SD = ⅔ − ½ = ⅙ (binary or row-standardised alike).
    seg::GroupCounts c;
    c.group = {4, 2, 0};
    c.total = {4, 4, 4};
    std::vector<hq::Geometry> sq;
    for (int i = 0; i < 3; ++i) {
        const double x = i;
        sq.push_back(hq::Geometry::polygon({{x, 0}, {x + 1, 0}, {x + 1, 1}, {x, 1}, {x, 0}}));
    }
    const auto queen = hq::contiguity_weights(sq);
    CHECK_THAT(seg::spatial_dissim(c, queen), WithinRel(1.0 / 6.0, 1e-14));
    CHECK_THAT(seg::spatial_dissim(c, queen, true), WithinRel(1.0 / 6.0, 1e-14));
    const auto lengths = seg::shared_boundary_weights(sq);
    REQUIRE(lengths.cardinality(1) == 2);
    CHECK_THAT(lengths.row_values(1)[0], Catch::Matchers::WithinRel(1.0, 1e-12));
    CHECK_THAT(seg::boundary_spatial_dissim(c, lengths), WithinRel(1.0 / 6.0, 1e-14));
    // PARD: PA = 4 for every square; Σ_ij c_ij |Δp| (PA_i + PA_j) with c = 1/4 per directed
    // link (4 links): 4 · ¼ · ½ · 8 = 4, over 2 · max PA = 8 → ½; PARD = ⅔ − ½ = ⅙.
    const auto per = seg::perimeters(sq);
    CHECK_THAT(per[0], Catch::Matchers::WithinRel(4.0, 1e-12));
    CHECK_THAT(seg::par_dissim(c, lengths, per, {1, 1, 1}), WithinRel(1.0 / 6.0, 1e-14));
}

TEST_CASE("spatially implicit indices equal PySAL's values", "[segregation][pysal][spatial]") {
    const auto& s = hq::test::sacramento();
    // segregation/tests/test_min_max_s.py (6761349): MinMax(distance = 2000, triangular) on
    // UTM = 0.4524336967483127, asserted there to decimal = 4. That number is the index of
    // the *unrounded* local sums: PySAL's earlier _build_local_environment (segregation/_base.py
    // of the 2.0 refactor, SpatialImplicitIndex still taking `decay=`) returned lag_spatial(w, y)
    // as is; the current one (segregation/_base.py at c13f34e) rounds every column with .round(0), which
    // moves MinMax to 0.4524253 (8.4e-6 lower), still inside the test's decimal = 4. Without
    // rounding our kernel sums reproduce PySAL's number to the last digits:
    const auto c = s.group("HISP", "TOT_POP");
    seg::LocalEnvironmentOptions raw;
    raw.bandwidth = 2000.0;
    raw.round_half_even = false;
    CHECK_THAT(seg::min_max(seg::local_environment(c, s.centroids, raw)), WithinAbs(0.4524336967483127, 1e-12));
    // With rounding (today's PySAL, and ours): the group, the total and the complement
    // (group_2_pop_var) are each smoothed and rounded half to even, and MinMax reads the
    // rounded complement. Checked against a brute-force O(n²) evaluation of those steps:
    const double h = 2000.0;
    std::vector<double> gx(c.units()), gy(c.units());
    for (std::size_t i = 0; i < c.units(); ++i) {
        double ax = 0.0, ay = 0.0;
        for (std::size_t j = 0; j < c.units(); ++j) {
            const double d = std::hypot(s.centroids[i].x - s.centroids[j].x, s.centroids[i].y - s.centroids[j].y);
            const double w = i == j ? 1.0 : (d <= h ? 1.0 - d / h : 0.0);
            ax += w * c.group[j];
            ay += w * (c.total[j] - c.group[j]);
        }
        gx[i] = std::nearbyint(ax);  // half to even, as numpy/pandas round
        gy[i] = std::nearbyint(ay);
    }
    double sx = 0.0, sy = 0.0, lo = 0.0, hi = 0.0;
    for (std::size_t i = 0; i < c.units(); ++i) sx += gx[i], sy += gy[i];
    for (std::size_t i = 0; i < c.units(); ++i) {
        lo += std::min(gx[i] / sx, gy[i] / sy);
        hi += std::max(gx[i] / sx, gy[i] / sy);
    }
    const double brute = 1.0 - lo / hi;
    CHECK_THAT(brute, WithinAbs(0.4524336967483127, 1.5e-4));  // PySAL's own tolerance
    const auto w2000 = seg::environment_kernel(s.centroids, h);
    CHECK_THAT(seg::min_max(seg::local_environment(c, w2000)), WithinAbs(brute, 1e-12));
    raw.round_half_even = true;
    CHECK_THAT(seg::min_max(seg::local_environment(c, s.centroids, raw)), WithinAbs(brute, 1e-12));
    // segregation/tests/test_multiscalar_profile.py (d3be7d2): MultiDissim of HISP, BLACK,
    // WHITE aspatially and at 500, 1000, 1500, 2000 m; decimal = 4.
    const auto m = s.matrix({"HISP", "BLACK", "WHITE"});
    CHECK_THAT(seg::multi_dissim(m), WithinAbs(0.4246, 1.5e-4));
    const double ref[4] = {0.4246, 0.4173, 0.4008, 0.3776};
    const double dist[4] = {500, 1000, 1500, 2000};
    for (int i = 0; i < 4; ++i) {
        INFO("distance " << dist[i]);
        const auto env = seg::local_environment(m, seg::environment_kernel(s.centroids, dist[i]));
        CHECK_THAT(seg::multi_dissim(env), WithinAbs(ref[i], 1.5e-4));
    }
}

TEST_CASE("local environments: hand-made kernel", "[segregation][spatial]") {
    // Units at x = 0, 1, 3 with h = 2: w_01 = w_10 = ½, unit 2 alone. Group (1, 3, 5),
    // total (2, 4, 6): smoothed group (1 + 1.5, 3 + 0.5, 5) = (2.5, 3.5, 5) → rounded half to
    // even (2, 4, 5); total (2 + 2, 4 + 1, 6) = (4, 5, 6).
    seg::GroupCounts c;
    c.group = {1, 3, 5};
    c.total = {2, 4, 6};
    const auto w = seg::environment_kernel({{0, 0}, {1, 0}, {3, 0}}, 2.0);
    const auto e = seg::local_environment(c, w);
    CHECK(e.group == std::vector<double>{2, 4, 5});
    CHECK(e.total == std::vector<double>{4, 5, 6});
    CHECK_THROWS_AS(seg::environment_kernel({{0, 0}, {1, 0}, {3, 0}}, 0.0), hq::InputError);
}

TEST_CASE("spatial_prox_prof equals PySAL's value", "[segregation][pysal][spatial]") {
    // segregation/tests/test_spatial_prox_profile.py (97effe3): UTM, libpysal Queen weights,
    // Floyd–Warshall hop counts.
    const auto& s = hq::test::sacramento();
    const auto c = s.group("HISP", "TOT_POP");
    const auto queen = hq::contiguity_weights(s.geometries);
    CHECK_THAT(seg::spatial_prox_prof(c, queen), WithinAbs(0.22847334404621394, 1e-9));
}

TEST_CASE("single_group_spatial returns every spatial id", "[segregation][spatial]") {
    const auto& s = hq::test::sacramento();
    const auto c = s.group("HISP", "TOT_POP");
    const auto in = seg::spatial_inputs(s.geometries);
    // GEOS centroids and planar areas agree with the test loader's own computation
    for (std::size_t i = 0; i < 5; ++i) {
        CHECK_THAT(in.centroids[i].x, WithinRel(s.centroids[i].x, 1e-12));
        CHECK_THAT(in.areas[i], WithinRel(s.areas[i], 1e-12));
    }
    const auto all = seg::single_group_spatial(c, in);
    REQUIRE(all.size() == seg::single_group_spatial_ids().size());
    for (std::size_t i = 0; i < all.size(); ++i) {
        CHECK(all[i].id == seg::single_group_spatial_ids()[i]);
        CHECK(std::isfinite(all[i].value));
    }
    // values equal the PySAL-checked single calls on the same (UTM) inputs
    CHECK_THAT(all[3].value, WithinAbs(0.22847334404621394, 1e-9));  // spatial_prox_prof
    CHECK_THAT(all[4].value, WithinAbs(1.0467806527410652, 1e-9));   // spatial_proximity
    CHECK_THAT(all[2].value, WithinAbs(0.3112698489030527, 1e-9));   // par_dissim
}
