// Raster occlusion (issue 17 §5): a raster page leaves out unit polygons and pies that later
// pies paint over completely, and draws a partly covered pie inside the box of its pixels
// still visible. Expected results are worked out by hand from the geometry below (device
// pixels = user units here: scale 1, y down after MapTransform's flip).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>

#include "app/carto/scene.hpp"
#include "app/export/render.hpp"
#include "geo/project/project.hpp"
#include "tests/export/test_project.hpp"
#include "tests/test_support.hpp"

using namespace hq;

namespace {

carto::PieGlyph pie(double x, double y_down, float r, std::vector<std::pair<float, carto::Color>> slices) {
    carto::PieGlyph p;
    p.center = {x, -y_down};  // MapTransform flips y
    p.radius_px = r;
    p.slices = std::move(slices);
    return p;
}

Geometry square(double x0, double y0_down, double side) {
    Geometry g;
    Polygon poly;
    poly.rings.push_back({{x0, -y0_down}, {x0 + side, -y0_down}, {x0 + side, -(y0_down + side)},
                          {x0, -(y0_down + side)}, {x0, -y0_down}});
    g.polygons.push_back(poly);
    return g;
}

/// The composition map of tests/export/test_project.hpp (8 × 8 units, guard off: 64 pies).
carto::Scene composition_of_test_project(const test::TempDir& dir) {
    test::write_test_project(dir.path().string());
    const auto p = std::make_shared<const Project>(load_project(dir.path().string()));
    carto::MapRequest req = carto::parse_map_kind("composition");
    req.privacy_guard = false;
    return carto::build_scene(p, req);
}

exporter::RasterTarget target_200() {
    exporter::RasterTarget t;
    t.clip_x1 = 300;
    t.clip_y1 = 200;
    return t;
}

}  // namespace

TEST_CASE("raster occlusion: what later pies cover completely is left out, nothing else", "[export][hidden]") {
    const carto::Color grey = carto::Color::rgb(189, 189, 189), red = carto::Color::rgb(228, 26, 28),
                       blue = carto::Color::rgb(55, 126, 184);
    carto::Scene s;
    const Geometry under = square(45, 45, 10);   // inside B's disc (centre 50,50, r 20) by > 3 px
    const Geometry across = square(60, 45, 10);  // reaches x = 70 = B's rim: outside it partly
    s.polygons.resize(2);
    s.polygons[0].geometry = &under;
    s.polygons[1].geometry = &across;
    // Drawn in order: A, E1, E2, G1, B (last over A), C (two halves split by a vertical line
    // through x = 150), F (one slice of a half: the other half is a gap).
    s.pies.push_back(pie(50, 50, 5, {{1.0f, grey}}));                          // 0 A: under B
    s.pies.push_back(pie(150, 40, 3, {{1.0f, grey}}));                         // 1 E1: on C's edge ray
    s.pies.push_back(pie(162, 50, 3, {{1.0f, grey}}));                         // 2 E2: inside C's right half
    s.pies.push_back(pie(238, 50, 3, {{1.0f, grey}}));                         // 3 G1: in F's gap (left half)
    s.pies.push_back(pie(50, 50, 20, {{1.0f, grey}}));                         // 4 B
    s.pies.push_back(pie(150, 50, 20, {{0.5f, red}, {0.5f, blue}}));           // 5 C
    s.pies.push_back(pie(250, 50, 20, {{0.5f, red}}));                         // 6 F: right half only
    s.pies.push_back(pie(262, 50, 3, {{1.0f, grey}}));                         // 7 after F: drawn
    carto::MapTransform t;  // identity but for the y flip
    const exporter::RasterHidden h = exporter::raster_hidden(s, t, 1.0, target_200());
    REQUIRE(h.pies.size() == 8);
    CHECK(h.pies[0]);        // A's whole disc (r 5 + outline + margin ≈ 6.6 px) lies inside B's
    CHECK_FALSE(h.pies[1]);  // E1 straddles C's edge at angle -90°: those pixels mix two slices
    CHECK(h.pies[2]);        // E2: 12 px right of C's centre, 3 + 2 px from any edge, r 20
    CHECK_FALSE(h.pies[3]);  // G1 lies where F draws no slice
    CHECK_FALSE(h.pies[4]);
    CHECK_FALSE(h.pies[5]);
    CHECK_FALSE(h.pies[6]);
    CHECK_FALSE(h.pies[7]);
    CHECK(h.polygons[0]);
    CHECK_FALSE(h.polygons[1]);
    CHECK(h.count == 3);
    // The last pie is never covered: its box is all it can touch (centre ± r + outline 0.3 +
    // margin 0.25 + 1 → 262 ± 4.55, 50 ± 4.55).
    const exporter::PixelBox& last = h.pie_open[7];
    CHECK(last.x0 == 257);
    CHECK(last.x1 == 266);
    CHECK(last.y0 == 45);
    CHECK(last.y1 == 54);
    // B lies under nothing: its box is its whole disc; C and F likewise.
    CHECK(h.pie_open[4].x0 == static_cast<int>(std::floor(50 - 21.55)));
    CHECK(h.pie_open[4].y1 == static_cast<int>(std::floor(50 + 21.55)));

    SECTION("a clip that leaves part of a covered pie outside the fully covered pixels keeps it") {
        exporter::RasterTarget small = target_200();
        small.clip_x0 = 47;  // A's left pixels are no longer known to be covered
        const exporter::RasterHidden hc = exporter::raster_hidden(s, t, 1.0, small);
        CHECK_FALSE(hc.pies[0]);
        CHECK_FALSE(hc.polygons[0]);
    }
    SECTION("without pies nothing is left out") {
        carto::Scene only_polygons = s;
        only_polygons.pies.clear();
        CHECK(exporter::raster_hidden(only_polygons, t, 1.0, target_200()).count == 0);
    }
}

