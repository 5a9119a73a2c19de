// Permutation inference: determinism across thread counts and seeds, and the statistical
// behaviour of the pseudo p-values (their digits cannot match spdep's, their distribution must).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "geo/core/parallel.hpp"
#include "geo/stats/autocorr.hpp"
#include "geo/stats/local_moran.hpp"

using Catch::Matchers::WithinAbs;

namespace {

/// Rook weights on a rows × cols grid (binary), cell id = r·cols + c.
hq::Weights grid_rook(std::size_t rows, std::size_t cols) {
    std::vector<std::vector<std::uint32_t>> nb(rows * cols);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) {
            auto& v = nb[r * cols + c];
            if (r > 0) v.push_back(static_cast<std::uint32_t>((r - 1) * cols + c));
            if (r + 1 < rows) v.push_back(static_cast<std::uint32_t>((r + 1) * cols + c));
            if (c > 0) v.push_back(static_cast<std::uint32_t>(r * cols + c - 1));
            if (c + 1 < cols) v.push_back(static_cast<std::uint32_t>(r * cols + c + 1));
        }
    return hq::Weights::from_lists(std::move(nb));
}

/// Approximately normal noise (sum of 12 uniforms − 6), from a fixed stream.
std::vector<double> noise(std::size_t n, std::uint64_t seed) {
    hq::Rng rng(seed, 999);
    std::vector<double> x(n);
    for (auto& v : x) {
        double s = 0;
        for (int k = 0; k < 12; ++k) s += rng.uniform();
        v = s - 6;
    }
    return x;
}

hq::AutocorrOptions opts(std::size_t r, std::uint64_t seed, unsigned threads) {
    hq::AutocorrOptions o;
    o.permutations = r;
    o.seed = seed;
    o.threads = threads;
    return o;
}

}  // namespace

TEST_CASE("Permutations: same seed gives identical results with 1 and 2 threads") {
    const hq::Weights w = grid_rook(20, 20).row_standardised();
    const auto x = noise(400, 7);
    const auto a = hq::local_moran(x, w, opts(199, 42, 1));
    const auto b = hq::local_moran(x, w, opts(199, 42, 2));
    CHECK(a.p_permutation == b.p_permutation);
    const auto c = hq::local_moran(x, w, opts(199, 43, 2));
    CHECK(a.p_permutation != c.p_permutation);  // a different seed changes something

    const auto g1 = hq::local_g(x, w, true, opts(99, 5, 1));
    const auto g2 = hq::local_g(x, w, true, opts(99, 5, 2));
    CHECK(g1.p_permutation == g2.p_permutation);

    const auto m1 = hq::moran(x, w, opts(99, 3, 1));
    const auto m2 = hq::moran(x, w, opts(99, 3, 2));
    CHECK(m1.p_permutation == m2.p_permutation);
    const auto c1 = hq::geary(x, w, opts(99, 3, 1));
    const auto c2 = hq::geary(x, w, opts(99, 3, 2));
    CHECK(c1.p_permutation == c2.p_permutation);
    std::vector<double> pos(x.size());
    std::transform(x.begin(), x.end(), pos.begin(), [](double v) { return v + 10; });
    CHECK(hq::general_g(pos, w, opts(99, 3, 1)).p_permutation == hq::general_g(pos, w, opts(99, 3, 2)).p_permutation);
    const auto y = noise(400, 8);
    CHECK(hq::bivariate_moran(x, y, w, opts(99, 3, 1)).p_permutation ==
          hq::bivariate_moran(x, y, w, opts(99, 3, 2)).p_permutation);
    CHECK(hq::local_bivariate_moran(x, y, w, opts(99, 3, 1)).p_permutation ==
          hq::local_bivariate_moran(x, y, w, opts(99, 3, 2)).p_permutation);
}

TEST_CASE("Permutations: strong autocorrelation gives the smallest pseudo p 1/(R+1)") {
    // A smooth hot spot in the corner of a 30×30 grid: x = exp(−d²/50), d from cell (0,0).
    const std::size_t n = 30;
    const hq::Weights w = grid_rook(n, n).row_standardised();
    std::vector<double> x(n * n);
    for (std::size_t r = 0; r < n; ++r)
        for (std::size_t c = 0; c < n; ++c) x[r * n + c] = std::exp(-static_cast<double>(r * r + c * c) / 50.0);
    const std::size_t R = 99;
    CHECK_THAT(hq::moran(x, w, opts(R, 1, 0)).p_permutation, Catch::Matchers::WithinRel(1.0 / (R + 1), 1e-12));
    CHECK_THAT(hq::geary(x, w, opts(R, 1, 0)).p_permutation, Catch::Matchers::WithinRel(1.0 / (R + 1), 1e-12));
    // The corner cell: its value and its two neighbours' are the three largest; a random draw
    // of two other values never gives as large a lag.
    const auto lm = hq::local_moran(x, w, opts(R, 1, 0));
    CHECK_THAT(lm.p_permutation[0], Catch::Matchers::WithinRel(1.0 / (R + 1), 1e-12));
    CHECK(lm.quadrant[0] == hq::Quadrant::HH);
    const auto gs = hq::local_g(x, w, true, opts(R, 1, 0));
    CHECK_THAT(gs.p_permutation[0], Catch::Matchers::WithinRel(1.0 / (R + 1), 1e-12));
}

