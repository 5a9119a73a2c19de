// The viewer's planning tools (issue 6 §1–§3) without GL: the PlanEditor state machine fed
// with map coordinates (polygon / rectangle / circle / buffer tools, Esc behaviour, move and
// vertex drags as one undo step, snapping with a pixel tolerance, validity and repair), the
// bilingual history labels, the autosave timer and the title; then the Controller with a real
// project (zones from the zones layer, save to a project GeoPackage and open it again,
// autosave to the recovery file); and one GUI pixel test: `--mode zones` tints the zones.
//
// [SECTION] index
//   Plan editor (no GL)
//   Autosave and title; the App with a real project
//   GUI screenshots (xvfb)
#include <catch2/catch.hpp>

#ifdef HUQIAN_HAVE_VIEWER
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <set>
#include <sstream>
#include <thread>

#include <sys/wait.h>

#include <stb/stb_image.h>

#include "app/view/app.hpp"
#include "app/view/plan_panels.hpp"
#include "app/view/plan_tools.hpp"
#include "app/view/view_state.hpp"
#include "geo/crs/crs.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/plan/suggest.hpp"
#include "geo/analysis/planning.hpp"
#include "geo/project/gpkg_project.hpp"
#include "tests/test_support.hpp"
#include "tests/view/view_test_support.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

using hq::Geometry;
using hq::Vec2;
using namespace hq::view;
using hq::test::settle;

namespace {

// 2 px per metre: mpp = 0.5 m, so the default 7 px grab tolerance is 3.5 m and 10 px of
// snapping is 5 m.
constexpr double kMpp = 0.5;

double ring_area(const Geometry& g) { return hq::planar_area(g); }

std::size_t ring_vertices(const Geometry& g) { return g.polygons.at(0).rings.at(0).size() - 1; }

/// A 100 m square zone "Z-1" from (0, 0) to (100, 100), drawn with the rectangle tool.
void draw_square(PlanEditor& ed) {
    ed.set_tool(PlanTool::Rectangle);
    REQUIRE(ed.press({0, 0}, kMpp));
    ed.drag({50, 50}, kMpp);
    ed.drag({100, 100}, kMpp);
    ed.release({100, 100}, kMpp);
    REQUIRE(ed.doc().zones.size() == 1);
    ed.set_tool(PlanTool::Select);
}


}  // namespace

// [SECTION] Plan editor (no GL) -----------------------------------------------------------

TEST_CASE("plan editor: polygon tool — clicks, Backspace, Enter, double click, one undo step", "[view][plan]") {
    PlanEditor ed;
    ed.snap = false;
    ed.set_tool(PlanTool::Polygon);
    CHECK(ed.press({0, 0}, kMpp));
    CHECK(ed.press({10, 0}, kMpp));
    CHECK(ed.press({99, 99}, kMpp));  // a wrong click ...
    CHECK(ed.key_backspace());        // ... taken back
    CHECK(ed.polygon_vertices().size() == 2);
    CHECK_FALSE(ed.key_enter());  // two vertices are no polygon: drawing continues
    CHECK(ed.press({10, 10}, kMpp));
    REQUIRE(ed.preview());
    CHECK_THAT(ring_area(*ed.preview()), Catch::Matchers::WithinRel(50.0, 1e-12));  // triangle (0,0) (10,0) (10,10): 10·10/2
    CHECK(ed.key_enter());
    REQUIRE(ed.doc().zones.size() == 1);
    CHECK(ed.doc().zones[0].id == "Z-1");
    CHECK(ed.selected() == "Z-1");
    CHECK_THAT(ring_area(ed.doc().zones[0].geometry), Catch::Matchers::WithinRel(50.0, 1e-12));
    CHECK(ed.undo_stack().size() == 1);
    CHECK(ed.modified());

    // A double click finishes too (its first click added the last vertex).
    CHECK(ed.press({20, 0}, kMpp));
    CHECK(ed.press({30, 0}, kMpp));
    CHECK(ed.press({30, 20}, kMpp));
    CHECK(ed.press({30, 20}, kMpp, true));
    REQUIRE(ed.doc().zones.size() == 2);
    CHECK_THAT(ring_area(ed.doc().zones[1].geometry), Catch::Matchers::WithinRel(100.0, 1e-12));  // 10 wide, 20 high, half
    CHECK(ed.doc().zones[1].status == "proposed");

    CHECK(ed.undo());
    CHECK(ed.doc().zones.size() == 1);
    CHECK(ed.redo());
    CHECK(ed.doc().zones.size() == 2);
    CHECK(ed.jump_to(0));
    CHECK(ed.doc().zones.empty());
    CHECK(ed.selected().empty());  // the selected zone went with the undo
    CHECK_FALSE(ed.modified());     // back at the state as opened
    CHECK(ed.jump_to(2));
    CHECK(ed.doc().zones.size() == 2);
}

TEST_CASE("plan editor: Esc cancels only the polygon being drawn, asking above 3 vertices", "[view][plan]") {
    PlanEditor ed;
    ed.snap = false;
    draw_square(ed);
    ed.set_tool(PlanTool::Polygon);
    for (Vec2 p : {Vec2{200, 0}, Vec2{210, 0}, Vec2{210, 10}}) ed.press(p, kMpp);
    CHECK(ed.key_escape() == PlanEscape::CancelledShape);  // 3 vertices: no question
    CHECK(ed.polygon_vertices().empty());
    CHECK(ed.doc().zones.size() == 1);  // the existing zone is untouched

    for (Vec2 p : {Vec2{200, 0}, Vec2{210, 0}, Vec2{210, 10}, Vec2{200, 10}}) ed.press(p, kMpp);
    CHECK(ed.key_escape() == PlanEscape::NeedsConfirmation);
    CHECK(ed.confirming());
    CHECK(ed.polygon_vertices().size() == 4);
    ed.press({300, 300}, kMpp);  // clicks are ignored while asking
    CHECK(ed.polygon_vertices().size() == 4);
    ed.keep_drawing();
    CHECK_FALSE(ed.confirming());
    CHECK(ed.key_escape() == PlanEscape::NeedsConfirmation);
    ed.confirm_discard();
    CHECK(ed.polygon_vertices().empty());
    CHECK(ed.doc().zones.size() == 1);
    CHECK(ed.undo_stack().size() == 1);  // drawing and discarding recorded nothing
}

