// Kernel density heatmaps (geo/stats/kde): checked cell by cell against QGIS's heatmap
// formulas (src/analysis/raster/qgskde.cpp, with the quartic constant as fixed in QGIS PR
// #60631), hand-worked cells, unit integrals, thread-count independence and spreading.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "geo/core/error.hpp"
#include "geo/core/parallel.hpp"
#include "geo/geometry/types.hpp"
#include "geo/stats/kde.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

using hq::Kernel;
using hq::KdeOutput;

const std::vector<Kernel> kAllKernels{Kernel::Quartic, Kernel::Triweight, Kernel::Epanechnikov,
                                      Kernel::Uniform, Kernel::Triangular, Kernel::Gaussian};

/// QGIS's kernel functions written out as qgskde.cpp has them (raw and scaled), for the five
/// kernels QGIS has. Quartic scaled: k = 16/(5πr²) (QGIS PR #60631; before 2025 QGIS had 116).
double qgis_kernel(Kernel shape, KdeOutput out, double d, double r) {
    if (d > r) return 0.0;  // "is pixel outside search bandwidth of feature?"
    const double pi = std::numbers::pi;
    const bool scaled = out == KdeOutput::Scaled;
    switch (shape) {
        case Kernel::Uniform: return scaled ? (2.0 / (pi * r)) * (0.5 / r) : 1.0;
        case Kernel::Quartic: {
            const double raw = std::pow(1.0 - std::pow(d / r, 2), 2);
            return scaled ? 16.0 / (5.0 * pi * r * r) * (15.0 / 16.0) * raw : raw;
        }
        case Kernel::Triweight: {
            const double raw = std::pow(1.0 - std::pow(d / r, 2), 3);
            return scaled ? 128.0 / (35.0 * pi * r * r) * (35.0 / 32.0) * raw : raw;
        }
        case Kernel::Epanechnikov: {
            const double raw = 1.0 - std::pow(d / r, 2);
            return scaled ? 8.0 / (3.0 * pi * r * r) * (3.0 / 4.0) * raw : raw;
        }
        case Kernel::Triangular: {  // decay ratio 0
            const double raw = 1.0 - d / r;
            return scaled ? 3.0 / (pi * r * r) * raw : raw;
        }
        case Kernel::Gaussian: break;
    }
    FAIL("QGIS has no such kernel");
    return 0.0;
}

struct Pt {
    double x, y, w;
};

// Three hand-placed points; x and y both span 4, so with radius 2.5 and pixel 1 the
// extent is [-2.5, 6.5]² and QGIS's grid is ceil(9/1) + 1 = 10 columns and rows.
const std::vector<Pt> kThree{{0.0, 0.0, 1.0}, {4.0, 1.5, 2.0}, {2.2, 4.0, 1.5}};

void split(const std::vector<Pt>& pts, std::vector<hq::Vec2>& p, std::vector<double>& w) {
    p.clear();
    w.clear();
    for (const auto& q : pts) {
        p.push_back({q.x, q.y});
        w.push_back(q.w);
    }
}

double integral(const hq::Grid& g) {
    double s = 0.0;
    for (double v : g.values) s += v;
    return s * g.pixel * g.pixel;
}

}  // namespace

TEST_CASE("KDE grid matches the QGIS formula cell by cell on three points", "[kde]") {
    std::vector<hq::Vec2> p;
    std::vector<double> w;
    split(kThree, p, w);
    for (Kernel k : {Kernel::Quartic, Kernel::Triweight, Kernel::Epanechnikov, Kernel::Uniform, Kernel::Triangular}) {
        for (KdeOutput out : {KdeOutput::Raw, KdeOutput::Scaled}) {
            hq::KdeOptions o;
            o.radius = 2.5;
            o.pixel = 1.0;
            o.kernel = k;
            o.output = out;
            const hq::Grid g = hq::kde(p, w, o);
            INFO("kernel " << hq::kernel_name(k) << (out == KdeOutput::Raw ? " raw" : " scaled"));
            // QGIS geotransform: {xmin − r, pixel, 0, ymax + r, 0, −pixel}.
            REQUIRE(g.width == 10);
            REQUIRE(g.height == 10);
            REQUIRE(g.origin_x == -2.5);
            REQUIRE(g.origin_y == 6.5);
            int nonzero = 0;
            for (int row = 0; row < 10; ++row) {
                for (int col = 0; col < 10; ++col) {
                    const double cx = -2.5 + (col + 0.5) * 1.0;
                    const double cy = 6.5 - (row + 0.5) * 1.0;
                    double expected = 0.0;
                    for (const auto& q : kThree)
                        expected += q.w * qgis_kernel(k, out, std::hypot(cx - q.x, cy - q.y), 2.5);
                    INFO("cell " << col << "," << row);
                    CHECK_THAT(g.at(col, row), WithinAbs(expected, 1e-15) || WithinRel(expected, 1e-12));
                    if (expected > 0) ++nonzero;
                }
            }
            CHECK(nonzero > 30);  // the test covers real overlap, not an empty grid
        }
    }
}

