// Composition glyphs: pie or stacked bar, groups under a share merged into "other"
// (issue 5 §3). Expected slices are worked out by hand from tests/export/test_project.hpp:
//   lower-left 4 × 4 block: Alpha 40, Beta 30 (shares 4/7 ≈ 0.571, 3/7 ≈ 0.429);
//   courtyard Cc (in the block): Alpha 40, Beta 30, Gamma 3 (0.548, 0.411, 0.0411);
//   elsewhere: Alpha 3, Beta 30 (0.0909, 0.909); Hh (4 residents) suppressed: no glyph.
#include <catch2/catch.hpp>

#include <cmath>
#include <memory>

#include "app/carto/scene.hpp"
#include "app/export/render.hpp"
#include "geo/project/project.hpp"
#include "tests/export/test_project.hpp"
#include "tests/test_support.hpp"

using Catch::Matchers::WithinRel;

using namespace hq;

namespace {

std::shared_ptr<const Project> test_project(const test::TempDir& t) {
    test::write_test_project(t.path().string());
    return std::make_shared<const Project>(load_project(t.path().string()));
}

bool near(const std::uint8_t* p, const carto::Color& c, int tol = 8) {
    return std::abs(p[0] - static_cast<int>(std::lround(c.r * 255))) <= tol &&
           std::abs(p[1] - static_cast<int>(std::lround(c.g * 255))) <= tol &&
           std::abs(p[2] - static_cast<int>(std::lround(c.b * 255))) <= tol;
}

}  // namespace

TEST_CASE("composition glyphs merge groups under the threshold into one grey slice", "[export][glyph]") {
    test::TempDir t;
    const auto p = test_project(t);
    const Layer& units = *p->layer(Role::Units);
    carto::MapRequest req = carto::parse_map_kind("composition");
    // The threshold alone, guard off: with the guard on only published cells of the
    // protected units × groups table get a slice (tests/privacy reads the pies).
    req.privacy_guard = false;
    // threshold → slices of (an outside unit, a block unit, Cc)
    struct Case {
        double threshold;
        std::size_t outside, block, cc;
    };
    for (const Case& k : {Case{0.0, 2, 2, 3}, Case{0.03, 2, 2, 3}, Case{0.05, 2, 2, 3}, Case{0.1, 2, 2, 3},
                          Case{0.45, 2, 2, 2}, Case{0.6, 2, 1, 1}}) {
        INFO("threshold " << k.threshold);
        req.other_share = k.threshold;
        const carto::Scene s = carto::build_scene(p, req);
        REQUIRE(s.pies.size() == 64);  // guard off: Hh (4 residents) too
        for (const carto::PieGlyph& g : s.pies) {
            const std::string id = units.ids[g.feature];
            if (id == "Hh") continue;  // all Beta: one slice
            const int row = id[0] - 'A', col = id[1] - 'a';
            const std::size_t want = id == "Cc" ? k.cc : (row < 4 && col < 4 ? k.block : k.outside);
            INFO("unit " << id);
            CHECK(g.slices.size() == want);
            double sum = 0;
            for (const auto& [share, colour] : g.slices) sum += share;
            CHECK_THAT(sum, WithinRel(1.0, 1e-6));
        }
    }
    // 0.05 merges Cc's Gamma (0.041) but 0.03 keeps it: the last slice is grey "other" only then.
    req.other_share = 0.05;
    const carto::Scene merged = carto::build_scene(p, req);
    req.other_share = 0.03;
    req.privacy_guard = true;  // with the guard on, a small count's slice is always merged
    const carto::Scene kept_guarded = carto::build_scene(p, req);
    req.privacy_guard = false;
    const carto::Scene kept = carto::build_scene(p, req);
    req.privacy_guard = true;
    const carto::Color grey = carto::Color::rgb(189, 189, 189);
    const carto::Color gamma = carto::Color::hex(p->groups[2].color);
    for (std::size_t i = 0; i < merged.pies.size(); ++i) {
        if (units.ids[merged.pies[i].feature] != "Cc") continue;
        CHECK(merged.pies[i].slices.back().second == grey);
        CHECK_THAT(merged.pies[i].slices.back().first, WithinRel(3.0 / 73.0, 1e-6));
        CHECK(kept.pies[i].slices.back().second == gamma);
        CHECK(kept_guarded.pies[i].slices.back().second == grey);  // Cc's 3 Gamma: a small count
    }
    bool other_in_legend = false;
    for (const auto& e : merged.legend) other_in_legend |= e.label.find("5%") != std::string::npos;
    CHECK(other_in_legend);  // "其他（各占比<5%的民族）"
    // Out of range: a clear error.
    req.other_share = 1.0;
    CHECK_THROWS_AS(carto::build_scene(p, req), InputError);
    req.other_share = -0.1;
    CHECK_THROWS_AS(carto::build_scene(p, req), InputError);
    CHECK(carto::glyph_style_from_name("BAR") == carto::GlyphStyle::Bar);
    CHECK_FALSE(carto::glyph_style_from_name("donut"));
}

TEST_CASE("composition glyphs: a stacked bar shows the largest share at the bottom", "[export][glyph]") {
    test::TempDir t;
    const auto p = test_project(t);
    carto::MapRequest req = carto::parse_map_kind("composition");
    req.lang = carto::Lang::En;
    req.glyph = carto::GlyphStyle::Bar;
    const carto::Scene bars = carto::build_scene(p, req);
    req.glyph = carto::GlyphStyle::Pie;
    const carto::Scene pies = carto::build_scene(p, req);
    CHECK(bars.subtitle.find("Bars") != std::string::npos);
    REQUIRE(bars.pies.size() == pies.pies.size());
    const int w = 1000, h = 800;
    const exporter::Image bi = exporter::render_scene_to_image(bars, w, h);
    const exporter::Image pi = exporter::render_scene_to_image(pies, w, h);
    const carto::MapTransform tr = exporter::preview_transform(bars, w, h);
    std::size_t checked = 0;
    for (const carto::PieGlyph& g : bars.pies) {
        REQUIRE(g.style == carto::GlyphStyle::Bar);
        const Vec2 c = tr.apply(g.center);
        const double r = g.radius_px;  // preview: 1 px per glyph px
        if (r < 8) continue;
        const auto& bottom = g.slices.front();
        const auto& top = g.slices.back();
        ++checked;
        INFO("glyph at " << c.x << ", " << c.y << " r " << r);
        // Bottom and top of the bar: the first (largest) and the last slice (when at least
        // 4 px tall: Alpha's 9 % outside the block is 2 px).
        CHECK(near(bi.at(static_cast<int>(c.x), static_cast<int>(c.y + r - 2)), bottom.second));
        if (top.first * 2 * r >= 4) CHECK(near(bi.at(static_cast<int>(c.x), static_cast<int>(c.y - r + 2)), top.second));
        // Beside the bar (r/2 wide each side) but inside the pie: no slice colour in the bar
        // map, a slice colour in the pie map.
        const int sx = static_cast<int>(c.x + 0.8 * r), sy = static_cast<int>(c.y);
        bool pie_slice = false, bar_slice = false;
        for (const auto& [share, colour] : g.slices) {
            pie_slice |= near(pi.at(sx, sy), colour);
            bar_slice |= near(bi.at(sx, sy), colour);
        }
        CHECK(pie_slice);
        CHECK_FALSE(bar_slice);
    }
    CHECK(checked >= 60);
}