TEST_CASE("plan editor: rectangle and circle tools", "[view][plan]") {
    PlanEditor ed;
    ed.snap = false;
    ed.set_tool(PlanTool::Rectangle);
    // Drag from (10, 20) to (40, 60): 30 x 40 = 1200 m².
    ed.press({10, 20}, kMpp);
    ed.drag({40, 60}, kMpp);
    REQUIRE(ed.preview());
    CHECK_THAT(ring_area(*ed.preview()), Catch::Matchers::WithinRel(1200.0, 1e-12));
    ed.release({40, 60}, kMpp);
    REQUIRE(ed.doc().zones.size() == 1);
    CHECK_THAT(ring_area(ed.doc().zones[0].geometry), Catch::Matchers::WithinRel(1200.0, 1e-12));
    // Two clicks (no drag) make a rectangle too: (0, 0) and (5, 8) -> 40 m².
    ed.press({0, 0}, kMpp);
    ed.release({0, 0}, kMpp);
    CHECK(ed.doc().zones.size() == 1);
    ed.press({5, 8}, kMpp);
    ed.release({5, 8}, kMpp);
    REQUIRE(ed.doc().zones.size() == 2);
    CHECK_THAT(ring_area(ed.doc().zones[1].geometry), Catch::Matchers::WithinRel(40.0, 1e-12));

    ed.set_tool(PlanTool::Circle);
    // A click: the radius field (60 m by default, here 50 m). Regular 64-gon inscribed in
    // the circle: area = (n/2) r² sin(2π/n) = 32 · 2500 · sin(π/32).
    ed.circle_radius_m = 50;
    ed.press({500, 500}, kMpp);
    ed.release({500, 500}, kMpp);
    REQUIRE(ed.doc().zones.size() == 3);
    const double polygon64 = 32.0 * 2500.0 * std::sin(2 * std::numbers::pi / 64);
    CHECK_THAT(ring_area(ed.doc().zones[2].geometry), WithinRel(polygon64, 1e-9));
    // A drag from the centre: radius = the drag length, 30 m (3-4-5 triangle: (18, 24)).
    ed.press({0, 500}, kMpp);
    ed.drag({18, 524}, kMpp);
    ed.release({18, 524}, kMpp);
    REQUIRE(ed.doc().zones.size() == 4);
    CHECK_THAT(ring_area(ed.doc().zones[3].geometry), Catch::Matchers::WithinRel(32.0 * 900.0 * std::sin(2 * std::numbers::pi / 64), 1e-12));
    CHECK(ed.undo_stack().size() == 4);
    // Esc drops a rubber band.
    ed.press({0, 0}, kMpp);
    ed.drag({40, 0}, kMpp);
    CHECK(ed.key_escape() == PlanEscape::CancelledShape);
    ed.release({40, 0}, kMpp);
    CHECK(ed.doc().zones.size() == 4);
}

TEST_CASE("plan editor: buffer around a venue or a courtyard", "[view][plan]") {
    PlanEditor ed;
    ed.set_buffer_targets({Geometry::point({1000, 1000})},
                          {Geometry::polygon({{0, 0}, {20, 0}, {20, 10}, {0, 10}, {0, 0}})});
    ed.set_tool(PlanTool::Buffer);
    ed.buffer_m = 40;
    CHECK_FALSE(ed.press({500, 500}, kMpp));  // nothing there: the canvas pans instead
    // 2 m from the venue (within 3.5 m): a 40 m buffer, ~ π·40² (8 segments per quadrant:
    // the 32-gon's area 16·1600·sin(π/16) is 0.64 % under the circle).
    CHECK(ed.press({1002, 1000}, kMpp));
    REQUIRE(ed.doc().zones.size() == 1);
    CHECK_THAT(ring_area(ed.doc().zones[0].geometry), WithinRel(16.0 * 1600.0 * std::sin(std::numbers::pi / 16), 1e-6));
    // Inside the courtyard: its buffer contains the courtyard and reaches 40 m beyond it.
    CHECK(ed.press({5, 5}, kMpp));
    REQUIRE(ed.doc().zones.size() == 2);
    const hq::Box b = ed.doc().zones[1].geometry.bounds();
    CHECK_THAT(b.minx, Catch::Matchers::WithinRel(-40.0, 1e-12));
    CHECK_THAT(b.maxx, Catch::Matchers::WithinRel(60.0, 1e-12));
    CHECK_THAT(b.maxy, Catch::Matchers::WithinRel(50.0, 1e-12));
}

TEST_CASE("plan editor: moving a zone by dragging is one undo step, Esc cancels the drag", "[view][plan]") {
    PlanEditor ed;
    ed.snap = false;
    draw_square(ed);
    ed.select("");
    CHECK_FALSE(ed.press({500, 500}, kMpp));  // empty map: not taken (the canvas pans)
    CHECK(ed.press({50, 50}, kMpp));          // inside Z-1: selects it and grabs it
    CHECK(ed.selected() == "Z-1");
    for (int k = 1; k <= 10; ++k) ed.drag({50.0 + k, 50.0 - 2.0 * k}, kMpp);
    ed.release({60, 30}, kMpp);
    const hq::Box b = ed.doc().zones[0].geometry.bounds();
    CHECK_THAT(b.minx, Catch::Matchers::WithinRel(10.0, 1e-12));
    CHECK_THAT(b.miny, Catch::Matchers::WithinRel(-20.0, 1e-12));
    CHECK(ed.undo_stack().size() == 2);  // create + one move (ten drag events)
    CHECK(history_label(ed.undo_stack().undo_text(), UiLang::En) == "Move zone (Z-1)");
    CHECK(history_label(ed.undo_stack().undo_text(), UiLang::Zh) == "移动分区 (Z-1)");
    CHECK(ed.undo());
    CHECK_THAT(ed.doc().zones[0].geometry.bounds().minx, Catch::Matchers::WithinAbs(0.0, 1e-12));
    CHECK(ed.redo());

    // Esc in the middle of a drag puts the zone back and records nothing.
    CHECK(ed.press({40, 10}, kMpp));
    ed.drag({140, 10}, kMpp);
    CHECK_THAT(ed.doc().zones[0].geometry.bounds().minx, Catch::Matchers::WithinRel(110.0, 1e-12));
    CHECK(ed.key_escape() == PlanEscape::CancelledDrag);
    ed.release({140, 10}, kMpp);
    CHECK_THAT(ed.doc().zones[0].geometry.bounds().minx, Catch::Matchers::WithinRel(10.0, 1e-12));
    CHECK(ed.undo_stack().size() == 2);
    // A click without moving records nothing either.
    CHECK(ed.press({40, 10}, kMpp));
    ed.release({40, 10}, kMpp);
    CHECK(ed.undo_stack().size() == 2);
}

