// Hand-worked autocorrelation examples and bad input.
//
// The 4-unit path 0–1–2–3 with binary weights and x = (1, 2, 3, 4), worked by hand:
//   z = (−1.5, −0.5, 0.5, 1.5), Σz² = 5, Σz⁴ = 10.25, m2 = Σz²/n = 1.25.
//   S0 = 6; S1 = ½ Σ (w_ij + w_ji)² = ½ · 6 · 4 = 12; S2 = Σ (2·degree)² = 4 + 16 + 16 + 4 = 40.
//   Moran: Σ w_ij z_i z_j = 2(0.75 − 0.25 + 0.75) = 2.5; I = (4/6)(2.5/5) = 1/3; E = −1/3.
//     Var_N = (n²S1 − nS2 + 3S0²)/(S0²(n² − 1)) − E² = 140/540 − 1/9 = 4/27; z_N = (2/3)/√(4/27) = √3.
//     K = n Σz⁴/(Σz²)² = 1.64;
//     Var_R = [n((n²−3n+3)S1 − nS2 + 3S0²) − K((n²−n)S1 − 2nS2 + 6S0²)]/((n−1)(n−2)(n−3)S0²) − E²
//           = [4·32 − 1.64·40]/216 − 1/9 = 38.4/216 = 8/45.
//   Geary: C = (n−1)/(2S0) · Σ w_ij (x_i − x_j)²/Σz² = 3/12 · 6/5 = 0.3.
//     Var_N = ((2S1 + S2)(n−1) − 4S0²)/(2(n+1)S0²) = (64·3 − 144)/(10·36) = 48/360 = 2/15.
//   General G: Σ w_ij x_i x_j = 2(2 + 6 + 12) = 40; (Σx)² − Σx² = 100 − 30 = 70; G = 4/7;
//     E(G) = S0/(n(n−1)) = 1/2.
//   Local Moran (conditional moments), unit 0: lag z = −0.5; Ii = (−1.5/1.25)(−0.5) = 0.6;
//     E = −z²W/((n−1)m2) = −2.25/3.75 = −0.6;
//     V = (z/m2)² (n/(n−2)) (W2 − W²/(n−1)) (m2 − z²/(n−1)) = 1.44 · 2 · (2/3) · 0.5 = 0.96;
//     z = 1.2/√0.96 = √1.5.
//   Unit 1: lag = −1.5 + 0.5 = −1; Ii = (−0.4)(−1) = 0.4; E = −0.25·2/3.75 = −2/15;
//     V = 0.16 · 2 · (2 − 4/3) · (1.25 − 0.25/3) = 0.16 · 2 · (2/3) · (7/6) = 28/112.5 = 0.248888…
//   Local G (not star), unit 0: Σ_j w_0j x_j = 2; x̄_(0) = (10 − 1)/3 = 3;
//     s²_(0) = (30 − 1)/3 − 9 = 2/3; E = W·x̄ = 3; V = s²((n−1)S1i − W²)/(n−2) = (2/3)(3 − 1)/2 = 2/3;
//     z = (2 − 3)/√(2/3) = −√1.5.
//   Local G*, unit 0 (self weight 1): Σ = 1 + 2 = 3; x̄ = 2.5; s² = 5/4; W = 2, S1i = 2;
//     E = 5; V = s²(n·S1i − W²)/(n − 1) = 1.25 · 4/3 = 5/3; z = −2/√(5/3).
#include <catch2/catch.hpp>

#include <cmath>

#include "geo/core/error.hpp"
#include "geo/stats/autocorr.hpp"
#include "geo/stats/local_moran.hpp"
#include "geo/stats/multiple_testing.hpp"

using Catch::Matchers::WithinRel;

namespace {

hq::Weights path4() { return hq::Weights::from_lists({{1}, {0, 2}, {1, 3}, {2}}); }
const std::vector<double> kX{1, 2, 3, 4};
hq::AutocorrOptions no_perm() {
    hq::AutocorrOptions o;
    o.permutations = 0;
    return o;
}

template <class F>
void check_input_error(F&& f, const std::string& needle) {
    try {
        f();
        FAIL("no exception");
    } catch (const hq::InputError& e) {
        CHECK_THAT(e.what(), Catch::Contains(needle));
    }
}

}  // namespace

