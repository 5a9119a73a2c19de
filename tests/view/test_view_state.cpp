// The viewer's view state in the planning document and the planning UI's remaining logic,
// without GL (view_state.hpp, plan_tools.hpp): layer visibility, opacity, order and map style
// as undo steps that undo/redo read back into the view and the .gpkg keeps; straight-line vs
// network distance; household moves checked, undone and saved; Save of a folder project
// asking for a path (also after a recovery); one active map tool; the zone window kept off
// the zone.
//
// [SECTION] index
//   View state: layers, settings
//   Plan distance, map settings, radius
//   Household moves
//   Panels without GL, save, map tools, window placement
#include <catch2/catch.hpp>

#ifdef HUQIAN_HAVE_VIEWER

#include <algorithm>
#include <filesystem>
#include <set>

#include <imgui.h>

#include "app/view/app.hpp"
#include "app/view/plan_panels.hpp"
#include "app/view/panels.hpp"
#include "app/view/plan_tools.hpp"
#include "app/view/view_state.hpp"
#include "geo/core/error.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/project/edit.hpp"
#include "geo/project/gpkg_project.hpp"
#include "tests/test_support.hpp"
#include "tests/view/view_test_support.hpp"

using hq::Box;
using hq::Geometry;
using hq::Vec2;
using namespace hq::view;
using hq::test::settle;

namespace {

/// Two groups over three units U1..U3, A = (10, 0, 5), B = (3, 4, 0), as the move form sees them.
const std::vector<std::vector<double>> kMoveCounts{{10, 0, 5}, {3, 4, 0}};
const std::vector<std::string> kMoveUnits{"U1", "U2", "U3"};
MoveContext move_context_ab() {
    MoveContext c;
    c.counts = kMoveCounts;
    c.unit_ids = kMoveUnits;
    c.group_keys = {{"pop_a", "Group A", "甲族"}, {"pop_b", "Group B", "乙族"}};
    c.group_names = {"Group A", "Group B"};
    return c;
}

/// data/shuhan copied to a temporary folder (saves go beside it).
std::string copy_shuhan(const hq::test::TempDir& tmp) {
    const std::string dir = tmp.file("shuhan");
    std::filesystem::copy(hq::test::shuhan(), dir, std::filesystem::copy_options::recursive);
    return dir;
}

/// A viewer Controller (no window) on a fresh copy of data/shuhan, opened and settled.
struct ShuhanApp {
    hq::test::TempDir tmp;
    std::string dir = copy_shuhan(tmp);
    ViewerOptions o;
    Controller app{o, {}};
    ShuhanApp() {
        app.open_project(dir);
        REQUIRE(settle(app));
    }
};

const LayerState& layer(const Controller& app, const std::string& key) {
    for (const LayerState& l : app.ui.layers)
        if (l.key == key) return l;
    FAIL("no layer " << key);
    return app.ui.layers.front();
}

std::vector<std::string> layer_order(const Controller& app) {
    std::vector<std::string> keys;
    for (const LayerState& l : app.ui.layers) keys.push_back(l.key);
    return keys;
}

/// The keys of `order` that are in `of`, in `order`'s order (the layers of a composition map
/// and of a heatmap differ: pies vs raster).
std::vector<std::string> common(const std::vector<std::string>& order, const std::vector<std::string>& of) {
    std::vector<std::string> out;
    for (const std::string& k : order)
        if (std::find(of.begin(), of.end(), k) != of.end()) out.push_back(k);
    return out;
}

}  // namespace

// [SECTION] View state: layers, settings --------------------------------------------------

