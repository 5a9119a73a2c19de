#include "geo/stats/local_moran.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "geo/core/error.hpp"
#include "geo/core/parallel.hpp"

namespace hq {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kSmallK = 32;
/// How far ahead (in draws) the small-k kernel reads its stream and prefetches the value
/// each draw will read; kRing, a power of two above it, holds the draws between.
constexpr std::size_t kAhead = 32;
constexpr std::size_t kRing = 64;

Quadrant quadrant_of(double zi, double lag, bool island) {
    if (island) return Quadrant::Island;
    const bool high = zi > 0;
    const bool lag_high = lag > 0;
    if (high && lag_high) return Quadrant::HH;
    if (!high && !lag_high) return Quadrant::LL;
    if (!high) return Quadrant::LH;
    return Quadrant::HL;
}

void refuse_self(const Weights& w, const AutocorrOptions& o, const char* what) {
    for (std::size_t i = 0; i < w.n; ++i) {
        const auto r = w.row(i);
        if (std::binary_search(r.begin(), r.end(), static_cast<std::uint32_t>(i)))
            throw InputError(ErrorContext{.feature = i, .field = o.variable},
                             std::string(what) + ": this unit is listed as its own neighbour (self-weights are "
                                                 "not allowed here)");
    }
}

/// The per-thread index buffer of the permutation kernel: identity 0..m-1 between sites.
struct PermBuffer {
    std::vector<std::uint32_t> idx;
    std::vector<std::uint32_t> touched;
    std::vector<double> wts;
    std::vector<std::uint64_t> seen;   ///< one bit per unit: drawn in this permutation (else 0)
    bool clean = false;

    void ensure(std::size_t m) {
        if (idx.size() != m || !clean) {
            idx.resize(m);
            std::iota(idx.begin(), idx.end(), 0u);
            seen.assign((m + 63) / 64, 0);
            clean = true;
        }
    }
};

}  // namespace

const char* quadrant_name(Quadrant q) {
    switch (q) {
        case Quadrant::HH: return "HH";
        case Quadrant::LL: return "LL";
        case Quadrant::LH: return "LH";
        case Quadrant::HL: return "HL";
        case Quadrant::Island: return "island";
    }
    return "island";
}

