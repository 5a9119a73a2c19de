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

namespace {

/// Raw quartic kernel density (docs/heatmap.md: (1 − u²)² for d ≤ r) of `weights` at
/// `points`, on the grid of `like` (cell centres), written out here, not the product's kde.
std::vector<std::vector<double>> quartic_columns(const Grid& like, const std::vector<Vec2>& points, double radius) {
    std::vector<std::vector<double>> cols(points.size(), std::vector<double>(like.values.size(), 0.0));
    for (int row = 0; row < like.height; ++row)
        for (int c = 0; c < like.width; ++c) {
            const double x = like.origin_x + (c + 0.5) * like.pixel, y = like.origin_y - (row + 0.5) * like.pixel;
            for (std::size_t i = 0; i < points.size(); ++i) {
                const double d2 = (x - points[i].x) * (x - points[i].x) + (y - points[i].y) * (y - points[i].y);
                const double u2 = d2 / (radius * radius);
                if (u2 <= 1.0) cols[i][static_cast<std::size_t>(row) * like.width + c] = (1 - u2) * (1 - u2);
            }
        }
    return cols;
}

/// Least squares over the pixels: the unit counts x minimising |A x − band|² (normal equations,
/// Gaussian elimination with partial pivoting).
std::vector<double> least_squares(const std::vector<std::vector<double>>& a, const std::vector<double>& band) {
    const std::size_t n = a.size();
    std::vector<std::vector<double>> m(n, std::vector<double>(n + 1, 0.0));
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < n; ++j)
            for (std::size_t p = 0; p < band.size(); ++p) m[i][j] += a[i][p] * a[j][p];
        for (std::size_t p = 0; p < band.size(); ++p) m[i][n] += a[i][p] * band[p];
    }
    for (std::size_t c = 0; c < n; ++c) {
        std::size_t piv = c;
        for (std::size_t r = c + 1; r < n; ++r)
            if (std::abs(m[r][c]) > std::abs(m[piv][c])) piv = r;
        std::swap(m[c], m[piv]);
        for (std::size_t r = 0; r < n; ++r) {
            if (r == c) continue;
            const double f = m[r][c] / m[c][c];
            for (std::size_t j = c; j <= n; ++j) m[r][j] -= f * m[c][j];
        }
    }
    std::vector<double> x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = m[i][n] / m[i][i];
    return x;
}

std::string gdalinfo(const std::string& tif) {
    const auto r = sh::run("gdalinfo " + sh::q(tif) + " 2>&1");
    REQUIRE(r.code == 0);  // gdal-bin is a build dependency (docs/STACK)
    return r.out;
}

}  // namespace