TEST_CASE("view state: layer visibility, opacity, order and map style are undo steps kept in the .gpkg",
          "[view][plan][settings]") {
    ShuhanApp fixture;
    auto& [tmp, dir, o, app] = fixture;
    REQUIRE(app.model.data);
    REQUIRE(app.ui.layers.size() >= 3);
    PlanEditor& ed = app.model.plan;
    CHECK(ed.doc().settings.empty());
    const std::vector<std::string> opened_order = layer_order(app);
    const std::string a = app.ui.layers[0].key, b = app.ui.layers[1].key;
    CHECK(app.ui.mode == Mode::Composition);  // the defaults as opened
    CHECK(app.ui.radius_m == 80.0f);

    // Hide a layer: one step, the document says so; a view setting is no plan edit (no "*").
    app.ui.layers[0].visible = false;
    REQUIRE(commit_view_settings(app, layer_visible_key(a), "Hide layer A"));
    CHECK(ed.doc().settings.at(layer_visible_key(a)) == "false");
    CHECK(ed.undo_stack().size() == 1);
    CHECK_FALSE(ed.modified());
    CHECK(ed.view_modified());
    CHECK_FALSE(commit_view_settings(app, layer_visible_key(a), "Hide layer A"));  // nothing changed: no step
    CHECK(history_label("Hide layer 院落", UiLang::Zh) == "隐藏图层「院落」");
    CHECK(history_label("Layer opacity Courtyards", UiLang::Zh) == "图层不透明度「Courtyards」");
    CHECK(ed.undo_stack().size() == 1);

    // A slider drag: the opacity changes live several times, the release commits once.
    for (float v : {0.9f, 0.6f, 0.25f}) app.ui.layers[1].opacity = v;
    REQUIRE(commit_view_settings(app, layer_opacity_key(b), "Layer opacity B"));
    CHECK(ed.undo_stack().size() == 2);
    CHECK(ed.doc().settings.at(layer_opacity_key(b)) == "0.25");

    // The mode panel: heatmap with a 150 m radius, one "Map mode" step holding only what changed.
    app.ui.mode = Mode::Heatmap;
    app.ui.radius_m = 150;
    REQUIRE(commit_map_settings(app));
    CHECK(ed.undo_stack().undo_text() == "Map mode");
    CHECK(history_label(ed.undo_stack().undo_text(), UiLang::Zh) == "地图模式");
    CHECK(ed.doc().settings.at("map.mode") == "heatmap");
    CHECK(ed.doc().settings.at("map.heatmap_radius") == "150");
    CHECK_FALSE(ed.doc().settings.count("map.ramp"));  // unchanged since opening: not stored
    app.ui.ramp = "YlGnBu_r";
    REQUIRE(commit_map_settings(app));
    CHECK(ed.undo_stack().undo_text() == "Map style");

    // Layer order: the top two swapped.
    std::swap(app.ui.layers[0], app.ui.layers[1]);
    REQUIRE(commit_view_settings(app, kOrderKey, "Layer order"));
    CHECK(ed.undo_stack().size() == 5);
    const std::vector<std::string> swapped = layer_order(app);

    // Undo step by step: the view follows the document (the function the main loop calls).
    REQUIRE(ed.undo());
    sync_view_from_document(app);
    CHECK(layer_order(app) == opened_order);
    REQUIRE(ed.undo());
    sync_view_from_document(app);
    CHECK(app.ui.ramp == "viridis");
    CHECK(app.ui.mode == Mode::Heatmap);
    REQUIRE(ed.undo());
    sync_view_from_document(app);
    CHECK(app.ui.mode == Mode::Composition);
    CHECK(app.ui.radius_m == 80.0f);
    CHECK(app.model.request.kind == hq::carto::MapKind::Composition);  // the scene was requested again
    REQUIRE(settle(app));
    REQUIRE(ed.undo());
    sync_view_from_document(app);
    CHECK(layer(app, b).opacity == 1.0f);
    REQUIRE(ed.undo());
    sync_view_from_document(app);
    CHECK(layer(app, a).visible);
    CHECK_FALSE(ed.undo_stack().can_undo());

    // Redo all through the History panel's jump: everything is back.
    REQUIRE(ed.jump_to(5));
    sync_view_from_document(app);
    CHECK_FALSE(layer(app, a).visible);
    CHECK(layer(app, b).opacity == 0.25f);
    CHECK(app.ui.mode == Mode::Heatmap);
    CHECK(app.ui.radius_m == 150.0f);
    CHECK(app.ui.ramp == "YlGnBu_r");
    CHECK(layer_order(app) == swapped);
    CHECK(app.model.request.kind == hq::carto::MapKind::Heatmap);
    REQUIRE(settle(app));

    // Saved in the project GeoPackage, restored by a fresh viewer that opens it.
    const std::string gpkg = tmp.file("styled.gpkg");
    app.plan_save(gpkg);
    REQUIRE(settle(app));
    CHECK_FALSE(ed.modified());
    CHECK_FALSE(ed.view_modified());
    Controller app2(o, {});
    app2.open_project(gpkg);
    REQUIRE(settle(app2));
    REQUIRE(app2.model.data);
    CHECK(app2.model.plan.doc().settings == ed.doc().settings);
    CHECK(app2.ui.mode == Mode::Heatmap);
    CHECK(app2.ui.radius_m == 150.0f);
    CHECK(app2.ui.ramp == "YlGnBu_r");
    CHECK(app2.model.request.kind == hq::carto::MapKind::Heatmap);
    CHECK_FALSE(layer(app2, a).visible);
    CHECK(layer(app2, b).opacity == 0.25f);
    CHECK(common(layer_order(app2), swapped) == common(swapped, layer_order(app2)));
    CHECK(common(layer_order(app2), swapped).size() >= 3);
    CHECK(common(layer_order(app2), swapped).front() == b);  // the swap, not the canonical order
    CHECK_FALSE(app2.model.plan.modified());

    // View > Labels flips the flag directly: the next frame records it as a step.
    app2.ui.show_labels = false;
    sync_view_from_document(app2);
    CHECK(app2.model.plan.doc().settings.at(kLabelsKey) == "false");
    CHECK(app2.model.plan.undo_stack().undo_text() == "Show or hide labels");
    REQUIRE(app2.model.plan.undo());
    sync_view_from_document(app2);
    CHECK(app2.ui.show_labels);
}

