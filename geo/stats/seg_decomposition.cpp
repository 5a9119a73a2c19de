// Counterfactual populations and the Shapley decomposition (see seg_decomposition.hpp).
#include "geo/stats/seg_decomposition.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace hq::seg {

const char* counterfactual_name(CounterfactualApproach a) {
    switch (a) {
        case CounterfactualApproach::Composition: return "composition";
        case CounterfactualApproach::Share: return "share";
        case CounterfactualApproach::DualComposition: return "dual_composition";
    }
    return "composition";
}

CounterfactualApproach counterfactual_from_name(const std::string& name) {
    std::string n = name;
    const std::string prefix = "counterfactual_";
    if (n.rfind(prefix, 0) == 0) n = n.substr(prefix.size());
    if (n == "composition") return CounterfactualApproach::Composition;
    if (n == "share") return CounterfactualApproach::Share;
    if (n == "dual_composition") return CounterfactualApproach::DualComposition;
    throw InputError("unknown counterfactual approach '" + name + "' (composition, share, dual_composition)");
}

namespace {

/// pandas Series.rank(pct=True): average rank (1-based) of ties, divided by n.
std::vector<double> pct_rank(const std::vector<double>& v) {
    const std::size_t n = v.size();
    std::vector<std::size_t> idx(n);
    std::iota(idx.begin(), idx.end(), 0);
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
    std::vector<double> r(n);
    std::size_t i = 0;
    while (i < n) {
        std::size_t j = i;
        while (j + 1 < n && v[idx[j + 1]] == v[idx[i]]) ++j;
        const double avg = (static_cast<double>(i + 1) + static_cast<double>(j + 1)) / 2.0;
        for (std::size_t k = i; k <= j; ++k) r[idx[k]] = avg / static_cast<double>(n);
        i = j + 1;
    }
    return r;
}

/// pandas Series.quantile(q), linear interpolation, on sorted values.
double quantile_sorted(const std::vector<double>& s, double q) {
    const std::size_t n = s.size();
    if (n == 1) return s[0];
    const double pos = (static_cast<double>(n) - 1.0) * q;
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    if (lo + 1 >= n) return s[n - 1];
    const double frac = pos - static_cast<double>(lo);
    return s[lo] + (s[lo + 1] - s[lo]) * frac;
}

/// Each value of `mine` mapped to the value at its percentile in `other`.
std::vector<double> percentile_map(const std::vector<double>& mine, const std::vector<double>& other) {
    std::vector<double> sorted = other;
    std::sort(sorted.begin(), sorted.end());
    const auto r = pct_rank(mine);
    std::vector<double> out(mine.size());
    for (std::size_t i = 0; i < mine.size(); ++i) out[i] = quantile_sorted(sorted, r[i]);
    return out;
}

std::vector<double> ratio_or_zero(const std::vector<double>& num, const std::vector<double>& den) {
    std::vector<double> out(num.size());
    for (std::size_t i = 0; i < num.size(); ++i) out[i] = den[i] > 0.0 ? num[i] / den[i] : 0.0;
    return out;
}

std::vector<double> share_of_sum(const std::vector<double>& v) {
    const double s = std::accumulate(v.begin(), v.end(), 0.0);
    std::vector<double> out(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) out[i] = s > 0.0 ? v[i] / s : 0.0;
    return out;
}

std::vector<double> complement(const GroupCounts& c) {
    std::vector<double> y(c.units());
    for (std::size_t i = 0; i < c.units(); ++i) y[i] = c.total[i] - c.group[i];
    return y;
}

}  // namespace

GroupCounts counterfactual(const GroupCounts& a, const GroupCounts& b, CounterfactualApproach approach) {
    validate(a);
    validate(b);
    GroupCounts out;
    out.group_name = a.group_name;
    out.total_name = a.total_name;
    out.where = a.where;
    const std::size_t n = a.units();
    out.group.resize(n);
    out.total.resize(n);
    switch (approach) {
        case CounterfactualApproach::Composition: {
            const auto q = percentile_map(ratio_or_zero(a.group, a.total), ratio_or_zero(b.group, b.total));
            for (std::size_t i = 0; i < n; ++i) {
                out.group[i] = q[i] * a.total[i];
                out.total[i] = a.total[i];
            }
            break;
        }
        case CounterfactualApproach::DualComposition: {
            const auto ya = complement(a);
            const auto yb = complement(b);
            const auto qx = percentile_map(ratio_or_zero(a.group, a.total), ratio_or_zero(b.group, b.total));
            const auto qy = percentile_map(ratio_or_zero(ya, a.total), ratio_or_zero(yb, b.total));
            for (std::size_t i = 0; i < n; ++i) {
                out.group[i] = qx[i] * a.total[i];
                out.total[i] = out.group[i] + qy[i] * a.total[i];
            }
            break;
        }
        case CounterfactualApproach::Share: {
            const auto ya = complement(a);
            const auto yb = complement(b);
            const double xa_sum = std::accumulate(a.group.begin(), a.group.end(), 0.0);
            const double ya_sum = std::accumulate(ya.begin(), ya.end(), 0.0);
            const auto qx = percentile_map(share_of_sum(a.group), share_of_sum(b.group));
            const auto qy = percentile_map(share_of_sum(ya), share_of_sum(yb));
            // PySAL's correction terms: the mapped shares need not sum to 1.
            const double ctx = std::accumulate(qx.begin(), qx.end(), 0.0);
            const double cty = std::accumulate(qy.begin(), qy.end(), 0.0);
            for (std::size_t i = 0; i < n; ++i) {
                const double gx = ctx > 0.0 ? qx[i] / ctx * xa_sum : 0.0;
                const double gy = cty > 0.0 ? qy[i] / cty * ya_sum : 0.0;
                out.group[i] = gx;
                out.total[i] = gx + gy;
            }
            break;
        }
    }
    return out;
}

Decomposition decompose(const GroupCounts& a, const GroupCounts& b, const CountsStatistic& statistic,
                        CounterfactualApproach approach, const std::string& index_name) {
    const GroupCounts cf_a = counterfactual(a, b, approach);
    const GroupCounts cf_b = counterfactual(b, a, approach);
    Decomposition d;
    d.index = index_name;
    d.approach = counterfactual_name(approach);
    d.s1_a1 = statistic(a);
    d.s2_a2 = statistic(b);
    d.s1_a2 = statistic(cf_a);
    d.s2_a1 = statistic(cf_b);
    d.spatial = 0.5 * (d.s1_a1 - d.s2_a1 + d.s1_a2 - d.s2_a2);
    d.attribute = 0.5 * (d.s1_a1 - d.s1_a2 + d.s2_a1 - d.s2_a2);
    return d;
}

Decomposition decompose(const std::string& id, const GroupCounts& a, const GroupCounts& b,
                        CounterfactualApproach approach, const RandomOptions& random) {
    return decompose(
        a, b, [&](const GroupCounts& c) { return single_group_index(id, c, random); }, approach, id);
}

}  // namespace hq::seg
