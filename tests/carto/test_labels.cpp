// Map labels and wrapped text (issue 13 item 3): placement without overlaps, big units first;
// lines that never break inside a number. The viewer and the exporter use these functions.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "app/carto/labels.hpp"
#include "app/carto/scene.hpp"
#include "geo/project/project.hpp"
#include "tests/test_support.hpp"

using namespace hq;
using namespace hq::carto;

namespace {

/// Display width: 1 per ASCII byte, 2 per other character (a CJK glyph is about two Latin ones).
double columns(const std::string& s) {
    double w = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) w += 1;
        else if (c >= 0xC0) w += 2;
    }
    return w;
}

bool overlap(const Box& a, const Box& b) { return a.minx < b.maxx && b.minx < a.maxx && a.miny < b.maxy && b.miny < a.maxy; }

}  // namespace

TEST_CASE("wrap: break units keep numbers, units and brackets whole", "[labels][wrap]") {
    CHECK(wrap_units("面积0.28平方公里") == std::vector<std::string>{"面", "积", "0.28", "平", "方", "公", "里"});
    CHECK(wrap_units("0.28 km², 7,460 residents") == std::vector<std::string>{"0.28 ", "km², ", "7,460 ", "residents"});
    CHECK(wrap_units("（面积0.28）。") == std::vector<std::string>{"（面", "积", "0.28）。"});
    CHECK(wrap_units("“锅庄”活动") == std::vector<std::string>{"“锅", "庄”", "活", "动"});
    CHECK(wrap_units("").empty());
}

TEST_CASE("wrap: the Shuhan source note never breaks inside a number, at any width", "[labels][wrap]") {
    // The note the legend broke as "面积0 / . / 28平方公里" (issue 13).
    const Project p = load_project(test::shuhan());
    for (const std::string& note : {p.source_zh, p.source_en}) {
        REQUIRE(!note.empty());
        std::vector<std::string> numbers;
        const std::regex number(R"([0-9][0-9.,]*[0-9]|[0-9])");
        for (auto it = std::sregex_iterator(note.begin(), note.end(), number); it != std::sregex_iterator(); ++it)
            numbers.push_back(it->str());
        REQUIRE(numbers.size() >= 4);
        for (double width : {8.0, 13.0, 20.0, 31.0, 47.0, 80.0}) {
            const auto lines = wrap_lines(note, width, columns);
            std::string joined;
            for (const auto& l : lines) {
                // A line is wider than the width only when it is one unit too wide for any line.
                if (columns(l) > width) CHECK(wrap_units(l).size() == 1);
                joined += l;
            }
            INFO("width " << width);
            for (const auto& n : numbers) {
                const bool whole = std::any_of(lines.begin(), lines.end(),
                                               [&](const std::string& l) { return l.find(n) != std::string::npos; });
                INFO("number " << n);
                CHECK(whole);
            }
            // Nothing lost but the spaces at the breaks.
            std::string a = note, b = joined;
            a.erase(std::remove(a.begin(), a.end(), ' '), a.end());
            b.erase(std::remove(b.begin(), b.end(), ' '), b.end());
            CHECK(a == b);
        }
    }
}

TEST_CASE("labels: the bigger unit keeps its name when two of one priority collide", "[labels]") {
    const Box frame{0, 0, 100, 100};
    const std::vector<std::vector<Box>> c{{{10, 10, 30, 20}}, {{12, 12, 32, 22}}};
    CHECK(place_labels(c, {10, 10}, frame, {}, {50.0, 900.0}) == std::vector<int>{-1, 0});
    CHECK(place_labels(c, {10, 10}, frame, {}, {900.0, 50.0}) == std::vector<int>{0, -1});
}

TEST_CASE("labels: the Shuhan composition map's placed labels overlap neither each other nor a pie", "[labels]") {
    auto project = std::make_shared<const Project>(load_project(test::shuhan()));
    MapRequest r = parse_map_kind("composition");
    r.lang = Lang::Zh;
    const Scene s = build_scene(project, r);
    REQUIRE(s.labels.size() >= 32);
    // A 1000 px canvas, labels 16 px tall and 8 px per column (12 px glyphs with their halo).
    const MapTransform t = fit_extent(s.extent, 0, 0, 1000, 800);
    std::vector<LabelSize> sizes;
    for (const auto& l : s.labels) sizes.push_back({8 * columns(l.text), 16});
    const Box frame{0, 0, 1000, 800};
    const auto boxes = place_scene_labels(s, [&](Vec2 p) { return t.apply(p); }, 1.0, sizes, frame, 2.0);
    std::vector<Box> placed;
    for (const auto& b : boxes)
        if (b) placed.push_back(*b);
    INFO(placed.size() << " of " << s.labels.size() << " labels placed");
    CHECK(placed.size() >= 10);
    for (std::size_t i = 0; i < placed.size(); ++i) {
        CHECK(placed[i].minx >= 0);
        CHECK(placed[i].maxx <= 1000);
        for (std::size_t j = i + 1; j < placed.size(); ++j) CHECK_FALSE(overlap(placed[i], placed[j]));
        for (const auto& pie : s.pies) {
            const Vec2 c = t.apply(pie.center);
            const Box pb{c.x - pie.radius_px, c.y - pie.radius_px, c.x + pie.radius_px, c.y + pie.radius_px};
            CHECK_FALSE(overlap(placed[i], pb));
        }
    }
}