TEST_CASE("plan editor: vertex drag, insert on an edge, delete, hit-testing in pixels", "[view][plan]") {
    PlanEditor ed;
    ed.snap = false;
    draw_square(ed);  // selected
    REQUIRE(ring_vertices(ed.doc().zones[0].geometry) == 4);
    // 3 m from the corner (100, 100) is 6 px at 2 px/m: within the 7 px grab tolerance.
    ed.hover({103, 100}, kMpp);
    REQUIRE(ed.hot_vertex());
    CHECK(ed.press({103, 100}, kMpp));
    ed.drag({120, 110}, kMpp);
    ed.drag({130, 130}, kMpp);
    ed.release({130, 130}, kMpp);
    CHECK(ed.undo_stack().size() == 2);
    // The vertex moved to (130, 130): the square became a quadrilateral of area
    // shoelace (0,0) (100,0) (130,130) (0,100) = (100·130 + 130·100) / 2 = 13000.
    CHECK_THAT(ring_area(ed.doc().zones[0].geometry), Catch::Matchers::WithinRel(13000.0, 1e-12));
    // At 0.5 px/m (mpp 2) the same 3 m are 1.5 px: still a hit; 20 m = 10 px is not.
    ed.hover({0, 20}, 2.0);
    CHECK_FALSE(ed.hot_vertex());

    // A press on an edge (2 m off the bottom edge's midpoint) inserts a vertex there and
    // drags it: one step. Pulling it down to (50, -50) adds the triangle 100·50/2 = 2500.
    CHECK(ed.press({50, -2}, kMpp));
    ed.drag({50, -50}, kMpp);
    ed.release({50, -50}, kMpp);
    CHECK(ring_vertices(ed.doc().zones[0].geometry) == 5);
    CHECK_THAT(ring_area(ed.doc().zones[0].geometry), Catch::Matchers::WithinRel(15500.0, 1e-12));
    CHECK(ed.undo_stack().size() == 3);
    CHECK(history_label(ed.undo_stack().undo_text(), UiLang::Zh) == "插入顶点 (Z-1)");

    // Right click on a vertex deletes it (one step) ...
    CHECK(ed.right_click({50, -50}, kMpp));
    CHECK(ring_vertices(ed.doc().zones[0].geometry) == 4);
    CHECK_THAT(ring_area(ed.doc().zones[0].geometry), Catch::Matchers::WithinRel(13000.0, 1e-12));
    // ... as does Delete on the hovered vertex; a ring keeps at least 3 vertices.
    ed.hover({130, 130}, kMpp);
    CHECK(ed.key_delete());
    CHECK(ring_vertices(ed.doc().zones[0].geometry) == 3);
    CHECK(ed.right_click({0, 0}, kMpp));
    CHECK(ring_vertices(ed.doc().zones[0].geometry) == 3);
    CHECK_FALSE(ed.take_error().empty());
    CHECK(ed.undo_stack().size() == 5);
    // Delete with no vertex under the cursor removes the zone.
    ed.hover({30, 30}, kMpp);
    CHECK(ed.key_delete());
    CHECK(ed.doc().zones.empty());
    CHECK(history_label(ed.undo_stack().undo_text(), UiLang::Zh) == "删除分区「Z-1」");
    CHECK(ed.undo());
    CHECK(ed.doc().zones.size() == 1);
}

TEST_CASE("plan editor: snapping to courtyard vertices and edges within a pixel tolerance", "[view][plan]") {
    PlanEditor ed;
    ed.set_snap_targets({Geometry::polygon({{0, 0}, {40, 0}, {40, 40}, {0, 40}, {0, 0}})});
    ed.set_tool(PlanTool::Polygon);
    ed.snap_px = 10;  // 5 m at 2 px/m
    ed.press({43, 42}, kMpp);  // 3.6 m from the corner (40, 40): snaps to it
    REQUIRE(ed.snap_hint());
    CHECK(ed.snap_hint()->kind == hq::edit::SnapResult::Kind::Vertex);
    ed.press({20, 3}, kMpp);   // 3 m above the edge y = 0... 3 m from it: onto the edge
    CHECK(ed.snap_hint()->kind == hq::edit::SnapResult::Kind::Edge);
    ed.press({20, 80}, kMpp);  // 40 m away: stays
    REQUIRE(ed.polygon_vertices().size() == 3);
    CHECK(ed.polygon_vertices()[0] == Vec2{40, 40});
    CHECK(ed.polygon_vertices()[1] == Vec2{20, 0});
    CHECK(ed.polygon_vertices()[2] == Vec2{20, 80});
    // Zoomed out 4x (mpp 2): 10 px = 20 m, so a point 15 m away snaps as well.
    ed.press({55, 40}, 2.0);
    CHECK(ed.polygon_vertices()[3] == Vec2{40, 40});
    // Snapping off: the click stays where it is.
    ed.snap = false;
    ed.press({41, 41}, kMpp);
    CHECK(ed.polygon_vertices()[4] == Vec2{41, 41});
}