TEST_CASE("privacy: heatmap's GeoTIFF is the kernel density of the published cells, and the raw one gives a small "
          "count back",
          "[privacy][density][outputs]") {
    test::TempDir t;
    test::write_test_project(t.path().string());
    const Project p = load_project(t.path().string());
    const auto table = analysis::group_count_table(p);
    const double radius = 80, pixel = 10;
    // One point per courtyard (its point on surface), the product's spreading rule; the
    // kernel below is the formula of docs/heatmap.md.
    analysis::SurfaceRequest sr;
    sr.spread = analysis::Spread::Centroid;
    const auto pts = analysis::spread_column(p, *table->layer, {}, "", sr).points.points;
    REQUIRE(pts.size() == 64);
    auto heatmap = [&](const std::string& group, const std::string& flags) {
        const std::string tif = t.file(group + (flags.empty() ? "" : "_raw") + ".tif");
        const auto r = sh::run(sh::q(sh::exe()) + " heatmap " + sh::q(t.path().string()) + " --group " + group +
                               " --radius 80 --pixel 10 --spread centroid --output-value raw --float64 " + flags +
                               " -o " + sh::q(tif) + " 2>&1");
        INFO(r.out);
        REQUIRE(r.code == 0);
        return tif;
    };

    SECTION("before (the guard off): least squares over Alpha's pixels gives every courtyard's count, 3s too") {
        const RasterFile f = read_geotiff(heatmap("pop_a", "--no-privacy-guard"));
        const auto a = quartic_columns(f.bands[0], pts, radius);
        const auto x = least_squares(a, f.bands[0].values);
        std::size_t small = 0;
        for (std::size_t i = 0; i < 64; ++i) {
            INFO("courtyard " << i);
            CHECK_THAT(x[i], WithinAbs(table->counts[0][i], 1e-3));
            small += table->counts[0][i] > 0 && table->counts[0][i] < 5;
        }
        CHECK(small == 47);  // the 3s outside the cluster (Hh holds 0)
        CHECK_THAT(gdalinfo(t.file("pop_a_raw.tif")), Contains("HUQIAN_PRIVACY_STAMP=含小数值 / contains small counts"));
    }
    SECTION("with the guard: Beta's band is the density of its published cells only") {
        const RasterFile f = read_geotiff(heatmap("pop_b", ""));
        const Grid& band = f.bands[0];
        const privacy::CellStates state = privacy::density_cells(table->counts, {});
        const auto a = quartic_columns(band, pts, radius);
        std::size_t published = 0;
        std::vector<double> expected(band.values.size(), 0.0);
        for (std::size_t i = 0; i < 64; ++i)
            if (state[1][i] == Suppression::None) {
                ++published;
                CHECK(table->counts[1][i] >= 5);
                for (std::size_t q = 0; q < expected.size(); ++q) expected[q] += table->counts[1][i] * a[i][q];
            }
        CHECK(published >= 1);
        CHECK(published < 64);
        for (std::size_t q = 0; q < expected.size(); ++q) CHECK_THAT(band.values[q], WithinAbs(expected[q], 1e-9));
        // Least squares now gives 0 for every withheld courtyard (Hh's 4 among them).
        const auto x = least_squares(a, band.values);
        for (std::size_t i = 0; i < 64; ++i)
            if (state[1][i] != Suppression::None) CHECK_THAT(x[i], WithinAbs(0.0, 1e-3));
        const std::string info = gdalinfo(t.file("pop_b.tif"));
        CHECK_THAT(info, Contains("HUQIAN_PRIVACY_GUARD=on"));
        CHECK_THAT(info, Contains("HUQIAN_PRIVACY_K=5"));
        CHECK_THAT(info, Contains("HUQIAN_DENSITY_NOTE_EN=counts below 5"));
        CHECK_THAT(info, Contains("HUQIAN_DENSITY_NOTE_ZH=小于5的计数"));
    }
}

TEST_CASE("privacy: heatmap refuses a group of fewer than k residents and one with no published cell, states k",
          "[privacy][density][outputs]") {
    test::TempDir t;
    test::write_test_project(t.path().string());
    const std::string base = sh::q(sh::exe()) + " heatmap " + sh::q(t.path().string()) + " --radius 80 --pixel 10 ";
    const auto gamma = sh::run(base + "--group pop_c -o " + sh::q(t.file("c.tif")) + " 2>&1");
    CHECK(gamma.code != 0);
    CHECK_THAT(gamma.out, Contains("group pop_c has fewer than 5 residents"));
    CHECK_THAT(gamma.out, Contains("总人数少于5"));
    // Alpha: every cell withheld by the units × groups table's protection (docs/privacy.md).
    const auto alpha = sh::run(base + "--group pop_a -o " + sh::q(t.file("a.tif")) + " 2>&1");
    CHECK(alpha.code != 0);
    CHECK_THAT(alpha.out, Contains("group pop_a: no count of it may be published"));
    // --weight naming a group is refused with the guard on.
    const auto w = sh::run(base + "--weight pop_c -o " + sh::q(t.file("w.tif")) + " 2>&1");
    CHECK(w.code != 0);
    CHECK_THAT(w.out, Contains("--weight pop_c is a group's count column: use --group pop_c"));
    // --privacy-k 10 is stated in the file; --no-privacy-guard draws Gamma and stamps it.
    const auto k10 = sh::run(base + "--group pop_b --privacy-k 10 -o " + sh::q(t.file("k.tif")) + " 2>&1");
    INFO(k10.out);
    REQUIRE(k10.code == 0);
    CHECK_THAT(gdalinfo(t.file("k.tif")), Contains("HUQIAN_PRIVACY_K=10"));
    const auto off = sh::run(base + "--group pop_c --no-privacy-guard -o " + sh::q(t.file("off.tif")) + " 2>&1");
    REQUIRE(off.code == 0);
    CHECK_THAT(off.out, Contains("privacy guard off"));
    const std::string info = gdalinfo(t.file("off.tif"));
    CHECK_THAT(info, Contains("HUQIAN_PRIVACY_GUARD=off"));
    CHECK_THAT(info, Contains("HUQIAN_PRIVACY_STAMP=含小数值 / contains small counts"));
}