TEST_CASE("view state: settings that do not parse are ignored, absent keys take the state as opened",
          "[view][plan][settings]") {
    UiState ui;
    ui.layers = {{"role:units", true, 1.0f}, {"role:streets", true, 1.0f}, {"role:venues", true, 1.0f}};
    const SettingsMap baseline{{"map.mode", "dominant"}, {"map.heatmap_radius", "120"}};
    const std::vector<std::string> canonical{"role:units", "role:streets", "role:venues"};
    SettingsMap s{{"map.heatmap_radius", "abc"},
                  {"map.weights", "rook"},
                  {"map.colour", "#ff8000"},
                  {"layer.role:streets.visible", "false"},
                  {"layer.role:venues.opacity", "0.4"},
                  {kOrderKey, "role:venues\nrole:units"}};
    const ViewChange c = apply_view_settings(s, baseline, ui, nullptr, canonical);
    CHECK(c.scene);
    CHECK(c.layers);
    CHECK(ui.mode == Mode::Dominant);  // absent: the baseline's
    CHECK(ui.radius_m == 80.0f);       // "abc" ignored: unchanged
    CHECK(ui.weights == 1);
    CHECK(ui.single_color[0] == 1.0f);
    CHECK_THAT(ui.single_color[1], Catch::Matchers::WithinRel(128.0 / 255.0, 1e-6));  // a float channel
    CHECK_FALSE(ui.layers[1].visible);
    // The listed layers take the places they held (0 and 2) in the listed order; streets,
    // not listed, stays in the middle.
    REQUIRE(ui.layers.size() == 3);
    CHECK(ui.layers[0].key == "role:venues");
    CHECK(ui.layers[0].opacity == 0.4f);
    CHECK(ui.layers[1].key == "role:streets");
    CHECK(ui.layers[2].key == "role:units");
    // Applying the same settings again changes nothing.
    const ViewChange again = apply_view_settings(s, baseline, ui, nullptr, canonical);
    CHECK_FALSE(again.scene);
    CHECK_FALSE(again.layers);
    // Without the order key the canonical order comes back.
    s.erase(kOrderKey);
    CHECK(apply_view_settings(s, baseline, ui, nullptr, canonical).layers);
    CHECK(ui.layers[0].key == "role:units");
    CHECK(ui.layers[2].key == "role:venues");
}

// [SECTION] Plan distance, map settings, radius -------------------------------------------

