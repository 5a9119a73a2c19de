// Segregation measurement at city scale (issue 4, section 5), each against a naive baseline
// run in the same process and reported as a ratio at the end:
//   1. every aspatial single-group index (one group) and every multigroup and local index,
//      100k units × 36 groups: target < 1 s in total. Baseline: PySAL's all-pairs Gini loop
//      (O(n²)) on 5k units, scaled by n² to 100k (the other indices are one pass either way).
//   2. single-value inference for `dissim`, 999 permutations of the systematic null, 10k
//      units: target < 2 s. Baseline: one thread, each person placed by a categorical draw
//      (binary search on the cumulative unit totals), 20 permutations scaled to 999.
//   3. spatially implicit multigroup H (multi_info_theory) at 500 m, 100k units: target < 5 s.
//      Baseline: local sums over all pairs (dense, O(n²)) on 10k units, scaled by n².
//   4. pairwise exposure and dissimilarity tables, 36 groups, 100k units: target < 1 s.
//      Baseline: each of the 36 × 35 / 2 pairs as its own dissim() call on (group a, a + b)
//      and each of the 36² exposures as its own pass.
// The city: units at clustered random points in a square of 100k × 6400 m² (25.3 km side),
// totals 20..400, group weights from 36 random bumps each (spatially clustered groups).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "geo/core/parallel.hpp"
#include "geo/stats/seg_inference.hpp"
#include "geo/stats/seg_profile.hpp"
#include "geo/stats/segregation.hpp"
#include "geo/stats/segregation_multigroup.hpp"
#include "geo/stats/segregation_pairwise.hpp"

namespace {

namespace seg = hq::seg;

struct City {
    std::vector<hq::Vec2> points;
    seg::CountMatrix m;
};

City make_city(std::size_t n, std::size_t groups, std::uint64_t seed) {
    City c;
    hq::Rng rng(seed, 0);
    const double side = std::sqrt(static_cast<double>(n) * 6400.0);
    std::vector<hq::Vec2> centres;
    for (int i = 0; i < 60; ++i) centres.push_back({side * rng.uniform(), side * rng.uniform()});
    while (c.points.size() < n) {
        hq::Vec2 p;
        if (rng.uniform() < 0.4) {
            p = {side * rng.uniform(), side * rng.uniform()};
        } else {
            const auto& ctr = centres[rng.below(centres.size())];
            const double a = 6.283185307179586 * rng.uniform();
            const double r = side * 0.08 * std::sqrt(rng.uniform());
            p = {ctr.x + r * std::cos(a), ctr.y + r * std::sin(a)};
            if (p.x < 0 || p.y < 0 || p.x > side || p.y > side) continue;
        }
        c.points.push_back({500000.0 + p.x, 3400000.0 + p.y});
    }
    // each group: 3 bumps of radius side/6 and a base level
    std::vector<std::vector<hq::Vec2>> bumps(groups);
    for (auto& b : bumps)
        for (int i = 0; i < 3; ++i) b.push_back({500000.0 + side * rng.uniform(), 3400000.0 + side * rng.uniform()});
    c.m.units = n;
    c.m.groups = groups;
    c.m.data.assign(n * groups, 0.0);
    for (std::size_t g = 0; g < groups; ++g) c.m.names.push_back("g" + std::to_string(g + 1));
    std::vector<double> w(groups);
    for (std::size_t i = 0; i < n; ++i) {
        double sum = 0.0;
        for (std::size_t g = 0; g < groups; ++g) {
            double v = 0.05 + (g < 3 ? 1.0 : 0.0);  // three large groups, 33 minorities
            for (const auto& b : bumps[g]) {
                const double d = std::hypot(c.points[i].x - b.x, c.points[i].y - b.y) / (side / 6);
                v += 2.0 * std::exp(-d * d);
            }
            w[g] = v;
            sum += v;
        }
        std::int64_t left = 20 + static_cast<std::int64_t>(rng.below(381));
        double rem = sum;
        for (std::size_t g = 0; g < groups; ++g) {
            std::int64_t x = 0;
            if (g + 1 == groups) {
                x = left;
            } else {
                const double p = w[g] / rem;
                for (std::int64_t k = 0; k < left; ++k) x += rng.uniform() < p ? 1 : 0;
            }
            c.m.data[i * groups + g] = static_cast<double>(x);
            left -= x;
            rem -= w[g];
        }
    }
    return c;
}

const City& city100k() {
    static const City c = make_city(100'000, 36, 2026);
    return c;
}

std::map<std::string, double> g_fast;      // seconds, ours
std::map<std::string, double> g_baseline;  // seconds, naive (scaled)

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// ---- 1. aspatial + multigroup ---------------------------------------------------------

void BM_all_aspatial_multigroup_100k_36(benchmark::State& state) {
    const auto& c = city100k();
    const seg::GroupCounts one = seg::group_vs_rest(c.m, 3);  // a minority group vs the rest
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        auto single = seg::single_group_aspatial(one, {}, false);
        auto multi = seg::multigroup_aspatial(c.m);
        auto local = seg::multigroup_local(c.m);
        g_fast["aspatial"] = seconds_since(t0);
        benchmark::DoNotOptimize(single.data());
        benchmark::DoNotOptimize(multi.data());
        benchmark::DoNotOptimize(local.data());
    }
    state.SetLabel("10 single-group + 10 multigroup + 5 local indices");
}
BENCHMARK(BM_all_aspatial_multigroup_100k_36)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

void BM_randomised_single_100k(benchmark::State& state) {
    const auto& c = city100k();
    const seg::GroupCounts one = seg::group_vs_rest(c.m, 3);
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        double a = seg::modified_dissim(one);
        double b = seg::modified_gini(one);
        const auto t1 = std::chrono::steady_clock::now();
        double d = seg::bias_corrected_dissim(one);
        g_fast["bias_corrected"] = seconds_since(t1);
        g_fast["randomised"] = seconds_since(t0);
        benchmark::DoNotOptimize(a + b + d);
    }
    state.SetLabel("modified_dissim + modified_gini (500 draws each) + bias_corrected_dissim (exact)");
}
BENCHMARK(BM_randomised_single_100k)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

