#include "geo/stats/autocorr.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "geo/core/error.hpp"
#include "geo/core/parallel.hpp"

namespace hq {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// spdep's spweights.constants with adjust.n = TRUE.
struct Constants {
    double n, n1, n2, n3, nn, s0, s1, s2;
};

Constants spweights_constants(const Weights& w, std::size_t n_used) {
    const WeightsConstants c = w.constants();
    const auto n = static_cast<double>(n_used);
    return {n, n - 1, n - 2, n - 3, n * n, c.s0, c.s1, c.s2};
}

double sum_z_lag(std::span<const double> z, const Weights& w) {
    double s = 0.0;
    for (std::size_t i = 0; i < w.n; ++i) {
        double l = 0.0;
        for (std::size_t k = w.offsets[i]; k < w.offsets[i + 1]; ++k) l += w.values[k] * z[w.neighbours[k]];
        s += z[i] * l;
    }
    return s;
}

double geary_sum(std::span<const double> z, const Weights& w) {
    double s = 0.0;
    for (std::size_t i = 0; i < w.n; ++i) {
        double r = 0.0;
        for (std::size_t k = w.offsets[i]; k < w.offsets[i + 1]; ++k) {
            const double d = z[i] - z[w.neighbours[k]];
            r += w.values[k] * d * d;
        }
        s += r;
    }
    return s;
}

std::vector<double> centred(std::span<const double> x) {
    double mean = 0.0;
    for (const double v : x) mean += v;
    mean /= static_cast<double>(x.size());
    std::vector<double> z(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) z[i] = x[i] - mean;
    return z;
}

double sum_pow(const std::vector<double>& z, int p) {
    double s = 0.0;
    for (const double v : z) s += p == 2 ? v * v : p == 4 ? (v * v) * (v * v) : std::pow(v, p);
    return s;
}

/// Counts permuted statistics >= observed over R full permutations of `values`; stream r
/// uses Rng(seed, r), so the count does not depend on the thread count.
template <class Stat>
std::size_t permutation_count(const std::vector<double>& values, double observed, const AutocorrOptions& o,
                              const Progress& progress, Stat stat) {
    const std::size_t r_total = o.permutations;
    if (r_total == 0) return 0;
    constexpr std::size_t kBlock = 8;
    constexpr std::size_t kBatch = 64;
    const std::size_t blocks = (r_total + kBlock - 1) / kBlock;
    std::vector<std::uint32_t> counts(blocks, 0);
    parallel_for(
        blocks,
        [&](std::size_t b) {
            std::vector<double> buf(values.size());
            std::uint32_t c = 0;
            for (std::size_t r = b * kBlock; r < std::min(r_total, (b + 1) * kBlock); ++r) {
                std::copy(values.begin(), values.end(), buf.begin());
                Rng rng(o.seed, r);
                // Fisher–Yates, its swap partners drawn kBatch at a time and prefetched as
                // drawn: the same draws in the same order (they do not depend on the values),
                // but with a million units each partner is an L3 or DRAM access, and these
                // now overlap instead of waiting one by one.
                std::size_t j[kBatch];
                for (std::size_t i = buf.size(); i > 1;) {
                    const std::size_t nb = std::min(kBatch, i - 1);
                    for (std::size_t q = 0; q < nb; ++q) {
                        j[q] = static_cast<std::size_t>(rng.below(i - q));
                        __builtin_prefetch(buf.data() + j[q], 1);
                    }
                    for (std::size_t q = 0; q < nb; ++q) std::swap(buf[i - 1 - q], buf[j[q]]);
                    i -= nb;
                }
                if (stat(buf) >= observed) ++c;
            }
            counts[b] = c;
        },
        progress, o.threads, 1);
    return std::accumulate(counts.begin(), counts.end(), std::size_t{0});
}

}  // namespace

double normal_upper_tail(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }
double normal_two_sided(double z) { return std::erfc(std::fabs(z) / std::sqrt(2.0)); }