TEST_CASE("Permutations: under a random variable the local pseudo p is ~ uniform on (0, 0.5]") {
    // Folded pseudo p = (min(M, R − M) + 1)/(R + 1) is one-tailed in the observed direction,
    // so under the null P(p <= a) ≈ 2a. 900 sites, R = 199, 3 independent variables.
    const hq::Weights w = grid_rook(30, 30).row_standardised();
    std::size_t below05 = 0, below25 = 0, total = 0;
    double sum = 0;
    for (std::uint64_t s = 0; s < 3; ++s) {
        const auto x = noise(900, 100 + s);
        const auto r = hq::local_moran(x, w, opts(199, s, 0));
        for (const double p : r.p_permutation) {
            REQUIRE(p > 0);
            REQUIRE(p <= 0.5 + 1e-12);
            below05 += p <= 0.05;
            below25 += p <= 0.25;
            sum += p;
            ++total;
        }
    }
    const double f05 = static_cast<double>(below05) / static_cast<double>(total);
    const double f25 = static_cast<double>(below25) / static_cast<double>(total);
    // Expected 0.10 and 0.50; binomial sd over 2700 sites 0.006 and 0.01 (neighbouring sites
    // are correlated, so allow ~5 sd).
    CHECK_THAT(f05, WithinAbs(0.10, 0.03));
    CHECK_THAT(f25, WithinAbs(0.50, 0.05));
    CHECK_THAT(sum / static_cast<double>(total), WithinAbs(0.25, 0.02));
}

TEST_CASE("Permutations: the global Moran pseudo p rejects at about the nominal rate under the null") {
    // Independent random variables on a 15×15 grid, R = 99. The folded pseudo p
    // (min(M, R − M) + 1)/(R + 1), M = permuted I's at or above the observed one, is two-sided:
    // under the null M is uniform on 0..99, so P(p <= 0.05) = P(min(M, 99 − M) <= 4) = 10/100
    // exactly, half of it in each tail (I above its expectation −1/(n−1), or below). A
    // one-sided p ((M + 1)/(R + 1)) would reject 5/100, all in the upper tail.
    const hq::Weights w = grid_rook(15, 15).row_standardised();
    std::size_t hits = 0, upper = 0;
    const std::size_t trials = 1000;
    for (std::uint64_t s = 0; s < trials; ++s) {
        const auto x = noise(225, 1000 + s);
        const auto r = hq::moran(x, w, opts(99, s, 0));
        if (r.p_permutation <= 0.05) {
            ++hits;
            upper += r.I > r.expected ? 1 : 0;
        }
    }
    const double f = static_cast<double>(hits) / trials;
    // Binomial: sd of the rate sqrt(0.1·0.9/1000) = 0.0095; 4 sd = 0.038 (a false alarm about
    // 1 in 16 000). A one-sided p's 0.05 lies 5.3 sd below 0.10.
    const double sd_rate = std::sqrt(0.10 * 0.90 / static_cast<double>(trials));
    INFO(hits << " rejections, " << upper << " in the upper tail");
    CHECK_THAT(f, WithinAbs(0.10, 4 * sd_rate));
    // Both tails: the upper tail's share of the rejections is 1/2 ± 4·sqrt(1/4 / hits); a
    // one-sided (greater) p would put all of them there.
    REQUIRE(hits > 0);
    const double share_upper = static_cast<double>(upper) / static_cast<double>(hits);
    CHECK_THAT(share_upper, WithinAbs(0.5, 4 * std::sqrt(0.25 / static_cast<double>(hits))));
}

TEST_CASE("Permutations: local Moran pseudo p tracks the analytical p on strong structure") {
    // Where the analytical two-sided p is tiny the permutation p must be at its floor; where
    // it is large the permutation p must be large too.
    const std::size_t n = 30;
    const hq::Weights w = grid_rook(n, n).row_standardised();
    std::vector<double> x(n * n);
    const auto e = noise(n * n, 5);
    for (std::size_t r = 0; r < n; ++r)
        for (std::size_t c = 0; c < n; ++c) x[r * n + c] = (r < n / 2 ? 3.0 : 0.0) + e[r * n + c];
    const auto lm = hq::local_moran(x, w, opts(999, 9, 0));
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (lm.p_analytical[i] < 1e-6) CHECK(lm.p_permutation[i] <= 0.005);
        if (lm.p_analytical[i] > 0.8) CHECK(lm.p_permutation[i] > 0.1);
    }
}

