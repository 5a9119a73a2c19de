// Errors with context, parallel loops and the deterministic random streams.
#include <catch2/catch.hpp>

#include <atomic>
#include <numeric>
#include <set>

#include "geo/core/error.hpp"
#include "geo/core/parallel.hpp"

using Catch::Matchers::WithinAbs;

using namespace hq;

TEST_CASE("errors print as one line naming file, feature, id and field") {
    ErrorContext c;
    c.file = "courtyards.geojson";
    c.feature = 17;
    c.feature_id = "CY-17";
    c.field = "pop_tibetan";
    const InputError e(c, "-3 is negative");
    REQUIRE(std::string(e.what()) == "courtyards.geojson: feature 17 (id \"CY-17\"): field pop_tibetan: -3 is negative");
    REQUIRE(e.bare_message() == "-3 is negative");
    REQUIRE(std::string(InputError("plain").what()) == "plain");
}

TEST_CASE("parallel_for visits every index once, whatever the thread count") {
    for (unsigned threads : {1u, 2u, 5u}) {
        std::vector<std::atomic<int>> hits(1003);
        parallel_for(hits.size(), [&](std::size_t i) { hits[i]++; }, {}, threads, 7);
        for (auto& h : hits) REQUIRE(h.load() == 1);
    }
}

TEST_CASE("parallel_for rethrows the body's exception and honours cancel") {
    REQUIRE_THROWS_WITH(parallel_for(100, [](std::size_t i) {
        if (i == 42) throw std::runtime_error("boom");
    }, {}, 2),
                        "boom");
    std::atomic<bool> cancel{true};
    Progress p({}, &cancel);
    REQUIRE_THROWS_AS(parallel_for(100, [](std::size_t) {}, p, 2), Cancelled);
}

TEST_CASE("Rng streams are reproducible, distinct, and uniform") {
    Rng a(99, 3), b(99, 3), c(99, 4), d(100, 3);
    const auto x = a(), y = b(), z = c(), w = d();
    REQUIRE(x == y);
    REQUIRE(x != z);
    REQUIRE(x != w);
    // below(n) is uniform: chi-square over 10 bins with 100k draws (df 9; 99.9% quantile 27.9).
    Rng r(1);
    std::vector<int> bins(10);
    const int n = 100000;
    for (int i = 0; i < n; ++i) bins[r.below(10)]++;
    double chi2 = 0;
    for (int v : bins) chi2 += (v - n / 10.0) * (v - n / 10.0) / (n / 10.0);
    REQUIRE(chi2 < 27.9);
    double mean = 0;
    for (int i = 0; i < n; ++i) mean += r.uniform();
    REQUIRE_THAT(mean / n, WithinAbs(0.5, 0.01));
}

TEST_CASE("partial_shuffle draws a k-subset without replacement") {
    Rng r(5);
    std::vector<int> v(50);
    std::iota(v.begin(), v.end(), 0);
    partial_shuffle(v, 10, r);
    std::set<int> first(v.begin(), v.begin() + 10);
    REQUIRE(first.size() == 10);
    std::vector<int> sorted = v;
    std::sort(sorted.begin(), sorted.end());
    for (int i = 0; i < 50; ++i) REQUIRE(sorted[static_cast<std::size_t>(i)] == i);
}
