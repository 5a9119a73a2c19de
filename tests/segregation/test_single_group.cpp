// Single-group aspatial indices: hand-worked examples, properties and bad input.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <random>
#include <string>

#include "geo/core/parallel.hpp"
#include "geo/stats/segregation.hpp"
#include "geo/stats/segregation_detail.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace seg = hq::seg;

namespace {

// Example S of tests/reference/segregation/make_reference.py: 5 units, one without the
// group and one with no population at all.
seg::GroupCounts example_s() {
    seg::GroupCounts c;
    c.group = {10, 20, 5, 0, 0};
    c.total = {50, 40, 60, 30, 0};
    c.group_name = "g";
    c.total_name = "t";
    return c;
}

seg::GroupCounts counts(std::vector<double> g, std::vector<double> t) {
    seg::GroupCounts c;
    c.group = std::move(g);
    c.total = std::move(t);
    return c;
}

bool throws_with(const std::function<void()>& f, const std::string& needle) {
    try {
        f();
    } catch (const hq::InputError& e) {
        const std::string what = e.what();
        if (what.find(needle) == std::string::npos) FAIL("message '" << what << "' lacks '" << needle << "'");
        return true;
    }
    return false;
}

}  // namespace

TEST_CASE("single-group indices on a hand-worked example", "[segregation]") {
    const auto c = example_s();
    // Values printed by tests/reference/segregation/make_reference.py (Example S), which
    // computes each index from its paper's formula (D as ½Σ|x_i/X − y_i/Y|, G over all pairs).
    CHECK_THAT(seg::dissim(c), WithinRel(0.44334975369458124, 1e-13));
    CHECK_THAT(seg::gini(c), WithinRel(0.5911330049261084, 1e-13));
    CHECK_THAT(seg::entropy(c), WithinRel(0.21103839080412315, 1e-13));
    CHECK_THAT(seg::atkinson(c), WithinRel(0.36913302144982074, 1e-13));
    CHECK_THAT(seg::con_prof(c), WithinRel(0.23712315270935994, 1e-13));
    CHECK_THAT(seg::min_max(c), WithinRel(0.6143344709897611, 1e-13));
    CHECK_THAT(seg::isolation(c), WithinRel(0.3547619047619048, 1e-13));
    CHECK_THAT(seg::interaction(c), WithinRel(0.6452380952380952, 1e-13));
    CHECK_THAT(seg::correlation_r(c), WithinRel(0.19901477832512315, 1e-13));
    CHECK_THAT(seg::density_corrected_dissim(c), WithinRel(0.43842364524204824, 1e-13));
}

TEST_CASE("folded-normal mode n(theta)", "[segregation]") {
    // make_reference.py: the root of the derivative of φ(z − θ) + φ(z + θ), by bisection.
    CHECK(seg::folded_normal_mode(0.5) == 0.0);
    CHECK(seg::folded_normal_mode(1.0) == 0.0);
    CHECK_THAT(seg::folded_normal_mode(1.5), WithinRel(1.4632437386096906, 1e-14));
    CHECK_THAT(seg::folded_normal_mode(2.0), WithinRel(1.9986513460302167, 1e-14));
    CHECK_THAT(seg::folded_normal_mode(5.0), WithinRel(5.0, 1e-14));
    // It solves z = θ tanh(θ z) exactly.
    for (double th : {1.01, 1.2, 3.0, 10.0}) {
        const double z = seg::folded_normal_mode(th);
        CHECK(z > 0.0);
        CHECK_THAT(z, WithinRel(th * std::tanh(th * z), 1e-14));
    }
    CHECK(seg::folded_normal_mode(std::numeric_limits<double>::quiet_NaN()) == 0.0);
}

