// Undo/redo grouping and the drawing logic without GL (geo/project/undo.hpp, edit.hpp).
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>

#include "geo/project/edit.hpp"
#include "geo/project/undo.hpp"

using Catch::Matchers::WithinRel;

using namespace hq;

namespace {

plan::Zone square_zone(const std::string& id, double x, double y, double s) {
    plan::Zone z;
    z.id = id;
    z.name_zh = "微花园 " + id;
    z.kind = plan::ZoneKind::MicroGarden;
    z.geometry = edit::rectangle({x, y}, {x + s, y + s});
    return z;
}

}  // namespace

TEST_CASE("undo and redo of zone edits, settings and scenarios", "[project][undo]") {
    plan::PlanDocument doc;
    UndoStack stack;
    CHECK_FALSE(stack.modified());
    stack.push(add_zone(doc, square_zone("Z-1", 0, 0, 10)));
    stack.push(add_zone(doc, square_zone("Z-2", 50, 0, 10)));
    CHECK(doc.zones.size() == 2);
    CHECK(doc.next_zone_id() == "Z-3");
    CHECK(stack.modified());

    plan::Zone attrs = *doc.find_zone("Z-1");
    attrs.name_en = "Garden";
    attrs.budget = 5000;
    stack.push(set_zone_attributes(doc, "Z-1", attrs));
    stack.push(set_setting(doc, "visible.streets", "false"));
    stack.push(set_setting(doc, "style.units.fill", "#c62828"));
    stack.push(set_scenario(doc, "A", plan::Scenario{"A", "", {"Z-1", "Z-2"}, {}}));
    stack.push(delete_zone(doc, "Z-2"));
    CHECK(doc.scenarios[0].zone_ids == std::vector<std::string>{"Z-1"});
    CHECK(stack.undo_text() == "Delete zone 微花园 Z-2");

    const plan::PlanDocument full = doc;
    CHECK(stack.undo());  // delete: zone and its scenario membership are back
    CHECK(doc.zones.size() == 2);
    CHECK(doc.zones[1].id == "Z-2");
    CHECK(doc.scenarios[0].zone_ids == std::vector<std::string>{"Z-1", "Z-2"});
    CHECK(stack.undo());  // scenario
    CHECK(doc.scenarios.empty());
    CHECK(stack.undo());  // style
    CHECK(doc.settings.count("style.units.fill") == 0);
    CHECK(stack.undo());  // visibility
    CHECK(doc.settings.empty());
    CHECK(stack.undo());  // attributes
    CHECK(doc.find_zone("Z-1")->name_en.empty());
    CHECK_FALSE(doc.find_zone("Z-1")->budget);
    while (stack.redo()) {
    }
    CHECK(doc == full);
    CHECK(stack.history().size() == 7);

    // A new edit after undo drops the redo steps.
    stack.undo();
    stack.push(set_setting(doc, "visible.venues", "true"));
    CHECK_FALSE(stack.can_redo());
    CHECK(stack.size() == 7);

    // A scenario edit may name itself (the viewer's household-move steps).
    plan::Scenario moved = doc.scenarios.at(0);
    moved.moves.push_back({"pop_a", "U1", "U2", 3});
    stack.push(set_scenario(doc, "A", moved, "Add household move (A)"));
    CHECK(stack.undo_text() == "Add household move (A)");
    CHECK(doc.scenarios.at(0).moves.size() == 1);
    CHECK(stack.undo());
    CHECK(doc.scenarios.at(0).moves.empty());
}