TEST_CASE("plan distance: straight-line or along the streets, the network needs a streets layer",
          "[view][plan][distance]") {
    ShuhanApp fixture;
    auto& [tmp, dir, o, app] = fixture;
    PlanUi& pu = app.ui.plan;
    CHECK(pu.streets_available);  // data/shuhan/streets.geojson
    pu.distance = hq::plan::DistanceMode::Straight;
    app.plan_request_planner();
    REQUIRE(settle(app));
    REQUIRE(app.model.planner);
    CHECK(app.model.planner->distance_mode() == hq::plan::DistanceMode::Straight);
    // A 10 m circle at a courtyard's point, evaluated within 300 m both ways. Every path along
    // the streets is at least as long as the straight line between its ends (triangle
    // inequality), so the network reaches a subset: never more residents.
    const Geometry zone = hq::edit::circle(hq::point_on_surface(app.model.data->units->metric[5]), 10.0);
    const hq::plan::ZoneEvaluation straight = app.model.planner->evaluate(zone);
    CHECK(straight.distance == hq::plan::DistanceMode::Straight);
    pu.distance = hq::plan::DistanceMode::Network;
    app.plan_request_planner();
    REQUIRE(settle(app));
    REQUIRE(app.model.planner);
    CHECK(app.model.planner->distance_mode() == hq::plan::DistanceMode::Network);
    const hq::plan::ZoneEvaluation network = app.model.planner->evaluate(zone);
    CHECK(network.distance == hq::plan::DistanceMode::Network);
    CHECK(network.residents_reached <= straight.residents_reached + 1e-9);
    CHECK(network.residents_reached > 0);  // the courtyard the zone stands in
    // A radius change keeps the chosen mode.
    pu.radius_m = 200;
    app.plan_request_planner();
    REQUIRE(settle(app));
    CHECK(app.model.planner->distance_mode() == hq::plan::DistanceMode::Network);
    CHECK(app.model.planner->options().radius == 200.0);

    // A project without streets: the network choice is not offered.
    Controller single(o, {});
    single.open_project(dir + "/courtyards.geojson");
    REQUIRE(settle(single));
    REQUIRE(single.model.data);
    CHECK_FALSE(single.ui.plan.streets_available);
}

TEST_CASE("composition glyph and the share merged into other: map settings the scene follows",
          "[view][settings][glyph]") {
    ShuhanApp fixture;
    auto& [tmp, dir, o, app] = fixture;
    PlanEditor& ed = app.model.plan;
    REQUIRE(app.ui.mode == Mode::Composition);
    REQUIRE(app.model.scene);
    for (const auto& g : app.model.scene->pies) CHECK(g.style == hq::carto::GlyphStyle::Pie);
    // The mode panel: stacked bars, groups under 10 % merged.
    app.ui.glyph = 1;
    app.ui.other_share_pct = 10.0f;
    REQUIRE(commit_map_settings(app));
    app.request_scene();
    REQUIRE(settle(app));
    CHECK(ed.doc().settings.at("map.glyph") == "bar");
    CHECK(ed.doc().settings.at("map.other_share") == "10");
    CHECK(app.model.request.glyph == hq::carto::GlyphStyle::Bar);
    CHECK_THAT(app.model.request.other_share, Catch::Matchers::WithinRel(0.10, 1e-12));
    REQUIRE(!app.model.scene->pies.empty());
    const hq::carto::Color grey = hq::carto::Color::rgb(189, 189, 189);
    for (const auto& g : app.model.scene->pies) {
        CHECK(g.style == hq::carto::GlyphStyle::Bar);
        // Every slice but "other" is at least 10 % of its unit.
        for (const auto& [share, colour] : g.slices)
            if (!(colour == grey)) CHECK(share >= 0.10f - 1e-6f);
    }
    // Undo: pies again, 3 %.
    REQUIRE(ed.undo());
    sync_view_from_document(app);
    CHECK(app.ui.glyph == 0);
    CHECK(app.ui.other_share_pct == 3.0f);
    REQUIRE(settle(app));
    for (const auto& g : app.model.scene->pies) CHECK(g.style == hq::carto::GlyphStyle::Pie);
}

