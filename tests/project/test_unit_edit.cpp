// Editing a project's units from nothing, with undo (geo/project/unit_edit.hpp): digitise,
// reshape, delete, edit cells with validation, paste a block from a spreadsheet.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "geo/project/unit_edit.hpp"
#include "geo/project/undo.hpp"

using namespace hq;

namespace {

/// A project with no layers yet, measured in CGCS2000 / 3-degree GK CM 105E (EPSG:4544) and
/// one group (pop_han) counted on the units.
Project empty_project() {
    Project p;
    p.path = "new";
    p.metric_crs = Crs::from_user_input("EPSG:4544");
    p.groups.push_back({"pop_han", "", "", "汉族", "Han", "#9e9e9e"});
    p.count_roles = {"units"};
    return p;
}

/// A square courtyard of side `s` metres at (x, y) in EPSG:4544 (Chengdu: x ≈ 500 km + offset).
Geometry square(double x, double y, double s = 50) {
    return Geometry::polygon({{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}});
}

}  // namespace

TEST_CASE("unit edit: digitising units on an empty project, undo and redo") {
    Project p = empty_project();
    UndoStack stack;
    // EPSG:4544 false easting 500 km at 105°E: x = 403 km lies near 104°E (Chengdu), y = 3394 km near 30.66°N.
    const double x0 = 403000, y0 = 3394000;
    stack.push(add_feature(p, Role::Units, next_feature_id(p, Role::Units), square(x0, y0)));
    REQUIRE(p.layer(Role::Units));
    const Layer* l = p.layer(Role::Units);
    CHECK(l->ids == std::vector<std::string>{"U-1"});
    // The display geometry is WGS 84 lon/lat near Chengdu.
    const Vec2 d = l->display[0].polygons[0].rings[0][0];
    CHECK_THAT(d.x, Catch::Matchers::WithinAbs(103.99, 0.05));
    CHECK_THAT(d.y, Catch::Matchers::WithinAbs(30.66, 0.05));
    stack.push(add_feature(p, Role::Units, next_feature_id(p, Role::Units), square(x0 + 60, y0)));
    CHECK(p.layer(Role::Units)->ids == std::vector<std::string>{"U-1", "U-2"});
    CHECK_THROWS_WITH(stack.push(add_feature(p, Role::Units, "U-1", square(x0, y0 + 60))), Catch::Contains("the id is taken"));
    CHECK_THROWS_WITH(stack.push(add_feature(p, Role::Venues, "V", square(x0, y0 + 60))),
                      Catch::Contains("does not suit the venues layer"));
    CHECK(stack.size() == 2);

    // A reshape and a delete, each one step.
    stack.push(set_feature_geometry(p, Role::Units, "U-2", square(x0 + 60, y0, 80)));
    CHECK_THAT(planar_area(p.layer(Role::Units)->metric[1]), Catch::Matchers::WithinAbs(6400, 1e-6));
    stack.push(delete_feature(p, Role::Units, "U-1"));
    CHECK(p.layer(Role::Units)->ids == std::vector<std::string>{"U-2"});
    REQUIRE(stack.undo());
    CHECK(p.layer(Role::Units)->ids == std::vector<std::string>{"U-1", "U-2"});
    REQUIRE(stack.undo());
    CHECK_THAT(planar_area(p.layer(Role::Units)->metric[1]), Catch::Matchers::WithinAbs(2500, 1e-6));
    REQUIRE(stack.redo());
    CHECK_THAT(planar_area(p.layer(Role::Units)->metric[1]), Catch::Matchers::WithinAbs(6400, 1e-6));
    // Undo to the start: the layer made by the first unit is gone again.
    while (stack.undo()) {
    }
    CHECK(p.layer(Role::Units) == nullptr);
    REQUIRE(stack.redo());
    CHECK(p.layer(Role::Units)->ids == std::vector<std::string>{"U-1"});
}

TEST_CASE("unit edit: the attribute table checks counts and pastes blocks all or nothing") {
    Project p = empty_project();
    UndoStack stack;
    for (int i = 0; i < 3; ++i) stack.push(add_feature(p, Role::Units, "Y" + std::to_string(i + 1), square(403000 + 60.0 * i, 3394000)));
    stack.push(add_column(p, Role::Units, {"pop_han", FieldType::Integer}));
    stack.push(add_column(p, Role::Units, {"名称", FieldType::String}));
    const Layer* l = p.layer(Role::Units);
    // A new count column starts at 0 for every unit (a count is never empty).
    CHECK(read_counts(*l, "pop_han") == std::vector<double>{0, 0, 0});

    stack.push(set_cell(p, Role::Units, "Y2", "pop_han", " 12 "));
    CHECK(read_counts(*l, "pop_han") == std::vector<double>{0, 12, 0});
    CHECK_THROWS_WITH(set_cell(p, Role::Units, "Y2", "pop_han", "-1"),
                      Catch::Contains("Y2") && Catch::Contains("pop_han") && Catch::Contains("is not a count"));
    CHECK_THROWS_WITH(set_cell(p, Role::Units, "Y2", "pop_han", "2.5"), Catch::Contains("\"2.5\" is not a count"));
    CHECK_THROWS_WITH(set_cell(p, Role::Units, "Y2", "pop_han", ""), Catch::Contains("is not a count"));
    CHECK_THROWS_WITH(set_cell(p, Role::Units, "Y9", "pop_han", "1"), Catch::Contains("no such feature"));

    // A 3 × 2 block from a spreadsheet (Windows line ends, a trailing newline).
    const std::size_t before = stack.size();
    paste_cells(stack, p, Role::Units, "Y1", "pop_han", "5\t东院\r\n6\t西院\r\n7\t北院\r\n");
    CHECK(stack.size() == before + 1);
    CHECK(stack.undo_text() == "Paste 6 cells");
    CHECK(read_counts(*l, "pop_han") == std::vector<double>{5, 6, 7});
    CHECK(value_to_string(l->table.rows[2][static_cast<std::size_t>(l->table.field_index("名称"))]) == "北院");
    // A bad cell anywhere: nothing is pasted.
    CHECK_THROWS_WITH(paste_cells(stack, p, Role::Units, "Y1", "pop_han", "1\ta\nx\tb"), Catch::Contains("\"x\" is not a count"));
    CHECK_THROWS_WITH(paste_cells(stack, p, Role::Units, "Y2", "pop_han", "1\n2\n3"), Catch::Contains("runs past the last row"));
    CHECK_THROWS_WITH(paste_cells(stack, p, Role::Units, "Y1", "名称", "a\tb"), Catch::Contains("runs past the last column"));
    CHECK(read_counts(*l, "pop_han") == std::vector<double>{5, 6, 7});
    CHECK(stack.size() == before + 1);
    REQUIRE(stack.undo());
    CHECK(read_counts(*l, "pop_han") == std::vector<double>{0, 12, 0});
}
