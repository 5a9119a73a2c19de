// Viewer logic without GL: camera math, label culling, the strings table, display helpers,
// and (when the viewer library is linked) GLU tessellation and outline extrusion.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "app/view/camera.hpp"
#include "geo/analysis/segregation.hpp"
#include "geo/stats/segregation.hpp"
#include "geo/stats/segregation_multigroup.hpp"
#include "geo/stats/segregation_spatial.hpp"
#include "app/view/format.hpp"
#include "app/view/inspect.hpp"
#include "app/carto/labels.hpp"
#include "app/view/strings.hpp"
#ifdef HUQIAN_HAVE_VIEWER
#include "app/view/mesh.hpp"
#include "app/view/tessellate.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
#endif

using hq::Box;
using hq::Vec2;
using namespace hq::view;

namespace {
Camera canvas_camera() {
    Camera c;
    c.set_canvas({320, 24}, {960, 750});
    c.center = {400000.0, 3400000.0};  // UTM-like magnitudes (STACK.md trap 3)
    c.scale = 2.0;
    return c;
}
}  // namespace

TEST_CASE("camera: world and screen round trip, y axis flipped", "[view][camera]") {
    const Camera c = canvas_camera();
    // Canvas centre is (320 + 480, 24 + 375) = (800, 399): the camera centre maps there.
    const Vec2 s = c.world_to_screen(c.center);
    CHECK_THAT(s.x, Catch::Matchers::WithinRel(800.0, 1e-12));
    CHECK_THAT(s.y, Catch::Matchers::WithinRel(399.0, 1e-12));
    // 10 m east and 10 m north at 2 px/m: 20 px right and 20 px up (screen y grows down).
    const Vec2 ne = c.world_to_screen({c.center.x + 10, c.center.y + 10});
    CHECK_THAT(ne.x, Catch::Matchers::WithinRel(820.0, 1e-12));
    CHECK_THAT(ne.y, Catch::Matchers::WithinRel(379.0, 1e-12));
    for (const Vec2 p : {Vec2{0, 0}, Vec2{333.25, 17.5}, Vec2{1279, 799}}) {
        const Vec2 back = c.world_to_screen(c.screen_to_world(p));
        CHECK_THAT(back.x, WithinAbs(p.x, 1e-6));
        CHECK_THAT(back.y, WithinAbs(p.y, 1e-6));
    }
}

TEST_CASE("camera: zoom at the cursor keeps the world point under the cursor", "[view][camera]") {
    Camera c = canvas_camera();
    const Vec2 cursor{1000.5, 200.25};
    const Vec2 before = c.screen_to_world(cursor);
    for (double f : {1.25, 1.25, 0.8, 3.0, 0.1}) {
        c.zoom_at(cursor, f);
        const Vec2 after = c.screen_to_world(cursor);
        CHECK_THAT(after.x, WithinRel(before.x, 1e-12));
        CHECK_THAT(after.y, WithinRel(before.y, 1e-12));
    }
    CHECK_THAT(c.scale, Catch::Matchers::WithinRel(2.0 * 1.25 * 1.25 * 0.8 * 3.0 * 0.1, 1e-12));
    // Zooming at the canvas centre does not move the centre.
    Camera d = canvas_camera();
    d.zoom_at(d.canvas_center(), 4.0);
    CHECK_THAT(d.center.x, Catch::Matchers::WithinRel(400000.0, 1e-12));
    CHECK_THAT(d.center.y, Catch::Matchers::WithinRel(3400000.0, 1e-12));
}

