#include "geo/weights/weights.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "geo/core/error.hpp"

namespace hq {

const char* weights_style_name(WeightsStyle s) {
    switch (s) {
        case WeightsStyle::Binary: return "binary";
        case WeightsStyle::RowStandardised: return "row-standardised";
        case WeightsStyle::General: return "general";
    }
    return "general";
}

Weights Weights::from_lists(std::vector<std::vector<std::uint32_t>> nbrs, std::vector<std::vector<double>> w,
                            WeightsStyle style) {
    Weights out;
    out.n = nbrs.size();
    out.style = style;
    const bool binary = w.empty();
    if (!binary && w.size() != nbrs.size()) throw std::logic_error("Weights::from_lists: size mismatch");
    out.offsets.assign(out.n + 1, 0);
    std::vector<std::pair<std::uint32_t, double>> tmp;
    for (std::size_t i = 0; i < out.n; ++i) {
        tmp.clear();
        if (!binary && w[i].size() != nbrs[i].size()) throw std::logic_error("Weights::from_lists: row size mismatch");
        for (std::size_t k = 0; k < nbrs[i].size(); ++k) {
            if (nbrs[i][k] >= out.n) throw std::logic_error("Weights::from_lists: neighbour id out of range");
            tmp.emplace_back(nbrs[i][k], binary ? 1.0 : w[i][k]);
        }
        std::stable_sort(tmp.begin(), tmp.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        tmp.erase(std::unique(tmp.begin(), tmp.end(), [](const auto& a, const auto& b) { return a.first == b.first; }),
                  tmp.end());
        for (const auto& [j, v] : tmp) {
            out.neighbours.push_back(j);
            out.values.push_back(v);
        }
        out.offsets[i + 1] = out.neighbours.size();
    }
    return out;
}

double Weights::weight(std::size_t i, std::size_t j) const {
    const auto r = row(i);
    const auto it = std::lower_bound(r.begin(), r.end(), static_cast<std::uint32_t>(j));
    if (it == r.end() || *it != j) return 0.0;
    return values[offsets[i] + static_cast<std::size_t>(it - r.begin())];
}

bool Weights::has_self_neighbours() const {
    for (std::size_t i = 0; i < n; ++i) {
        const auto r = row(i);
        if (std::binary_search(r.begin(), r.end(), static_cast<std::uint32_t>(i))) return true;
    }
    return false;
}

std::vector<std::size_t> Weights::islands() const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < n; ++i)
        if (cardinality(i) == 0) out.push_back(i);
    return out;
}

NeighbourStats Weights::stats() const {
    NeighbourStats s;
    s.n = n;
    s.links = neighbours.size();
    if (n == 0) return s;
    s.min_neighbours = cardinality(0);
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t c = cardinality(i);
        if (c == 0) ++s.islands;
        s.min_neighbours = std::min(s.min_neighbours, c);
        s.max_neighbours = std::max(s.max_neighbours, c);
    }
    s.mean_neighbours = static_cast<double>(s.links) / static_cast<double>(n);
    s.percent_nonzero = 100.0 * static_cast<double>(s.links) / (static_cast<double>(n) * static_cast<double>(n));
    for (std::size_t i = 0; i < n && s.symmetric; ++i) {
        const auto r = row(i);
        const auto v = row_values(i);
        for (std::size_t k = 0; k < r.size(); ++k) {
            if (weight(r[k], i) != v[k]) {
                s.symmetric = false;
                break;
            }
        }
    }
    return s;
}

Weights Weights::transposed() const {
    Weights t;
    t.n = n;
    t.style = style == WeightsStyle::RowStandardised ? WeightsStyle::General : style;
    t.offsets.assign(n + 1, 0);
    for (const auto j : neighbours) ++t.offsets[j + 1];
    for (std::size_t i = 0; i < n; ++i) t.offsets[i + 1] += t.offsets[i];
    t.neighbours.resize(neighbours.size());
    t.values.resize(values.size());
    std::vector<std::size_t> fill(t.offsets.begin(), t.offsets.end() - 1);
    // Rows are visited in increasing i, so each transposed row comes out sorted.
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t k = offsets[i]; k < offsets[i + 1]; ++k) {
            const std::size_t pos = fill[neighbours[k]]++;
            t.neighbours[pos] = static_cast<std::uint32_t>(i);
            t.values[pos] = values[k];
        }
    }
    return t;
}