namespace detail {

std::vector<std::uint32_t> conditional_permutation_counts(const Weights& w, std::span<const double> v,
                                                          std::span<const double> a, std::span<const double> b,
                                                          std::span<const double> observed, std::size_t permutations,
                                                          std::uint64_t seed, unsigned threads,
                                                          const Progress& progress) {
    const std::size_t n = w.n;
    std::vector<std::uint32_t> counts(n, 0);
    if (permutations == 0 || n < 2) return counts;
    const auto m = static_cast<std::uint32_t>(n - 1);
    const double* vv = v.data();
    parallel_for(
        n,
        [&](std::size_t i) {
            thread_local PermBuffer pb;
            pb.ensure(m);
            // Weights of the neighbours other than i itself.
            pb.wts.clear();
            for (std::size_t k = w.offsets[i]; k < w.offsets[i + 1]; ++k)
                if (w.neighbours[k] != i) pb.wts.push_back(w.values[k]);
            const std::size_t k = pb.wts.size();
            if (k == 0) return;
            pb.clean = false;
            std::uint32_t* idx = pb.idx.data();
            const double* wt = pb.wts.data();
            const auto self = static_cast<std::uint32_t>(i);
            const double ai = a[i], bi = b[i], obs = observed[i];
            Rng stream(seed, i);
            Rng rng = stream.fork();  // the site's draws: a sub-stream of Rng(seed, i)
            std::uint32_t c = 0;
            if (k <= kSmallK && 4 * k <= m) {
                // Few neighbours: draw with rejection of repeats (one random memory access
                // per draw, no buffer to restore). Uniform over ordered k-subsets, as the
                // partial Fisher–Yates below. Rejecting a repeat draw by draw keeps the first
                // k distinct values of the stream, in stream order; so the k draws are taken
                // first and checked for a repeat once, in bulk (each unit drawn sets its bit in
                // `seen`, a bit already set is a repeat; the permutation's bits are cleared after
                // it), and only a permutation with a repeat (rare: about k²/2m of them) drops its
                // repeats and draws on. The draws and the sums are exactly those of the per-draw
                // check. (The bits replace 16-bit stamps that needed the whole array cleared
                // every 65,535 permutations: at 1M units 2 MB every 66 sites, a cost growing as
                // n² — and n/8 bytes stay in L2.)
                //
                // The draws do not depend on the values, so the stream is read kAhead draws
                // ahead of their use (a ring of kRing) and the value each will read is
                // prefetched as it is drawn; the draws are still used in stream order, so
                // the sums are bit for bit those of drawing on use. With a million units the
                // values are 8 MB and every draw an L3 or DRAM access: the prefetches let
                // those overlap instead of each draw waiting for its own (issue 17 §6).
                std::uint32_t ring[kRing];
                std::uint64_t* seen = pb.seen.data();
                auto prefetch = [&](std::uint32_t u) { __builtin_prefetch(vv + u + ((u >= self) ? 1u : 0u)); };
                for (std::size_t q = 0; q < kAhead; ++q) {
                    ring[q] = rng.below32(m);
                    prefetch(ring[q]);
                }
                std::size_t pos = 0;
                auto next = [&] {  // the next draw of the stream; draws (and prefetches) one more ahead
                    const std::uint32_t u = ring[pos & (kRing - 1)];
                    const std::uint32_t ahead = rng.below32(m);
                    ring[(pos + kAhead) & (kRing - 1)] = ahead;
                    prefetch(ahead);
                    ++pos;
                    return u;
                };
                std::uint32_t chosen[kSmallK];
                for (std::size_t r = 0; r < permutations; ++r) {
                    double s = 0.0;
                    std::uint64_t repeat = 0;
                    for (std::size_t t = 0; t < k; ++t) {
                        std::uint32_t u = next();
                        chosen[t] = u;
                        const std::uint64_t bit = std::uint64_t{1} << (u & 63u);
                        repeat |= seen[u >> 6] & bit;
                        seen[u >> 6] |= bit;
                        u += (u >= self) ? 1u : 0u;  // skip unit i itself
                        s += wt[t] * vv[u];
                    }
                    for (std::size_t t = 0; t < k; ++t) seen[chosen[t] >> 6] = 0;  // only this permutation set bits
                    if (repeat != 0) {
                        std::size_t kept = 0;
                        for (std::size_t t = 0; t < k; ++t) {
                            bool again = false;
                            for (std::size_t q = 0; q < kept; ++q) again |= chosen[q] == chosen[t];
                            if (!again) chosen[kept++] = chosen[t];
                        }
                        for (; kept < k; ++kept) {
                            std::uint32_t u;
                            bool again;
                            do {
                                u = next();
                                again = false;
                                for (std::size_t q = 0; q < kept; ++q) again |= chosen[q] == u;
                            } while (again);
                            chosen[kept] = u;
                        }
                        s = 0.0;
                        for (std::size_t t = 0; t < k; ++t) {
                            const std::uint32_t u = chosen[t];
                            s += wt[t] * vv[u + ((u >= self) ? 1u : 0u)];
                        }
                    }
                    if (ai * s + bi >= obs) ++c;
                }
                counts[i] = c;
                pb.clean = true;
                return;
            }
            // Many neighbours: partial Fisher–Yates on the reusable index buffer, then
            // restore the identity where it was disturbed.
            pb.touched.clear();
            pb.touched.reserve(permutations * k);
            for (std::size_t r = 0; r < permutations; ++r) {
                double s = 0.0;
                for (std::size_t t = 0; t < k; ++t) {
                    const auto j = static_cast<std::uint32_t>(t + rng.below32(static_cast<std::uint32_t>(m - t)));
                    std::swap(idx[t], idx[j]);
                    pb.touched.push_back(j);
                    std::uint32_t u = idx[t];
                    u += (u >= self) ? 1u : 0u;  // skip unit i itself
                    s += wt[t] * vv[u];
                }
                if (ai * s + bi >= obs) ++c;
            }
            counts[i] = c;
            // Restore the identity where it was disturbed.
            for (const std::uint32_t p : pb.touched) idx[p] = p;
            for (std::size_t t = 0; t < k; ++t) idx[t] = static_cast<std::uint32_t>(t);
            pb.clean = true;
        },
        progress, threads);
    return counts;
}

}  // namespace detail

