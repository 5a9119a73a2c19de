// Classification breaks, ramps, colours, languages and label placement (app/carto).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "app/carto/classify.hpp"
#include "app/carto/labels.hpp"
#include "app/carto/ramps.hpp"
#include "app/carto/scene.hpp"

using Catch::Matchers::WithinRel;

using namespace hq;
using namespace hq::carto;

namespace {

/// Sum of squared deviations from the run means for runs ending at `ends`.
double ssd(const std::vector<double>& v, const std::vector<std::size_t>& ends) {
    double total = 0;
    std::size_t a = 0;
    for (std::size_t b : ends) {
        double m = 0;
        for (std::size_t i = a; i < b; ++i) m += v[i];
        m /= static_cast<double>(b - a);
        for (std::size_t i = a; i < b; ++i) total += (v[i] - m) * (v[i] - m);
        a = b;
    }
    return total;
}

/// Independent reference: every way to cut n sorted values into 3 non-empty runs.
double brute_force_best3(const std::vector<double>& v) {
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t i = 1; i + 1 < v.size(); ++i)
        for (std::size_t j = i + 1; j < v.size(); ++j) best = std::min(best, ssd(v, {i, j, v.size()}));
    return best;
}

}  // namespace

TEST_CASE("Jenks natural breaks on hand-worked sets", "[classify]") {
    // Three obvious clusters: the breaks are the cluster maxima.
    const std::vector<double> a{1, 2, 3, 10, 11, 12, 20, 21, 22};
    CHECK(class_breaks(a, Classification::NaturalBreaks, 3) == std::vector<double>{1, 3, 12, 22});
    // {1,2,4,5,7,9,10 | 20}: SSD 69.71 + 0 beats {1..9 | 10,20}: 45.33 + 50 (worked by hand).
    const std::vector<double> b{20, 1, 2, 4, 5, 7, 9, 10};
    CHECK(class_breaks(b, Classification::NaturalBreaks, 2) == std::vector<double>{1, 10, 20});
    // NaN is ignored; more classes than distinct values collapses.
    const std::vector<double> c{5, 5, std::nan(""), 7};
    CHECK(class_breaks(c, Classification::NaturalBreaks, 4) == std::vector<double>{5, 7});
}

TEST_CASE("Jenks equals an exhaustive search", "[classify]") {
    std::mt19937 gen(7);
    std::lognormal_distribution<double> d(0.0, 1.0);
    for (int trial = 0; trial < 20; ++trial) {
        std::vector<double> v(13);
        for (auto& x : v) x = std::round(d(gen) * 100) / 10;
        std::sort(v.begin(), v.end());
        const auto ends = jenks_run_ends(v, 3);
        REQUIRE(ends.size() == 3);
        CHECK_THAT(ssd(v, ends), WithinRel(brute_force_best3(v), 1e-12));
    }
}

TEST_CASE("quantile, equal interval and standard deviation breaks", "[classify]") {
    std::vector<double> v;
    for (int i = 1; i <= 10; ++i) v.push_back(i);
    // R: quantile(1:10, c(0, .25, .5, .75, 1)) = 1.00 3.25 5.50 7.75 10.00 (type 7).
    CHECK(class_breaks(v, Classification::Quantile, 4) == std::vector<double>{1, 3.25, 5.5, 7.75, 10});
    const std::vector<double> e{0, 10, 3};
    CHECK(class_breaks(e, Classification::EqualInterval, 5) == std::vector<double>{0, 2, 4, 6, 8, 10});
    // {2,4,4,4,5,5,7,9}: mean 5, sample sd sqrt(32/7) = 2.13809; edges at mean ± 0.5 sd and
    // mean + 1.5 sd (mean − 1.5 sd = 1.79 lies below the minimum).
    const std::vector<double> s{2, 4, 4, 4, 5, 5, 7, 9};
    const auto sd = class_breaks(s, Classification::StdDev, 5);
    REQUIRE(sd.size() == 5);
    CHECK(sd[0] == 2);
    CHECK_THAT(sd[1], Catch::Matchers::WithinRel(5 - 0.5 * std::sqrt(32.0 / 7), 1e-12));
    CHECK_THAT(sd[2], Catch::Matchers::WithinRel(5 + 0.5 * std::sqrt(32.0 / 7), 1e-12));
    CHECK_THAT(sd[3], Catch::Matchers::WithinRel(5 + 1.5 * std::sqrt(32.0 / 7), 1e-12));
    CHECK(sd[4] == 9);
}

TEST_CASE("class_of puts edge values in the lower class", "[classify]") {
    const std::vector<double> e{0, 2, 4, 6};
    CHECK(class_of(0, e) == 0);
    CHECK(class_of(2, e) == 0);
    CHECK(class_of(2.0001, e) == 1);
    CHECK(class_of(6, e) == 2);
    CHECK(class_of(std::nan(""), e) == -1);
    CHECK(class_of(1, {}) == -1);
}