TEST_CASE("evenly mixed city scores 0, complete segregation 1", "[segregation]") {
    // Same share (1/4) in every unit.
    const auto even = counts({10, 20, 5, 40}, {40, 80, 20, 160});
    CHECK_THAT(seg::dissim(even), WithinAbs(0.0, 1e-15));
    CHECK_THAT(seg::gini(even), WithinAbs(0.0, 1e-15));
    CHECK_THAT(seg::entropy(even), WithinAbs(0.0, 1e-15));
    CHECK_THAT(seg::atkinson(even), WithinAbs(0.0, 1e-15));
    CHECK_THAT(seg::min_max(even), WithinAbs(0.0, 1e-15));
    CHECK_THAT(seg::correlation_r(even), WithinAbs(0.0, 1e-15));
    CHECK_THAT(seg::isolation(even), WithinRel(0.25, 1e-15));
    CHECK_THAT(seg::interaction(even), WithinRel(0.75, 1e-15));

    // Every unit all-group or all-other.
    const auto apart = counts({10, 0, 30, 0}, {10, 50, 30, 7});
    CHECK_THAT(seg::dissim(apart), WithinRel(1.0, 1e-15));
    CHECK_THAT(seg::gini(apart), WithinRel(1.0, 1e-15));
    CHECK_THAT(seg::entropy(apart), WithinRel(1.0, 1e-15));
    CHECK_THAT(seg::atkinson(apart), WithinRel(1.0, 1e-15));
    CHECK_THAT(seg::min_max(apart), WithinRel(1.0, 1e-15));
    CHECK_THAT(seg::isolation(apart), WithinRel(1.0, 1e-15));
    CHECK_THAT(seg::interaction(apart), WithinAbs(0.0, 1e-15));
    CHECK_THAT(seg::correlation_r(apart), WithinRel(1.0, 1e-15));
}

TEST_CASE("D is symmetric in the two groups, xPy and yPx weigh by group size", "[segregation]") {
    const auto c = example_s();
    seg::GroupCounts flipped = c;
    for (std::size_t i = 0; i < c.units(); ++i) flipped.group[i] = c.total[i] - c.group[i];
    CHECK_THAT(seg::dissim(flipped), WithinRel(seg::dissim(c), 1e-14));
    CHECK_THAT(seg::gini(flipped), WithinRel(seg::gini(c), 1e-14));
    CHECK_THAT(seg::entropy(flipped), WithinRel(seg::entropy(c), 1e-14));
    // X · xPy = Y · yPx (both count the group–other contacts).
    const double big_x = 35;
    const double big_y = 145;
    CHECK_THAT(big_x * seg::interaction(c), WithinRel(big_y * seg::interaction(flipped), 1e-14));
}

TEST_CASE("zero-population units change nothing", "[segregation]") {
    auto c = example_s();
    auto without = counts({10, 20, 5, 0}, {50, 40, 60, 30});
    for (const auto& id : seg::single_group_aspatial_ids()) {
        if (id.rfind("modified", 0) == 0 || id == "bias_corrected_dissim") continue;
        INFO(id);
        CHECK_THAT(seg::single_group_index(id, c), WithinRel(seg::single_group_index(id, without), 1e-14));
    }
}

TEST_CASE("single_group_aspatial returns every id in order", "[segregation]") {
    seg::RandomOptions o;
    o.iterations = 20;
    const auto all = seg::single_group_aspatial(example_s(), o);
    REQUIRE(all.size() == seg::single_group_aspatial_ids().size());
    for (std::size_t i = 0; i < all.size(); ++i) {
        CHECK(all[i].id == seg::single_group_aspatial_ids()[i]);
        CHECK(std::isfinite(all[i].value));
    }
    CHECK(seg::single_group_aspatial(example_s(), o, false).size() == all.size() - 3);
    CHECK_THROWS_AS(seg::single_group_index("no_such_index", example_s()), hq::InputError);
}