TEST_CASE("plan editor: attributes are one step each, invalid zones are flagged and repaired", "[view][plan]") {
    PlanEditor ed;
    ed.snap = false;
    ed.set_tool(PlanTool::Polygon);
    // A bow tie: edges (0,0)-(10,10) and (10,0)-(0,10) cross at (5, 5).
    for (Vec2 p : {Vec2{0, 0}, Vec2{10, 10}, Vec2{10, 0}, Vec2{0, 10}}) ed.press(p, kMpp);
    REQUIRE(ed.key_enter());
    const std::string id = ed.selected();
    CHECK_FALSE(ed.validity(id).valid);
    CHECK(ed.validity(id).reason.find("Self-intersection") != std::string::npos);
    CHECK(ed.repair_selected());
    CHECK(ed.validity(id).valid);
    // The repaired bow tie is its two triangles, 25 m² each.
    CHECK_THAT(ring_area(ed.selected_zone()->geometry), Catch::Matchers::WithinRel(50.0, 1e-12));
    CHECK(history_label(ed.undo_stack().undo_text(), UiLang::Zh) == "修复分区 (" + id + ")");
    CHECK(ed.undo());
    CHECK_FALSE(ed.validity(id).valid);
    CHECK(ed.redo());

    hq::plan::Zone v = *ed.selected_zone();
    v.name_zh = "共享活动室";
    REQUIRE(ed.set_attributes(v, attribute_description(S::ZoneNameZh)));
    v.status = "approved";
    REQUIRE(ed.set_attributes(v, attribute_description(S::ZoneStatus)));
    CHECK(ed.undo_stack().size() == 4);
    CHECK(ed.selected_zone()->name_zh == "共享活动室");
    CHECK(history_label(ed.undo_stack().undo_text(), UiLang::En) == "Edit zone attributes: Status (" + id + ")");
    CHECK(history_label(ed.undo_stack().undo_text(), UiLang::Zh) == "编辑分区属性：状态 (" + id + ")");
    CHECK(ed.undo());
    CHECK(ed.selected_zone()->status == "proposed");
    CHECK(ed.selected_zone()->name_zh == "共享活动室");
    // The Chinese history label of a creation names the zone by its name.
    CHECK(history_label("Create zone 共享活动室", UiLang::Zh) == "新建分区「共享活动室」");
    CHECK(history_label("something else", UiLang::Zh) == "something else");
}

// [SECTION] Autosave and title; the App with a real project -------------------------------

TEST_CASE("plan: autosave timer, window title, saved state", "[view][plan]") {
    AutosaveTimer t;
    t.interval_s = 30;
    t.reset(7);
    CHECK_FALSE(t.due(0, false, 7));  // nothing to save
    CHECK_FALSE(t.due(10, true, 8));  // first unsaved edit at t = 10 s
    CHECK_THAT(t.wait_s(10), Catch::Matchers::WithinRel(30.0, 1e-12));
    CHECK_FALSE(t.due(39.9, true, 9));
    CHECK(t.due(40, true, 9));        // 30 s after the oldest edit not yet saved
    t.saved(9);
    CHECK_FALSE(t.due(41, true, 9));  // saved: nothing pending
    CHECK(t.wait_s(41) > 1e6);
    CHECK_FALSE(t.due(50, true, 10));
    CHECK(t.due(80, true, 11));
    CHECK_FALSE(t.due(81, false, 11));  // saved normally meanwhile

    CHECK(window_title("huqian", "Shuhan", "/tmp/a/plan.gpkg", true, UiLang::En) == "*plan.gpkg — huqian");
    CHECK(window_title("huqian", "Shuhan", "", false, UiLang::En) == "Shuhan — huqian");
    CHECK(window_title("huqian", "", "", false, UiLang::En) == "untitled — huqian");

    PlanEditor ed;
    ed.snap = false;
    draw_square(ed);
    CHECK(ed.modified());
    const auto rev = ed.revision();
    ed.mark_saved("/tmp/x.gpkg", rev);
    CHECK_FALSE(ed.modified());
    CHECK(ed.path() == "/tmp/x.gpkg");
    CHECK(ed.undo());
    CHECK(ed.modified());
    // A save of an older state does not clear the flag.
    ed.mark_saved("/tmp/x.gpkg", rev);
    CHECK(ed.modified());
    ed.reset({}, "", true);  // a recovered document is unsaved until saved
    CHECK(ed.modified());
}