TEST_CASE("colours, ramps and names", "[carto]") {
    CHECK(Color::hex("#c62828").to_hex() == "#c62828");
    // A float channel: 128/255 rounded to float is within 6e-8 relative of the double.
    CHECK_THAT(Color::hex("#ff000080").a, Catch::Matchers::WithinRel(128 / 255.0, 1e-6));
    CHECK(Color::hex("c62828") == Color{});
    CHECK(Color::hex("#zz0000") == Color{});
    // matplotlib viridis(0) and viridis(1); ColorBrewer YlOrRd 9-class ends.
    CHECK(ramp_at("viridis", 0).to_hex() == "#440154");
    CHECK(ramp_at("viridis", 1).to_hex() == "#fde725");
    const auto y = ramp_colors("YlOrRd", 9);
    CHECK(y.front().to_hex() == "#ffffcc");
    CHECK(y[4].to_hex() == "#fd8d3c");
    CHECK(y.back().to_hex() == "#800026");
    CHECK(ramp_at("ylorrd_r", 0).to_hex() == "#800026");
    CHECK_THROWS_AS(ramp_stops("rainbow"), InputError);
    CHECK(pick(Lang::Both, "藏族", "Tibetan") == "藏族 / Tibetan");
    CHECK(pick(Lang::Both, "Han", "Han") == "Han");
    CHECK(pick(Lang::En, "藏族", "") == "藏族");
    CHECK(lang_from_name("both") == Lang::Both);
    CHECK_FALSE(lang_from_name("fr"));
}

TEST_CASE("parse_map_kind", "[carto]") {
    CHECK(parse_map_kind("composition").kind == MapKind::Composition);
    const auto h = parse_map_kind("heatmap:pop_tibetan");
    CHECK(h.kind == MapKind::Heatmap);
    CHECK(h.group == "pop_tibetan");
    const auto i = parse_map_kind("index:multi_location_quotient:pop_yi");
    CHECK(i.index_id == "multi_location_quotient");
    CHECK(i.group == "pop_yi");
    CHECK_THROWS_AS(parse_map_kind("lisa"), InputError);
    CHECK_THROWS_AS(parse_map_kind("dominant:x"), InputError);
    CHECK_THROWS_AS(parse_map_kind("choropleth"), InputError);
}

TEST_CASE("privacy formatting", "[carto][privacy]") {
    // A map request's policy formats counts through geo/privacy.
    MapRequest r;
    auto lone = [&](double v) {
        const auto p = disclosure_policy(r);
        return privacy::count_text(privacy::lone_cell(v, p), p);
    };
    CHECK(lone(3) == "<5");
    CHECK(lone(0) == "<5");
    CHECK(lone(5) == "5");
    r.privacy_k = 10;
    CHECK(lone(9) == "<10");
    r.privacy_guard = false;
    CHECK(lone(3) == "3");
    CHECK(disclosure_policy(r).stamp() == "含小数值 / contains small counts");
    r.privacy_guard = true;
    CHECK(privacy_note(r).find("10") != std::string::npos);
}

TEST_CASE("labels: priority wins, overlaps are dropped, frame is respected", "[labels]") {
    const Box frame{0, 0, 100, 100};
    const std::vector<std::vector<Box>> c{
        {{10, 10, 30, 20}},                    // low priority, same place as the next one
        {{12, 12, 32, 22}},                    // high priority
        {{12, 12, 32, 22}, {12, 30, 32, 40}},  // medium: takes its second candidate
        {{90, 90, 110, 95}},                   // outside the frame
    };
    const auto chosen = place_labels(c, {1, 10, 5, 20}, frame);
    CHECK(chosen == std::vector<int>{-1, 0, 1, -1});
    // An obstacle blocks a candidate.
    CHECK(place_labels({{{0, 0, 10, 10}}}, {0}, frame, {{5, 5, 6, 6}}) == std::vector<int>{-1});
}

TEST_CASE("fit_extent keeps equal scale and centres the extent", "[carto]") {
    const Box e{1000, 2000, 1200, 2100};  // 200 × 100 m
    const MapTransform t = fit_extent(e, 0, 0, 400, 400, 0.0);
    CHECK_THAT(t.scale, Catch::Matchers::WithinRel(2.0, 1e-12));
    const Vec2 c = t.apply(e.center());
    CHECK_THAT(c.x, Catch::Matchers::WithinRel(200, 1e-12));
    CHECK_THAT(c.y, Catch::Matchers::WithinRel(200, 1e-12));
    const Vec2 top_left = t.apply({1000, 2100});
    CHECK_THAT(top_left.x, Catch::Matchers::WithinAbs(0.0, 1e-12));
    CHECK_THAT(top_left.y, Catch::Matchers::WithinRel(100, 1e-12));  // y down
    const Vec2 back = t.inverse(top_left);
    CHECK_THAT(back.x, Catch::Matchers::WithinRel(1000, 1e-12));
    CHECK_THAT(back.y, Catch::Matchers::WithinRel(2100, 1e-12));
}