TEST_CASE("Moran's I: 4-unit path by hand") {
    const auto r = hq::moran(kX, path4(), no_perm());
    CHECK_THAT(r.I, WithinRel(1.0 / 3, 1e-14));
    CHECK_THAT(r.expected, WithinRel(-1.0 / 3, 1e-14));
    CHECK_THAT(r.variance_normality, WithinRel(4.0 / 27, 1e-13));
    CHECK_THAT(r.z_normality, WithinRel(std::sqrt(3.0), 1e-13));
    CHECK_THAT(r.kurtosis, WithinRel(1.64, 1e-14));
    CHECK_THAT(r.variance_randomisation, WithinRel(8.0 / 45, 1e-13));
    CHECK_THAT(r.p_normality, WithinRel(0.5 * std::erfc(std::sqrt(3.0) / std::sqrt(2.0)), 1e-13));
    CHECK_THAT(r.p_normality_two_sided, WithinRel(2 * r.p_normality, 1e-13));
    CHECK(std::isnan(r.p_permutation));
}

TEST_CASE("Geary's C and general G: 4-unit path by hand") {
    const auto g = hq::geary(kX, path4(), no_perm());
    CHECK_THAT(g.C, WithinRel(0.3, 1e-14));
    CHECK_THAT(g.variance_normality, WithinRel(2.0 / 15, 1e-13));
    CHECK_THAT(g.z_normality, WithinRel(0.7 / std::sqrt(2.0 / 15), 1e-13));  // (1 − C)/sd > 0
    const auto G = hq::general_g(kX, path4(), no_perm());
    CHECK_THAT(G.G, WithinRel(4.0 / 7, 1e-14));
    CHECK_THAT(G.expected, WithinRel(0.5, 1e-14));
}

TEST_CASE("Local Moran, local G and G*: 4-unit path by hand") {
    const auto r = hq::local_moran(kX, path4(), no_perm());
    CHECK_THAT(r.Ii[0], WithinRel(0.6, 1e-14));
    CHECK_THAT(r.E[0], WithinRel(-0.6, 1e-14));
    CHECK_THAT(r.V[0], WithinRel(0.96, 1e-14));
    CHECK_THAT(r.z[0], WithinRel(std::sqrt(1.5), 1e-14));
    CHECK_THAT(r.Ii[1], WithinRel(0.4, 1e-14));
    CHECK_THAT(r.E[1], WithinRel(-2.0 / 15, 1e-14));
    CHECK_THAT(r.V[1], WithinRel(0.16 * 2 * (2.0 / 3) * (7.0 / 6), 1e-14));
    CHECK_THAT(r.Ii[3], WithinRel(0.6, 1e-14));
    CHECK(r.quadrant[0] == hq::Quadrant::LL);
    CHECK(r.quadrant[1] == hq::Quadrant::LL);
    CHECK(r.quadrant[2] == hq::Quadrant::HH);
    CHECK(r.quadrant[3] == hq::Quadrant::HH);

    const auto g = hq::local_g(kX, path4(), false, no_perm());
    CHECK_THAT(g.z[0], WithinRel(-std::sqrt(1.5), 1e-14));
    const auto gs = hq::local_g(kX, path4(), true, no_perm());
    CHECK_THAT(gs.z[0], WithinRel(-2 / std::sqrt(5.0 / 3), 1e-14));
    // Row standardisation does not change spdep's local G z.
    const auto gw = hq::local_g(kX, path4().row_standardised(), false, no_perm());
    for (std::size_t i = 0; i < 4; ++i) CHECK_THAT(gw.z[i], WithinRel(g.z[i], 1e-13));
}

TEST_CASE("Quadrants: a value exactly at the mean is Low, islands") {
    // x = (0, 1, 2, 3, 4): unit 2 equals the mean (z = 0) → Low. Unit 4 is an island.
    const hq::Weights w = hq::Weights::from_lists({{1}, {0, 2}, {1, 3}, {2}, {}});
    const std::vector<double> x{0, 1, 2, 3, 4};
    const auto r = hq::local_moran(x, w, no_perm());
    // Unit 2: z = 0, lag = z1 + z3 = −1 + 1 = 0 → LL; Ii = E = V = 0 → z is undefined (NaN).
    CHECK(r.quadrant[2] == hq::Quadrant::LL);
    CHECK(std::isnan(r.z[2]));
    CHECK(r.quadrant[4] == hq::Quadrant::Island);
    CHECK(r.Ii[4] == 0.0);
    CHECK(std::isnan(r.z[4]));
    CHECK(std::isnan(r.p_analytical[4]));
    CHECK(std::string(hq::quadrant_name(hq::Quadrant::LH)) == "LH");
}