LocalMoranResult local_moran(std::span<const double> x, const Weights& w, const AutocorrOptions& options,
                             const Progress& progress) {
    detail::check_autocorr_input(x, w, options, "local Moran", 3);
    refuse_self(w, options, "local Moran");
    const std::size_t n = x.size();
    const auto nd = static_cast<double>(n);
    double mean = 0.0;
    for (const double v : x) mean += v;
    mean /= nd;
    std::vector<double> z(n);
    for (std::size_t i = 0; i < n; ++i) z[i] = x[i] - mean;
    double zz = 0.0;
    for (const double v : z) zz += v * v;
    const double m2 = zz / nd;  // spdep: s2 (mlvar = TRUE) and m2 are both Σz²/n

    LocalMoranResult r;
    r.permutations = options.permutations;
    r.lag = w.lag(z);
    r.Ii.resize(n);
    r.E.resize(n);
    r.V.resize(n);
    r.z.resize(n);
    r.p_analytical.resize(n);
    r.quadrant.resize(n);
    std::vector<double> a(n), b(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        double wi = 0.0, wi2 = 0.0;
        for (const double v : w.row_values(i)) {
            wi += v;
            wi2 += v * v;
        }
        a[i] = z[i] / m2;
        r.Ii[i] = (z[i] / m2) * r.lag[i];
        r.E[i] = -(z[i] * z[i] * wi) / ((nd - 1) * m2);
        const double zm = z[i] / m2;
        r.V[i] = (zm * zm) * (nd / (nd - 2)) * (wi2 - (wi * wi / (nd - 1))) * (m2 - (z[i] * z[i] / (nd - 1)));
        const bool island = w.cardinality(i) == 0;
        if (island || !(r.V[i] > 0)) {
            r.z[i] = kNaN;
            r.p_analytical[i] = kNaN;
        } else {
            r.z[i] = (r.Ii[i] - r.E[i]) / std::sqrt(r.V[i]);
            r.p_analytical[i] = normal_two_sided(r.z[i]);
        }
        r.quadrant[i] = quadrant_of(z[i], r.lag[i], island);
    }
    const auto counts = detail::conditional_permutation_counts(w, z, a, b, r.Ii, options.permutations, options.seed,
                                                               options.threads, progress);
    r.p_permutation.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (w.cardinality(i) == 0 || options.permutations == 0) r.p_permutation[i] = kNaN;
        else if (z[i] == 0.0) r.p_permutation[i] = 1.0;  // Ii is 0 under every permutation
        else r.p_permutation[i] = folded_pseudo_p(counts[i], options.permutations);
    }
    return r;
}