TEST_CASE("raster occlusion: a page of overlapping pies prints as without it, up to outline antialiasing",
          "[export][hidden]") {
    test::TempDir dir;
    carto::Scene s = composition_of_test_project(dir);
    REQUIRE(s.pies.size() == 64);
    // Pies four times their size: each overlaps its neighbours, as at city scale.
    for (auto& g : s.pies) g.radius_px *= 4;
    exporter::PageOptions o;
    o.dpi = 150;
    o.skip_hidden = false;
    const exporter::Image all = exporter::render_page_to_image(s, o);
    o.skip_hidden = true;
    const exporter::Image skipped = exporter::render_page_to_image(s, o);
    REQUIRE(all.rgba.size() == skipped.rgba.size());
    std::size_t differ = 0;
    int worst = 0;
    for (std::size_t i = 0; i < all.rgba.size(); i += 4) {
        int d = 0;
        for (std::size_t c = 0; c < 4; ++c) d = std::max(d, std::abs(all.rgba[i + c] - skipped.rgba[i + c]));
        if (d > 0) ++differ;
        worst = std::max(worst, d);
    }
    const std::size_t pixels = all.rgba.size() / 4;
    INFO(differ << " of " << pixels << " pixels differ, by at most " << worst);
    // Leaving out is exact; the boxes change how cairo splits an outline: a few levels on
    // antialiased outline pixels (12 of 255 and 0.13 % of the pixels on the 100k city).
    CHECK(worst <= 12);
    CHECK(differ * 100 <= pixels);
}

TEST_CASE("raster occlusion on vector pages: an SVG of overlapping pies drops the unit polygons under them",
          "[export][hidden][svg]") {
    test::TempDir dir;
    carto::Scene s = composition_of_test_project(dir);
    REQUIRE(std::count_if(s.polygons.begin(), s.polygons.end(),
                          [](const carto::FillPolygon& f) { return f.role == Role::Units; }) == 64);
    REQUIRE(s.pies.size() == 64);
    // One extra pie, last, over the whole map frame (A4 landscape: under 240 × 180 mm, so a
    // 600 px = 159 mm radius covers it from its centre).
    carto::PieGlyph cover;
    cover.center = s.extent.center();
    cover.radius_px = 600;
    cover.slices = {{1.0f, carto::Color::rgb(189, 189, 189)}};
    s.pies.push_back(cover);
    const auto count = [](const std::string& text, const std::string& what) {
        std::size_t n = 0;
        for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
        return n;
    };
    exporter::PageOptions o;
    o.skip_hidden = false;
    const std::string all_path = (dir.path() / "all.svg").string(), skipped_path = (dir.path() / "skipped.svg").string();
    exporter::write_map(s, o, all_path);
    o.skip_hidden = true;
    exporter::write_map(s, o, skipped_path);
    const std::string all = test::slurp(all_path), skipped = test::slurp(skipped_path);
    // Every unit polygon (fill and outline) and every pie (slices and outline) sits under
    // the cover: only the cover's own two paths and the page's other paths remain.
    const std::size_t paths_all = count(all, "<path"), paths_skipped = count(skipped, "<path");
    INFO(paths_all << " paths drawn in full, " << paths_skipped << " with hidden ones left out");
    CHECK(paths_all >= paths_skipped + 64 + 64 * 2);
}