TEST_CASE("a drag is one undo step, an empty group is none, cancel restores", "[project][undo]") {
    plan::PlanDocument doc;
    UndoStack stack;
    stack.push(add_zone(doc, square_zone("Z-1", 0, 0, 10)));
    stack.mark_saved();
    const Geometry start = doc.zones[0].geometry;

    stack.begin_group("Move zone");
    for (int k = 1; k <= 20; ++k)  // 20 mouse-move events
        stack.push(set_zone_geometry(doc, "Z-1", edit::translate(start, {k * 1.0, 0.0}), "Move zone"));
    stack.end_group();
    CHECK(stack.size() == 2);
    CHECK(stack.modified());
    CHECK(doc.zones[0].geometry.polygons[0].rings[0][0].x == 20);
    CHECK(stack.undo());
    CHECK(plan::same_geometry(doc.zones[0].geometry, start));
    CHECK_FALSE(stack.modified());  // back at the saved state
    CHECK(stack.redo());
    CHECK(doc.zones[0].geometry.polygons[0].rings[0][0].x == 20);

    stack.begin_group("Nothing");
    stack.end_group();
    CHECK(stack.size() == 2);

    const auto before = doc;
    stack.begin_group("Drag vertex");
    stack.push(set_zone_geometry(doc, "Z-1", edit::move_vertex(doc.zones[0].geometry, {0, 0, 2}, {99, 99})));
    stack.push(set_zone_geometry(doc, "Z-1", edit::move_vertex(doc.zones[0].geometry, {0, 0, 2}, {98, 98})));
    stack.cancel_group();  // Esc during the drag
    CHECK(doc == before);
    CHECK(stack.size() == 2);

    // A failing command is not recorded.
    CHECK_THROWS_AS(stack.push(delete_zone(doc, "Z-9")), InputError);
    CHECK(stack.size() == 2);
}

TEST_CASE("polygon drawing: add, Backspace, Enter, Esc with confirmation", "[project][edit]") {
    edit::PolygonDrawing d;
    CHECK(d.escape() == edit::EscapeResult::Nothing);
    CHECK(d.add_vertex({0, 0}));
    CHECK_FALSE(d.add_vertex({0, 0}));  // double click on the same point
    d.add_vertex({10, 0});
    CHECK_FALSE(d.finish());  // two vertices: keeps drawing
    CHECK(d.vertices().size() == 2);
    d.add_vertex({10, 10});
    d.add_vertex({5, 20});
    CHECK(d.remove_last_vertex());  // Backspace
    CHECK(d.vertices().size() == 3);
    // Esc with 3 vertices cancels at once.
    CHECK(d.escape() == edit::EscapeResult::Cancelled);
    CHECK_FALSE(d.drawing());

    for (Vec2 p : {Vec2{0, 0}, Vec2{10, 0}, Vec2{10, 10}, Vec2{0, 10}}) d.add_vertex(p);
    CHECK(d.escape() == edit::EscapeResult::NeedsConfirmation);
    CHECK(d.needs_confirmation());
    CHECK(d.vertices().size() == 4);
    CHECK_FALSE(d.add_vertex({5, 5}));  // ignored while asking
    d.keep_drawing();
    CHECK(d.escape() == edit::EscapeResult::NeedsConfirmation);
    CHECK(d.escape() == edit::EscapeResult::Nothing);  // Esc on the question dismisses it
    CHECK(d.vertices().size() == 4);
    const auto poly = d.finish();
    REQUIRE(poly);
    CHECK_THAT(planar_area(*poly), Catch::Matchers::WithinRel(100, 1e-12));
    CHECK(poly->polygons[0].rings[0].front() == poly->polygons[0].rings[0].back());
    CHECK_FALSE(d.drawing());

    for (Vec2 p : {Vec2{0, 0}, Vec2{10, 0}, Vec2{10, 10}, Vec2{0, 10}}) d.add_vertex(p);
    d.escape();
    d.confirm_cancel();
    CHECK_FALSE(d.drawing());
}

TEST_CASE("rectangle, circle, buffer and translate", "[project][edit]") {
    CHECK_THAT(planar_area(edit::rectangle({10, 10}, {0, 5})), Catch::Matchers::WithinRel(50, 1e-12));
    CHECK_THROWS_AS(edit::rectangle({0, 0}, {0, 5}), InputError);
    // 64-gon inscribed in r = 100: area (n/2) r² sin(2π/n).
    CHECK_THAT(planar_area(edit::circle({0, 0}, 100, 64)), Catch::Matchers::WithinRel(32 * 100.0 * 100.0 * std::sin(2 * std::numbers::pi / 64), 1e-12));
    CHECK_THROWS_AS(edit::circle({0, 0}, 0), InputError);
    const Geometry b = edit::buffer_feature(Geometry::point({0, 0}), 10, 16);
    CHECK_THAT(planar_area(b), WithinRel(std::numbers::pi * 100, 0.01));
    CHECK_THROWS_AS(edit::buffer_feature(Geometry::point({0, 0}), -1), InputError);
    CHECK(edit::translate(edit::rectangle({0, 0}, {1, 1}), {5, 6}).bounds().minx == 5);
}

