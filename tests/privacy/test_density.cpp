// Densities under the privacy guard (issue 14, docs/privacy.md "Densities"): the cells a
// density may use (geo/privacy/density), checked against the auditor's LP; the GeoTIFF of
// `huqian heatmap` against a kernel density computed here from the published cells; the leak
// of the raw densities (least squares over the pixels gives a small count back); the flags.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "../export/test_project.hpp"
#include "../export/test_shell.hpp"
#include "../test_support.hpp"
#include "auditor.hpp"
#include "geo/analysis/counts.hpp"
#include "geo/analysis/surfaces.hpp"
#include "geo/io/raster.hpp"
#include "geo/privacy/density.hpp"
#include "geo/project/project.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using namespace hq;
namespace sh = hq::test::shell;
using privacy::Suppression;

namespace {

/// The auditor's reader of a units × groups table as the densities publish it: every cell
/// that enters a density exactly (least squares gives it back), "<5" / "x" for the others,
/// every group total and unit total of k or more exactly (info, the report's courtyard table).
audit::Model density_reader(const std::vector<std::vector<double>>& counts, const privacy::CellStates& state, int k) {
    audit::Model m(k);
    const std::size_t G = counts.size(), n = counts[0].size();
    std::vector<double> rows(n, 0.0);
    for (std::size_t g = 0; g < G; ++g) {
        std::vector<int> col;
        double total = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const int v = m.var("c" + std::to_string(g) + ":" + std::to_string(i));
            const Suppression s = state[g][i];
            const std::string text = s == Suppression::None      ? std::to_string(static_cast<int>(counts[g][i]))
                                     : s == Suppression::Primary ? "<" + std::to_string(k)
                                                                 : "x";
            m.count(v, text, "group " + std::to_string(g) + ", unit " + std::to_string(i));
            col.push_back(v);
            total += counts[g][i];
            rows[i] += counts[g][i];
        }
        if (total >= k) {
            const int t = m.var("T" + std::to_string(g));
            m.count(t, std::to_string(static_cast<int>(total)), "group total");
            m.sum(col, t);
        }
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (rows[i] < k) continue;
        std::vector<int> row;
        for (std::size_t g = 0; g < G; ++g) row.push_back(m.var("c" + std::to_string(g) + ":" + std::to_string(i)));
        const int t = m.var("U" + std::to_string(i));
        m.count(t, std::to_string(static_cast<int>(rows[i])), "unit total");
        m.sum(row, t);
    }
    return m;
}

privacy::CellStates primary_only(const std::vector<std::vector<double>>& counts, int k) {
    privacy::CellStates s(counts.size(), std::vector<Suppression>(counts[0].size(), Suppression::None));
    for (std::size_t g = 0; g < counts.size(); ++g)
        for (std::size_t i = 0; i < counts[g].size(); ++i)
            if (counts[g][i] < k) s[g][i] = Suppression::Primary;
    return s;
}

}  // namespace

TEST_CASE("privacy: a density's sums pin a withheld cell, and withhold_for_sums widens it (planted tables, LP auditor)",
          "[privacy][density]") {
    const privacy::DisclosurePolicy policy;  // k = 5
    // Hand-made: group 0's one small cell (2 in unit 2) is its column's only withheld cell:
    // the density's integral and the published total give it back (122 − 40 − 30 − 50 = 2).
    // Group 0's small cells 0, 1, 0 sum to S = 1 < k − 1: each is pinned to [0, 1].
    // Group 0's two small cells 4 and 4 sum to S = 8 = (2 − 1)·4 + 4: each pinned to [4, 4].
    const std::vector<std::vector<std::vector<double>>> tables = {
        {{40, 30, 2, 50}, {20, 25, 30, 35}},
        {{0, 1, 0, 50, 60}, {30, 30, 30, 30, 30}},
        {{4, 4, 50, 60}, {30, 30, 30, 30}},
    };
    for (std::size_t t = 0; t < tables.size(); ++t) {
        INFO("table " << t);
        const auto& counts = tables[t];
        privacy::CellStates state = primary_only(counts, policy.k);
        // Before: the reader narrows a small cell (the auditor's LP and the module's bounds agree).
        const auto before = density_reader(counts, state, policy.k).leaks();
        CHECK_FALSE(before.empty());
        const auto b0 = privacy::sum_intervals(counts, state, policy);
        bool narrowed = false;
        for (std::size_t g = 0; g < counts.size(); ++g)
            for (std::size_t i = 0; i < counts[g].size(); ++i)
                if (state[g][i] != Suppression::None)
                    narrowed = narrowed || b0[g][i].lo > 1e-9 || b0[g][i].hi < policy.k - 1 - 1e-9;
        CHECK(narrowed);
        // After: more cells withheld, and no withheld small cell narrower than 0..4 (LP).
        CHECK(privacy::withhold_for_sums(counts, state, {}, policy) > 0);
        const audit::Model after = density_reader(counts, state, policy.k);
        INFO(after.leaks().size() << " leaks, first: " << (after.leaks().empty() ? "" : after.leaks()[0]));
        CHECK(after.leaks().empty());
        const auto b1 = privacy::sum_intervals(counts, state, policy);
        for (std::size_t g = 0; g < counts.size(); ++g)
            for (std::size_t i = 0; i < counts[g].size(); ++i)
                if (state[g][i] != Suppression::None && counts[g][i] < policy.k) {
                    CHECK_THAT(b1[g][i].lo, WithinAbs(0.0, 1e-9));
                    CHECK(b1[g][i].hi >= policy.k - 1 - 1e-9);
                }
    }
}