TEST_CASE("plan radius and distance measure: undo steps kept in the .gpkg, the planner follows",
          "[view][plan][distance][settings]") {
    ShuhanApp fixture;
    auto& [tmp, dir, o, app] = fixture;
    PlanUi& pu = app.ui.plan;
    PlanEditor& ed = app.model.plan;
    const float radius0 = pu.radius_m;  // as opened: 300 m, auto distance
    REQUIRE(radius0 == 300.0f);
    app.plan_request_planner();
    REQUIRE(settle(app));
    // The zone window's slider released at 450 m, then "straight line" clicked: two steps.
    pu.radius_m = 450.0f;
    REQUIRE(commit_view_settings(app, kPlanRadiusKey, "Catchment radius"));
    pu.distance = hq::plan::DistanceMode::Straight;
    REQUIRE(commit_view_settings(app, kPlanDistanceKey, "Distance measure"));
    CHECK(ed.doc().settings.at(kPlanRadiusKey) == "450");
    CHECK(ed.doc().settings.at(kPlanDistanceKey) == "straight");
    CHECK(ed.undo_stack().size() == 2);
    CHECK(history_label(ed.undo_stack().undo_text(), UiLang::Zh) == "距离计算方式");
    // Nothing changed: no step.
    CHECK_FALSE(commit_view_settings(app, kPlanRadiusKey, "Catchment radius"));

    // Undo the distance: the view reads auto back and rebuilds the planner with it.
    REQUIRE(ed.undo());
    sync_view_from_document(app);
    CHECK(pu.distance == hq::plan::DistanceMode::Auto);
    CHECK(pu.radius_m == 450.0f);
    REQUIRE(settle(app));
    REQUIRE(app.model.planner);
    CHECK(app.model.planner->options().radius == 450.0);
    CHECK(app.model.planner->distance_mode() == hq::plan::DistanceMode::Network);  // auto + streets
    REQUIRE(ed.undo());
    sync_view_from_document(app);
    CHECK(pu.radius_m == radius0);
    REQUIRE(ed.redo());
    REQUIRE(ed.redo());
    sync_view_from_document(app);
    REQUIRE(settle(app));
    CHECK(app.model.planner->options().radius == 450.0);
    CHECK(app.model.planner->distance_mode() == hq::plan::DistanceMode::Straight);

    // Saved with the project, restored on open.
    const std::string gpkg = tmp.file("radius.gpkg");
    app.plan_save(gpkg);
    REQUIRE(settle(app));
    Controller app2(o, {});
    app2.open_project(gpkg);
    REQUIRE(settle(app2));
    CHECK(app2.ui.plan.radius_m == 450.0f);
    CHECK(app2.ui.plan.distance == hq::plan::DistanceMode::Straight);
    // A bad value is ignored (the state as opened stays).
    SettingsMap bad = app2.model.plan.doc().settings;
    bad[kPlanRadiusKey] = "wide";
    bad[kPlanDistanceKey] = "by air";
    UiState ui = app2.ui;
    apply_view_settings(bad, app2.ui.plan.view_baseline, ui, app2.model.data.get(), {});
    CHECK(ui.plan.radius_m == 450.0f);
    CHECK(ui.plan.distance == hq::plan::DistanceMode::Straight);
}

// [SECTION] Household moves ---------------------------------------------------------------

TEST_CASE("household moves: checked in order with clear messages, like geo's apply_moves",
          "[view][plan][moves]") {
    // Two groups over three units: A = (10, 0, 5), B = (3, 4, 0).
    const std::vector<std::string>& units = kMoveUnits;
    MoveContext c = move_context_ab();
    using Move = hq::plan::HouseholdMove;
    hq::seg::CountMatrix m;
    m.units = 3;
    m.groups = 2;
    m.data = {10, 3, 0, 4, 5, 0};  // unit-major
    m.names = {"pop_a", "pop_b"};

    // Valid: 6 of A from U1 to U2, then those 6 on to U3 (U2 had none before).
    const std::vector<Move> ok{{"pop_a", "U1", "U2", 6}, {"Group A", "U2", "U3", 6}};
    CHECK(check_moves(c, ok, UiLang::En).empty());
    CHECK(residents_before_move(c, ok, 1, "pop_a", "U2") == 6.0);  // 0 + 6
    CHECK(residents_before_move(c, ok, 0, "甲族", "U1") == 10.0);
    CHECK(residents_before_move(c, ok, 2, "pop_a", "U3") == 11.0);  // 5 + 6
    const auto after = hq::plan::apply_moves(m, units, c.group_keys, ok);
    CHECK(after.data[2 * 2 + 0] == 11.0);  // geo agrees: U3 has 11 of A

    // Too many: U1 has 10 − 6 = 4 of A left when the second move wants 5.
    const std::vector<Move> many{{"pop_a", "U1", "U2", 6}, {"pop_a", "U1", "U3", 5}};
    CHECK(check_moves(c, many, UiLang::En) ==
          "Move 2: U1 has only 4 residents of Group A at that point, so 5 cannot move out");
    CHECK(check_moves(c, many, UiLang::Zh) == "第 2 条迁居：此时U1只有Group A居民 4 人，不能迁出 5 人");
    CHECK_THROWS_AS(hq::plan::apply_moves(m, units, c.group_keys, many), hq::InputError);

    CHECK(check_moves(c, {{"pop_b", "U2", "U2", 1}}, UiLang::En) ==
          "Move 1: the from and to units are the same (U2)");
    CHECK_THROWS_AS(hq::plan::apply_moves(m, units, c.group_keys, {{"pop_b", "U2", "U2", 1}}),
                    hq::InputError);
    CHECK(check_moves(c, {{"pop_x", "U1", "U2", 1}}, UiLang::En) == "Move 1: unknown group \"pop_x\"");
    CHECK(check_moves(c, {{"pop_a", "U1", "U9", 1}}, UiLang::En) == "Move 1: unknown unit \"U9\"");
    CHECK(check_moves(c, {{"pop_a", "U1", "U2", 0}}, UiLang::En) ==
          "Move 1: the number of residents must be a positive whole number");
    CHECK_FALSE(check_moves(c, {{"pop_a", "U1", "U2", 1.5}}, UiLang::En).empty());
    // Exactly all of them may move.
    CHECK(check_moves(c, {{"pop_b", "U2", "U1", 4}}, UiLang::En).empty());
    CHECK(fill("{2}-{1}-{3}", {"a", "b"}) == "b-a-");
}