TEST_CASE("KDE hand-worked cells", "[kde]") {
    std::vector<hq::Vec2> p;
    std::vector<double> w;
    split(kThree, p, w);
    hq::KdeOptions o;
    o.radius = 2.5;
    o.pixel = 1.0;
    const hq::Grid raw = hq::kde(p, w, o);
    // Cell (col 4, row 5): centre (−2.5 + 4.5, 6.5 − 5.5) = (2, 1).
    //   to (0,0): d² = 4 + 1 = 5,       (1 − 5/6.25)²    = 0.2² = 0.04, weight 1
    //   to (4,1.5): d² = 4 + 0.25 = 4.25, (1 − 4.25/6.25)² = 0.32² = 0.1024, weight 2
    //   to (2.2,4): d² = 0.04 + 9 > 6.25, outside
    //   raw = 0.04 + 2·0.1024 = 0.2448
    CHECK_THAT(raw.at(4, 5), WithinRel(0.2448, 1e-12));
    // Cell (4, 2): centre (2, 4), 0.2 from (2.2, 4): 1.5·(1 − 0.04/6.25)² = 1.5·0.9936² = 1.48086144;
    // the other points are √20 and √10.25 > 2.5 away.
    CHECK_THAT(raw.at(4, 2), WithinRel(1.48086144, 1e-12));
    // Scaled quartic: × 3/(π·2.5²) = 0.48/π → 0.2448·0.48/π = 0.0374026848661401
    o.output = KdeOutput::Scaled;
    const hq::Grid scaled = hq::kde(p, w, o);
    CHECK_THAT(scaled.at(4, 5), WithinRel(0.0374026848661401, 1e-12));
    // Cell (0, 0): centre (−2, 6) is > 2.5 from every point: 0 (not NoData).
    CHECK(scaled.at(0, 0) == 0.0);
}

TEST_CASE("Kernel constants and the Gaussian kernel", "[kde]") {
    const double r = 7.0, pi = std::numbers::pi;
    CHECK_THAT(hq::kernel_scale(Kernel::Quartic, KdeOutput::Scaled, r), Catch::Matchers::WithinRel(3.0 / (pi * 49.0), 1e-12));
    CHECK_THAT(hq::kernel_scale(Kernel::Triweight, KdeOutput::Scaled, r), Catch::Matchers::WithinRel(4.0 / (pi * 49.0), 1e-12));
    CHECK_THAT(hq::kernel_scale(Kernel::Epanechnikov, KdeOutput::Scaled, r), Catch::Matchers::WithinRel(2.0 / (pi * 49.0), 1e-12));
    CHECK_THAT(hq::kernel_scale(Kernel::Uniform, KdeOutput::Scaled, r), Catch::Matchers::WithinRel(1.0 / (pi * 49.0), 1e-12));
    CHECK_THAT(hq::kernel_scale(Kernel::Triangular, KdeOutput::Scaled, r), Catch::Matchers::WithinRel(3.0 / (pi * 49.0), 1e-12));
    // Gaussian, σ = r/3, truncated at r: raw exp(−(3d/r)²/2); at d = r/3: exp(−0.5) = 0.6065306597126334.
    CHECK_THAT(hq::kernel_value(Kernel::Gaussian, KdeOutput::Raw, r / 3.0, r), WithinRel(0.6065306597126334, 1e-14));
    CHECK(hq::kernel_value(Kernel::Gaussian, KdeOutput::Raw, r * 1.0001, r) == 0.0);
    // Scaled: 1 / ∫_disc = 4.5 / (π r² (1 − e^−4.5)); for r = 7: 4.5/(49π·0.98889100346175773).
    CHECK_THAT(hq::kernel_scale(Kernel::Gaussian, KdeOutput::Scaled, r), WithinRel(4.5 / (49.0 * pi * 0.98889100346175773), 1e-14));
    for (Kernel k : kAllKernels) {
        CHECK(hq::kernel_value(k, KdeOutput::Raw, 0.0, r) == 1.0);
        CHECK(hq::kernel_from_name(hq::kernel_name(k)) == k);
    }
    CHECK_FALSE(hq::kernel_from_name("biweight"));
}