TEST_CASE("camera: a zoom preview puts every point of the old image where the new camera shows it",
          "[view][camera]") {
    // The renderer scales its cached map image into image_of(drawn) while a zoom is in
    // progress: a pixel at screen s of the old image lands, linearly, at
    // box.min + (s - canvas_min) * box.size / canvas_size. For any world point that must be
    // where the new camera draws it.
    const Camera drawn = canvas_camera();
    Camera now = drawn;
    now.zoom_at({1000.5, 200.25}, 1.25 * 1.25);
    now.pan_pixels(-40, 15);
    const Box box = now.image_of(drawn);
    CHECK_THAT(box.width(), Catch::Matchers::WithinRel(drawn.canvas_size.x * 1.5625, 1e-12));  // scaled by the zoom
    CHECK_THAT(box.height(), Catch::Matchers::WithinRel(drawn.canvas_size.y * 1.5625, 1e-12));
    for (const Vec2 w : {drawn.center, Vec2{399900.0, 3400050.0}, drawn.screen_to_world({12, 700})}) {
        const Vec2 s_old = drawn.world_to_screen(w);
        const Vec2 in_preview{box.minx + (s_old.x - drawn.canvas_min.x) * box.width() / drawn.canvas_size.x,
                              box.miny + (s_old.y - drawn.canvas_min.y) * box.height() / drawn.canvas_size.y};
        const Vec2 s_new = now.world_to_screen(w);
        CHECK_THAT(in_preview.x, WithinAbs(s_new.x, 1e-6));
        CHECK_THAT(in_preview.y, WithinAbs(s_new.y, 1e-6));
    }
    // Unchanged camera: the image covers the canvas exactly.
    const Box same = drawn.image_of(drawn);
    CHECK_THAT(same.minx, Catch::Matchers::WithinRel(drawn.canvas_min.x, 1e-12));
    CHECK_THAT(same.maxy, Catch::Matchers::WithinRel(drawn.canvas_min.y + drawn.canvas_size.y, 1e-12));
}

TEST_CASE("camera: pan follows the mouse, fit shows the whole box with the margin", "[view][camera]") {
    Camera c = canvas_camera();
    const Vec2 grabbed = c.screen_to_world({700, 300});
    c.pan_pixels(35, -12);
    const Vec2 now = c.world_to_screen(grabbed);
    CHECK_THAT(now.x, Catch::Matchers::WithinRel(735.0, 1e-12));
    CHECK_THAT(now.y, Catch::Matchers::WithinRel(288.0, 1e-12));

    // A 600 m x 300 m box in a 960 x 750 canvas with 24 px margins: width limits,
    // scale = (960 - 48) / 600 = 1.52 px/m.
    const Box box{500000, 3300000, 500600, 3300300};
    c.fit(box, 24);
    CHECK_THAT(c.scale, Catch::Matchers::WithinRel(1.52, 1e-12));
    const Vec2 lo = c.world_to_screen({box.minx, box.miny});
    const Vec2 hi = c.world_to_screen({box.maxx, box.maxy});
    CHECK_THAT(lo.x, Catch::Matchers::WithinRel(320 + 24.0, 1e-12));
    CHECK_THAT(hi.x, Catch::Matchers::WithinRel(320 + 960 - 24.0, 1e-12));
    CHECK_THAT((lo.y + hi.y) / 2, Catch::Matchers::WithinRel(399.0, 1e-12));  // vertically centred
    const Box vis = c.visible_world();
    CHECK(vis.minx <= box.minx);
    CHECK(vis.maxy >= box.maxy);
}

TEST_CASE("scale bar length is 1, 2 or 5 times a power of ten", "[view][camera]") {
    CHECK_THAT(nice_scale_length(1.0, 140), Catch::Matchers::WithinRel(100, 1e-12));   // 140 m available
    CHECK_THAT(nice_scale_length(0.5, 140), Catch::Matchers::WithinRel(200, 1e-12));   // 280 m available
    CHECK_THAT(nice_scale_length(2.0, 140), Catch::Matchers::WithinRel(50, 1e-12));    // 70 m available
    CHECK_THAT(nice_scale_length(0.01, 140), Catch::Matchers::WithinRel(10000, 1e-12));  // 14 km available
    CHECK(nice_scale_length(0.0, 140) == 0);
}