TEST_CASE("plan app: zones from the project, save as .gpkg, open it again, autosave", "[view][plan][app]") {
    namespace fs = std::filesystem;
    hq::test::TempDir tmp;
    const std::string dir = tmp.file("shuhan");
    fs::copy(hq::test::shuhan(), dir, fs::copy_options::recursive);
    ViewerOptions o;
    Controller app(o, {});
    app.open_project(dir);
    REQUIRE(settle(app));
    REQUIRE(app.model.data);
    PlanEditor& ed = app.model.plan;
    // data/shuhan/zones_proposed.geojson: three zones Z-1..Z-3.
    REQUIRE(ed.doc().zones.size() == 3);
    CHECK(ed.doc().zones[0].name_zh == "武侯祠横街共享活动室");
    CHECK_FALSE(ed.modified());
    CHECK(ed.path().empty());

    // Draw a zone over a courtyard's representative point and evaluate it with the planner.
    app.plan_request_planner();
    REQUIRE(settle(app));
    REQUIRE(app.model.planner);
    const Vec2 c = hq::point_on_surface(app.model.data->units->metric[0]);
    ed.circle_radius_m = 20;
    ed.set_tool(PlanTool::Circle);
    ed.press(c, 0.5);
    ed.release(c, 0.5);
    REQUIRE(ed.doc().zones.size() == 4);
    CHECK(ed.doc().zones[3].id == "Z-4");
    const Geometry drawn = ed.doc().zones[3].geometry;  // centre possibly snapped to the courtyard
    const hq::plan::ZoneEvaluation e = app.model.planner->evaluate(ed.doc().zones[3].geometry);
    double unit0 = 0;  // the residents of the unit whose point is inside
    for (const auto& g : app.model.data->counts) unit0 += g[0];
    CHECK(e.residents_reached >= unit0 - 1e-9);

    // Suggested sites among the courtyards: k = 2 ranked picks whose gains add up to the
    // objective, which is F(S) recomputed here from the planner's catchments directly.
    app.ui.plan.suggest_k = 2;
    app.ui.plan.suggest_source = 0;
    app.plan_request_suggest();
    REQUIRE(settle(app));
    REQUIRE(app.ui.plan.suggestions);
    const SuggestView& sv = *app.ui.plan.suggestions;
    REQUIRE(sv.picks.size() == 2);
    CHECK(sv.picks[0].marginal >= sv.picks[1].marginal);  // greedy order (or the exact set ranked)
    CHECK_THAT(sv.picks[0].marginal + sv.picks[1].marginal, Catch::Matchers::WithinRel(sv.objective, 1e-12));
    {
        hq::plan::CoverageProblem prob;
        // The weights the viewer's suggestion reads: under its guard the published estimate
        // (geo/plan coverage_problem; docs/privacy.md, "Indices from the published table").
        const hq::privacy::DisclosurePolicy policy =
            app.model.planner->options().privacy.value_or(hq::privacy::DisclosurePolicy{});
        prob.unit_weight = hq::plan::unit_isolation_weights(
            hq::plan::published_counts(app.model.planner->input(), policy).counts);
        std::vector<std::size_t> chosen;
        for (const auto& pk : sv.picks) {
            const auto& ids = app.model.data->units->ids;
            const auto at = std::find(ids.begin(), ids.end(), pk.label);
            REQUIRE(at != ids.end());
            chosen.push_back(prob.coverage.size());
            prob.coverage.push_back(
                hq::plan::coverage_row(app.model.planner->catchment(Geometry::point(pk.point)).weight));
        }
        CHECK_THAT(hq::plan::coverage_objective(prob, chosen), Catch::Matchers::WithinRel(sv.objective, 1e-12));
    }
    // Baseline against all zones: the baseline reaches nobody; all zones reach residents and
    // do not change the residential indices (no household moves).
    const auto choices = plan_scenario_choices(ed.doc());
    REQUIRE(choices.size() == 2);
    app.ui.plan.compare_a = 0;
    app.ui.plan.compare_b = 1;
    app.plan_request_compare();
    REQUIRE(settle(app));
    REQUIRE(app.ui.plan.comparison);
    REQUIRE(app.ui.plan.comparison->results.size() == 2);
    const auto& base = app.ui.plan.comparison->results[0];
    const auto& all = app.ui.plan.comparison->results[1];
    CHECK(base.residents_reached == 0.0);
    CHECK(all.residents_reached > 0.0);
    CHECK(all.zones == 4);
    // (A small group's single-group indices are withheld with the guard on, as plan compare
    // withholds them: NaN, not a difference.)
    std::size_t compared = 0;
    for (const auto& ic : all.indices) {
        if (ic.withheld) {
            CHECK(std::isnan(ic.difference));
            continue;
        }
        CHECK_THAT(ic.difference, WithinAbs(0.0, 1e-12));
        ++compared;
    }
    CHECK(compared > 0);
    // A scenario of the document is one undo step.
    hq::plan::Scenario sc{"S-1", "", {"Z-1", "Z-4"}, {}};
    REQUIRE(ed.set_scenario("S-1", sc));
    CHECK(plan_scenario_choices(ed.doc()).size() == 3);
    CHECK(history_label(ed.undo_stack().undo_text(), UiLang::Zh) == "编辑情景「S-1」");
    CHECK(ed.undo());
    CHECK(ed.doc().scenarios.empty());
    CHECK(ed.redo());

    // Autosave when due: the recovery file of the default target DIR/shuhan.gpkg (in the folder).
    app.ui.plan.autosave.interval_s = 0;
    app.plan_tick(1.0);
    REQUIRE(settle(app));
    const std::string target = dir + "/shuhan.gpkg";
    CHECK(fs::exists(hq::recovery_path(target)));
    CHECK(hq::has_recovery(target));

    // Save as a project GeoPackage (atomic, off the UI thread): not modified any more, the
    // recovery file is gone, the title drops its "*".
    CHECK(plan_window_title(app).rfind('*', 0) == 0);
    const std::string gpkg = tmp.file("plan.gpkg");
    app.plan_save(gpkg);
    REQUIRE(settle(app));
    CHECK_FALSE(ed.modified());
    CHECK(ed.path() == gpkg);
    CHECK_FALSE(fs::exists(hq::recovery_path(target)));
    CHECK(plan_window_title(app).rfind("plan.gpkg", 0) == 0);
    // A non-.gpkg path is refused with a message.
    app.plan_save(tmp.file("plan.txt"));
    CHECK_FALSE(app.ui.errors.empty());
    app.ui.errors.clear();

    // Open it again: the same four zones, the project file is the save target.
    app.open_project(gpkg);
    REQUIRE(settle(app));
    CHECK(app.jobs.take_errors().empty());
    REQUIRE(app.model.data->gpkg);
    REQUIRE(ed.doc().zones.size() == 4);
    CHECK(ed.doc().zones[0].name_zh == "武侯祠横街共享活动室");
    CHECK(hq::plan::same_geometry(ed.doc().zones[3].geometry, drawn, 1e-6));
    CHECK(ed.path() == gpkg);
    CHECK_FALSE(ed.modified());

    // Unsaved edits: opening another project asks first (nothing happens until answered).
    ed.select("Z-4");
    REQUIRE(ed.delete_selected());
    app.open_project(dir);
    CHECK(app.ui.plan.unsaved_popup);
    CHECK_FALSE(app.jobs.busy());
    REQUIRE(app.ui.plan.after_unsaved);
    app.ui.plan.after_unsaved();  // "Don't save"
    REQUIRE(settle(app));
    CHECK_FALSE(app.model.data->gpkg);
    CHECK(ed.doc().zones.size() == 3);
}

/// The suggested sites of k picks among candidates `source` (0 courtyards, 1 venues, 2 zones).
const SuggestView& suggest_sites(Controller& app, int k, int source) {
    app.ui.plan.suggest_k = k;
    app.ui.plan.suggest_source = source;
    app.plan_request_suggest();
    REQUIRE(settle(app));
    REQUIRE(app.ui.plan.suggestions);
    return *app.ui.plan.suggestions;
}

/// The Controller on data/shuhan (its three zones Z-1..Z-3), loaded.
struct ShuhanApp {
    ViewerOptions options;
    Controller app{options, {}};
    ShuhanApp() {
        app.open_project(hq::test::shuhan());
        REQUIRE(settle(app));
        REQUIRE(app.model.data);
    }
};