double folded_pseudo_p(std::size_t m, std::size_t r) {
    if (r == 0) return kNaN;
    return static_cast<double>(std::min(m, r - m) + 1) / static_cast<double>(r + 1);
}

namespace detail {

std::size_t check_autocorr_input(std::span<const double> x, const Weights& w, const AutocorrOptions& options,
                                 const char* statistic, std::size_t min_n) {
    const std::string what = statistic;
    if (x.size() != w.n)
        throw InputError(ErrorContext{.field = options.variable},
                         what + ": the variable has " + std::to_string(x.size()) + " values but the weights have " +
                             std::to_string(w.n) + " units");
    for (std::size_t i = 0; i < x.size(); ++i)
        if (!std::isfinite(x[i]))
            throw InputError(ErrorContext{.feature = i, .field = options.variable},
                             what + ": the value is " + (std::isnan(x[i]) ? "NaN (missing)" : "infinite") +
                                 "; remove or fill such units first");
    if (x.size() < min_n)
        throw InputError(ErrorContext{.field = options.variable},
                         what + " needs at least " + std::to_string(min_n) + " units, got " + std::to_string(x.size()));
    if (std::all_of(x.begin(), x.end(), [&](double v) { return v == x[0]; }))
        throw InputError(ErrorContext{.field = options.variable},
                         what + ": the variable is constant (every value is " + std::to_string(x[0]) +
                             "), so spatial autocorrelation is undefined");
    std::size_t with_nb = 0;
    for (std::size_t i = 0; i < w.n; ++i)
        if (w.cardinality(i) > 0) ++with_nb;
    if (with_nb == 0)
        throw InputError(ErrorContext{.field = options.variable},
                         what + ": no unit has a neighbour with these weights (every unit is an island)");
    return with_nb;
}

}  // namespace detail

MoranResult moran(std::span<const double> x, const Weights& w, const AutocorrOptions& options,
                  const Progress& progress) {
    const std::size_t n_used = detail::check_autocorr_input(x, w, options, "Moran's I", 4);
    if (n_used < 4)
        throw InputError(ErrorContext{.field = options.variable},
                         "Moran's I needs at least 4 units with neighbours, got " + std::to_string(n_used));
    const Constants wc = spweights_constants(w, n_used);
    const std::vector<double> z = centred(x);
    const double zz = sum_pow(z, 2);
    MoranResult r;
    r.n = x.size();
    r.n_used = n_used;
    r.kurtosis = (static_cast<double>(x.size()) * sum_pow(z, 4)) / (zz * zz);
    const double factor = wc.n / wc.s0;
    r.I = factor * (sum_z_lag(z, w) / zz);
    const double s02 = wc.s0 * wc.s0;
    const double ei = -1.0 / wc.n1;
    r.expected = ei;
    {
        double vi = wc.n * (wc.s1 * (wc.nn - 3 * wc.n + 3) - wc.n * wc.s2 + 3 * s02);
        const double tmp = r.kurtosis * (wc.s1 * (wc.nn - wc.n) - 2 * wc.n * wc.s2 + 6 * s02);
        vi = (vi - tmp) / (wc.n1 * wc.n2 * wc.n3 * s02);
        r.variance_randomisation = vi - ei * ei;
    }
    r.variance_normality = (wc.nn * wc.s1 - wc.n * wc.s2 + 3 * s02) / (s02 * (wc.nn - 1)) - ei * ei;
    r.z_randomisation = (r.I - ei) / std::sqrt(r.variance_randomisation);
    r.z_normality = (r.I - ei) / std::sqrt(r.variance_normality);
    r.p_randomisation = normal_upper_tail(r.z_randomisation);
    r.p_normality = normal_upper_tail(r.z_normality);
    r.p_randomisation_two_sided = normal_two_sided(r.z_randomisation);
    r.p_normality_two_sided = normal_two_sided(r.z_normality);
    r.permutations = options.permutations;
    const std::size_t m = permutation_count(z, r.I, options, progress, [&](const std::vector<double>& zp) {
        return factor * (sum_z_lag(zp, w) / zz);
    });
    r.p_permutation = folded_pseudo_p(m, options.permutations);
    return r;
}

