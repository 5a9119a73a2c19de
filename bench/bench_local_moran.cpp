// Local Moran (999 conditional permutations, queen weights, row-standardised) on a city
// file, timed alone — the part of `huqian autocorr` that spdep's localmoran_perm does.
// Used by bench/bench_autocorr.sh, which runs spdep on the same file in the same script:
//
//   HUQIAN_BENCH_CITY=city.gpkg HUQIAN_BENCH_VAR=pop_g01 bench_local_moran
//
// Without HUQIAN_BENCH_CITY the benchmark is skipped. Prints "local_moran_s=<seconds>"
// (loading and weights excluded) for the script to read.
//
// BM_kernel_vs_floor (issue 17 §2): the permutation kernel (detail::
// conditional_permutation_counts) against its floor in the same run, interleaved — the
// floor takes the same draws and the same neighbour sums but never checks for a repeated
// draw (so it is not a valid sampler; it bounds what the check can cost). Prints
// "kernel_s=", "floor_s=" and "kernel_over_floor=". HUQIAN_BENCH_ONLY=kernel|floor runs one
// of the two once, single-threaded, for `valgrind --tool=callgrind` instruction counts.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>

#include "geo/core/parallel.hpp"
#include "geo/io/layer.hpp"
#include "geo/project/project.hpp"
#include "geo/stats/local_moran.hpp"
#include "geo/weights/contiguity.hpp"

namespace {

/// The variable (HUQIAN_BENCH_VAR, default pop_g01) of HUQIAN_BENCH_CITY and its row-standardised
/// queen weights; false (the benchmark skipped) without HUQIAN_BENCH_CITY.
bool load_city(benchmark::State& state, std::vector<double>& x, hq::Weights& w) {
    const char* path = std::getenv("HUQIAN_BENCH_CITY");
    if (!path) {
        state.SkipWithError("set HUQIAN_BENCH_CITY to a polygon file (e.g. from `huqian synth`)");
        return false;
    }
    const char* var_env = std::getenv("HUQIAN_BENCH_VAR");
    const hq::Project p = hq::load_project(path);
    const hq::Layer& l = *p.analysis_layer();
    x = hq::read_numbers(l, var_env ? var_env : "pop_g01");
    w = hq::contiguity_weights(l.metric).row_standardised();
    return true;
}

void BM_local_moran_999_queen(benchmark::State& state) {
    std::vector<double> x;
    hq::Weights w;
    if (!load_city(state, x, w)) return;
    hq::AutocorrOptions o;
    o.permutations = 999;
    o.seed = 1;
    double best = 1e300;
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        auto r = hq::local_moran(x, w, o);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        best = std::min(best, s);
        benchmark::DoNotOptimize(r.Ii.data());
    }
    state.counters["units"] = static_cast<double>(x.size());
    std::printf("local_moran_s=%.4f\n", best);
}
BENCHMARK(BM_local_moran_999_queen)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

/// The floor: the kernel's draws (the same generator streams, below32 over the other n − 1
/// units) and neighbour sums, with no repeat check at all.
std::vector<std::uint32_t> floor_counts(const hq::Weights& w, std::span<const double> v, std::span<const double> a,
                                        std::span<const double> observed, std::size_t permutations,
                                        std::uint64_t seed, unsigned threads) {
    const std::size_t n = w.n;
    std::vector<std::uint32_t> counts(n, 0);
    const auto m = static_cast<std::uint32_t>(n - 1);
    hq::parallel_for(
        n,
        [&](std::size_t i) {
            const auto row = w.row(i);
            const auto val = w.row_values(i);
            const std::size_t k = row.size();
            if (k == 0) return;
            const auto self = static_cast<std::uint32_t>(i);
            hq::Rng stream(seed, i);
            hq::Rng rng = stream.fork();
            std::uint32_t c = 0;
            for (std::size_t r = 0; r < permutations; ++r) {
                double s = 0.0;
                for (std::size_t t = 0; t < k; ++t) {
                    std::uint32_t u = rng.below32(m);
                    u += (u >= self) ? 1u : 0u;
                    s += val[t] * v[u];
                }
                if (a[i] * s >= observed[i]) ++c;
            }
            counts[i] = c;
        },
        {}, threads);
    return counts;
}

void BM_kernel_vs_floor(benchmark::State& state) {
    std::vector<double> x;
    hq::Weights w;
    if (!load_city(state, x, w)) return;
    const char* only_env = std::getenv("HUQIAN_BENCH_ONLY");
    const std::string only = only_env ? only_env : "";
    const std::size_t n = x.size();
    double mean = 0.0;
    for (const double e : x) mean += e;
    mean /= static_cast<double>(n);
    std::vector<double> z(n), a(n), b(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) z[i] = x[i] - mean;
    const std::vector<double> lag = w.lag(z);
    std::vector<double> obs(n);
    for (std::size_t i = 0; i < n; ++i) {
        a[i] = z[i];
        obs[i] = z[i] * lag[i];
    }
    const unsigned threads = only.empty() ? 0u : 1u;
    auto kernel = [&] {
        return hq::detail::conditional_permutation_counts(w, z, a, b, obs, 999, 1, threads, {});
    };
    auto floor = [&] { return floor_counts(w, z, a, obs, 999, 1, threads); };
    auto time = [](auto&& f) {
        const auto t0 = std::chrono::steady_clock::now();
        auto r = f();
        benchmark::DoNotOptimize(r.data());
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    };
    if (only == "kernel" || only == "floor") {
        bool done = false;  // once: callgrind counts one run
        for (auto _ : state)
            if (!done) {
                benchmark::DoNotOptimize(only == "kernel" ? kernel().data() : floor().data());
                done = true;
            }
        return;
    }
    double best_k = 1e300, best_f = 1e300;
    for (auto _ : state) {
        best_k = std::min(best_k, time(kernel));
        best_f = std::min(best_f, time(floor));
    }
    state.counters["units"] = static_cast<double>(n);
    std::printf("kernel_s=%.4f\nfloor_s=%.4f\nkernel_over_floor=%.3f (target <= 1.5)\n", best_k, best_f,
                best_k / best_f);
}
BENCHMARK(BM_kernel_vs_floor)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

}  // namespace

BENCHMARK_MAIN();