TEST_CASE("plan app: a suggested site becomes a zone in one click, undo and redo", "[view][plan][app]") {
    ShuhanApp fixture;
    Controller& app = fixture.app;
    PlanEditor& ed = app.model.plan;
    const std::size_t before = ed.doc().zones.size();  // data/shuhan/zones_proposed.geojson: 3
    REQUIRE(before == 3);
    CHECK(app.plan_zone_from_site(0).empty());  // nothing suggested yet
    app.plan_request_planner();
    REQUIRE(settle(app));
    REQUIRE(app.model.planner);

    // Courtyards: the site's zone is the courtyard's own polygon.
    REQUIRE(suggest_sites(app, 2, 0).picks.size() == 2);
    const SuggestView::Pick pick = app.ui.plan.suggestions->picks[1];
    const auto& ids = app.model.data->units->ids;
    const auto at = std::find(ids.begin(), ids.end(), pick.label);
    REQUIRE(at != ids.end());
    const Geometry& courtyard = app.model.data->units->metric[static_cast<std::size_t>(at - ids.begin())];
    const std::string id = app.plan_zone_from_site(1);
    CHECK(id == "Z-4");
    REQUIRE(ed.doc().zones.size() == before + 1);
    CHECK(ed.selected() == id);
    CHECK(ed.doc().zones.back().status == "proposed");
    CHECK(hq::plan::same_geometry(ed.doc().zones.back().geometry, courtyard, 0.0));
    CHECK(ed.modified());
    CHECK(app.plan_zone_from_site(7).empty());  // no such rank: nothing added
    CHECK(ed.doc().zones.size() == before + 1);
    // One undo step: undo removes exactly that zone, redo brings it back with the same id.
    REQUIRE(ed.undo());
    CHECK(ed.doc().zones.size() == before);
    CHECK(ed.doc().find_zone(id) == nullptr);
    REQUIRE(ed.redo());
    REQUIRE(ed.doc().zones.size() == before + 1);
    REQUIRE(ed.doc().find_zone(id) != nullptr);
    CHECK(hq::plan::same_geometry(ed.doc().find_zone(id)->geometry, courtyard, 0.0));

    // Venues (points): the buffer at the editor's buffer distance, GEOS's 8 segments a
    // quadrant = a regular 32-gon inscribed in the circle, area (n/2) r^2 sin(2 pi/n).
    REQUIRE(suggest_sites(app, 1, 1).picks.size() == 1);
    const std::string vid = app.plan_zone_from_site(0);
    REQUIRE_FALSE(vid.empty());
    const double r = ed.buffer_m;
    const double polygon_area = 16.0 * r * r * std::sin(std::numbers::pi / 16.0);  // regular 32-gon
    CHECK_THAT(ring_area(ed.doc().find_zone(vid)->geometry), WithinRel(polygon_area, 1e-6));
    CHECK(ed.doc().zones.size() == before + 2);

    // Zones as candidates: the button selects the existing zone, adding nothing.
    REQUIRE_FALSE(suggest_sites(app, 1, 2).picks.empty());
    const std::string zid = app.plan_zone_from_site(0);
    CHECK(zid == app.ui.plan.suggestions->picks[0].zone_id);
    CHECK(ed.selected() == zid);
    CHECK(ed.doc().zones.size() == before + 2);
}

TEST_CASE("plan app: zone labels in plan mode, zone catchments on demand in the map's zones overlay", "[view][plan][app]") {
    ShuhanApp fixture;
    Controller& app = fixture.app;
    PlanEditor& ed = app.model.plan;
    REQUIRE(ed.doc().zones.size() == 3);

    // Labels: the name in the UI language, at a point inside the zone.
    const auto zh = zone_labels(ed.doc(), UiLang::Zh), en = zone_labels(ed.doc(), UiLang::En);
    REQUIRE(zh.size() == 3);
    REQUIRE(en.size() == 3);
    CHECK(zh[0].id == "Z-1");
    CHECK(zh[0].text == "武侯祠横街共享活动室");
    CHECK(en[0].text == ed.doc().zones[0].name_en);
    CHECK_FALSE(en[0].text.empty());
    for (std::size_t k = 0; k < zh.size(); ++k) CHECK(hq::point_in_polygon(ed.doc().zones[k].geometry, zh[k].at));
    hq::plan::Zone unnamed = ed.doc().zones[1];
    unnamed.name_zh.clear();
    ed.select(unnamed.id);
    REQUIRE(ed.set_attributes(unnamed, "clear the Chinese name"));
    CHECK(zone_labels(ed.doc(), UiLang::Zh)[1].text == unnamed.name_en);  // the other language's name
    REQUIRE(ed.undo());

    auto teal = [](const hq::carto::Scene& sc) {
        std::set<std::uint32_t> units;
        for (const auto& f : sc.polygons)
            if (f.role == hq::Role::Zones && f.stroke.r == hq::carto::Color::rgb(0, 137, 123).r &&
                f.stroke.g == hq::carto::Color::rgb(0, 137, 123).g)
                units.insert(f.feature);
        return units;
    };
    auto legend_has = [](const hq::carto::Scene& sc, const std::string& what) {
        return std::any_of(sc.legend.begin(), sc.legend.end(),
                           [&](const hq::carto::LegendItem& l) { return l.label.find(what) != std::string::npos; });
    };
    // Off by default: the composition map outlines the zones, no catchments.
    REQUIRE(app.model.scene);
    CHECK(teal(*app.model.scene).empty());
    // On: the planner is built, the map rebuilt with every zone's catchment.
    // A few frames' ticks: the planner job, then the map the catchments ask for.
    auto frames = [&app] {
        for (int round = 0; round < 4; ++round) {
            app.plan_tick(0.0);
            REQUIRE(settle(app));
        }
    };
    app.ui.lang = UiLang::En;
    app.ui.plan.show_catchments = true;
    frames();
    REQUIRE(app.model.planner);
    REQUIRE(app.model.scene);
    CHECK(app.ui.plan.catchments_planner == app.model.planner.get());
    // Independently: the units some zone reaches, from the planner's catchments.
    std::set<std::uint32_t> reached;
    for (const auto& z : ed.doc().zones) {
        const auto c = app.model.planner->catchment(z.geometry);
        REQUIRE(c.weight.size() == app.model.data->units->size());
        for (std::size_t i = 0; i < c.weight.size(); ++i)
            if (c.weight[i] > 0) reached.insert(static_cast<std::uint32_t>(i));
    }
    REQUIRE_FALSE(reached.empty());
    CHECK(teal(*app.model.scene) == reached);
    CHECK(legend_has(*app.model.scene, "Zone catchments (300 m walk, " + std::to_string(reached.size()) + " units)"));
    CHECK(legend_has(*app.model.scene, "Intervention zones (3)"));
    // In plan mode the editor draws the zones, the map still draws their catchments.
    set_plan_mode(app, true);
    frames();
    CHECK(teal(*app.model.scene) == reached);
    CHECK_FALSE(legend_has(*app.model.scene, "Intervention zones"));
    // Off again: the catchments leave the map.
    app.ui.plan.show_catchments = false;
    frames();
    CHECK(teal(*app.model.scene).empty());
    CHECK(app.ui.plan.catchments_planner == nullptr);
}