TEST_CASE("Multiple testing: Bonferroni and Benjamini–Hochberg step-up") {
    // p = (0.005, 0.03, 0.035, 0.9), m = 4, alpha = 0.05. BH thresholds k·α/m:
    // 0.0125, 0.025, 0.0375, 0.05. The step-up takes the largest k with p_(k) <= kα/m: k = 3
    // (0.035 <= 0.0375) although k = 2 fails (0.03 > 0.025): three discoveries. A procedure
    // that stops at the first failure (GeoDa's "FDR") finds one.
    // q-values: m/k·p_(k) = 0.02, 0.06, 0.046667, 0.9 → running min from the top:
    // 0.02, 0.046667, 0.046667, 0.9.
    const std::vector<double> p{0.005, 0.03, 0.035, 0.9};
    const auto q = hq::adjust_p_values(p, hq::PAdjust::BenjaminiHochberg);
    CHECK_THAT(q[0], Catch::Matchers::WithinRel(0.02, 1e-12));
    CHECK_THAT(q[1], Catch::Matchers::WithinRel(0.035 * 4 / 3, 1e-12));
    CHECK_THAT(q[2], Catch::Matchers::WithinRel(0.035 * 4 / 3, 1e-12));
    CHECK_THAT(q[3], Catch::Matchers::WithinRel(0.9, 1e-12));
    CHECK(hq::significant(p, hq::PAdjust::BenjaminiHochberg, 0.05) == std::vector<bool>{true, true, true, false});
    CHECK(hq::significant(p, hq::PAdjust::Bonferroni, 0.05) == std::vector<bool>{true, false, false, false});
    CHECK(hq::significant(p, hq::PAdjust::None, 0.05) == std::vector<bool>{true, true, true, false});
    const auto b = hq::adjust_p_values(p, hq::PAdjust::Bonferroni);
    CHECK_THAT(b[1], Catch::Matchers::WithinRel(0.12, 1e-12));
    CHECK(b[3] == 1.0);
    // NaN (islands) stays NaN and does not count in m.
    const std::vector<double> pn{0.01, NAN, 0.04};
    const auto bn = hq::adjust_p_values(pn, hq::PAdjust::Bonferroni);
    CHECK_THAT(bn[0], Catch::Matchers::WithinRel(0.02, 1e-12));
    CHECK(std::isnan(bn[1]));
    CHECK(hq::p_adjust_from_name("fdr") == hq::PAdjust::BenjaminiHochberg);
    CHECK_THROWS_AS(hq::p_adjust_from_name("holm"), hq::InputError);
}

TEST_CASE("Bad input: constant, NaN, too few units, all islands, negative values, self links") {
    const hq::Weights w = path4();
    hq::AutocorrOptions o = no_perm();
    o.variable = "pop_hui";
    check_input_error([&] { hq::moran(std::vector<double>{2, 2, 2, 2}, w, o); }, "constant");
    check_input_error([&] { hq::local_moran(std::vector<double>{2, 2, 2, 2}, w, o); }, "constant");
    check_input_error([&] { hq::moran(std::vector<double>{1, NAN, 2, 3}, w, o); }, "NaN");
    check_input_error([&] { hq::moran(std::vector<double>{1, NAN, 2, 3}, w, o); }, "pop_hui");
    check_input_error([&] { hq::moran(std::vector<double>{1, 2, 3}, w, o); }, "3 values but the weights have 4");
    const hq::Weights one = hq::Weights::from_lists({{}});
    check_input_error([&] { hq::moran(std::vector<double>{1}, one, o); }, "at least 4 units");
    check_input_error([&] { hq::local_moran(std::vector<double>{1}, one, o); }, "at least 3 units");
    const hq::Weights alone = hq::Weights::from_lists({{}, {}, {}, {}});
    check_input_error([&] { hq::moran(kX, alone, o); }, "every unit is an island");
    check_input_error([&] { hq::local_moran(kX, alone, o); }, "every unit is an island");
    check_input_error([&] { hq::general_g(std::vector<double>{1, -2, 3, 4}, w, o); }, "non-negative");
    check_input_error([&] { hq::local_moran(kX, w.with_self(), o); }, "its own neighbour");
    check_input_error([&] { hq::local_g(kX, w.with_self(), false, o); }, "its own neighbour");
    check_input_error([&] { hq::bivariate_moran(kX, kX, hq::Weights::from_lists({{1}, {0}, {3}, {}}), o); },
                      "no neighbour");
}