TEST_CASE("bad single-group input is a clear error", "[segregation][errors]") {
    CHECK(throws_with([] { seg::dissim(counts({0, 0, 0}, {5, 6, 7})); }, "zero in every unit"));
    CHECK(throws_with([] { seg::dissim(counts({1, 9, 3}, {5, 6, 7})); }, "smaller than group"));
    CHECK(throws_with([] { seg::dissim(counts({1}, {5})); }, "at least 2 units"));
    CHECK(throws_with([] { seg::dissim(counts({}, {})); }, "at least 2 units"));
    CHECK(throws_with([] { seg::dissim(counts({1, 2}, {5, 6, 7})); }, "values but the total"));
    CHECK(throws_with([] { seg::dissim(counts({1, std::nan("")}, {5, 6})); }, "not a finite number"));
    CHECK(throws_with([] { seg::dissim(counts({1, 2}, {5, HUGE_VAL})); }, "not a finite number"));
    CHECK(throws_with([] { seg::dissim(counts({1, -2}, {5, 6})); }, "negative count"));
    CHECK(throws_with([] { seg::dissim(counts({5, 6}, {5, 6})); }, "no one outside the group"));
    CHECK(throws_with([] { seg::atkinson(example_s(), 1.0); }, "[0, 1)"));
    seg::RandomOptions o;
    o.iterations = 1;
    CHECK(throws_with([&] { seg::modified_dissim(example_s(), o); }, "at least 2"));
    // The error names the unit (0-based feature) and the field.
    try {
        auto c = counts({1, 9, 3}, {5, 6, 7});
        c.total_name = "TOT_POP";
        c.group_name = "HISP";
        c.where.file = "tracts.geojson";
        seg::dissim(c);
        FAIL("no throw");
    } catch (const hq::InputError& e) {
        REQUIRE(e.context().feature.has_value());
        CHECK(*e.context().feature == 1);
        CHECK(e.context().field == "TOT_POP");
        CHECK(e.context().file == "tracts.geojson");
    }
}

TEST_CASE("randomised corrections: determinism and statistics", "[segregation][random]") {
    const auto c = example_s();
    seg::RandomOptions o;
    o.iterations = 400;
    o.seed = 7;
    o.threads = 1;
    const double md1 = seg::modified_dissim(c, o);
    const double mg1 = seg::modified_gini(c, o);
    const double bc1 = seg::bias_corrected_dissim(c, o);
    o.threads = 4;
    CHECK(seg::modified_dissim(c, o) == md1);  // identical whatever the thread count
    CHECK(seg::modified_gini(c, o) == mg1);
    CHECK(seg::bias_corrected_dissim(c, o) == bc1);
    o.seed = 8;
    CHECK(seg::modified_dissim(c, o) != md1);  // and a different seed gives a different draw

    // On an evenly mixed city the observed D is 0 while D* > 0 (sampling noise), so the
    // Carrington–Troske index is exactly −1: (D − D*)/D* with D = 0.
    const seg::GroupCounts even = counts({10, 20, 5, 40}, {40, 80, 20, 160});
    CHECK_THAT(seg::modified_dissim(even, o), WithinRel(-1.0, 1e-14));
    CHECK_THAT(seg::modified_gini(even, o), WithinRel(-1.0, 1e-14));

    // Bias correction: under complete segregation every multinomial draw is still completely
    // segregated (D_b = 1), so Dbc = 2·1 − 1 = 1.
    const auto apart = counts({10, 0, 30, 0}, {10, 50, 30, 7});
    CHECK_THAT(seg::bias_corrected_dissim(apart, o), WithinRel(1.0, 1e-14));

    // Statistical check against exact expectations (Example R of make_reference.py, by
    // enumerating every draw): 3 units of 2 people, group (2, 0, 1). Recover the Monte
    // Carlo means from the results and compare within 4 standard errors.
    const auto r = counts({2, 0, 1}, {2, 2, 2});
    seg::RandomOptions big;
    big.iterations = 20000;
    big.seed = 99;
    const double d = 0.6666666666666666;  // D (make_reference.py)
    const double g = 0.8888888888888888;  // G
    const double se = 1.0 / std::sqrt(static_cast<double>(big.iterations));
    const double md = seg::modified_dissim(r, big);  // D ≥ D*: (D − D*)/(1 − D*)
    const double d_star = (d - md) / (1.0 - md);
    CHECK(std::abs(d_star - 0.55625) < 4.0 * 0.2853406224730951 * se);
    const double mg = seg::modified_gini(r, big);
    const double g_star = (g - mg) / (1.0 - mg);
    CHECK(std::abs(g_star - 0.5979166666666668) < 4.0 * 0.3132791213444814 * se);
    // bias_corrected_dissim computes E*[D_b] exactly (marginal binomials, linearity): equal to
    // the enumeration over every joint multinomial draw to rounding; PySAL's Monte Carlo
    // procedure (bias_corrected_dissim_bootstrap) within 4 standard errors of it.
    CHECK_THAT(seg::bias_corrected_dissim(r), WithinRel(2.0 * d - 0.812071330589849, 1e-13));
    const double bc = seg::bias_corrected_dissim_bootstrap(r, big);  // 2D − mean D_b
    CHECK(std::abs((2.0 * d - bc) - 0.812071330589849) < 4.0 * 0.20705582731537125 * se);
}