WeightsConstants Weights::constants() const {
    // Summation in row order with plain doubles, as spdep's spweights.constants does.
    WeightsConstants c;
    std::vector<double> row_sum(n, 0.0), col_sum(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t k = offsets[i]; k < offsets[i + 1]; ++k) {
            const double wij = values[k];
            const double wji = weight(neighbours[k], i);
            row_sum[i] += wij;
            col_sum[neighbours[k]] += wij;
            c.s1 += wij * wij + wij * wji;
        }
    }
    // spdep's S1 loop adds dij² + dij·dji over every listed (i, j); pairs listed only as
    // (j, i) contribute their own square there, so the sum equals ½ Σ (w_ij + w_ji)².
    for (std::size_t i = 0; i < n; ++i) {
        c.s0 += row_sum[i];
        c.s2 += (row_sum[i] + col_sum[i]) * (row_sum[i] + col_sum[i]);
    }
    return c;
}

Weights Weights::row_standardised() const {
    Weights out = *this;
    out.style = WeightsStyle::RowStandardised;
    for (std::size_t i = 0; i < n; ++i) {
        double s = 0.0;
        for (std::size_t k = offsets[i]; k < offsets[i + 1]; ++k) s += values[k];
        if (cardinality(i) == 0) continue;
        if (!(s != 0.0) || !std::isfinite(s))
            throw InputError(ErrorContext{.feature = i},
                             "cannot row-standardise weights: the weights of this unit sum to " + std::to_string(s));
        for (std::size_t k = offsets[i]; k < offsets[i + 1]; ++k) out.values[k] = values[k] / s;
    }
    return out;
}

Weights Weights::symmetrised() const {
    const Weights t = transposed();
    std::vector<std::vector<std::uint32_t>> nb(n);
    std::vector<std::vector<double>> w(n);
    for (std::size_t i = 0; i < n; ++i) {
        // Merge row i of W and of W^T (both sorted).
        std::size_t a = offsets[i], b = t.offsets[i];
        const std::size_t ae = offsets[i + 1], be = t.offsets[i + 1];
        while (a < ae || b < be) {
            if (b == be || (a < ae && neighbours[a] < t.neighbours[b])) {
                nb[i].push_back(neighbours[a]);
                w[i].push_back(values[a]);
                ++a;
            } else if (a == ae || t.neighbours[b] < neighbours[a]) {
                nb[i].push_back(t.neighbours[b]);
                w[i].push_back(t.values[b]);
                ++b;
            } else {
                nb[i].push_back(neighbours[a]);
                w[i].push_back(std::max(values[a], t.values[b]));
                ++a;
                ++b;
            }
        }
    }
    return from_lists(std::move(nb), std::move(w),
                      style == WeightsStyle::Binary ? WeightsStyle::Binary : WeightsStyle::General);
}

Weights Weights::with_self(double self_weight) const {
    std::vector<std::vector<std::uint32_t>> nb(n);
    std::vector<std::vector<double>> w(n);
    for (std::size_t i = 0; i < n; ++i) {
        nb[i].push_back(static_cast<std::uint32_t>(i));
        w[i].push_back(self_weight);
        for (std::size_t k = offsets[i]; k < offsets[i + 1]; ++k) {
            if (neighbours[k] == i) continue;
            nb[i].push_back(neighbours[k]);
            w[i].push_back(values[k]);
        }
    }
    const bool binary = style == WeightsStyle::Binary && self_weight == 1.0;
    return from_lists(std::move(nb), std::move(w), binary ? WeightsStyle::Binary : WeightsStyle::General);
}

Weights Weights::binary() const {
    Weights out = *this;
    std::fill(out.values.begin(), out.values.end(), 1.0);
    out.style = WeightsStyle::Binary;
    return out;
}

std::vector<double> Weights::lag(std::span<const double> x) const {
    if (x.size() != n) throw std::logic_error("Weights::lag: size mismatch");
    std::vector<double> out(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        double s = 0.0;
        for (std::size_t k = offsets[i]; k < offsets[i + 1]; ++k) s += values[k] * x[neighbours[k]];
        out[i] = s;
    }
    return out;
}

void Weights::validate() const {
    if (offsets.size() != n + 1 || offsets.front() != 0 || offsets.back() != neighbours.size() ||
        values.size() != neighbours.size())
        throw std::logic_error("Weights: inconsistent sizes");
    for (std::size_t i = 0; i < n; ++i) {
        if (offsets[i + 1] < offsets[i]) throw std::logic_error("Weights: offsets decrease");
        for (std::size_t k = offsets[i]; k < offsets[i + 1]; ++k) {
            if (neighbours[k] >= n) throw std::logic_error("Weights: neighbour id out of range");
            if (k > offsets[i] && neighbours[k] <= neighbours[k - 1])
                throw std::logic_error("Weights: row not sorted or has duplicates");
        }
    }
}

bool operator==(const Weights& a, const Weights& b) {
    return a.n == b.n && a.offsets == b.offsets && a.neighbours == b.neighbours && a.values == b.values;
}

}  // namespace hq