GearyResult geary(std::span<const double> x, const Weights& w, const AutocorrOptions& options,
                  const Progress& progress) {
    const std::size_t n_used = detail::check_autocorr_input(x, w, options, "Geary's C", 4);
    if (n_used < 4)
        throw InputError(ErrorContext{.field = options.variable},
                         "Geary's C needs at least 4 units with neighbours, got " + std::to_string(n_used));
    const Constants wc = spweights_constants(w, n_used);
    const std::vector<double> z = centred(x);
    const double zz = sum_pow(z, 2);
    // spdep's geary(): K uses the adjusted n; geary.test's variance mixes it with the full n.
    const double k = (wc.n * sum_pow(z, 4)) / (zz * zz);
    const auto n_all = static_cast<double>(x.size());
    GearyResult r;
    r.n = x.size();
    r.n_used = n_used;
    const double factor = wc.n1 / (2 * wc.s0);
    r.C = factor * (geary_sum(z, w) / zz);
    const double s02 = wc.s0 * wc.s0;
    {
        double vc = wc.n1 * wc.s1 * (wc.nn - 3 * n_all + 3 - k * wc.n1);
        vc -= 0.25 * (wc.n1 * wc.s2 * (wc.nn + 3 * n_all - 6 - k * (wc.nn - n_all + 2)));
        vc += s02 * (wc.nn - 3 - k * (wc.n1 * wc.n1));
        vc /= n_all * wc.n2 * wc.n3 * s02;
        r.variance_randomisation = vc;
    }
    r.variance_normality = ((2 * wc.s1 + wc.s2) * wc.n1 - 4 * s02) / (2 * (n_all + 1) * s02);
    r.z_randomisation = (1.0 - r.C) / std::sqrt(r.variance_randomisation);
    r.z_normality = (1.0 - r.C) / std::sqrt(r.variance_normality);
    r.p_randomisation = normal_upper_tail(r.z_randomisation);
    r.p_normality = normal_upper_tail(r.z_normality);
    r.p_randomisation_two_sided = normal_two_sided(r.z_randomisation);
    r.p_normality_two_sided = normal_two_sided(r.z_normality);
    r.permutations = options.permutations;
    const std::size_t m = permutation_count(z, r.C, options, progress, [&](const std::vector<double>& zp) {
        return factor * (geary_sum(zp, w) / zz);
    });
    r.p_permutation = folded_pseudo_p(m, options.permutations);
    return r;
}