namespace {
/// Σ over every joint outcome of two independent multinomials (X over the units with
/// probabilities x_i/X, Y with y_i/Y) of P · D_b, by recursion over the units: an
/// independent code path for E*[D_b] (no marginals, no linearity).
double enumerate_mean_db(const std::vector<int>& x, const std::vector<int>& y) {
    const int nx = std::accumulate(x.begin(), x.end(), 0);
    const int ny = std::accumulate(y.begin(), y.end(), 0);
    const std::size_t n = x.size();
    std::vector<int> ax(n), ay(n);
    double total = 0.0;
    auto log_fact = [](int k) { return std::lgamma(k + 1.0); };
    // Joint probability of a multinomial outcome: n!/Π k_i! Π p_i^k_i.
    auto log_mult = [&](const std::vector<int>& k, const std::vector<int>& w, int m) {
        double l = log_fact(m);
        for (std::size_t i = 0; i < n; ++i) {
            if (k[i] == 0) continue;
            if (w[i] == 0) return -std::numeric_limits<double>::infinity();
            l += k[i] * std::log(static_cast<double>(w[i]) / m) - log_fact(k[i]);
        }
        return l;
    };
    std::function<void(std::size_t, int, std::vector<int>&, int, const std::function<void()>&)> split =
        [&](std::size_t i, int left, std::vector<int>& k, int, const std::function<void()>& leaf) {
            if (i + 1 == n) {
                k[i] = left;
                leaf();
                return;
            }
            for (int v = 0; v <= left; ++v) {
                k[i] = v;
                split(i + 1, left - v, k, 0, leaf);
            }
        };
    split(0, nx, ax, 0, [&] {
        const double lx = log_mult(ax, x, nx);
        if (std::isinf(lx)) return;
        split(0, ny, ay, 0, [&] {
            const double ly = log_mult(ay, y, ny);
            if (std::isinf(ly)) return;
            double db = 0.0;
            for (std::size_t i = 0; i < n; ++i) db += std::abs(ax[i] / double(nx) - ay[i] / double(ny));
            total += std::exp(lx + ly) * 0.5 * db;
        });
    });
    return total;
}
}  // namespace