TEST_CASE("Permutations: a cancelled run throws hq::Cancelled") {
    const hq::Weights w = grid_rook(20, 20).row_standardised();
    const auto x = noise(400, 7);
    std::atomic<bool> cancel{true};
    const hq::Progress progress({}, &cancel);
    CHECK_THROWS_AS(hq::local_moran(x, w, opts(99, 1, 2), progress), hq::Cancelled);
    CHECK_THROWS_AS(hq::moran(x, w, opts(99, 1, 2), progress), hq::Cancelled);
}

namespace {

/// The conditional permutation as docs/autocorrelation.md states it, one draw at a time:
/// for site i, from the sub-stream Rng(seed, i).fork(), draw below32(n − 1) and reject a
/// repeat until k distinct units (skipping i itself) are chosen, in stream order; count
/// a_i · Σ_t w_t v_chosen(t) + b_i >= observed_i. No bulk check, no read-ahead, no bits.
std::vector<std::uint32_t> per_draw_counts(const hq::Weights& w, const std::vector<double>& v,
                                           const std::vector<double>& a, const std::vector<double>& b,
                                           const std::vector<double>& obs, std::size_t permutations,
                                           std::uint64_t seed) {
    const auto m = static_cast<std::uint32_t>(w.n - 1);
    std::vector<std::uint32_t> counts(w.n, 0);
    for (std::size_t i = 0; i < w.n; ++i) {
        const auto row = w.row(i);
        const auto val = w.row_values(i);
        if (row.empty()) continue;
        hq::Rng stream(seed, i);
        hq::Rng rng = stream.fork();
        for (std::size_t r = 0; r < permutations; ++r) {
            std::vector<std::uint32_t> chosen;
            while (chosen.size() < row.size()) {
                const std::uint32_t u = rng.below32(m);
                if (std::find(chosen.begin(), chosen.end(), u) == chosen.end()) chosen.push_back(u);
            }
            double s = 0.0;
            for (std::size_t t = 0; t < chosen.size(); ++t)
                s += val[t] * v[chosen[t] + (chosen[t] >= i ? 1u : 0u)];
            if (a[i] * s + b[i] >= obs[i]) ++counts[i];
        }
    }
    return counts;
}

}  // namespace

TEST_CASE("Permutations: the read-ahead kernel takes exactly the per-draw rejection sampler's draws") {
    // 40 units, 1 to 9 neighbours each with uneven weights (so the order of the sum
    // matters), one island: with n − 1 = 39 about a third of the permutations of a 9-neighbour
    // site hold a repeat, so the repeat path and drawing on past the read-ahead ring run often.
    const std::size_t n = 40;
    hq::Rng g(5, 0);
    std::vector<std::vector<std::uint32_t>> nb(n);
    std::vector<std::vector<double>> wv(n);
    for (std::size_t i = 1; i < n; ++i) {  // unit 0 is an island
        const std::size_t k = 1 + i % 9;
        while (nb[i].size() < k) {
            const auto j = static_cast<std::uint32_t>(1 + g.below(n - 1));
            if (j == i || std::find(nb[i].begin(), nb[i].end(), j) != nb[i].end()) continue;
            nb[i].push_back(j);
            wv[i].push_back(0.1 + g.uniform());
        }
    }
    const hq::Weights w = hq::Weights::from_lists(nb, wv, hq::WeightsStyle::General);
    const auto v = noise(n, 11);
    std::vector<double> a(n), b(n), obs(n);
    for (std::size_t i = 0; i < n; ++i) {
        a[i] = v[i];
        b[i] = 0.25 * v[(i + 1) % n];
        obs[i] = v[i] * v[(i + 3) % n];
    }
    for (const std::uint64_t seed : {1u, 2u, 12345u}) {
        const auto want = per_draw_counts(w, v, a, b, obs, 299, seed);
        for (const unsigned threads : {1u, 2u}) {
            const auto got = hq::detail::conditional_permutation_counts(w, v, a, b, obs, 299, seed, threads, {});
            CHECK(got == want);
        }
        std::size_t nonzero = 0;
        for (const auto c : want) nonzero += (c > 0 && c < 299) ? 1 : 0;
        CHECK(nonzero > n / 2);  // the counts are not trivially all 0 or all R
    }
}
