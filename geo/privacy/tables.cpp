// Project tables through disclosure control (docs/privacy.md).
#include "geo/privacy/tables.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>

#include "geo/privacy/maps.hpp"

namespace hq::privacy {

namespace {
constexpr std::size_t kLargeTable = 50000;  ///< cells above which the coarse rule replaces the hypercube search
}  // namespace

void pin(Table& t, std::size_t r, std::size_t c, const Cell& published) {
    if (published.suppressed()) t.force(r, c, published.state);
    else t.lock(r, c);
}

ProtectedTable group_totals_table(const std::vector<double>& group_totals, const DisclosurePolicy& policy) {
    Table t(1, group_totals.size());
    for (std::size_t g = 0; g < group_totals.size(); ++g) t.set(0, g, group_totals[g]);
    return protect(t, policy);
}

ProtectedTable part_of_whole_table(const std::vector<double>& part, const std::vector<double>& whole,
                                   const DisclosurePolicy& policy, const std::vector<Cell>& whole_pins,
                                   const Cell* part_total_pin, const Cell* grand_pin) {
    const std::size_t n = part.size();
    Table t(n, 2);
    for (std::size_t i = 0; i < n; ++i) {
        t.set(i, 0, part[i]);
        t.set(i, 1, whole[i] - part[i]);
        t.force(i, 1, Suppression::Secondary);  // never printed
        if (i < whole_pins.size()) pin(t, i, 2, whole_pins[i]);
    }
    if (part_total_pin) pin(t, n, 0, *part_total_pin);
    if (grand_pin) pin(t, n, 2, *grand_pin);
    return protect(t, policy);
}

ProtectedTable reach_table(const std::vector<double>& reached, const ProtectedTable& groups) {
    std::vector<double> whole;
    std::vector<Cell> pins;
    for (std::size_t g = 0; g < reached.size() && g < groups.cols(); ++g) {
        whole.push_back(groups.col_total(g).value);
        pins.push_back(groups.col_total(g));
    }
    return part_of_whole_table(reached, whole, groups.policy(), pins, nullptr, &groups.grand_total());
}

bool catchment_mix_published(const ProtectedTable& reach) {
    if (!reach.policy().guard) return true;
    if (reach.col_total(0).suppressed()) return false;
    for (std::size_t g = 0; g < reach.rows(); ++g)
        if (reach.cell(g, 0).suppressed()) return false;
    return true;
}

bool catchment_units_published(const std::vector<double>& unit_residents, const DisclosurePolicy& policy) {
    if (!policy.guard) return true;
    for (double t : unit_residents)
        if (lone_cell(t, policy).suppressed()) return false;
    return true;
}

ExposurePublished exposure_published(const ProtectedTable& cells) {
    ExposurePublished out;
    out.group.assign(cells.cols(), 1);
    if (!cells.policy().guard) return out;
    out.mean = every_cell_published(cells);
    for (std::size_t g = 0; g < cells.cols(); ++g)
        out.group[g] = every_cell_published(cells, g) && !cells.col_total(g).suppressed() ? 1 : 0;
    return out;
}

ProtectedTable unit_totals_table(const std::vector<double>& unit_totals, const ProtectedTable& groups) {
    Table t(1, unit_totals.size());
    for (std::size_t i = 0; i < unit_totals.size(); ++i) t.set(0, i, unit_totals[i]);
    pin(t, 1, unit_totals.size(), groups.grand_total());
    return protect(t, groups.policy());
}

std::vector<ProtectedTable> zone_reach_tables(const std::vector<std::vector<double>>& weights,
                                              const std::vector<std::vector<double>>& counts,
                                              const ProtectedTable& groups) {
    const DisclosurePolicy& policy = groups.policy();
    const std::size_t nz = weights.size(), ng = std::min(counts.size(), groups.cols());
    const std::size_t n = ng ? counts[0].size() : 0;
    auto reach = [&](std::size_t z, std::size_t g) {
        double r = 0;
        for (std::size_t i = 0; i < n && i < weights[z].size(); ++i) r += weights[z][i] * counts[g][i];
        return r;
    };
    auto overlap = [&](std::size_t a, std::size_t b) {
        for (std::size_t i = 0; i < n && i < weights[a].size() && i < weights[b].size(); ++i)
            if (weights[a][i] > 0 && weights[b][i] > 0) return true;
        return false;
    };
    // withheld[z][g]: the group's reach in zone z is withheld across zones (sensitive).
    std::vector<std::vector<char>> withheld(nz, std::vector<char>(ng, 0));
    if (policy.guard)
        for (std::size_t g = 0; g < ng; ++g) {
            std::vector<std::size_t> published;
            double outside = groups.col_total(g).value;
            for (std::size_t z = 0; z < nz; ++z) {
                bool ok = true;
                for (std::size_t p : published) ok = ok && !overlap(z, p);
                const double r = reach(z, g);
                // A second disjoint zone must leave at least k of the group outside them all.
                if (ok && !published.empty() && outside - r < policy.k) ok = false;
                if (!ok) {
                    withheld[z][g] = 1;
                    continue;
                }
                published.push_back(z);
                outside -= r;
            }
        }
    std::vector<ProtectedTable> out;
    out.reserve(nz);
    for (std::size_t z = 0; z < nz; ++z) {
        Table t(ng, 2);
        double residents = 0;
        bool units_published = true;
        for (std::size_t i = 0; i < n && i < weights[z].size(); ++i) {
            if (!(weights[z][i] > 0)) continue;
            double unit = 0;
            for (std::size_t g = 0; g < counts.size(); ++g) unit += counts[g][i];
            residents += weights[z][i] * unit;
            units_published = units_published && !lone_cell(unit, policy).suppressed();
        }
        for (std::size_t g = 0; g < ng; ++g) {
            const double r = reach(z, g);
            t.set(g, 0, r);
            t.set(g, 1, groups.col_total(g).value - r);
            t.force(g, 1, Suppression::Secondary);  // never printed
            pin(t, g, 2, groups.col_total(g));
            if (withheld[z][g]) t.sensitive(g, 0);
        }
        pin(t, ng, 2, groups.grand_total());
        if (units_published && residents >= policy.k) t.lock(ng, 0);
        out.push_back(protect(t, policy));
    }
    return out;
}

namespace {

/// The groups whose whole column the coarse rule withholds (docs/privacy.md, "Large
/// tables"): every group with a small cell or a withheld total, and then, when any is and
/// another group has neither, one more: the group with no small cell and the smallest total
/// (ties: the first). Its cells are all ≥ k, so every unit has a withheld cell of at least k
/// outside any other withheld group: a unit's withheld cells are never one cell and never
/// sum to less than k, and a "<k" cell can be moved over 0..k−1 against it. `at(i, g)` is
/// group g's count in unit i. O(units × groups).
template <class At>
std::vector<char> coarse_columns(std::size_t n, std::size_t ng, At at, const ProtectedTable& groups) {
    const DisclosurePolicy& policy = groups.policy();
    std::vector<char> withheld(ng, 0);
    if (!policy.guard) return withheld;
    bool any = false;
    for (std::size_t g = 0; g < ng; ++g) {
        bool w = g >= groups.cols() || groups.col_total(g).suppressed();
        for (std::size_t i = 0; i < n && !w; ++i) w = policy.small(at(i, g));
        withheld[g] = w ? 1 : 0;
        any = any || w;
    }
    if (!any) return withheld;
    std::size_t second = ng;
    for (std::size_t g = 0; g < ng; ++g)
        if (!withheld[g] && (second == ng || groups.col_total(g).value < groups.col_total(second).value)) second = g;
    if (second < ng) withheld[second] = 1;
    return withheld;
}

/// A large units × groups table (a city) in linear time: the columns of coarse_columns()
/// withheld whole (every cell "x"), the others published; the unit totals
/// as every other output prints them (unit_totals_table), the group totals as `groups`.
ProtectedTable coarse_units_by_groups(const std::vector<std::vector<double>>& counts, const ProtectedTable& groups) {
    const std::size_t ng = counts.size(), n = counts[0].size();
    const DisclosurePolicy& policy = groups.policy();
    const std::vector<char> withheld =
        coarse_columns(n, ng, [&](std::size_t i, std::size_t g) { return counts[g][i]; }, groups);
    std::vector<Cell> cells((n + 1) * (ng + 1));
    auto at = [&](std::size_t r, std::size_t c) -> Cell& { return cells[r * (ng + 1) + c]; };
    std::vector<double> unit_totals(n, 0.0);
    for (std::size_t g = 0; g < ng; ++g) {
        for (std::size_t i = 0; i < n; ++i) {
            Cell& c = at(i, g);
            c.value = counts[g][i];
            // Every withheld cell prints "x", small or not: the symbol then says nothing of
            // the value (a "<k" beside "x" ≥ k would bound a column's small cells).
            if (withheld[g]) c.state = Suppression::Secondary;
            unit_totals[i] += c.value;
        }
        at(n, g) = groups.col_total(g);
        at(n, g).total = true;
    }
    const ProtectedTable units = unit_totals_table(unit_totals, groups);
    for (std::size_t i = 0; i < n; ++i) {
        at(i, ng) = units.col_total(i);
        at(i, ng).total = true;
    }
    at(n, ng) = groups.grand_total();
    at(n, ng).total = true;
    return ProtectedTable(n, ng, std::move(cells), policy);
}

}  // namespace

bool large_table(std::size_t units, std::size_t groups) { return units * groups > kLargeTable; }

ProtectedTable units_by_groups_table(const std::vector<std::vector<double>>& counts, const ProtectedTable& groups) {
    const std::size_t ng = counts.size(), n = ng ? counts[0].size() : 0;
    if (large_table(n, ng)) return coarse_units_by_groups(counts, groups);
    Table t(n, ng);
    for (std::size_t g = 0; g < ng; ++g)
        for (std::size_t i = 0; i < n; ++i) t.set(i, g, counts[g][i]);
    for (std::size_t g = 0; g < ng && g < groups.cols(); ++g) pin(t, n, g, groups.col_total(g));
    pin(t, n, ng, groups.grand_total());
    // The unit totals as the other outputs print them (the report's courtyard table, the
    // plan's catchment units): published from k up, small below.
    std::vector<double> unit_totals(n, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t g = 0; g < ng; ++g) unit_totals[i] += counts[g][i];
    const ProtectedTable units = unit_totals_table(unit_totals, groups);
    for (std::size_t i = 0; i < n; ++i) pin(t, i, ng, units.col_total(i));
    return protect(t, groups.policy());
}

ProtectedTable table_rows(const ProtectedTable& cells, const std::vector<std::size_t>& rows) {
    const std::size_t cols = cells.cols();
    std::vector<Cell> out;
    out.reserve((rows.size() + 1) * (cols + 1));
    for (const std::size_t r : rows)
        for (std::size_t c = 0; c <= cols; ++c) out.push_back(cells.cell(r, c));
    for (std::size_t c = 0; c <= cols; ++c) out.push_back(cells.cell(cells.rows(), c));
    return {rows.size(), cols, std::move(out), cells.policy()};
}

std::vector<bool> withhold_with_cells(std::vector<double>& values, const std::vector<double>& counts, std::size_t units,
                                      std::size_t groups, const DisclosurePolicy& policy) {
    std::vector<bool> withheld(values.size(), false);
    if (!policy.guard) return withheld;
    if (large_table(units, groups)) {
        // Large tables (a city): the columns the coarse units × groups table withholds
        // (coarse_columns), so that the values published here are those of its published cells.
        std::vector<double> totals(groups, 0.0);
        for (std::size_t i = 0; i < units; ++i)
            for (std::size_t g = 0; g < groups; ++g) totals[g] += counts[i * groups + g];
        const std::vector<char> cols = coarse_columns(
            units, groups, [&](std::size_t i, std::size_t g) { return counts[i * groups + g]; },
            group_totals_table(totals, policy));
        for (std::size_t g = 0; g < groups; ++g)
            if (cols[g])
                for (std::size_t i = 0; i < units; ++i) {
                    values[i * groups + g] = std::numeric_limits<double>::quiet_NaN();
                    withheld[i * groups + g] = true;
                }
        return withheld;
    }
    std::vector<std::vector<double>> by_group(groups, std::vector<double>(units, 0.0));
    std::vector<double> totals(groups, 0.0);
    for (std::size_t i = 0; i < units; ++i)
        for (std::size_t g = 0; g < groups; ++g) {
            by_group[g][i] = counts[i * groups + g];
            totals[g] += by_group[g][i];
        }
    const ProtectedTable t = units_by_groups_table(by_group, group_totals_table(totals, policy));
    for (std::size_t i = 0; i < units; ++i)
        for (std::size_t g = 0; g < groups; ++g)
            if (t.cell(i, g).suppressed()) {
                values[i * groups + g] = std::numeric_limits<double>::quiet_NaN();
                withheld[i * groups + g] = true;
            }
    return withheld;
}

PublishedEstimate published_estimate(const ProtectedTable& cells) {
    const std::size_t R = cells.rows(), C = cells.cols();
    PublishedEstimate e;
    e.rows = R;
    e.cols = C;
    e.values.resize(R * C);
    e.filled.assign(R * C, 0);
    e.col_filled.assign(C, 0.0);
    e.col_cells_filled.assign(C, 0);
    e.row_total_withheld.assign(R, 0);
    e.col_total_withheld.assign(C, 0);
    for (std::size_t r = 0; r < R; ++r) e.row_total_withheld[r] = cells.row_total(r).suppressed() ? 1 : 0;
    for (std::size_t c = 0; c < C; ++c) e.col_total_withheld[c] = cells.col_total(c).suppressed() ? 1 : 0;
    // The totals a reader uses: the printed ones, else the sums of the (filled) cells.
    const auto set_totals = [&] {
        e.row_totals.assign(R, 0.0);
        e.col_totals.assign(C, 0.0);
        for (std::size_t r = 0; r < R; ++r)
            for (std::size_t c = 0; c < C; ++c) {
                e.row_totals[r] += e.values[r * C + c];
                e.col_totals[c] += e.values[r * C + c];
            }
        for (std::size_t r = 0; r < R; ++r)
            if (!e.row_total_withheld[r]) e.row_totals[r] = cells.row_total(r).value;
        for (std::size_t c = 0; c < C; ++c)
            if (!e.col_total_withheld[c]) e.col_totals[c] = cells.col_total(c).value;
    };
    std::vector<std::size_t> unknown;  // flat indices of the withheld cells
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t c = 0; c < C; ++c) {
            const Cell& x = cells.cell(r, c);
            e.values[r * C + c] = x.value;
            if (x.suppressed()) unknown.push_back(r * C + c);
        }
    if (unknown.empty()) {
        set_totals();
        return e;
    }