TEST_CASE("vertex drag, insert and delete", "[project][edit]") {
    const Geometry sq = edit::rectangle({0, 0}, {10, 10});  // (0,0) (10,0) (10,10) (0,10) (0,0)
    const auto v = edit::nearest_vertex(sq, {9.5, 9.2}, 1.0);
    REQUIRE(v);
    CHECK(*v == edit::VertexRef{0, 0, 2});
    CHECK_FALSE(edit::nearest_vertex(sq, {5, 5}, 1.0));
    const Geometry moved = edit::move_vertex(sq, {0, 0, 0}, {-5, -5});
    CHECK(moved.polygons[0].rings[0].back() == Vec2{-5, -5});  // the closing vertex follows
    CHECK_THAT(planar_area(moved), Catch::Matchers::WithinRel(100 + 50, 1e-12));             // triangle (−5,−5),(10,0),(0,10) added: 2·25

    const auto e = edit::nearest_edge(sq, {5, 0.4}, 1.0);
    REQUIRE(e);
    CHECK(e->edge == edit::VertexRef{0, 0, 0});
    CHECK(e->point == Vec2{5, 0});
    const Geometry ins = edit::insert_vertex(sq, e->edge, {5, -5});
    CHECK(ins.polygons[0].rings[0].size() == 6);
    CHECK_THAT(planar_area(ins), Catch::Matchers::WithinRel(125, 1e-12));

    const Geometry del = edit::delete_vertex(ins, {0, 0, 1});
    CHECK_THAT(planar_area(del), Catch::Matchers::WithinRel(100, 1e-12));
    const Geometry tri = edit::delete_vertex(sq, {0, 0, 0});
    CHECK(tri.polygons[0].rings[0].front() == tri.polygons[0].rings[0].back());
    CHECK_THAT(planar_area(tri), Catch::Matchers::WithinRel(50, 1e-12));
    CHECK_THROWS_AS(edit::delete_vertex(tri, {0, 0, 0}), InputError);
    CHECK_THROWS_AS(edit::move_vertex(sq, {0, 1, 0}, {0, 0}), InputError);
}

TEST_CASE("snapping to vertices first, then edges, within the tolerance", "[project][edit]") {
    edit::Snapper s({edit::rectangle({0, 0}, {10, 10}), edit::rectangle({20, 0}, {30, 10})});
    auto r = s.snap({10.3, 9.8}, 0.5);
    REQUIRE(r);
    CHECK(r->kind == edit::SnapResult::Kind::Vertex);
    CHECK(r->point == Vec2{10, 10});
    CHECK(r->feature == 0);
    // 0.4 from the edge x = 20 but 0.6+ from any vertex (tolerance 1: vertex (20,0) is 5 away).
    r = s.snap({19.6, 5}, 1.0);
    REQUIRE(r);
    CHECK(r->kind == edit::SnapResult::Kind::Edge);
    CHECK_THAT(r->point.x, Catch::Matchers::WithinRel(20, 1e-12));
    CHECK_THAT(r->point.y, Catch::Matchers::WithinRel(5, 1e-12));
    CHECK(r->feature == 1);
    // A vertex within the tolerance wins over a nearer edge.
    r = s.snap({10.2, 0.9}, 1.0);  // edge x = 10 at 0.2, vertex (10, 0) at 0.92
    REQUIRE(r);
    CHECK(r->kind == edit::SnapResult::Kind::Vertex);
    CHECK_FALSE(s.snap({15, 5}, 1.0));
    CHECK(s.snapped({15, 5}, 1.0) == Vec2{15, 5});
    s.enabled = false;
    CHECK_FALSE(s.snap({10.3, 9.8}, 0.5));
}

TEST_CASE("validity check flags a bow-tie and repair fixes it on request", "[project][edit]") {
    const Geometry bow = Geometry::polygon({{0, 0}, {10, 10}, {10, 0}, {0, 10}, {0, 0}});
    const auto v = edit::check_zone(bow);
    CHECK_FALSE(v.valid);
    CHECK(v.reason.find("Self-intersection") != std::string::npos);
    const Geometry fixed = edit::repair_zone(bow);
    CHECK(edit::check_zone(fixed).valid);
    CHECK_THAT(planar_area(fixed), Catch::Matchers::WithinRel(50, 1e-12));  // two triangles of 25
    CHECK(edit::check_zone(edit::rectangle({0, 0}, {1, 1})).valid);
    CHECK_FALSE(edit::check_zone(Geometry::point({0, 0})).valid);
}
