// analysis::group_split_totals, which `huqian info` prints: hand-worked sums of a group's
// total, registered and temporary columns; -1 where the manifest names no such column.
#include <catch2/catch.hpp>

#include "geo/analysis/counts.hpp"
#include "geo/core/error.hpp"
#include "geo/project/edit.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;

TEST_CASE("group_split_totals: totals and the registered/temporary split", "[analysis]") {
    using namespace hq;
    Project p;
    p.path = "memory";
    p.planar = true;
    p.count_roles = {"units"};
    p.groups = {{"pop_a", "reg_a", "tmp_a", "甲族", "Alpha", "#1565c0"}, {"pop_b", "", "", "乙族", "Beta", "#9e9e9e"}};
    Layer u;
    u.table.name = "units";
    u.table.path = "units.geojson";
    u.table.fields = {{"pop_a", FieldType::Integer}, {"reg_a", FieldType::Integer}, {"tmp_a", FieldType::Integer},
                      {"pop_b", FieldType::Integer}};
    u.ids = {"U1", "U2"};
    u.metric = {edit::rectangle({0, 0}, {10, 10}), edit::rectangle({20, 0}, {30, 10})};
    u.display = u.metric;
    u.table.rows.push_back({Value{std::int64_t{12}}, Value{std::int64_t{7}}, Value{std::int64_t{5}}, Value{std::int64_t{3}}});
    u.table.rows.push_back({Value{std::int64_t{8}}, Value{std::int64_t{6}}, Value{std::int64_t{2}}, Value{std::int64_t{9}}});
    u.geom_type = GeomType::Polygon;
    p.layers.push_back({Role::Units, std::move(u)});

    const auto t = analysis::group_split_totals(p);
    REQUIRE(t.size() == 2);
    CHECK_THAT(t[0].total, WithinAbs(20.0, 0.0));       // 12 + 8
    CHECK_THAT(t[0].registered, WithinAbs(13.0, 0.0));  // 7 + 6
    CHECK_THAT(t[0].temporary, WithinAbs(7.0, 0.0));    // 5 + 2
    CHECK_THAT(t[1].total, WithinAbs(12.0, 0.0));       // 3 + 9
    CHECK_THAT(t[1].registered, WithinAbs(-1.0, 0.0));  // the manifest names no column
    CHECK_THAT(t[1].temporary, WithinAbs(-1.0, 0.0));

    // A registered column the layer lacks is an error naming it.
    p.groups[1].registered_column = "reg_b";
    try {
        (void)analysis::group_split_totals(p);
        FAIL("no error for a missing registered column");
    } catch (const InputError& e) {
        CHECK_THAT(std::string(e.what()), Contains("reg_b"));
    }
}