TEST_CASE("scatterplot axis ticks: nice steps, at most the asked number, labels without -0", "[view][camera]") {
    using Catch::Matchers::WithinAbs;
    // lim = 2.2 (the scatterplot's symmetric range): 0.5 would give 9 ticks, above 7, so 1.
    const std::vector<double> t = nice_ticks(-2.2, 2.2, 7);
    REQUIRE(t.size() == 5);
    for (std::size_t i = 0; i < t.size(); ++i) CHECK_THAT(t[i], WithinAbs(-2.0 + static_cast<double>(i), 1e-12));
    // A wide range with room for many ticks: 2 (not 1: 13 ticks > 10; not 5: 2 fits).
    const std::vector<double> w = nice_ticks(-6.6, 6.6, 10);
    REQUIRE(w.size() == 7);
    CHECK_THAT(w.front(), WithinAbs(-6.0, 1e-12));
    CHECK_THAT(w[1] - w[0], WithinAbs(2.0, 1e-12));
    // Small ranges: 0.05 steps, printed with two decimals; zero prints "0.00", never "-0.00".
    const std::vector<double> s = nice_ticks(-0.12, 0.12, 6);
    REQUIRE(s.size() == 5);
    CHECK_THAT(s[1] - s[0], WithinAbs(0.05, 1e-12));
    CHECK(tick_label(s[0], 0.05) == "-0.10");
    CHECK(tick_label(-1e-17, 0.05) == "0.00");
    CHECK(tick_label(2.0, 1.0) == "2");
    CHECK(tick_label(-1.5, 0.5) == "-1.5");
    for (int max : {2, 3, 4, 5, 8, 12})
        CHECK(static_cast<int>(nice_ticks(-3.7, 3.7, max).size()) <= max);
    CHECK(nice_ticks(1.0, 1.0, 5).empty());
    CHECK(nice_ticks(0.0, std::nan(""), 5).empty());
}

TEST_CASE("index names: one table in geo/analysis, both languages, every index the panels show", "[view][indices]") {
    // The viewer's indices panel and the scenario comparison show names, not raw ids.
    CHECK(index_label("con_prof", UiLang::Zh) == "集中度剖面 R");
    CHECK(index_label("con_prof", UiLang::En) == "Concentration profile R");
    CHECK(index_label("dissim:Tibetan", UiLang::En) == "Dissimilarity D (Tibetan)");
    CHECK(index_label("dissim:Tibetan", UiLang::Zh) == "相异指数 D（Tibetan）");
    CHECK(index_label("no_such_index", UiLang::Zh) == "no_such_index");
    // Every index id geo computes has a name in both languages and a meaning; the Chinese
    // name has Chinese characters (not an English name copied over).
    std::vector<std::string> ids = hq::seg::single_group_aspatial_ids();
    for (const auto& v : {hq::seg::multigroup_aspatial_ids(), hq::seg::single_group_spatial_ids()})
        ids.insert(ids.end(), v.begin(), v.end());
    for (const std::string& id : ids) {
        INFO(id);
        const hq::analysis::IndexText* t = hq::analysis::index_text(id);
        REQUIRE(t != nullptr);
        CHECK_FALSE(t->name_en.empty());
        CHECK_FALSE(t->meaning.empty());
        CHECK(std::any_of(t->name_zh.begin(), t->name_zh.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }));
        CHECK(t->name_en != id);
    }
    // One entry per id.
    std::set<std::string_view> seen;
    for (const auto& t : hq::analysis::index_texts()) CHECK(seen.insert(t.id).second);
}

TEST_CASE("label culling keeps higher priorities and drops overlaps", "[view][labels]") {
    // The viewer places labels with the exporter's rule (carto::place_labels, through
    // place_scene_labels); one candidate each here.
    const std::vector<std::vector<hq::Box>> boxes{
        {{0, 0, 10, 10}},    // overlaps 1, lower priority: dropped
        {{5, 5, 15, 15}},    // kept (highest)
        {{20, 0, 30, 10}},   // free: kept
        {{10, 20, 20, 30}},  // touches nothing (edges 15 < 20): kept
        {{21, 1, 29, 9}},    // inside 2, same priority, later: dropped
        {{200, 200, 300, 230}},  // spans several grid cells: kept
        {{250, 210, 260, 215}},  // inside 5 but higher priority: kept, and 5 then dropped
    };
    const auto chosen = hq::carto::place_labels(boxes, {1, 2, 0, 0, 0, 5, 9}, hq::Box{-1000, -1000, 1000, 1000});
    std::set<std::size_t> s;
    for (std::size_t i = 0; i < chosen.size(); ++i)
        if (chosen[i] == 0) s.insert(i);
    CHECK(s == std::set<std::size_t>{1, 2, 3, 6});
    // Empty or inverted boxes are never drawn.
    CHECK(hq::carto::place_labels({{{5, 5, 5, 9}}}, {3}, hq::Box{0, 0, 100, 100}) == std::vector<int>{-1});
}

