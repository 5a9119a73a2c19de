// Disclosure control's cost (docs/privacy.md): the tables `huqian report` protects, on
// Shuhan and on the 100k-unit synthetic city (36 groups). Prints one line per case with
// the best of a few runs. Usage: bench_privacy [SHUHAN_DIR]
#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <functional>
#include <numeric>
#include <string>
#include <vector>

#include "geo/privacy/tables.hpp"
#include "geo/project/project.hpp"
#include "geo/synth/synth.hpp"

namespace {

double best_ms(const std::function<void()>& f, int runs) {
    double best = 1e300;
    for (int r = 0; r < runs; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        best = std::min(best, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    return best;
}

/// The report's tables: the group totals, the focus group per unit beside the unit
/// totals (focus = the second largest group, as the report picks a minority), and one
/// zone's reach per group (a tenth of every unit reached).
void report_tables(const std::vector<std::vector<double>>& counts, std::size_t* suppressed) {
    const hq::privacy::DisclosurePolicy policy;
    const std::size_t ng = counts.size(), n = counts[0].size();
    std::vector<double> totals(ng), unit_totals(n, 0.0);
    for (std::size_t g = 0; g < ng; ++g) {
        totals[g] = std::accumulate(counts[g].begin(), counts[g].end(), 0.0);
        for (std::size_t i = 0; i < n; ++i) unit_totals[i] += counts[g][i];
    }
    std::vector<std::size_t> order(ng);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return totals[a] > totals[b]; });
    const std::size_t focus = order[ng > 1 ? 1 : 0];
    const auto groups = hq::privacy::group_totals_table(totals, policy);
    // As report.cpp: the unit totals as every output prints them; the focus group's column
    // from the units × groups table in a large project (the coarse rule), else beside them.
    const auto units = hq::privacy::unit_totals_table(unit_totals, groups);
    std::vector<hq::privacy::Cell> pins;
    for (std::size_t i = 0; i < n; ++i) pins.push_back(units.col_total(i));
    const auto courtyards = hq::privacy::large_table(n, ng)
                                ? hq::privacy::units_by_groups_table(counts, groups)
                                : hq::privacy::part_of_whole_table(counts[focus], unit_totals, policy, pins,
                                                                   &groups.col_total(focus), &groups.grand_total());
    std::vector<double> reached(ng);
    for (std::size_t g = 0; g < ng; ++g) reached[g] = std::round(totals[g] * 0.1);
    const auto reach = hq::privacy::reach_table(reached, groups);
    *suppressed = courtyards.suppressed(hq::privacy::Suppression::Primary) +
                  courtyards.suppressed(hq::privacy::Suppression::Secondary) +
                  groups.suppressed(hq::privacy::Suppression::Secondary) + reach.suppressed(hq::privacy::Suppression::Secondary);
}

std::vector<std::vector<double>> counts_of(const hq::Layer& l, const std::vector<std::string>& columns) {
    std::vector<std::vector<double>> c;
    for (const auto& col : columns) c.push_back(hq::read_counts(l, col));
    return c;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string shuhan = argc > 1 ? argv[1] : "data/shuhan";
    const hq::Project p = hq::load_project(shuhan);
    std::vector<std::string> cols;
    for (const auto& g : p.groups) cols.push_back(g.column);
    const auto sc = counts_of(*p.analysis_layer(), cols);
    std::size_t s = 0;
    const double ms_shuhan = best_ms([&] { report_tables(sc, &s); }, 20);
    std::printf("shuhan (32 units x %zu groups): report tables %.3f ms (%zu cells withheld)\n", sc.size(), ms_shuhan, s);
    std::fflush(stdout);

    hq::SynthOptions o;
    o.units = 100000;
    o.groups = 36;
    const hq::Layer city = hq::synth_city(o);
    cols.clear();
    for (int g = 0; g < o.groups; ++g) cols.push_back(hq::synth_group_column(g));
    const auto cc = counts_of(city, cols);
    const double ms_city = best_ms([&] { report_tables(cc, &s); }, 3);
    std::printf("city (100000 units x 36 groups): report tables %.1f ms (%zu cells withheld)\n", ms_city, s);
    // The full units × groups table (the viewer's inspector, the maps, the hand-off).
    std::vector<double> totals(cc.size(), 0.0);
    for (std::size_t g = 0; g < cc.size(); ++g)
        for (double v : cc[g]) totals[g] += v;
    const auto groups = hq::privacy::group_totals_table(totals, hq::privacy::DisclosurePolicy{});
    std::size_t w = 0;
    const double ms_full = best_ms(
        [&] {
            const auto t = hq::privacy::units_by_groups_table(cc, groups);
            w = t.suppressed(hq::privacy::Suppression::Secondary);
        },
        3);
    std::printf("city (100000 units x 36 groups): units x groups table (coarse rule) %.1f ms (%zu cells withheld)\n",
                ms_full, w);
    std::fflush(stdout);

    // The published estimate every index reads under the guard (privacy::published_estimate,
    // docs/privacy.md "Indices from the published table"), on the tables above.
    std::vector<double> stotals(sc.size(), 0.0);
    for (std::size_t g = 0; g < sc.size(); ++g)
        for (double v : sc[g]) stotals[g] += v;
    const auto shuhan_cells = hq::privacy::units_by_groups_table(
        sc, hq::privacy::group_totals_table(stotals, hq::privacy::DisclosurePolicy{}));
    std::size_t filled = 0;
    const double ms_est_shuhan =
        best_ms([&] { filled = hq::privacy::published_estimate(shuhan_cells).cells_filled; }, 20);
    std::printf("shuhan: published estimate %.3f ms (%zu cells filled)\n", ms_est_shuhan, filled);
    const auto city_cells = hq::privacy::units_by_groups_table(cc, groups);
    const double ms_est_city = best_ms([&] { filled = hq::privacy::published_estimate(city_cells).cells_filled; }, 3);
    std::printf("city (100000 units x 36 groups): published estimate %.1f ms (%zu cells filled)\n", ms_est_city, filled);
    return 0;
}
