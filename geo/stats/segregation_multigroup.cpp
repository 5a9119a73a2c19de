// Multigroup and local segregation indices. Formulas: segregation_multigroup.hpp and
// docs/segregation.md.
#include "geo/stats/segregation_multigroup.hpp"

#include <cmath>
#include <limits>
#include <utility>

#include "geo/core/parallel.hpp"
#include "geo/stats/segregation_detail.hpp"

namespace hq::seg {

namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

struct Prepared {
    std::size_t n = 0;
    std::size_t k = 0;
    std::vector<double> t;   ///< unit totals (sum of the listed groups)
    std::vector<double> pk;  ///< P_k
    double big_t = 0.0;
    double simpson_i = 0.0;  ///< Σ P_k (1 − P_k)
    double entropy = 0.0;    ///< Σ P_k ln(1/P_k)
};

Prepared prepare(const CountMatrix& m) {
    validate(m);
    Prepared p;
    p.n = m.units;
    p.k = m.groups;
    p.t.assign(p.n, 0.0);
    p.pk.assign(p.k, 0.0);
    for (std::size_t i = 0; i < p.n; ++i) {
        const double* row = &m.data[i * p.k];
        double s = 0.0;
        for (std::size_t g = 0; g < p.k; ++g) {
            s += row[g];
            p.pk[g] += row[g];
        }
        p.t[i] = s;
        p.big_t += s;
    }
    for (std::size_t g = 0; g < p.k; ++g) {
        p.pk[g] /= p.big_t;
        p.simpson_i += p.pk[g] * (1.0 - p.pk[g]);
        p.entropy -= p.pk[g] * std::log(p.pk[g]);
    }
    return p;
}

/// Σ_i Σ_k t_i f(p_ik, P_k, k) over units with t_i > 0.
template <class F>
double weighted_sum(const CountMatrix& m, const Prepared& p, F f) {
    double acc = 0.0;
    for (std::size_t i = 0; i < p.n; ++i) {
        const double t = p.t[i];
        if (t <= 0.0) continue;
        const double* row = &m.data[i * p.k];
        double s = 0.0;
        for (std::size_t g = 0; g < p.k; ++g) s += f(row[g] / t, p.pk[g], g);
        acc += t * s;
    }
    return acc;
}

/// p ln(p/q), 0 when p = 0 (the NaN terms PySAL drops with nansum).
double plogp(double p, double q) { return p > 0.0 ? p * std::log(p / q) : 0.0; }

template <class F>
std::vector<double> per_unit(const CountMatrix& m, F f) {
    validate(m);
    std::vector<double> out(m.units, k_nan);
    for (std::size_t i = 0; i < m.units; ++i) {
        const double* row = &m.data[i * m.groups];
        double t = 0.0;
        for (std::size_t g = 0; g < m.groups; ++g) t += row[g];
        if (t <= 0.0) continue;  // undefined: NaN
        double s = 0.0;
        for (std::size_t g = 0; g < m.groups; ++g) s += f(row[g] / t);
        out[i] = s;
    }
    return out;
}

}  // namespace

double multi_dissim(const CountMatrix& m) {
    const auto p = prepare(m);
    const double acc = weighted_sum(m, p, [](double pik, double pk, std::size_t) { return std::abs(pik - pk); });
    return acc / (2.0 * p.big_t * p.simpson_i);
}

double multi_gini(const CountMatrix& m) {
    const auto p = prepare(m);
    std::vector<double> per_group(p.k, 0.0);
    parallel_for(p.k, [&](std::size_t g) {
        // Units without the group all have p = 0: one entry carrying their summed weight
        // (sparse groups then sort only their non-zero units).
        std::vector<std::pair<double, double>> buf;
        double zero_weight = 0.0;
        for (std::size_t i = 0; i < p.n; ++i) {
            if (p.t[i] <= 0.0) continue;
            const double x = m.at(i, g);
            if (x > 0.0)
                buf.emplace_back(x / p.t[i], p.t[i]);
            else
                zero_weight += p.t[i];
        }
        if (zero_weight > 0.0) buf.emplace_back(0.0, zero_weight);
        per_group[g] = detail::weighted_abs_pair_sum(buf);
    });
    double acc = 0.0;
    for (double v : per_group) acc += v;
    return acc / (2.0 * p.big_t * p.big_t * p.simpson_i);
}

double multi_norm_exposure(const CountMatrix& m) {
    const auto p = prepare(m);
    const double acc = weighted_sum(m, p, [](double pik, double pk, std::size_t) {
        const double d = pik - pk;
        return d * d / (1.0 - pk);
    });
    return acc / p.big_t;
}

double multi_info_theory(const CountMatrix& m) {
    const auto p = prepare(m);
    const double acc = weighted_sum(m, p, [](double pik, double pk, std::size_t) { return plogp(pik, pk); });
    return acc / (p.big_t * p.entropy);
}

double multi_relative_diversity(const CountMatrix& m) {
    const auto p = prepare(m);
    const double acc = weighted_sum(m, p, [](double pik, double pk, std::size_t) {
        const double d = pik - pk;
        return d * d;
    });
    return acc / (p.big_t * p.simpson_i);
}

double multi_squared_coef_var(const CountMatrix& m) {
    const auto p = prepare(m);
    const double acc = weighted_sum(m, p, [](double pik, double pk, std::size_t) {
        const double d = pik - pk;
        return d * d / pk;
    });
    return acc / (p.big_t * static_cast<double>(p.k - 1));
}

