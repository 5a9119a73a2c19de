// Project tables through disclosure control (docs/privacy.md).
#include "geo/privacy/tables.hpp"

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

}  // namespace hq::privacy