TEST_CASE("privacy: density_cells on the hard project and Shuhan pass the LP auditor with every total published",
          "[privacy][density]") {
    test::TempDir t;
    test::write_test_project(t.path().string());
    for (const std::string path : {t.path().string(), std::string(HUQIAN_TEST_DATA) + "/../../data/shuhan"}) {
        INFO(path);
        const Project p = load_project(path);
        const auto table = analysis::group_count_table(p);
        const privacy::DisclosurePolicy policy;
        const privacy::CellStates state = privacy::density_cells(table->counts, policy);
        const auto leaks = density_reader(table->counts, state, policy.k).leaks();
        INFO(leaks.size() << " leaks, first: " << (leaks.empty() ? "" : leaks[0]));
        CHECK(leaks.empty());
        // The guard off: every cell enters.
        const privacy::CellStates off = privacy::density_cells(table->counts, {5, false});
        for (const auto& col : off)
            for (const Suppression s : col) CHECK(s == Suppression::None);
    }
}

TEST_CASE("privacy: density_cells is linear enough for a city (1M cells)", "[privacy][density]") {
    // 250,000 units × 4 groups, counts Poisson-like (many small ones): the coarse rule plus
    // withhold_for_sums; afterwards the module's bounds narrow no withheld small cell.
    std::mt19937 rng(14);
    std::vector<std::vector<double>> counts(4, std::vector<double>(250000));
    const double means[] = {40.0, 8.0, 3.0, 0.5};
    for (std::size_t g = 0; g < 4; ++g) {
        std::poisson_distribution<int> d(means[g]);
        for (double& v : counts[g]) v = d(rng);
    }
    const privacy::DisclosurePolicy policy;
    // Primary suppression then the sums' rule, nothing locked: no withheld small cell narrowed.
    privacy::CellStates state = primary_only(counts, policy.k);
    const auto t0 = std::chrono::steady_clock::now();
    privacy::withhold_for_sums(counts, state, {}, policy);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    WARN("withhold_for_sums, 1M cells: " << s << " s");
    auto narrowed_cells = [&](const privacy::CellStates& st) {
        const auto b = privacy::sum_intervals(counts, st, policy);
        std::vector<std::size_t> units;
        for (std::size_t g = 0; g < 4; ++g)
            for (std::size_t i = 0; i < counts[g].size(); ++i)
                if (st[g][i] != Suppression::None && counts[g][i] < policy.k &&
                    (b[g][i].lo > 1e-9 || b[g][i].hi < policy.k - 1 - 1e-9))
                    units.push_back(i);
        return units;
    };
    CHECK(narrowed_cells(state).empty());
    CHECK(s < 60.0);
    // density_cells: the groups without a small cell stay published (the inspector's coarse
    // rule publishes them whole), so a unit whose withheld cells are all small and whose other
    // cells lie in such groups stays narrowed by its published total (docs/privacy.md, "Large
    // tables": that leak is the coarse rule's, with or without the density). Every narrowed
    // cell is of that kind: its unit has no other published cell the rule could withhold.
    const privacy::CellStates dens = privacy::density_cells(counts, policy);
    for (const std::size_t i : narrowed_cells(dens)) {
        for (std::size_t g = 1; g < 4; ++g) CHECK(dens[g][i] != Suppression::None);
        CHECK(dens[0][i] == Suppression::None);
    }
    std::size_t small0 = 0;
    for (const double v : counts[0]) small0 += v < policy.k;
    REQUIRE(small0 == 0);  // group 0 (mean 40) has no small cell: locked published
}