GeneralGResult general_g(std::span<const double> x, const Weights& w, const AutocorrOptions& options,
                         const Progress& progress) {
    const std::size_t n_used = detail::check_autocorr_input(x, w, options, "General G", 4);
    for (std::size_t i = 0; i < x.size(); ++i)
        if (x[i] < 0)
            throw InputError(ErrorContext{.feature = i, .field = options.variable},
                             "General G needs non-negative values, this one is " + std::to_string(x[i]));
    if (n_used < 4)
        throw InputError(ErrorContext{.field = options.variable},
                         "General G needs at least 4 units with neighbours, got " + std::to_string(n_used));
    const Constants wc = spweights_constants(w, n_used);
    // spdep globalG.test (adjust.x = TRUE, B1correct = TRUE, Arc_all_x = FALSE): the
    // moments use only units with neighbours.
    double sx = 0, sx2 = 0, sx3 = 0, sx4 = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (w.cardinality(i) == 0) continue;
        const double v = x[i];
        sx += v;
        sx2 += v * v;
        sx3 += v * v * v;
        sx4 += v * v * v * v;
    }
    const std::vector<double> xv(x.begin(), x.end());
    const double denom = sx * sx - sx2;
    if (!(denom > 0))
        throw InputError(ErrorContext{.field = options.variable},
                         "General G is undefined: fewer than two units with neighbours have a non-zero value");
    GeneralGResult r;
    r.n = x.size();
    r.n_used = n_used;
    r.G = sum_z_lag(xv, w) / denom;
    const double n = wc.n, n1 = wc.n1, n2 = wc.n2, n3 = wc.n3, nn = wc.nn, s1 = wc.s1, s2 = wc.s2;
    const double s02 = wc.s0 * wc.s0;
    r.expected = wc.s0 / (n * n1);
    const double b0 = (nn - 3 * n + 3) * s1 - n * s2 + 3 * s02;
    const double b1 = -((nn - n) * s1 - 2 * n * s2 + 6 * s02);
    const double b2 = -(2 * n * s1 - (n + 3) * s2 + 6 * s02);
    const double b3 = 4 * n1 * s1 - 2 * (n + 1) * s2 + 8 * s02;
    const double b4 = s1 - s2 + s02;
    r.variance = (b0 * (sx2 * sx2) + b1 * sx4 + b2 * (sx * sx) * sx2 + b3 * sx * sx3 + b4 * (sx * sx * sx * sx)) /
                     ((denom * denom) * n * n1 * n2 * n3) -
                 r.expected * r.expected;
    r.z = (r.G - r.expected) / std::sqrt(r.variance);
    r.p = normal_upper_tail(r.z);
    r.p_two_sided = normal_two_sided(r.z);
    r.permutations = options.permutations;
    // Permuting x over all locations changes the island set's values, so the denominator
    // is recomputed for each permutation.
    const std::size_t m = permutation_count(xv, r.G, options, progress, [&](const std::vector<double>& xp) {
        double a = 0, b = 0;
        for (std::size_t i = 0; i < xp.size(); ++i) {
            if (w.cardinality(i) == 0) continue;
            a += xp[i];
            b += xp[i] * xp[i];
        }
        return sum_z_lag(xp, w) / (a * a - b);
    });
    r.p_permutation = folded_pseudo_p(m, options.permutations);
    return r;
}

BivariateMoranResult bivariate_moran(std::span<const double> x, std::span<const double> y, const Weights& w,
                                     const AutocorrOptions& options, const Progress& progress) {
    detail::check_autocorr_input(x, w, options, "bivariate Moran's I", 3);
    AutocorrOptions oy = options;
    oy.variable = options.variable + " (lagged variable)";
    detail::check_autocorr_input(y, w, oy, "bivariate Moran's I", 3);
    if (!w.islands().empty())
        throw InputError(ErrorContext{.feature = w.islands().front(), .field = options.variable},
                         "bivariate Moran's I: this unit has no neighbour (spdep moran_bv requires every unit "
                         "to have one)");
    const std::size_t n = x.size();
    auto scale = [](std::span<const double> v) {
        std::vector<double> z = centred(v);
        const double sd = std::sqrt(sum_pow(z, 2) / static_cast<double>(v.size() - 1));
        for (auto& e : z) e /= sd;
        return z;
    };
    const std::vector<double> zx = scale(x), zy = scale(y);
    auto stat = [&](const std::vector<double>& a, const std::vector<double>& b) {
        double num = 0.0, den = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            double l = 0.0;
            for (std::size_t k = w.offsets[i]; k < w.offsets[i + 1]; ++k) l += w.values[k] * b[w.neighbours[k]];
            num += l * a[i];
            den += a[i] * a[i];
        }
        return num / den;
    };
    BivariateMoranResult r;
    r.n = n;
    r.I = stat(zx, zy);
    r.permutations = options.permutations;
    // Pairs (x_i, y_i) move together (spdep: boot(sim = "permutation") on the rows): permute
    // an index vector and apply it to both.
    std::vector<double> idx(n);
    std::iota(idx.begin(), idx.end(), 0.0);
    const std::size_t m = permutation_count(idx, r.I, options, progress, [&](const std::vector<double>& p) {
        std::vector<double> a(n), b(n);
        for (std::size_t i = 0; i < n; ++i) {
            const auto s = static_cast<std::size_t>(p[i]);
            a[i] = zx[s];
            b[i] = zy[s];
        }
        return stat(a, b);
    });
    r.p_permutation = folded_pseudo_p(m, options.permutations);
    return r;
}

}  // namespace hq