// [SECTION] GUI screenshots (xvfb) --------------------------------------------------------

namespace {


struct Image {
    int w = 0, h = 0;
    std::vector<unsigned char> rgb;
    nlohmann::json meta;
    [[nodiscard]] const unsigned char* px(int x, int y) const {
        return rgb.data() + (static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)) * 3;
    }
    [[nodiscard]] bool covered(double x, double y) const {
        auto in = [&](const nlohmann::json& r) {
            return x >= r[0].get<double>() - 4 && y >= r[1].get<double>() - 4 &&
                   x <= r[0].get<double>() + r[2].get<double>() + 4 && y <= r[1].get<double>() + r[3].get<double>() + 4;
        };
        for (const auto& win : meta["windows"])
            if (in(win["rect"])) return true;
        return in(meta["title"]);
    }
    /// Inside a map label drawn (the sidecar's labels, with `pad` pixels).
    [[nodiscard]] bool in_label(double x, double y, double pad = 2) const {
        for (const auto& l : meta["labels"]) {
            const auto& r = l["rect"];
            if (x >= r[0].get<double>() - pad && y >= r[1].get<double>() - pad &&
                x <= r[0].get<double>() + r[2].get<double>() + pad && y <= r[1].get<double>() + r[3].get<double>() + pad)
                return true;
        }
        return false;
    }
};

Image screenshot(const hq::test::TempDir& tmp, const std::string& name, const std::string& mode,
                 const std::string& extra = "") {
    const std::string png = tmp.file(name + ".png"), log = tmp.file(name + ".log");
    hq::test::shuhan_screenshot(png, log, "--mode " + mode + extra);
    Image im;
    int n = 0;
    unsigned char* data = stbi_load(png.c_str(), &im.w, &im.h, &n, 3);
    REQUIRE(data != nullptr);
    im.rgb.assign(data, data + static_cast<std::size_t>(im.w) * static_cast<std::size_t>(im.h) * 3);
    stbi_image_free(data);
    std::ifstream jf(png + ".json");
    REQUIRE(jf);
    jf >> im.meta;
    return im;
}

}  // namespace

TEST_CASE("plan gui: --mode zones tints the project's zones where the data says", "[view][plan][gui]") {
    hq::test::require_xvfb();
    hq::test::TempDir tmp;
    // The zones' own geometry, projected with the viewer's camera (from the sidecar).
    const hq::Project project = hq::load_project(hq::test::shuhan());
    const hq::Layer* layer = project.layer(hq::Role::Zones);
    REQUIRE(layer);
    REQUIRE(layer->size() == 3);
    // Both views on the zones (20 m around them): at the fitted view beside the docked panels
    // a zone is a few dozen pixels, mostly under its own label.
    hq::Box zb;
    for (const auto& g : layer->metric) zb.expand(g.bounds());
    zb = zb.inflated(20);
    const hq::Transformer to_lonlat(project.metric_crs, hq::Crs::wgs84());
    const Vec2 lo = to_lonlat.apply(Vec2{zb.minx, zb.miny}), hi = to_lonlat.apply(Vec2{zb.maxx, zb.maxy});
    char extent[160];
    std::snprintf(extent, sizeof extent, " --extent %.7f,%.7f,%.7f,%.7f", lo.x, lo.y, hi.x, hi.y);
    const Image base = screenshot(tmp, "dominant", "dominant", extent);
    const Image zones = screenshot(tmp, "zones", "zones", extent);
    REQUIRE(base.w == zones.w);
    REQUIRE(base.h == zones.h);
    Camera cam;
    const auto& cv = zones.meta["canvas"];
    cam.set_canvas({cv[0].get<double>(), cv[1].get<double>()}, {cv[2].get<double>(), cv[3].get<double>()});
    cam.center = {zones.meta["camera"]["center"][0].get<double>(), zones.meta["camera"]["center"][1].get<double>()};
    cam.scale = zones.meta["camera"]["scale"].get<double>();
    // Fill: IM_COL32(230, 81, 0, 80) blended over the map: out = base + (tint − base)·80/255.
    const double a = 80.0 / 255.0;
    int checked_fill = 0, checked_outline = 0, outside_same = 0;
    // Outside plan mode the map draws the zones as an outlined, labelled overlay (issue 13);
    // the fill is checked at interior points clear of the labels of both screenshots and
    // 4 px from the zone's edges.
    for (std::size_t i = 0; i < layer->size(); ++i) {
        const Geometry& g = layer->metric[i];
        const hq::Box bb = g.bounds();
        bool filled = false;
        for (int k = 1; k < 8 && !filled; ++k)
            for (int l = 1; l < 8 && !filled; ++l) {
                const Vec2 w{bb.minx + bb.width() * k / 8.0, bb.miny + bb.height() * l / 8.0};
                const Vec2 s = cam.world_to_screen(w);
                bool deep = true;
                for (const auto& d : {Vec2{4, 0}, Vec2{-4, 0}, Vec2{0, 4}, Vec2{0, -4}, Vec2{0, 0}})
                    deep = deep && hq::point_in_polygon(g, cam.screen_to_world({s.x + d.x, s.y + d.y}));
                if (!deep || zones.covered(s.x, s.y) || zones.in_label(s.x, s.y) || base.in_label(s.x, s.y)) continue;
                const int x = static_cast<int>(std::lround(s.x)), y = static_cast<int>(std::lround(s.y));
                const unsigned char* b = base.px(x, y);
                const unsigned char* z = zones.px(x, y);
                const int tint[3] = {230, 81, 0};
                for (int ch = 0; ch < 3; ++ch) CHECK(std::abs(z[ch] - (b[ch] + (tint[ch] - b[ch]) * a)) <= 4.0);
                filled = true;
            }
        if (!filled) continue;
        ++checked_fill;
        // Outline: each edge at a quarter, half and three quarters of its length is drawn in
        // (230, 81, 0) within 2 px (where no window or zone label covers it).
        const hq::Ring& r = g.polygons[0].rings[0];
        for (std::size_t q = 0; q + 1 < 3 * r.size(); ++q) {
            const std::size_t k = q / 3;
            if (k + 1 >= r.size()) break;
            const double t = 0.25 * static_cast<double>(q % 3 + 1);
            const Vec2 m = cam.world_to_screen({r[k].x + (r[k + 1].x - r[k].x) * t, r[k].y + (r[k + 1].y - r[k].y) * t});
            if (zones.covered(m.x, m.y) || zones.in_label(m.x, m.y)) continue;  // under a window or a zone's label
            bool found = false;
            for (int dy = -2; dy <= 2 && !found; ++dy)
                for (int dx = -2; dx <= 2 && !found; ++dx) {
                    const unsigned char* p = zones.px(static_cast<int>(std::lround(m.x)) + dx, static_cast<int>(std::lround(m.y)) + dy);
                    found = std::abs(p[0] - 230) <= 12 && std::abs(p[1] - 81) <= 12 && p[2] <= 12;
                }
            CHECK(found);
            ++checked_outline;
        }
    }
    CHECK(checked_fill >= 2);
    CHECK(checked_outline >= 6);
    // Away from the zones (the canvas centre row, outside every zone's box + margin), the
    // map is the same as without plan mode.
    for (int x = static_cast<int>(cv[0].get<double>()) + 40; x < static_cast<int>(cv[0].get<double>() + cv[2].get<double>()) - 40; x += 37) {
        const int y = static_cast<int>(cv[1].get<double>() + cv[3].get<double>() / 2);
        const Vec2 w = cam.screen_to_world({static_cast<double>(x), static_cast<double>(y)});
        bool near_zone = zones.covered(x, y) || zones.in_label(x, y) || base.in_label(x, y);
        for (std::size_t i = 0; i < layer->size(); ++i)
            if (layer->metric[i].bounds().inflated(8.0 / cam.scale).contains(w)) near_zone = true;
        if (near_zone) continue;
        const unsigned char* b = base.px(x, y);
        const unsigned char* z = zones.px(x, y);
        CHECK((b[0] == z[0] && b[1] == z[1] && b[2] == z[2]));
        ++outside_same;
    }
    CHECK(outside_same >= 5);
}