// Baseline: PySAL's procedure for bias_corrected_dissim (500 bootstrap draws of two
// multinomials over the units), which the exact expectation replaces.
void BM_baseline_bias_corrected_bootstrap_100k(benchmark::State& state) {
    const auto& c = city100k();
    const seg::GroupCounts one = seg::group_vs_rest(c.m, 3);
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        double d = seg::bias_corrected_dissim_bootstrap(one);
        g_baseline["bias_corrected"] = seconds_since(t0);
        benchmark::DoNotOptimize(d);
    }
    state.SetLabel("bias_corrected_dissim by 500 bootstrap draws (PySAL's procedure)");
}
BENCHMARK(BM_baseline_bias_corrected_bootstrap_100k)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

void BM_baseline_pairs_gini_5k(benchmark::State& state) {
    const auto& c = city100k();
    const seg::GroupCounts one = seg::group_vs_rest(c.m, 3);
    const std::size_t n = 5000;
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        double x_sum = 0;
        double t_sum = 0;
        for (std::size_t i = 0; i < n; ++i) {
            x_sum += one.group[i];
            t_sum += one.total[i];
        }
        const double big_p = x_sum / t_sum;
        double acc = 0.0;
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j) {
                if (one.total[i] <= 0 || one.total[j] <= 0) continue;
                acc += one.total[i] * one.total[j] *
                       std::abs(one.group[i] / one.total[i] - one.group[j] / one.total[j]);
            }
        const double g = acc / (2 * t_sum * t_sum * big_p * (1 - big_p));
        benchmark::DoNotOptimize(g);
        g_baseline["aspatial"] = seconds_since(t0) * std::pow(100'000.0 / n, 2);
    }
    state.SetLabel("PySAL-style all-pairs Gini, 5k units, 1 thread (scaled by n² to 100k)");
}
BENCHMARK(BM_baseline_pairs_gini_5k)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

// ---- 2. inference --------------------------------------------------------------------