    // The classes whose withheld cells have a known sum (a printed number less printed
    // cells): each row with a published total, the rows with withheld totals together
    // (against the grand total), and the same for the columns. -1: no known sum.
    const bool grand = !cells.grand_total().suppressed();
    const double G = cells.grand_total().value;
    std::vector<double> row_target(R + 1, 0.0), col_target(C + 1, 0.0);
    std::vector<char> row_known(R + 1, 0), col_known(C + 1, 0);
    double rest_rows = G, rest_cols = G;
    for (std::size_t r = 0; r < R; ++r)
        if (!cells.row_total(r).suppressed()) {
            row_known[r] = 1;
            row_target[r] = cells.row_total(r).value;
            rest_rows -= cells.row_total(r).value;
        }
    for (std::size_t c = 0; c < C; ++c)
        if (!cells.col_total(c).suppressed()) {
            col_known[c] = 1;
            col_target[c] = cells.col_total(c).value;
            rest_cols -= cells.col_total(c).value;
        }
    row_known[R] = grand ? 1 : 0;
    row_target[R] = rest_rows;
    col_known[C] = grand ? 1 : 0;
    col_target[C] = rest_cols;
    auto row_class = [&](std::size_t r) { return row_known[r] && r < R ? r : R; };
    auto col_class = [&](std::size_t c) { return col_known[c] && c < C ? c : C; };
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t c = 0; c < C; ++c)
            if (!cells.cell(r, c).suppressed()) {
                row_target[row_class(r)] -= cells.cell(r, c).value;
                col_target[col_class(c)] -= cells.cell(r, c).value;
            }

    // Iterative proportional fitting with upper bounds (a reader knows a "<k" cell is at
    // most k−1): x_u = min(ub_u, a_row·b_col), each class's multiplier solved so that its
    // cells meet its sum. Classes without a capped cell solve in closed form from one pass
    // over the cells; a class with one is solved by bisection over its members (a city's
    // coarse table has no "<k" cell: no member lists, no bisection).
    const double cap = static_cast<double>(cells.policy().k - 1);
    const double inf = std::numeric_limits<double>::infinity();
    const std::size_t U = unknown.size();
    std::vector<std::uint32_t> rc(U), cc(U);  // each withheld cell's row and column class
    std::vector<double> ub;                   // per cell; empty when no cell is capped
    std::vector<char> row_capped(R + 1, 0), col_capped(C + 1, 0);
    for (std::size_t u = 0; u < U; ++u) {
        const std::size_t r = unknown[u] / C, c = unknown[u] % C;
        rc[u] = static_cast<std::uint32_t>(row_class(r));
        cc[u] = static_cast<std::uint32_t>(col_class(c));
        if (cells.cell(r, c).state == Suppression::Primary) {
            if (ub.empty()) ub.assign(U, inf);
            ub[u] = std::max(0.0, cap);
            row_capped[rc[u]] = 1;
            col_capped[cc[u]] = 1;
        }
    }
    const auto members_of = [&](const std::vector<std::uint32_t>& cls, const std::vector<char>& capped) {
        std::vector<std::vector<std::uint32_t>> m(capped.size());
        if (!ub.empty())
            for (std::size_t u = 0; u < U; ++u)
                if (capped[cls[u]]) m[cls[u]].push_back(static_cast<std::uint32_t>(u));
        return m;
    };
    const auto row_members = members_of(rc, row_capped);
    const auto col_members = members_of(cc, col_capped);
    std::vector<double> ma(R + 1, 1.0), mb(C + 1, 1.0);
    const auto value = [&](std::size_t u) {
        const double v = ma[rc[u]] * mb[cc[u]];
        return ub.empty() ? v : std::min(ub[u], v);
    };
    // Σ_{u ∈ members} min(ub_u, m·w_u) = want for m ≥ 0 (w_u: the other side's multiplier).
    const auto solve_capped = [&](const std::vector<std::uint32_t>& members, const std::vector<double>& other,
                                  const std::vector<std::uint32_t>& other_class, double want) {
        double free_w = 0.0, room = 0.0;
        for (const std::uint32_t u : members) {
            free_w += other[other_class[u]];
            room += ub[u];
        }
        if (want <= 0 || free_w <= 0) return 0.0;
        if (room <= want) return std::numeric_limits<double>::max() / 4;  // every cell at its cap
        const auto g = [&](double m) {
            double s = 0.0;
            for (const std::uint32_t u : members) s += std::min(ub[u], m * other[other_class[u]]);
            return s;
        };
        double lo = 0.0, hi = want / free_w;
        while (g(hi) < want && hi < 1e300) hi *= 2;
        for (int it = 0; it < 200 && hi - lo > 1e-15 * hi; ++it) {
            const double mid = 0.5 * (lo + hi);
            (g(mid) < want ? lo : hi) = mid;
        }
        return 0.5 * (lo + hi);
    };
    // One side's multipliers from the other's: closed form where no cell of the class is
    // capped, else by bisection.
    std::vector<double> weight;
    const auto pass = [&](std::vector<double>& mult, const std::vector<double>& other,
                          const std::vector<std::uint32_t>& cls, const std::vector<std::uint32_t>& other_cls,
                          const std::vector<char>& known, const std::vector<double>& target,
                          const std::vector<char>& capped, const std::vector<std::vector<std::uint32_t>>& members) {
        weight.assign(mult.size(), 0.0);
        for (std::size_t u = 0; u < U; ++u)
            if (!capped[cls[u]]) weight[cls[u]] += other[other_cls[u]];
        for (std::size_t k = 0; k < mult.size(); ++k) {
            if (!known[k]) continue;
            if (capped[k])
                mult[k] = solve_capped(members[k], other, other_cls, target[k]);
            else
                mult[k] = target[k] > 0 && weight[k] > 0 ? target[k] / weight[k] : 0.0;
        }
    };
    std::vector<double> sums;
    const auto row_residual = [&] {
        sums.assign(R + 1, 0.0);
        for (std::size_t u = 0; u < U; ++u) sums[rc[u]] += value(u);
        double worst = 0.0;
        for (std::size_t k = 0; k <= R; ++k)
            if (row_known[k])
                worst = std::max(worst, std::abs(sums[k] - std::max(0.0, row_target[k])) / std::max(1.0, row_target[k]));
        return worst;
    };
    // A row class without cells has no sum to meet (its target is 0 after its printed cells).
    for (std::size_t k = 0; k <= R; ++k) row_target[k] = std::max(0.0, row_target[k]);
    for (std::size_t k = 0; k <= C; ++k) col_target[k] = std::max(0.0, col_target[k]);
    {
        std::vector<char> row_has(R + 1, 0);
        for (std::size_t u = 0; u < U; ++u) row_has[rc[u]] = 1;
        for (std::size_t k = 0; k <= R; ++k)
            if (!row_has[k]) row_known[k] = 0;
        std::vector<char> col_has(C + 1, 0);
        for (std::size_t u = 0; u < U; ++u) col_has[cc[u]] = 1;
        for (std::size_t k = 0; k <= C; ++k)
            if (!col_has[k]) col_known[k] = 0;
    }
    for (int it = 0; it < 1000; ++it) {
        pass(ma, mb, rc, cc, row_known, row_target, row_capped, row_members);
        pass(mb, ma, cc, rc, col_known, col_target, col_capped, col_members);
        if (row_residual() < 1e-12) break;  // the columns are met by the last pass
    }
    std::vector<double> x(U);
    for (std::size_t u = 0; u < U; ++u) x[u] = value(u);
    for (std::size_t u = 0; u < unknown.size(); ++u) {
        const std::size_t c = unknown[u] % C;
        e.values[unknown[u]] = x[u];
        e.filled[unknown[u]] = 1;
        e.col_filled[c] += x[u];
        ++e.col_cells_filled[c];
        e.total_filled += x[u];
    }
    e.cells_filled = unknown.size();
    set_totals();
    return e;
}

