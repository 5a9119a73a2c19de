// Pairwise exposure and dissimilarity tables; the mutual information index M.
#include "geo/stats/segregation_pairwise.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "geo/core/parallel.hpp"
#include "geo/stats/segregation_detail.hpp"

namespace hq::seg {

namespace {

constexpr std::size_t k_block = 2048;  // units per parallel block (fixed: determinism)

}  // namespace

PairwiseTables pairwise_tables(const CountMatrix& m, const Progress& progress, unsigned threads) {
    validate(m);
    const std::size_t n = m.units;
    const std::size_t k = m.groups;
    std::vector<double> col(k, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t g = 0; g < k; ++g) col[g] += m.at(i, g);

    const std::size_t blocks = (n + k_block - 1) / k_block;
    std::vector<std::vector<double>> part_e(blocks);
    std::vector<std::vector<double>> part_d(blocks);
    parallel_for(
        blocks,
        [&](std::size_t blk) {
            std::vector<double> e(k * k, 0.0);
            std::vector<double> d(k * k, 0.0);  // upper triangle used
            std::vector<double> u(k);            // x_ig / X_g
            std::vector<double> v(k);            // x_ig / t_i
            const std::size_t lo = blk * k_block;
            const std::size_t hi = std::min(n, lo + k_block);
            for (std::size_t i = lo; i < hi; ++i) {
                const double* row = &m.data[i * k];
                double t = 0.0;
                for (std::size_t g = 0; g < k; ++g) t += row[g];
                if (t <= 0.0) continue;  // contributes nothing to either table
                for (std::size_t g = 0; g < k; ++g) {
                    u[g] = row[g] / col[g];
                    v[g] = row[g] / t;
                }
                for (std::size_t a = 0; a < k; ++a) {
                    const double ua = u[a];
                    double* ea = &e[a * k];
                    if (ua != 0.0)
                        for (std::size_t b = 0; b < k; ++b) ea[b] += ua * v[b];
                    double* da = &d[a * k];
                    for (std::size_t b = a + 1; b < k; ++b) da[b] += std::abs(ua - u[b]);
                }
            }
            part_e[blk] = std::move(e);
            part_d[blk] = std::move(d);
        },
        progress, threads, 1);

    PairwiseTables out;
    out.groups = k;
    for (std::size_t g = 0; g < k; ++g) out.names.push_back(m.name(g));
    out.exposure.assign(k * k, 0.0);
    out.dissim.assign(k * k, 0.0);
    for (std::size_t blk = 0; blk < blocks; ++blk) {
        for (std::size_t j = 0; j < k * k; ++j) {
            out.exposure[j] += part_e[blk][j];
            out.dissim[j] += part_d[blk][j];
        }
    }
    for (std::size_t a = 0; a < k; ++a) {
        out.dissim[a * k + a] = 0.0;
        for (std::size_t b = a + 1; b < k; ++b) {
            const double v = 0.5 * out.dissim[a * k + b];
            out.dissim[a * k + b] = v;
            out.dissim[b * k + a] = v;
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------
// Mutual information
// ---------------------------------------------------------------------------------------

namespace {

/// A dense rows × cols table of counts.
struct Table {
    std::size_t rows = 0;
    std::size_t cols = 0;
    std::vector<double> v;
    double& at(std::size_t r, std::size_t c) { return v[r * cols + c]; }
    [[nodiscard]] double at(std::size_t r, std::size_t c) const { return v[r * cols + c]; }
};

double entropy_of(const std::vector<double>& counts) {
    double s = 0.0;
    for (double c : counts) s += c;
    if (s <= 0.0) return 0.0;
    double e = 0.0;
    for (double c : counts)
        if (c > 0.0) e -= (c / s) * std::log(c / s);
    return e;
}

/// M of a table (rows × cols), 0 for an empty table; also returns the column entropy.
double mutual_of(const Table& t, double* col_entropy = nullptr) {
    std::vector<double> row(t.rows, 0.0);
    std::vector<double> col(t.cols, 0.0);
    double big_t = 0.0;
    for (std::size_t r = 0; r < t.rows; ++r)
        for (std::size_t c = 0; c < t.cols; ++c) {
            const double x = t.at(r, c);
            row[r] += x;
            col[c] += x;
            big_t += x;
        }
    if (col_entropy != nullptr) *col_entropy = entropy_of(col);
    if (big_t <= 0.0) return 0.0;
    double acc = 0.0;
    for (std::size_t r = 0; r < t.rows; ++r) {
        if (row[r] <= 0.0) continue;
        for (std::size_t c = 0; c < t.cols; ++c) {
            const double x = t.at(r, c);
            if (x <= 0.0) continue;
            acc += (x / big_t) * std::log(x * big_t / (row[r] * col[c]));
        }
    }
    return acc;
}

Table whole(const CountMatrix& m) { return Table{m.units, m.groups, m.data}; }

std::size_t count_parts(const std::vector<std::size_t>& part, const std::vector<std::string>& names) {
    std::size_t p = names.size();
    for (std::size_t v : part) p = std::max(p, v + 1);
    return p;
}

std::string part_name(const std::vector<std::string>& names, std::size_t j) {
    if (j < names.size() && !names[j].empty()) return names[j];
    return "part " + std::to_string(j + 1);
}

void finish_part(MutualPart& part, double m_part, double e_part, double e_total, double share) {
    part.p = share;
    part.m = m_part;
    part.h = e_part > 0.0 ? m_part / e_part : std::numeric_limits<double>::quiet_NaN();
    part.entropy_ratio = e_total > 0.0 ? e_part / e_total : 0.0;
}

}  // namespace

MutualTotal mutual_total(const CountMatrix& m) {
    validate(m);
    double e = 0.0;
    const double mi = mutual_of(whole(m), &e);
    return {mi, mi / e};
}

MutualDecomposition mutual_within_units(const CountMatrix& m, const std::vector<std::size_t>& unit_part,
                                        const std::vector<std::string>& part_names) {
    validate(m);
    if (unit_part.size() != m.units)
        throw InputError(m.where, "the unit partition has " + std::to_string(unit_part.size()) +
                                      " entries for " + std::to_string(m.units) + " units");
    const std::size_t parts = count_parts(unit_part, part_names);
    const std::size_t k = m.groups;
    Table between{parts, k, std::vector<double>(parts * k, 0.0)};
    std::vector<Table> inside(parts);
    for (auto& t : inside) t.cols = k;
    for (std::size_t i = 0; i < m.units; ++i) {
        const std::size_t j = unit_part[i];
        inside[j].rows += 1;
        for (std::size_t g = 0; g < k; ++g) {
            between.at(j, g) += m.at(i, g);
            inside[j].v.push_back(m.at(i, g));
        }
    }
    MutualDecomposition out;
    double e_total = 0.0;
    out.total = mutual_of(whole(m), &e_total);
    out.between = mutual_of(between);
    double big_t = 0.0;
    for (double x : m.data) big_t += x;
    for (std::size_t j = 0; j < parts; ++j) {
        double e_part = 0.0;
        const double mp = mutual_of(inside[j], &e_part);
        double tj = 0.0;
        for (double x : inside[j].v) tj += x;
        MutualPart part;
        part.name = part_name(part_names, j);
        finish_part(part, mp, e_part, e_total, tj / big_t);
        out.within += part.p * part.m;
        out.parts.push_back(part);
    }
    return out;
}

MutualDecomposition mutual_within_groups(const CountMatrix& m, const std::vector<std::size_t>& group_part,
                                         const std::vector<std::string>& part_names) {
    validate(m);
    if (group_part.size() != m.groups)
        throw InputError(m.where, "the group partition has " + std::to_string(group_part.size()) +
                                      " entries for " + std::to_string(m.groups) + " groups");
    const std::size_t parts = count_parts(group_part, part_names);
    const std::size_t n = m.units;
    Table between{n, parts, std::vector<double>(n * parts, 0.0)};
    std::vector<std::vector<std::size_t>> members(parts);
    for (std::size_t g = 0; g < m.groups; ++g) members[group_part[g]].push_back(g);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t g = 0; g < m.groups; ++g) between.at(i, group_part[g]) += m.at(i, g);

    MutualDecomposition out;
    double e_total = 0.0;
    out.total = mutual_of(whole(m), &e_total);
    out.between = mutual_of(between);
    double big_t = 0.0;
    for (double x : m.data) big_t += x;
    for (std::size_t j = 0; j < parts; ++j) {
        Table inside{n, members[j].size(), {}};
        inside.v.reserve(n * members[j].size());
        double tj = 0.0;
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t g : members[j]) {
                inside.v.push_back(m.at(i, g));
                tj += m.at(i, g);
            }
        double e_part = 0.0;
        const double mp = mutual_of(inside, &e_part);
        MutualPart part;
        part.name = part_name(part_names, j);
        finish_part(part, mp, e_part, e_total, tj / big_t);
        out.within += part.p * part.m;
        out.parts.push_back(part);
    }
    return out;
}

}  // namespace hq::seg