TEST_CASE("household moves under the guard: the move form and its messages print no withheld count",
          "[view][plan][moves][privacy]") {
    // A = (10, 0, 5), B = (3, 4, 0): B's 3 in U1 is withheld.
    const hq::privacy::DisclosurePolicy policy;
    const hq::privacy::ProtectedTable cells =
        hq::privacy::units_by_groups_table(kMoveCounts, hq::privacy::group_totals_table({15, 7}, policy));
    REQUIRE(cells.cell(0, 1).suppressed());
    const std::string shown = hq::privacy::count_text(cells.cell(0, 1), policy);  // "<5" or "x"
    REQUIRE(shown.find('3') == std::string::npos);
    MoveContext c = move_context_ab();
    using Move = hq::plan::HouseholdMove;
    // Without the table: the count, as before.
    CHECK(residents_before_move_text(c, {}, 0, "pop_a", "U1") == "10");
    CHECK(check_moves(c, {{"pop_b", "U1", "U2", 4}}, UiLang::En) ==
          "Move 1: U1 has only 3 residents of Group B at that point, so 4 cannot move out");
    c.cells = &cells;
    CHECK(check_moves(c, {{"pop_b", "U1", "U2", 4}}, UiLang::En) ==
          "Move 1: U1 has fewer than 4 residents of Group B at that point, so they cannot move out (the count is not "
          "shown under the privacy guard)");
    CHECK(check_moves(c, {{"pop_b", "U1", "U2", 4}}, UiLang::Zh) ==
          "第 1 条迁居：此时U1的Group B居民不足 4 人，不能迁出（隐私保护下不显示人数）");
    // The withheld cell as its table prints it, with the public change of the earlier moves.
    CHECK(residents_before_move_text(c, {}, 0, "pop_b", "U1") == shown);
    const std::vector<Move> in{{"pop_b", "U2", "U1", 4}, {"pop_b", "U1", "U3", 5}};
    CHECK(residents_before_move(c, in, 1, "pop_b", "U1") == 7.0);
    CHECK(residents_before_move_text(c, in, 1, "pop_b", "U1") == shown + " +4");
    CHECK(check_moves(c, in, UiLang::En).empty());
    CHECK(residents_before_move_text(c, {}, 0, "pop_x", "U1") == "—");
}