TEST_CASE("strings table: every key has Chinese and English text", "[view][strings]") {
    std::set<std::string_view> keys;
    for (std::size_t i = 0; i < kStrings.size(); ++i) {
        const UiString& s = kStrings[i];
        INFO("key " << s.key);
        CHECK(static_cast<std::size_t>(s.id) == i);
        CHECK(!s.key.empty());
        CHECK(!s.zh.empty());
        CHECK(!s.en.empty());
        CHECK(keys.insert(s.key).second);  // unique
        // Chinese text really is Chinese: it has a non-ASCII character.
        CHECK(std::any_of(s.zh.begin(), s.zh.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }));
        CHECK(std::string(tr(s.id, UiLang::Zh)) == std::string(s.zh));
        CHECK(std::string(tr(s.id, UiLang::En)) == std::string(s.en));
    }
    CHECK(keys.size() == static_cast<std::size_t>(S::Count_));
}

TEST_CASE("lone counts below 5 are shown as <5, dates convert both ways", "[view][format]") {
    CHECK(format_count(0) == "<5");
    CHECK(format_count(4) == "<5");
    CHECK(format_count(5) == "5");
    CHECK(format_count(1234) == "1234");
    CHECK(format_count(std::nan("")) == "—");
    CHECK(format_share(0.375) == "37.5%");
    CHECK(days_from_civil(1970, 1, 1) == 0);
    CHECK(days_from_civil(2000, 3, 1) == 11017);  // 30 years incl. 7 leap days + Jan + Feb 2000
    CHECK(civil_from_days(11017) == "2000-03-01");
    CHECK(civil_from_days(days_from_civil(2024, 2, 29)) == "2024-02-29");
    int d = 0;
    CHECK(parse_iso_date("2023-06-15T10:00:00", d));
    CHECK(civil_from_days(d) == "2023-06-15");
    CHECK_FALSE(parse_iso_date("15/06/2023", d));
}

#ifdef HUQIAN_HAVE_VIEWER
TEST_CASE("GLU tessellation: a polygon with a hole, summed triangle area equals its area", "[view][tess]") {
    // 10 x 10 square with a 2 x 2 hole, far from the origin (UTM-like), and an L-shape.
    const Vec2 o{400000.0, 3400000.0};
    hq::Polygon sq;
    sq.rings.push_back({{o.x, o.y}, {o.x + 10, o.y}, {o.x + 10, o.y + 10}, {o.x, o.y + 10}, {o.x, o.y}});
    sq.rings.push_back({{o.x + 2, o.y + 2}, {o.x + 2, o.y + 4}, {o.x + 4, o.y + 4}, {o.x + 4, o.y + 2}, {o.x + 2, o.y + 2}});
    hq::Polygon ell;  // L: 6x2 + 2x4 = 20
    ell.rings.push_back({{o.x + 20, o.y}, {o.x + 26, o.y}, {o.x + 26, o.y + 2}, {o.x + 22, o.y + 2},
                         {o.x + 22, o.y + 6}, {o.x + 20, o.y + 6}, {o.x + 20, o.y}});
    hq::Geometry g;
    g.type = hq::GeomType::MultiPolygon;
    g.polygons = {sq, ell};
    const auto tris = tessellate(g, o);
    REQUIRE(tris.size() % 6 == 0);
    CHECK_THAT(triangles_area(tris), WithinRel(96.0 + 20.0, 1e-9));
    CHECK_THAT(triangles_area(tris), WithinRel(hq::planar_area(g), 1e-9));
    // No triangle covers the hole's centre (3, 3).
    for (std::size_t i = 0; i < tris.size(); i += 6) {
        const double ax = tris[i], ay = tris[i + 1], bx = tris[i + 2], by = tris[i + 3], cx = tris[i + 4], cy = tris[i + 5];
        auto side = [](double x0, double y0, double x1, double y1, double px, double py) {
            return (x1 - x0) * (py - y0) - (y1 - y0) * (px - x0);
        };
        const double d1 = side(ax, ay, bx, by, 3, 3), d2 = side(bx, by, cx, cy, 3, 3), d3 = side(cx, cy, ax, ay, 3, 3);
        const bool inside = (d1 > 0 && d2 > 0 && d3 > 0) || (d1 < 0 && d2 < 0 && d3 < 0);
        CHECK_FALSE(inside);
    }
    // Degenerate input: no triangles, no crash.
    hq::Geometry line = hq::Geometry::polygon({{0, 0}, {1, 1}, {2, 2}, {0, 0}});
    CHECK_THAT(triangles_area(tessellate(line, {0, 0})), WithinAbs(0, 1e-12));
    CHECK(tessellate(hq::Geometry::point({1, 2}), {0, 0}).empty());
}