const seg::GroupCounts& counts10k() {
    static const seg::GroupCounts c = [] {
        const City city = make_city(10'000, 4, 7);
        return seg::group_vs_rest(city.m, 3);
    }();
    return c;
}

void BM_dissim_inference_999_10k(benchmark::State& state) {
    const auto& c = counts10k();
    for (auto _ : state) {
        seg::TestOptions o;
        o.permutations = 999;
        o.seed = 1;
        const auto t0 = std::chrono::steady_clock::now();
        const auto r = seg::single_value_test("dissim", c, {}, seg::NullApproach::Systematic, o);
        g_fast["inference"] = seconds_since(t0);
        benchmark::DoNotOptimize(r.p_value);
    }
    state.SetLabel("systematic null");
}
BENCHMARK(BM_dissim_inference_999_10k)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

void BM_dissim_inference_999_10k_person(benchmark::State& state) {
    const auto& c = counts10k();
    for (auto _ : state) {
        seg::TestOptions o;
        o.permutations = 999;
        o.seed = 1;
        const auto r = seg::single_value_test("dissim", c, {}, seg::NullApproach::PersonPermutation, o);
        benchmark::DoNotOptimize(r.p_value);
    }
    state.SetLabel("person_permutation null (for reference)");
}
BENCHMARK(BM_dissim_inference_999_10k_person)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

void BM_baseline_inference_per_person(benchmark::State& state) {
    const auto& c = counts10k();
    const std::size_t n = c.units();
    const int perms = 20;
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        std::vector<double> cum(n);
        double run = 0;
        for (std::size_t i = 0; i < n; ++i) cum[i] = (run += c.total[i]);
        double x_sum = 0;
        for (double v : c.group) x_sum += v;
        const double y_sum = run - x_sum;
        for (int b = 0; b < perms; ++b) {
            hq::Rng rng(1, static_cast<std::uint64_t>(b));
            seg::GroupCounts s;
            s.group.assign(n, 0.0);
            s.total.assign(n, 0.0);
            for (double k = 0; k < x_sum; ++k) {
                const auto i = static_cast<std::size_t>(std::upper_bound(cum.begin(), cum.end(), rng.uniform() * run) - cum.begin());
                s.group[std::min(i, n - 1)] += 1;
                s.total[std::min(i, n - 1)] += 1;
            }
            for (double k = 0; k < y_sum; ++k) {
                const auto i = static_cast<std::size_t>(std::upper_bound(cum.begin(), cum.end(), rng.uniform() * run) - cum.begin());
                s.total[std::min(i, n - 1)] += 1;
            }
            benchmark::DoNotOptimize(seg::dissim(s));
        }
        g_baseline["inference"] = seconds_since(t0) * 999.0 / perms;
    }
    state.SetLabel("per-person categorical draws, 1 thread, 20 permutations (scaled to 999)");
}
BENCHMARK(BM_baseline_inference_per_person)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

// ---- 3. spatially implicit H at 500 m ------------------------------------------------

void BM_implicit_multi_h_500m_100k(benchmark::State& state) {
    const auto& c = city100k();
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        seg::LocalEnvironmentOptions o;
        o.bandwidth = 500.0;
        const auto env = seg::local_environment(c.m, c.points, o);
        const double h = seg::multi_info_theory(env);
        g_fast["implicit"] = seconds_since(t0);
        benchmark::DoNotOptimize(h);
    }
    state.SetLabel("grid neighbours, triangular kernel");
}
BENCHMARK(BM_implicit_multi_h_500m_100k)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

void BM_baseline_dense_local_sums_10k(benchmark::State& state) {
    const auto& c = city100k();
    const std::size_t n = 10'000;
    const std::size_t k = c.m.groups;
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        std::vector<double> out(n * k, 0.0);
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j) {
                const double d = std::hypot(c.points[i].x - c.points[j].x, c.points[i].y - c.points[j].y);
                const double w = i == j ? 1.0 : (d <= 500.0 ? 1.0 - d / 500.0 : 0.0);
                if (w == 0.0) continue;
                for (std::size_t g = 0; g < k; ++g) out[i * k + g] += w * c.m.data[j * k + g];
            }
        benchmark::DoNotOptimize(out.data());
        g_baseline["implicit"] = seconds_since(t0) * std::pow(100'000.0 / n, 2);
    }
    state.SetLabel("all pairs, 1 thread, 10k units (scaled by n² to 100k)");
}
BENCHMARK(BM_baseline_dense_local_sums_10k)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