TEST_CASE("household moves in the viewer: undoable scenario edits saved with the scenario",
          "[view][plan][moves]") {
    ShuhanApp fixture;
    auto& [tmp, dir, o, app] = fixture;
    PlanEditor& ed = app.model.plan;
    const ProjectData& d = *app.model.data;
    // The first group living in unit 0 (the counts say how many).
    std::size_t g = 0;
    while (g < d.counts.size() && d.counts[g][0] < 2) ++g;
    REQUIRE(g < d.counts.size());
    const std::string col = d.project->groups[g].column;
    const std::string u0 = d.units->ids[0], u1 = d.units->ids[1];
    const double have = d.counts[g][0];

    hq::plan::Scenario sc{"S-1", "", {"Z-1"}, {}};
    REQUIRE(ed.set_scenario("S-1", sc));
    sc.moves.push_back({col, u0, u1, 2});
    REQUIRE(ed.set_scenario("S-1", sc, "Add household move (S-1)"));
    CHECK(history_label(ed.undo_stack().undo_text(), UiLang::Zh) == "添加迁居 (S-1)");
    sc.moves[0].count = have;  // all of them
    REQUIRE(ed.set_scenario("S-1", sc, "Edit household move (S-1)"));
    CHECK(ed.doc().scenarios.at(0).moves.at(0).count == have);
    CHECK(ed.undo());
    CHECK(ed.doc().scenarios.at(0).moves.at(0).count == 2.0);
    CHECK(ed.undo());
    CHECK(ed.doc().scenarios.at(0).moves.empty());
    CHECK(ed.redo());
    CHECK(ed.redo());

    // What the window checks before it allows the edit: one more than unit 0 has is refused.
    MoveContext ctx;
    ctx.counts = d.counts;
    ctx.unit_ids = d.units->ids;
    for (const auto& gd : d.project->groups) {
        ctx.group_keys.push_back({gd.column, gd.name_en, gd.name_zh});
        ctx.group_names.push_back(gd.name_en);
    }
    CHECK(check_moves(ctx, ed.doc().scenarios[0].moves, UiLang::En).empty());
    auto too_many = ed.doc().scenarios[0].moves;
    too_many[0].count = have + 1;
    CHECK_FALSE(check_moves(ctx, too_many, UiLang::En).empty());

    // Saved with the scenario in the project GeoPackage.
    const std::string gpkg = tmp.file("moves.gpkg");
    app.plan_save(gpkg);
    REQUIRE(settle(app));
    Controller app2(o, {});
    app2.open_project(gpkg);
    REQUIRE(settle(app2));
    REQUIRE(app2.model.plan.doc().scenarios.size() == 1);
    CHECK(app2.model.plan.doc().scenarios[0] == ed.doc().scenarios[0]);
}

// [SECTION] Panels without GL, save, map tools, window placement --------------------------

TEST_CASE("the plan, layers, mode and scenarios panels draw (moves form open) without GL", "[view][plan][moves]") {
    ShuhanApp fixture;
    auto& [tmp, dir, o, app] = fixture;
    PlanEditor& ed = app.model.plan;
    const ProjectData& d = *app.model.data;
    hq::plan::Scenario sc{"S-1", "", {"Z-1"}, {{d.project->groups[0].column, d.units->ids[0], d.units->ids[1], 1}}};
    REQUIRE(ed.set_scenario("S-1", sc));
    PlanUi& pu = app.ui.plan;
    pu.active = true;
    pu.show_scenarios = true;
    ed.select("Z-2");
    hq::test::headless_imgui(1280, 800);
    // Frames 0-1: the newly selected zone brings the zone tab to the front of the right-hand
    // panel; frames 2-5: the scenarios tab (a focus request shows the next frame) with the
    // move form editing move 1, then (frame 4) a new one.
    for (int frame = 0; frame < 6; ++frame) {
        if (frame == 2) {
            app.ui.focus_tab = "plan_scenarios";
            pu.move_scenario = "S-1";
            pu.move_index = 0;
            pu.move_from = d.units->ids[0];
            pu.move_to = d.units->ids[0];  // the same unit: a message, OK disabled
        }
        if (frame == 4) pu.move_index = -1;
        ImGui::NewFrame();
        app.ui.frame_windows.clear();
        const Layout layout = compute_layout(1280, 800, app.ui);
        ImGui::Begin("sidebar");
        draw_mode_panel(app.model, app.ui, app);
        draw_layers_panel(app.model, app.ui, app);
        draw_plan_panel(app.model, app.ui, app);
        ImGui::End();
        draw_plan_windows(app.model, app.ui, app);
        draw_right_panel(app.model, app.ui, app, layout);
        ImGui::Render();
        std::set<std::string> shown;
        for (const WindowRect& r : app.ui.frame_windows) shown.insert(r.name);
        INFO("frame " << frame);
        CHECK(shown.count("right_panel") == 1);
        if (frame == 1) CHECK(shown.count("plan_zone") == 1);
        if (frame >= 3) CHECK(shown.count("plan_scenarios") == 1);
    }
    ImGui::DestroyContext();
    CHECK(ed.doc().scenarios.at(0) == sc);  // drawing changed nothing
    CHECK(pu.move_scenario == "S-1");
}