TEST_CASE("outlines are extruded into triangles of the requested pixel width", "[view][mesh]") {
    std::vector<MapVertex> out;
    extrude_path({{0, 0}, {10, 0}, {10, 10}}, false, {0, 0}, 2.0f, 0xffffffffu, 0, out);
    REQUIRE(out.size() == 12);  // two segments, two triangles each
    // First segment runs along +x: offsets are +-1 px across (y) and 1 px square caps along x.
    for (std::size_t i = 0; i < 6; ++i) {
        CHECK_THAT(std::abs(out[i].oy), Catch::Matchers::WithinRel(1.0f, 1e-6f));
        CHECK_THAT(std::abs(out[i].ox), Catch::Matchers::WithinRel(1.0f, 1e-6f));
    }
    out.clear();
    extrude_path({{0, 0}, {1, 0}, {1, 1}, {0, 0}}, true, {0, 0}, 1.0f, 0, 0, out);
    CHECK(out.size() == 18);  // closed triangle ring: three segments
}
#else
TEST_CASE("GLU tessellation (needs the viewer library)", "[view][tess]") {
    FAIL("tests/view is not linked with huqian_view (HUQIAN_BUILD_VIEWER=OFF?): tessellation tests cannot run");
}
#endif

TEST_CASE("inspector composition goes through geo/privacy: a group of 3 in one unit is never printed",
          "[view][privacy]") {
    // counts[group][unit]: A and B spread over four units; C: 3 residents, all in unit 2.
    const std::vector<std::vector<double>> counts{{40, 30, 20, 60}, {30, 50, 45, 25}, {0, 0, 3, 0}};
    const hq::privacy::ProtectedTable t = units_table(counts);
    const Composition one = composition(t, {2});
    REQUIRE(one.rows.size() == 3);
    for (const auto& r : one.rows) {
        INFO("group " << r.group << ": " << r.count << " " << r.share);
        CHECK(r.count != "3");
        if (r.group == 2) {
            CHECK(r.count == "<5");
            CHECK(r.share == "—");  // a share of a withheld count is withheld with it
        }
    }
    // Withheld rows come after the published ones, so the order tells nothing about them.
    CHECK(one.rows.back().count == "<5");
    // The selection of every unit sums C to 3: a sum holding a withheld cell is withheld.
    const Composition all = composition(t, {0, 1, 2, 3});
    for (const auto& r : all.rows)
        if (r.group == 2) CHECK(r.count == "<5");
    CHECK(all.total == "303");  // 150 + 150 + 3: the grand total is published
}

// Issue 13 item 7: a permutation p at its floor 1/(perms+1) is not "0.000": it reads
// "< 0.001 (999 permutations)". Floors worked by hand: 1/1000, 1/200, 1/100.
TEST_CASE("p-values at their permutation floor say so, in both languages", "[view][format]") {
    CHECK(format_p(0.001, 999, UiLang::En) == "< 0.001 (999 permutations)");
    CHECK(format_p(0.001, 999, UiLang::Zh) == "< 0.001（999次置换）");
    CHECK(format_p(0.0, 99, UiLang::En) == "< 0.01 (99 permutations)");  // beyond every draw (two-tailed 0)
    CHECK(format_p(1.0 / 200, 199, UiLang::En) == "< 0.005 (199 permutations)");
    CHECK(format_p(0.002, 999, UiLang::En) == "0.002");      // above the floor: the value
    CHECK(format_p(0.0451, 999, UiLang::Zh) == "0.045");
    CHECK(format_p(0.00042, 0, UiLang::En) == "0.0004");     // analytical: no floor, four decimals
    CHECK(format_p(std::nan(""), 999, UiLang::En) == "—");
}