TEST_CASE("Scaled output integrates to the total weight for every kernel", "[kde]") {
    std::vector<hq::Vec2> p{{100.0, 200.0}, {130.0, 215.0}, {90.0, 260.0}, {170.0, 170.0}};
    std::vector<double> w{1.0, 2.5, 4.0, 0.5};
    const double total = 8.0;
    for (Kernel k : kAllKernels) {
        hq::KdeOptions o;
        o.radius = 25.0;
        o.pixel = 1.0;
        o.kernel = k;
        o.output = KdeOutput::Scaled;
        const hq::Grid g = hq::kde(p, w, o);
        INFO("kernel " << hq::kernel_name(k));
        // Riemann sum at cell centres; the uniform kernel's disc edge costs ~1/r.
        CHECK_THAT(integral(g), WithinRel(total, k == Kernel::Uniform ? 0.02 : 0.002));
    }
}

TEST_CASE("Fast KDE equals the naive sum and does not depend on the thread count", "[kde]") {
    hq::Rng rng(42, 0);
    std::vector<hq::Vec2> p;
    std::vector<double> w;
    for (int i = 0; i < 400; ++i) {
        p.push_back({3.4e5 + 1000.0 * rng.uniform(), 3.38e6 + 700.0 * rng.uniform()});
        w.push_back(static_cast<double>(rng.below(50)));
    }
    for (Kernel k : kAllKernels) {
        hq::KdeOptions o;
        o.radius = 60.0;
        o.pixel = 7.3;
        o.kernel = k;
        o.output = KdeOutput::Scaled;
        o.threads = 1;
        const hq::Grid one = hq::kde(p, w, o);
        o.threads = 2;
        const hq::Grid two = hq::kde(p, w, o);
        o.threads = 5;
        const hq::Grid five = hq::kde(p, w, o);
        INFO("kernel " << hq::kernel_name(k));
        CHECK(one.values == two.values);  // bit for bit
        CHECK(one.values == five.values);
        hq::Grid naive = one.like(0.0);
        hq::kde_accumulate_naive(naive, p, w, o);
        double worst = 0.0, top = 0.0;
        for (std::size_t i = 0; i < naive.values.size(); ++i) {
            worst = std::max(worst, std::abs(naive.values[i] - one.values[i]));
            top = std::max(top, naive.values[i]);
        }
        CHECK(top > 0.0);
        // UTM-sized coordinates: the two compute cell centres by different (equally valid)
        // roundings, ulp(3.4e5 m) ≈ 6e-11 m, so agreement is ~1e-12 relative, not exact.
        INFO("worst " << worst << " top " << top);
        CHECK(worst <= 1e-9 * top);
    }
}

TEST_CASE("The AVX2 cell loop gives the same bits as the plain one, for every kernel", "[kde]") {
    // geo/stats/kde.cpp builds the cell loop twice, plain and for AVX2 (no fused multiply-add):
    // the same operations per cell in the same order. 3,000 points at UTM-sized coordinates,
    // radii that do and do not fall on cell edges, weights with fractions.
    if (!__builtin_cpu_supports("avx2")) WARN("this CPU has no AVX2: both runs take the plain loop");
    hq::Rng rng(7, 0);
    std::vector<hq::Vec2> p;
    std::vector<double> w;
    for (int i = 0; i < 3000; ++i) {
        p.push_back({4.0e5 + 2000.0 * rng.uniform(), 3.39e6 + 1500.0 * rng.uniform()});
        w.push_back(1.0 + 9.0 * rng.uniform());
    }
    for (Kernel k : kAllKernels) {
        for (double radius : {50.0, 73.3}) {
            hq::KdeOptions o;
            o.radius = radius;
            o.pixel = 10.0;
            o.kernel = k;
            const hq::Grid fast = hq::kde(p, w, o);
            const bool before = hq::detail::kde_allow_avx2(false);
            const hq::Grid plain = hq::kde(p, w, o);
            hq::detail::kde_allow_avx2(before);
            INFO("kernel " << hq::kernel_name(k) << ", radius " << radius);
            REQUIRE(fast.values.size() == plain.values.size());
            CHECK(fast.values == plain.values);  // bit for bit
            CHECK(*std::max_element(fast.values.begin(), fast.values.end()) > 0.0);
        }
    }
}