TEST_CASE("bias_corrected_dissim: exact bootstrap expectation", "[segregation][random]") {
    // Brute force over every joint draw (enumerate_mean_db) on small cities of 3–4 units.
    const std::vector<std::pair<std::vector<int>, std::vector<int>>> cities = {
        {{3, 1, 0, 2}, {1, 4, 2, 0}}, {{5, 0, 2}, {0, 6, 3}}, {{1, 1, 1, 1}, {2, 0, 1, 3}}};
    for (const auto& [x, y] : cities) {
        std::vector<double> gx(x.begin(), x.end()), tt(x.size());
        for (std::size_t i = 0; i < x.size(); ++i) tt[i] = x[i] + y[i];
        const auto c = counts(gx, tt);
        const double mean_db = enumerate_mean_db(x, y);
        CHECK_THAT(seg::bias_corrected_dissim(c), WithinRel(2.0 * seg::dissim(c) - mean_db, 1e-12));
    }
    // Large counts (binomials with thousands of trials, tails truncated): the exact form and
    // 4,000 Monte Carlo draws agree within 4 standard errors of the Monte Carlo mean; the
    // per-draw sd of D_b is estimated from a second, independent run's spread.
    std::vector<double> gx, tt;
    for (int i = 0; i < 60; ++i) {
        gx.push_back(5 + (i * 37) % 400);
        tt.push_back(gx.back() + 300 + (i * 53) % 900);
    }
    const auto big = counts(gx, tt);
    seg::RandomOptions o;
    o.iterations = 4000;
    o.seed = 3;
    const double exact = seg::bias_corrected_dissim(big);
    const double mc1 = seg::bias_corrected_dissim_bootstrap(big, o);
    o.seed = 4;
    const double mc2 = seg::bias_corrected_dissim_bootstrap(big, o);
    // Var(mc1 − mc2) = 2 se²: |mc1 − mc2| estimates se roughly; bound it below generously.
    const double se = std::max(std::abs(mc1 - mc2) / std::sqrt(2.0), 2e-4);
    CHECK(std::abs(exact - mc1) < 4.0 * se);
    CHECK(std::abs(exact - mc2) < 4.0 * se);
    CHECK(std::abs(exact - mc1) < 2e-3);  // and close in absolute terms
    // Deterministic, and the same for any thread count.
    o.threads = 1;
    const double e1 = seg::bias_corrected_dissim(big, o);
    o.threads = 3;
    CHECK(seg::bias_corrected_dissim(big, o) == e1);
}

TEST_CASE("evenness null drawn by total class equals unit-by-unit draws", "[segregation][random]") {
    // modified_dissim / modified_gini draw the null x_i ~ Bin(t_i, P) grouped by total (one
    // multinomial per distinct total). Independent check: the same null drawn unit by unit
    // with the standard library's binomial_distribution (mt19937_64), D* and G* recovered
    // from the indices and compared within 5 combined standard errors. The city mixes totals
    // held by many units (grouped path) and by one unit each (unit-by-unit path).
    std::vector<double> g;
    std::vector<double> t;
    for (int i = 0; i < 120; ++i) {
        const double tot = i < 60 ? 12.0 : (i < 110 ? 40.0 : 50.0 + i);  // 10 singleton totals
        t.push_back(tot);
        g.push_back(std::floor(tot * (i % 3 == 0 ? 0.6 : 0.1)));
    }
    const auto c = counts(g, t);
    const double big_x = std::accumulate(g.begin(), g.end(), 0.0);
    const double big_t = std::accumulate(t.begin(), t.end(), 0.0);
    const double p = big_x / big_t;

    std::mt19937_64 gen(2024);
    const int n_ref = 4000;
    double ref_d = 0.0, ref_d2 = 0.0, ref_g = 0.0, ref_g2 = 0.0;
    std::vector<double> x(t.size());
    std::vector<std::pair<double, double>> buf;
    for (int b = 0; b < n_ref; ++b) {
        for (std::size_t i = 0; i < t.size(); ++i)
            x[i] = static_cast<double>(std::binomial_distribution<int>(static_cast<int>(t[i]), p)(gen));
        const double dv = seg::detail::dissim_raw(x.data(), t.data(), t.size());
        const double gv = seg::detail::gini_raw(x.data(), t.data(), t.size(), buf);
        ref_d += dv;
        ref_d2 += dv * dv;
        ref_g += gv;
        ref_g2 += gv * gv;
    }
    ref_d /= n_ref;
    ref_g /= n_ref;
    const double sd_d = std::sqrt(ref_d2 / n_ref - ref_d * ref_d);
    const double sd_g = std::sqrt(ref_g2 / n_ref - ref_g * ref_g);

    seg::RandomOptions o;
    o.iterations = 4000;
    o.seed = 5;
    const double d = seg::dissim(c);
    const double gi = seg::gini(c);
    REQUIRE(d > ref_d);  // strongly segregated: the (D − D*)/(1 − D*) branch
    const double md = seg::modified_dissim(c, o);
    const double mg = seg::modified_gini(c, o);
    const double d_star = (d - md) / (1.0 - md);
    const double g_star = (gi - mg) / (1.0 - mg);
    const double k = 5.0 * std::sqrt(2.0 / o.iterations);  // two independent means
    CHECK(std::abs(d_star - ref_d) < k * sd_d);
    CHECK(std::abs(g_star - ref_g) < k * sd_g);

    // The batch computes both from one set of draws: equal to the functions alone.
    const auto all = seg::single_group_aspatial(c, o, true);
    for (const auto& v : all) {
        if (v.id == "modified_dissim") CHECK(v.value == md);
        if (v.id == "modified_gini") CHECK(v.value == mg);
    }
}