double multi_diversity(const CountMatrix& m, bool normalized) {
    const auto p = prepare(m);
    return normalized ? p.entropy / std::log(static_cast<double>(p.k)) : p.entropy;
}

double simpsons_concentration(const CountMatrix& m) {
    const auto p = prepare(m);
    double acc = 0.0;
    for (double v : p.pk) acc += v * v;
    return acc;
}

double simpsons_interaction(const CountMatrix& m) { return prepare(m).simpson_i; }

double multi_divergence(const CountMatrix& m) {
    const auto p = prepare(m);
    const double acc = weighted_sum(m, p, [](double pik, double pk, std::size_t) { return plogp(pik, pk); });
    return acc / p.big_t;
}

const std::vector<std::string>& multigroup_aspatial_ids() {
    static const std::vector<std::string> ids = {
        "multi_dissim",           "multi_gini",         "multi_norm_exposure", "multi_info_theory",
        "multi_relative_diversity", "multi_squared_coef_var", "multi_diversity", "simpsons_concentration",
        "simpsons_interaction",   "multi_divergence",
    };
    return ids;
}

std::vector<IndexValue> multigroup_aspatial(const CountMatrix& m) {
    // One validation and one fused pass for the eight indices built on per-unit sums
    // (the separate functions above give the same numbers), then the Gini.
    const auto p = prepare(m);
    double s_abs = 0.0;
    double s_exposure = 0.0;
    double s_info = 0.0;
    double s_sq = 0.0;
    double s_cv = 0.0;
    std::vector<double> inv_1mp(p.k);
    std::vector<double> inv_p(p.k);
    for (std::size_t g = 0; g < p.k; ++g) {
        inv_1mp[g] = 1.0 / (1.0 - p.pk[g]);
        inv_p[g] = 1.0 / p.pk[g];
    }
    for (std::size_t i = 0; i < p.n; ++i) {
        const double t = p.t[i];
        if (t <= 0.0) continue;
        const double* row = &m.data[i * p.k];
        double a = 0.0;
        double e = 0.0;
        double h = 0.0;
        double q = 0.0;
        double c = 0.0;
        for (std::size_t g = 0; g < p.k; ++g) {
            const double pik = row[g] / t;
            const double d = pik - p.pk[g];
            a += std::abs(d);
            e += d * d * inv_1mp[g];
            h += plogp(pik, p.pk[g]);
            q += d * d;
            c += d * d * inv_p[g];
        }
        s_abs += t * a;
        s_exposure += t * e;
        s_info += t * h;
        s_sq += t * q;
        s_cv += t * c;
    }
    double lambda = 0.0;
    for (double v : p.pk) lambda += v * v;
    return {
        {"multi_dissim", s_abs / (2.0 * p.big_t * p.simpson_i)},
        {"multi_gini", multi_gini(m)},
        {"multi_norm_exposure", s_exposure / p.big_t},
        {"multi_info_theory", s_info / (p.big_t * p.entropy)},
        {"multi_relative_diversity", s_sq / (p.big_t * p.simpson_i)},
        {"multi_squared_coef_var", s_cv / (p.big_t * static_cast<double>(p.k - 1))},
        {"multi_diversity", p.entropy},
        {"simpsons_concentration", lambda},
        {"simpsons_interaction", p.simpson_i},
        {"multi_divergence", s_info / p.big_t},
    };
}

std::vector<double> multi_location_quotient(const CountMatrix& m) {
    const auto p = prepare(m);
    std::vector<double> out(p.n * p.k, k_nan);
    for (std::size_t i = 0; i < p.n; ++i) {
        if (p.t[i] <= 0.0) continue;
        for (std::size_t g = 0; g < p.k; ++g) out[i * p.k + g] = (m.at(i, g) / p.t[i]) / p.pk[g];
    }
    return out;
}

std::vector<double> multi_local_diversity(const CountMatrix& m) {
    return per_unit(m, [](double q) { return q > 0.0 ? -q * std::log(q) : 0.0; });
}

std::vector<double> multi_local_entropy(const CountMatrix& m) {
    auto v = multi_local_diversity(m);
    const double lk = std::log(static_cast<double>(m.groups));
    for (auto& x : v) x /= lk;
    return v;
}

std::vector<double> multi_local_simpson_concentration(const CountMatrix& m) {
    return per_unit(m, [](double q) { return q * q; });
}

std::vector<double> multi_local_simpson_interaction(const CountMatrix& m) {
    return per_unit(m, [](double q) { return q * (1.0 - q); });
}

std::vector<LocalValues> multigroup_local(const CountMatrix& m) {
    validate(m);
    std::vector<std::string> names;
    for (std::size_t g = 0; g < m.groups; ++g) names.push_back(m.name(g));
    std::vector<LocalValues> out;
    out.push_back({"multi_location_quotient", m.groups, names, multi_location_quotient(m)});
    auto diversity = multi_local_diversity(m);
    auto entropy = diversity;
    const double lk = std::log(static_cast<double>(m.groups));
    for (auto& x : entropy) x /= lk;
    out.push_back({"multi_local_diversity", 1, {}, std::move(diversity)});
    out.push_back({"multi_local_entropy", 1, {}, std::move(entropy)});
    out.push_back({"multi_local_simpson_concentration", 1, {}, multi_local_simpson_concentration(m)});
    out.push_back({"multi_local_simpson_interaction", 1, {}, multi_local_simpson_interaction(m)});
    return out;
}

}  // namespace hq::seg