TEST_CASE("Points outside a given extent still reach it, bad input is refused", "[kde]") {
    hq::KdeOptions o;
    o.radius = 10.0;
    o.pixel = 1.0;
    o.extent = hq::Box{0.0, 0.0, 4.0, 4.0};
    // A point 3 m left of the grid reaches its first column: cell (0, 2) has centre
    // (0.5, 4 − 2.5 = 1.5), 3.5 m from (−3, 1.5).
    const hq::Grid g = hq::kde({{-3.0, 1.5}}, {}, o);
    CHECK(g.width == 5);
    CHECK_THAT(g.at(0, 2), Catch::Matchers::WithinRel(std::pow(1.0 - 3.5 * 3.5 / 100.0, 2), 1e-12));

    hq::KdeOptions bad;
    bad.radius = 0.0;
    bad.pixel = 1.0;
    CHECK_THROWS_AS(hq::kde({{0, 0}}, {}, bad), hq::InputError);
    bad.radius = 5.0;
    bad.pixel = -1.0;
    CHECK_THROWS_AS(hq::kde({{0, 0}}, {}, bad), hq::InputError);
    bad.pixel = 1.0;
    CHECK_THROWS_AS(hq::kde({}, {}, bad), hq::InputError);
    CHECK_THROWS_AS(hq::kde({{0, 0}}, {std::nan("")}, bad), hq::InputError);
    CHECK_THROWS_AS(hq::kde({{0, 0}, {1, 1}}, {1.0}, bad), hq::InputError);
    bad.pixel = 1e-4;
    bad.radius = 1e3;
    CHECK_THROWS_AS(hq::kde({{0, 0}}, {}, bad), hq::InputError);  // 2e7 × 2e7 cells
}

TEST_CASE("KDE can be cancelled", "[kde]") {
    std::atomic<bool> cancel{true};
    hq::Progress progress({}, &cancel);
    hq::KdeOptions o;
    o.radius = 10.0;
    o.pixel = 1.0;
    CHECK_THROWS_AS(hq::kde({{0, 0}, {5, 5}}, {}, o, progress), hq::Cancelled);
    CHECK_THROWS_AS(hq::kde_groups({{{0, 0}}, {{5, 5}}}, {{1.0}, {1.0}}, o, progress), hq::Cancelled);
    // Raised while the first group runs: the callback sees it and the run stops.
    std::atomic<bool> later{false};
    int reports = 0;
    hq::Progress p2([&](double, std::string_view) { if (++reports == 1) later = true; }, &later);
    o.threads = 1;
    std::vector<hq::Vec2> many(2000, hq::Vec2{0, 0});
    CHECK_THROWS_AS(hq::kde_groups({many, many}, {{}, {}}, o, p2), hq::Cancelled);
}

