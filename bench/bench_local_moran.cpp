// Local Moran (999 conditional permutations, queen weights, row-standardised) on a city
// file, timed alone — the part of `huqian autocorr` that spdep's localmoran_perm does.
// Used by bench/bench_autocorr.sh, which runs spdep on the same file in the same script:
//
//   HUQIAN_BENCH_CITY=city.gpkg HUQIAN_BENCH_VAR=pop_g01 bench_local_moran
//
// Without HUQIAN_BENCH_CITY the benchmark is skipped. Prints "local_moran_s=<seconds>"
// (loading and weights excluded) for the script to read.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "geo/io/layer.hpp"
#include "geo/project/project.hpp"
#include "geo/stats/local_moran.hpp"
#include "geo/weights/contiguity.hpp"

namespace {

void BM_local_moran_999_queen(benchmark::State& state) {
    const char* path = std::getenv("HUQIAN_BENCH_CITY");
    if (!path) {
        state.SkipWithError("set HUQIAN_BENCH_CITY to a polygon file (e.g. from `huqian synth`)");
        return;
    }
    const char* var_env = std::getenv("HUQIAN_BENCH_VAR");
    const std::string var = var_env ? var_env : "pop_g01";
    const hq::Project p = hq::load_project(path);
    const hq::Layer& l = *p.analysis_layer();
    const std::vector<double> x = hq::read_numbers(l, var);
    const hq::Weights w = hq::contiguity_weights(l.metric).row_standardised();
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

}  // namespace

BENCHMARK_MAIN();