#endif  // HUQIAN_HAVE_VIEWER

#ifdef HUQIAN_HAVE_VIEWER
TEST_CASE("plan gui: --mode zones:Z-2 evaluates the zone live and outlines its catchment", "[view][plan][gui]") {
    hq::test::require_xvfb();
    hq::test::TempDir tmp;
    const Image shot = screenshot(tmp, "z2", "zones:Z-2");
    // The catchment from the geo API with the viewer's defaults (300 m, distance auto).
    const hq::Project project = hq::load_project(hq::test::shuhan());
    const hq::plan::Planner planner = hq::analysis::make_planner(project);
    const auto zones = hq::plan::zones_from_layer(*project.layer(hq::Role::Zones));
    REQUIRE(zones.size() == 3);
    REQUIRE(zones[1].id == "Z-2");
    const hq::plan::Catchment c = planner.catchment(zones[1].geometry);
    const hq::Layer& units = *project.analysis_layer();
    Camera cam;
    const auto& cv = shot.meta["canvas"];
    cam.set_canvas({cv[0].get<double>(), cv[1].get<double>()}, {cv[2].get<double>(), cv[3].get<double>()});
    cam.center = {shot.meta["camera"]["center"][0].get<double>(), shot.meta["camera"]["center"][1].get<double>()};
    cam.scale = shot.meta["camera"]["scale"].get<double>();
    // The zone window keeps off the selected zone (place_window): its rectangle and the
    // zone's screen bounds do not meet.
    hq::Box zone_px;
    const hq::Box zb = zones[1].geometry.bounds();
    zone_px.expand(cam.world_to_screen({zb.minx, zb.miny}));
    zone_px.expand(cam.world_to_screen({zb.maxx, zb.maxy}));
    bool window_found = false;
    for (const auto& win : shot.meta["windows"])
        if (win["name"] == "plan_zone") {
            window_found = true;
            const auto& r = win["rect"];
            const hq::Box wb{r[0].get<double>(), r[1].get<double>(), r[0].get<double>() + r[2].get<double>(),
                             r[1].get<double>() + r[3].get<double>()};
            INFO("window " << r.dump() << ", zone " << zone_px.minx << " " << zone_px.miny << " " << zone_px.maxx << " "
                           << zone_px.maxy);
            CHECK_FALSE(wb.intersects(zone_px));
        }
    CHECK(window_found);
    // Teal (0, 137, 123), opaque for units reached with weight 1, near an edge midpoint.
    auto teal_near = [&](Vec2 m) {
        for (int dy = -2; dy <= 2; ++dy)
            for (int dx = -2; dx <= 2; ++dx) {
                const unsigned char* p = shot.px(static_cast<int>(std::lround(m.x)) + dx, static_cast<int>(std::lround(m.y)) + dy);
                if (p[0] <= 25 && std::abs(p[1] - 137) <= 25 && std::abs(p[2] - 123) <= 25) return true;
            }
        return false;
    };
    int reached = 0, unreached = 0;
    for (std::size_t i = 0; i < units.size(); ++i) {
        const bool full = c.weight[i] >= 1.0, none = c.weight[i] <= 0.0;
        if (!full && !none) continue;
        const hq::Ring& r = units.metric[i].polygons.at(0).rings.at(0);
        int edges = 0, teal = 0;
        for (std::size_t k = 0; k + 1 < r.size(); ++k) {
            const Vec2 m = cam.world_to_screen({(r[k].x + r[k + 1].x) / 2, (r[k].y + r[k + 1].y) / 2});
            if (shot.covered(m.x, m.y) || shot.in_label(m.x, m.y) || m.x < 2 || m.y < 2 || m.x > shot.w - 3 ||
                m.y > shot.h - 3)
                continue;  // under a window or a label (the zones' labels are drawn above the catchment)
            ++edges;
            if (teal_near(m)) ++teal;
        }
        if (edges == 0) continue;
        INFO("unit " << units.ids[i] << " weight " << c.weight[i] << ": " << teal << " of " << edges << " edges teal");
        if (full) {
            CHECK(teal == edges);
            ++reached;
        } else {
            CHECK(teal == 0);
            ++unreached;
        }
    }
    CHECK(reached >= 3);
    CHECK(unreached >= 5);
}
#endif