TEST_CASE("Spreading polygon counts conserves the total", "[kde]") {
    // Two 100 m × 60 m blocks side by side and a 1 m × 1 m kiosk (too small for the sub-grid).
    const auto rect = [](double x0, double y0, double x1, double y1) {
        return hq::Geometry::polygon({{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}});
    };
    std::vector<hq::Geometry> units{rect(0, 0, 100, 60), rect(100, 0, 200, 60), rect(300.5, 0.5, 301.5, 1.5)};
    std::vector<double> counts{120.0, 37.0, 5.0};
    const double total = 162.0;

    const hq::WeightedPoints area = hq::spread_over_area(units, counts, 5.0);
    double s = 0.0;
    for (double x : area.weights) s += x;
    CHECK_THAT(s, WithinRel(total, 1e-12));
    // Block 1 holds 20 × 12 sub-grid points (x = 2.5, 7.5, ..., 97.5), each 120/240 = 0.5.
    std::size_t in_first = 0;
    for (std::size_t i = 0; i < area.points.size(); ++i)
        if (area.source[i] == 0) {
            ++in_first;
            CHECK(area.weights[i] == 0.5);
        }
    CHECK(in_first == 240);

    // Buildings: two in block 1 (weights 1 and 3), none in block 2 (falls back to its area),
    // one in the kiosk.
    std::vector<hq::Geometry> buildings{rect(10, 10, 20, 20), rect(50, 30, 70, 50), rect(300.7, 0.7, 301.3, 1.3)};
    std::vector<std::uint32_t> fallback;
    const hq::WeightedPoints bld =
        hq::spread_over_buildings(units, counts, buildings, {1.0, 3.0, 1.0}, 5.0, &fallback);
    s = 0.0;
    for (double x : bld.weights) s += x;
    CHECK_THAT(s, WithinRel(total, 1e-12));
    REQUIRE(fallback.size() == 1);
    CHECK(fallback[0] == 1);
    REQUIRE(bld.points.size() >= 3);
    CHECK_THAT(bld.weights[0], Catch::Matchers::WithinRel(30.0, 1e-12));  // 120 · 1/4
    CHECK_THAT(bld.weights[1], Catch::Matchers::WithinRel(90.0, 1e-12));  // 120 · 3/4
    CHECK_THAT(bld.points[0].x, WithinAbs(15.0, 5.0));

    // Both spreads give the same mass on the map: scaled integrals equal the total.
    hq::KdeOptions o;
    o.radius = 30.0;
    o.pixel = 2.0;
    o.output = KdeOutput::Scaled;
    CHECK_THAT(integral(hq::kde(area.points, area.weights, o)), WithinRel(total, 0.01));
    CHECK_THAT(integral(hq::kde(bld.points, bld.weights, o)), WithinRel(total, 0.01));

    CHECK_THROWS_AS(hq::spread_over_area(units, {1.0, -1.0, 0.0}, 5.0), hq::InputError);
    CHECK_THROWS_AS(hq::spread_over_area(units, {1.0, 1.0}, 5.0), hq::InputError);
}

TEST_CASE("Group shares and mixing surfaces", "[kde]") {
    // Group A: weight 1 at (0,0); group B: weight 3 at (0,0). Wherever the kernel reaches,
    // share A = 1/4; Simpson 1 − (1/16 + 9/16) = 0.375;
    // entropy −(¼ ln ¼ + ¾ ln ¾) = 0.5623351446188083; / ln 2 = 0.8112781244591328.
    hq::KdeOptions o;
    o.radius = 5.0;
    o.pixel = 1.0;
    const auto groups = hq::kde_groups({{{0, 0}}, {{0, 0}}}, {{1.0}, {3.0}}, o);
    REQUIRE(groups.size() == 2);
    const hq::Grid total = hq::sum_grids(groups);
    const hq::Grid share = hq::local_share(groups[0], total);
    const hq::Grid simpson = hq::mixing_surface(groups, hq::MixingIndex::Simpson);
    const hq::Grid entropy = hq::mixing_surface(groups, hq::MixingIndex::Entropy);
    const hq::Grid norm = hq::mixing_surface(groups, hq::MixingIndex::EntropyNormalised);
    int inside = 0, outside = 0;
    for (std::size_t i = 0; i < total.values.size(); ++i) {
        if (total.values[i] > 0.0) {
            ++inside;
            CHECK_THAT(share.values[i], WithinRel(0.25, 1e-12));
            CHECK_THAT(simpson.values[i], WithinRel(0.375, 1e-12));
            CHECK_THAT(entropy.values[i], WithinRel(0.5623351446188083, 1e-12));
            CHECK_THAT(norm.values[i], WithinRel(0.8112781244591328, 1e-12));
        } else {
            ++outside;
            CHECK(std::isnan(share.values[i]));
            CHECK(std::isnan(simpson.values[i]));
        }
    }
    CHECK(inside > 50);
    CHECK(outside > 0);  // the corners of the 11 × 11 grid are out of reach
    CHECK_THROWS_AS(hq::mixing_surface({groups[0]}, hq::MixingIndex::Simpson), hq::InputError);

    // Separated groups: a cell reached by only one group has share 1 and mixing 0.
    const auto apart = hq::kde_groups({{{0, 0}}, {{20, 0}}}, {{2.0}, {2.0}}, o);
    const hq::Grid e2 = hq::mixing_surface(apart, hq::MixingIndex::Entropy);
    const hq::Grid s2 = hq::local_share(apart[0], hq::sum_grids(apart));
    // Column of x = 0.5 (origin −5): col 5; row of y = 0.5 (origin 5): row 4.
    CHECK(e2.at(5, 4) == 0.0);
    CHECK(s2.at(5, 4) == 1.0);
}