PublishedEstimate estimate_rows(const PublishedEstimate& e, const std::vector<std::size_t>& rows) {
    PublishedEstimate p;
    p.rows = rows.size();
    p.cols = e.cols;
    p.values.reserve(p.rows * p.cols);
    p.filled.reserve(p.rows * p.cols);
    p.col_filled.assign(p.cols, 0.0);
    p.col_cells_filled.assign(p.cols, 0);
    p.col_totals.assign(p.cols, 0.0);
    p.col_total_withheld = e.col_total_withheld;
    for (const std::size_t r : rows) {
        p.row_totals.push_back(e.row_totals[r]);
        p.row_total_withheld.push_back(e.row_total_withheld[r]);
        for (std::size_t c = 0; c < e.cols; ++c) {
            const double v = e.at(r, c);
            const char f = e.filled[r * e.cols + c];
            p.values.push_back(v);
            p.filled.push_back(f);
            p.col_totals[c] += v;
            if (f) {
                p.col_filled[c] += v;
                ++p.col_cells_filled[c];
                p.total_filled += v;
                ++p.cells_filled;
            }
        }
    }
    return p;
}

double filled_share(const PublishedEstimate& e, const std::vector<std::size_t>& cols) {
    double filled = 0.0, total = 0.0;
    for (const std::size_t c : cols) {
        if (c >= e.cols) continue;
        filled += e.col_filled[c];
        if (c < e.col_totals.size()) {
            total += e.col_totals[c];
        } else {
            for (std::size_t r = 0; r < e.rows; ++r) total += e.at(r, c);
        }
    }
    return total > 0 ? filled / total : 0.0;
}