TEST_CASE("save: a folder project asks for a .gpkg path, also after recovering its autosave",
          "[view][plan][save]") {
    namespace fs = std::filesystem;
    ShuhanApp fixture;
    auto& [tmp, dir, o, app] = fixture;
    PlanEditor& ed = app.model.plan;
    PlanUi& pu = app.ui.plan;
    ed.select("Z-1");
    REQUIRE(ed.delete_selected());

    // Save = Save As: the question, suggesting DIR/shuhan.gpkg beside project.json; nothing is written.
    const std::string target = dir + "/shuhan.gpkg";
    plan_save_or_ask(app);
    CHECK(pu.save_as_popup);
    CHECK(pu.save_path_input == target);
    CHECK_FALSE(app.jobs.busy());
    CHECK_FALSE(fs::exists(target));
    pu.save_as_popup = false;

    // Autosave goes to the target's recovery file, in the folder; recovering it leaves the
    // document without a file, so Save still asks (and autosave keeps using the same file).
    pu.autosave.interval_s = 0;
    app.plan_tick(1.0);
    REQUIRE(settle(app));
    const std::string rec = hq::recovery_path(target);
    CHECK(rec == dir + "/shuhan.recovery.gpkg");
    REQUIRE(fs::exists(rec));
    pu.recovery_is_project = false;  // what the recovery offer records for a folder project
    pu.recovering = target;
    pu.open_confirmed = rec;
    app.open_project(rec);
    REQUIRE(settle(app));
    CHECK(ed.doc().zones.size() == 2);  // Z-1 deleted before the autosave
    CHECK(ed.path().empty());
    CHECK(ed.modified());
    plan_save_or_ask(app);
    CHECK(pu.save_as_popup);
    CHECK(pu.save_path_input == target);
    CHECK_FALSE(fs::exists(target));

    // A project GeoPackage saves to itself without asking.
    pu.save_as_popup = false;
    const std::string gpkg = tmp.file("p.gpkg");
    app.plan_save(gpkg);
    REQUIRE(settle(app));
    CHECK_FALSE(fs::exists(rec));  // the recovery file of DIR/shuhan.gpkg is gone with the save
    ed.select("Z-2");
    REQUIRE(ed.delete_selected());
    plan_save_or_ask(app);
    CHECK_FALSE(pu.save_as_popup);
    REQUIRE(settle(app));
    CHECK_FALSE(ed.modified());
}

TEST_CASE("one active map tool: measuring and plan drawing never share a click", "[view][plan][tools]") {
    ViewerOptions o;
    Controller app(o, {});
    PlanEditor& ed = app.model.plan;
    ed.snap = false;
    CHECK(active_tool(app) == ActiveTool::None);
    activate_plan_tool(app, PlanTool::Polygon);  // turns plan mode on
    CHECK(app.ui.plan.active);
    CHECK(active_tool(app) == ActiveTool::Plan);
    ed.press({0, 0}, 0.5);
    ed.press({10, 0}, 0.5);
    CHECK(ed.drawing());

    activate_measure(app, true);  // key M
    CHECK(active_tool(app) == ActiveTool::Measure);
    CHECK(ed.tool() == PlanTool::Select);  // the drawing tool is put down ...
    CHECK_FALSE(ed.drawing());             // ... with its unfinished shape
    CHECK(app.ui.plan.active);             // the zones stay on the map

    activate_plan_tool(app, PlanTool::Rectangle);  // picking a drawing tool ends measuring
    CHECK_FALSE(app.ui.measure_active);
    CHECK(active_tool(app) == ActiveTool::Plan);
    CHECK(ed.tool() == PlanTool::Rectangle);

    // View > Measure flips the flag directly: the next frame resolves it the same way.
    app.ui.measure_active = true;
    resolve_active_tool(app);
    CHECK(ed.tool() == PlanTool::Select);
    CHECK(active_tool(app) == ActiveTool::Measure);
    ed.set_tool(PlanTool::Circle);  // not through activate_plan_tool: nothing resolves it ...
    resolve_active_tool(app);       // ... and a measure already seen is not re-activated
    CHECK(ed.tool() == PlanTool::Circle);

    set_plan_mode(app, true);  // plan mode switched on again: measuring ends
    CHECK_FALSE(app.ui.measure_active);
    activate_measure(app, true);
    set_plan_mode(app, false);
    CHECK(active_tool(app) == ActiveTool::Measure);
    activate_measure(app, false);
    CHECK(active_tool(app) == ActiveTool::None);
}

#endif  // HUQIAN_HAVE_VIEWER