// ---- 4. pairwise tables --------------------------------------------------------------

void BM_pairwise_36_100k(benchmark::State& state) {
    const auto& c = city100k();
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        const auto t = seg::pairwise_tables(c.m);
        g_fast["pairwise"] = seconds_since(t0);
        benchmark::DoNotOptimize(t.exposure.data());
    }
}
BENCHMARK(BM_pairwise_36_100k)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

void BM_baseline_pairwise_per_pair(benchmark::State& state) {
    const auto& c = city100k();
    const std::size_t n = c.m.units;
    const std::size_t k = c.m.groups;
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        std::vector<double> dis(k * k, 0.0);
        std::vector<double> expo(k * k, 0.0);
        for (std::size_t a = 0; a < k; ++a)
            for (std::size_t b = a + 1; b < k; ++b) {
                seg::GroupCounts g;
                g.group.resize(n);
                g.total.resize(n);
                for (std::size_t i = 0; i < n; ++i) {
                    g.group[i] = c.m.at(i, a);
                    g.total[i] = c.m.at(i, a) + c.m.at(i, b);
                }
                dis[a * k + b] = dis[b * k + a] = seg::dissim(g);
            }
        for (std::size_t a = 0; a < k; ++a) {
            double xa = 0;
            for (std::size_t i = 0; i < n; ++i) xa += c.m.at(i, a);
            for (std::size_t b = 0; b < k; ++b) {
                double acc = 0;
                for (std::size_t i = 0; i < n; ++i) {
                    double t = 0;
                    for (std::size_t g = 0; g < k; ++g) t += c.m.at(i, g);
                    if (t > 0) acc += c.m.at(i, a) / xa * c.m.at(i, b) / t;
                }
                expo[a * k + b] = acc;
            }
        }
        benchmark::DoNotOptimize(dis.data());
        benchmark::DoNotOptimize(expo.data());
        g_baseline["pairwise"] = seconds_since(t0);
    }
    state.SetLabel("one dissim() per pair + one pass per exposure, 1 thread");
}
BENCHMARK(BM_baseline_pairwise_per_pair)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    struct Row {
        const char* key;
        const char* what;
        double target;
    };
    const Row rows[] = {
        {"aspatial", "all aspatial + multigroup + local indices, 100k units x 36 groups", 1.0},
        {"inference", "dissim single-value test, 999 permutations, 10k units", 2.0},
        {"implicit", "spatially implicit multigroup H at 500 m, 100k units", 5.0},
        {"pairwise", "pairwise tables, 36 groups, 100k units", 1.0},
    };
    std::printf("\n%u threads\n", hq::default_thread_count());
    for (const auto& r : rows) {
        if (!g_fast.count(r.key)) continue;
        const double f = g_fast[r.key];
        std::printf("%-70s %.3f s (target < %.0f s: %s)", r.what, f, r.target, f < r.target ? "met" : "MISSED");
        if (g_baseline.count(r.key)) std::printf("; naive baseline %.3f s, ratio %.1fx", g_baseline[r.key], g_baseline[r.key] / f);
        std::printf("\n");
    }
    if (g_fast.count("randomised")) {
        const double all = g_fast["randomised"] + (g_fast.count("aspatial") ? g_fast["aspatial"] : 0.0);
        std::printf("randomised corrections, 100k units: %.3f s (bias_corrected_dissim exact %.3f s", g_fast["randomised"],
                    g_fast["bias_corrected"]);
        if (g_baseline.count("bias_corrected"))
            std::printf("; 500 bootstrap draws %.3f s, ratio %.1fx", g_baseline["bias_corrected"],
                        g_baseline["bias_corrected"] / g_fast["bias_corrected"]);
        std::printf(")\nevery index in total (deterministic + randomised): %.3f s (target < 1 s: %s)\n", all,
                    all < 1.0 ? "met" : "MISSED");
    }
    return 0;
}