EstimateUse estimate_use(const ProtectedTable& cells, const PublishedEstimate& e, const std::vector<std::size_t>& cols) {
    PublishedEstimate with_totals;  // e's flags as `cells` publishes its group totals
    const PublishedEstimate* src = &e;
    if (e.col_total_withheld.size() != e.cols) {
        with_totals = e;
        with_totals.col_total_withheld.assign(e.cols, 0);
        for (std::size_t c = 0; c < e.cols && c < cells.cols(); ++c)
            with_totals.col_total_withheld[c] = cells.col_total(c).suppressed() ? 1 : 0;
        src = &with_totals;
    }
    return estimate_use(*src, cols);
}

EstimateUse estimate_use(const PublishedEstimate& e, const std::vector<std::size_t>& cols) {
    EstimateUse u;
    std::vector<std::size_t> all;
    if (cols.empty())
        for (std::size_t c = 0; c < e.cols; ++c) all.push_back(c);
    const std::vector<std::size_t>& read = cols.empty() ? all : cols;
    std::size_t cells_filled = 0;
    for (const std::size_t c : read)
        if (c < e.cols) cells_filled += e.col_cells_filled[c];
    u.estimated = cells_filled > 0;
    u.filled_share = filled_share(e, read);
    if (!u.estimated) return u;
    char pct[32];
    std::snprintf(pct, sizeof pct, "%.1f", 100.0 * u.filled_share);
    if (read.size() == 1 && read.front() < e.col_total_withheld.size() && e.col_total_withheld[read.front()]) {
        u.withheld = true;
        u.reason_zh = "该群体总数不公开";
        u.reason_en = "the group's total is withheld";
    } else if (u.filled_share > kMaxFilledShare) {
        u.withheld = true;
        u.reason_zh = std::string("所读居民中 ") + pct + " % 在不公开的格中（超过一半），估算主要是填补值";
        u.reason_en = std::string(pct) + " % of the residents it reads are in withheld cells (more than half): the "
                      "estimate would mostly be the fill";
    }
    return u;
}

EstimateNote estimate_note(double filled_share, bool up_to, const std::string& extra_zh, const std::string& extra_en) {
    char pct[32];
    std::snprintf(pct, sizeof pct, "%.1f", 100.0 * filled_share);
    EstimateNote n;
    n.zh = std::string("“≈”：由公开表计算，不公开的格按公开总数填补，所读居民中") + (up_to ? "至多 " : " ") + pct +
           " % 为填补值" + extra_zh + "（见 docs/privacy.md）";
    n.en = std::string("\"≈\": computed from the published table with withheld cells filled from the published totals; ") +
           (up_to ? "up to " : "") + pct + " % of the residents it reads were filled" + extra_en + " (docs/privacy.md)";
    return n;
}

}  // namespace hq::privacy