LocalGResult local_g(std::span<const double> x, const Weights& w_in, bool star, const AutocorrOptions& options,
                     const Progress& progress, double self_weight) {
    const char* what = star ? "local G*" : "local G";
    detail::check_autocorr_input(x, w_in, options, what, 3);
    Weights with_self_storage;
    const Weights* wp = &w_in;
    if (star) {
        if (!w_in.has_self_neighbours()) {
            with_self_storage = w_in.with_self(self_weight);
            wp = &with_self_storage;
        }
    } else {
        refuse_self(w_in, options, what);
    }
    const Weights& w = *wp;
    const std::size_t n = x.size();
    const auto nd = static_cast<double>(n);
    double sum = 0.0, sum2 = 0.0;
    for (const double v : x) {
        sum += v;
        sum2 += v * v;
    }
    const double mean = sum / nd;
    double ss = 0.0;
    for (const double v : x) ss += (v - mean) * (v - mean);

    LocalGResult r;
    r.star = star;
    r.permutations = options.permutations;
    const std::vector<double> lx = w.lag(x);
    r.z.resize(n);
    r.p_analytical.resize(n);
    r.G.resize(n);
    std::vector<double> a(n, 1.0), b(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        double wi = 0.0, s1i = 0.0, wself = 0.0;
        const auto row = w.row(i);
        const auto val = w.row_values(i);
        for (std::size_t k = 0; k < row.size(); ++k) {
            wi += val[k];
            s1i += val[k] * val[k];
            if (row[k] == i) wself = val[k];
        }
        double xibar, si2, vg;
        if (star) {
            xibar = mean;
            si2 = ss / nd;
            vg = si2 * ((nd * s1i - wi * wi) / (nd - 1));
            r.G[i] = lx[i] / sum;
        } else {
            xibar = (sum - x[i]) / (nd - 1);
            si2 = ((sum2 - x[i] * x[i]) / (nd - 1)) - xibar * xibar;
            vg = si2 * (((nd - 1) * s1i - wi * wi) / (nd - 2));
            r.G[i] = lx[i] / (sum - x[i]);
        }
        const double eg = wi * xibar;
        if (vg > 0) {
            r.z[i] = (lx[i] - eg) / std::sqrt(vg);
            r.p_analytical[i] = normal_two_sided(r.z[i]);
        } else {
            r.z[i] = kNaN;
            r.p_analytical[i] = kNaN;
        }
        b[i] = wself * x[i];
    }
    const auto counts = detail::conditional_permutation_counts(w, x, a, b, lx, options.permutations, options.seed,
                                                               options.threads, progress);
    r.p_permutation.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::size_t others = 0;
        for (const auto j : w.row(i))
            if (j != i) ++others;
        r.p_permutation[i] =
            (others == 0 || options.permutations == 0) ? kNaN : folded_pseudo_p(counts[i], options.permutations);
    }
    return r;
}

LocalBivariateResult local_bivariate_moran(std::span<const double> x, std::span<const double> y, const Weights& w,
                                           const AutocorrOptions& options, const Progress& progress) {
    detail::check_autocorr_input(x, w, options, "local bivariate Moran", 3);
    AutocorrOptions oy = options;
    oy.variable = options.variable + " (lagged variable)";
    detail::check_autocorr_input(y, w, oy, "local bivariate Moran", 3);
    refuse_self(w, options, "local bivariate Moran");
    const std::size_t n = x.size();
    auto scale = [n](std::span<const double> v) {
        double mean = 0.0;
        for (const double e : v) mean += e;
        mean /= static_cast<double>(n);
        std::vector<double> z(n);
        double ss = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            z[i] = v[i] - mean;
            ss += z[i] * z[i];
        }
        const double sd = std::sqrt(ss / static_cast<double>(n - 1));
        for (auto& e : z) e /= sd;
        return z;
    };
    const std::vector<double> zx = scale(x), zy = scale(y);
    const std::vector<double> lag = w.lag(zy);
    LocalBivariateResult r;
    r.permutations = options.permutations;
    r.Ii.resize(n);
    r.quadrant.resize(n);
    std::vector<double> b(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        r.Ii[i] = zx[i] * lag[i];
        r.quadrant[i] = quadrant_of(zx[i], lag[i], w.cardinality(i) == 0);
    }
    const auto counts = detail::conditional_permutation_counts(w, zy, zx, b, r.Ii, options.permutations, options.seed,
                                                               options.threads, progress);
    r.p_permutation.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (w.cardinality(i) == 0 || options.permutations == 0) r.p_permutation[i] = kNaN;
        else if (zx[i] == 0.0) r.p_permutation[i] = 1.0;
        else r.p_permutation[i] = folded_pseudo_p(counts[i], options.permutations);
    }
    return r;
}

}  // namespace hq