TEST_CASE("binomial sampler matches the binomial distribution", "[segregation][random]") {
    // Chi-square goodness of fit against the exact pmf (bins with expectation < 5 merged
    // into their neighbours), for the inversion branch (n·p < 10), BTRD (n·p ≥ 10) and the
    // p > ½ reflection. Fixed seeds: deterministic; the bound is ~6 sd above the mean of χ².
    struct Case {
        std::int64_t n;
        double p;
    };
    for (const Case cs : {Case{5, 0.3}, Case{30, 0.2}, Case{20, 0.45}, Case{1000, 0.02}, Case{200, 0.5},
                          Case{1000, 0.3}, Case{100000, 0.7}, Case{50, 0.93}, Case{3, 0.999}}) {
        INFO("n = " << cs.n << ", p = " << cs.p);
        hq::Rng rng(42, static_cast<std::uint64_t>(cs.n));
        const int draws = 200000;
        std::vector<double> hist(static_cast<std::size_t>(cs.n + 1), 0.0);
        double sum = 0.0;
        bool in_range = true;
        for (int d = 0; d < draws; ++d) {
            const auto k = seg::detail::binomial(rng, cs.n, cs.p);
            if (k < 0 || k > cs.n) {
                in_range = false;
                break;
            }
            hist[static_cast<std::size_t>(k)] += 1.0;
            sum += static_cast<double>(k);
        }
        REQUIRE(in_range);
        const double mean = static_cast<double>(cs.n) * cs.p;
        const double sd = std::sqrt(mean * (1.0 - cs.p));
        CHECK(std::abs(sum / draws - mean) < 5.0 * sd / std::sqrt(static_cast<double>(draws)));
        double chi2 = 0.0;
        int df = -1;
        double obs = 0.0;
        double expct = 0.0;
        for (std::int64_t k = 0; k <= cs.n; ++k) {
            const double nd = static_cast<double>(cs.n);
            const double kd = static_cast<double>(k);
            const double logp = std::lgamma(nd + 1) - std::lgamma(kd + 1) - std::lgamma(nd - kd + 1) +
                                kd * std::log(cs.p) + (nd - kd) * std::log1p(-cs.p);
            obs += hist[static_cast<std::size_t>(k)];
            expct += draws * std::exp(logp);
            if (expct >= 5.0) {
                chi2 += (obs - expct) * (obs - expct) / expct;
                ++df;
                obs = 0.0;
                expct = 0.0;
            }
        }
        if (expct > 0.0) chi2 += (obs - expct) * (obs - expct) / std::max(expct, 1e-300);
        REQUIRE(df >= 1);
        CHECK(chi2 < df + 6.0 * std::sqrt(2.0 * df));
    }
}
