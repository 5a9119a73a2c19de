// The synthetic city (geo/synth): determinism, size, counts, valid polygons tiling the square.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <set>
#include <string>

#include "geo/core/error.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/io/reader.hpp"
#include "geo/io/writer.hpp"
#include "geo/synth/synth.hpp"
#include "tests/test_support.hpp"

using Catch::Matchers::WithinRel;

namespace {

bool same_layer(const hq::Layer& a, const hq::Layer& b) {
    if (a.table.rows != b.table.rows || a.ids != b.ids || a.metric.size() != b.metric.size()) return false;
    for (std::size_t i = 0; i < a.metric.size(); ++i) {
        if (a.metric[i].polygons.size() != b.metric[i].polygons.size()) return false;
        for (std::size_t p = 0; p < a.metric[i].polygons.size(); ++p)
            if (a.metric[i].polygons[p].rings != b.metric[i].polygons[p].rings) return false;
    }
    return true;
}

}  // namespace

TEST_CASE("Synthetic city: size, fields, counts and geometry", "[synth]") {
    hq::SynthOptions o;
    o.units = 500;
    o.groups = 4;
    o.seed = 7;
    const hq::Layer city = hq::synth_city(o);
    REQUIRE(city.size() == 500);
    REQUIRE(city.table.rows.size() == 500);
    REQUIRE(city.metric.size() == 500);
    REQUIRE(city.display.size() == 500);
    CHECK(city.source_crs.epsg == 32648);
    CHECK_FALSE(city.planar);

    REQUIRE(city.table.fields.size() == 6);
    CHECK(city.table.fields[0].name == "id");
    CHECK(city.table.fields[1].name == "pop_g01");
    CHECK(city.table.fields[4].name == "pop_g04");
    CHECK(city.table.fields[5].name == "total");
    for (const auto& f : city.table.fields) CHECK(f.type == hq::FieldType::Integer);

    std::set<std::string> ids(city.ids.begin(), city.ids.end());
    CHECK(ids.size() == 500);

    std::vector<std::int64_t> group_sum(4, 0);
    std::int64_t zero_units = 0;
    for (const auto& row : city.table.rows) {
        std::int64_t s = 0;
        for (int g = 0; g < 4; ++g) {
            const auto v = std::get<std::int64_t>(row[static_cast<std::size_t>(g) + 1]);
            CHECK(v >= 0);
            s += v;
            group_sum[static_cast<std::size_t>(g)] += v;
        }
        CHECK(std::get<std::int64_t>(row[5]) == s);
        if (s == 0) ++zero_units;
    }
    for (auto s : group_sum) CHECK(s > 0);  // every group is present somewhere
    CHECK(zero_units < 50);

    // Voronoi cells clipped to the square: valid, and together they tile it exactly.
    const double side = std::sqrt(500 * o.mean_unit_area);
    double total_area = 0.0;
    hq::Box all;
    for (const auto& g : city.metric) {
        CHECK(g.type == hq::GeomType::Polygon);
        const hq::Validity v = hq::check_validity(g);
        CHECK(v.valid);
        const double a = hq::planar_area(g);
        CHECK(a > 0.0);
        total_area += a;
        all.expand(g.bounds());
    }
    CHECK_THAT(total_area, WithinRel(side * side, 1e-9));
    CHECK_THAT(all.minx, Catch::Matchers::WithinRel(o.origin.x, 1e-12));
    CHECK_THAT(all.maxy, Catch::Matchers::WithinRel(o.origin.y + side, 1e-12));
    // Display is WGS 84 near Chengdu.
    const hq::Box d = city.display[0].bounds();
    CHECK(d.minx > 103.0);
    CHECK(d.maxx < 105.0);
    CHECK(d.miny > 30.0);
    CHECK(d.maxy < 31.0);
}

TEST_CASE("Synthetic city is deterministic per seed", "[synth]") {
    hq::SynthOptions o;
    o.units = 300;
    o.groups = 3;
    o.seed = 11;
    const hq::Layer a = hq::synth_city(o);
    const hq::Layer b = hq::synth_city(o);
    CHECK(same_layer(a, b));
    // The thread count does not matter.
    ::setenv("HUQIAN_THREADS", "1", 1);
    const hq::Layer one = hq::synth_city(o);
    ::unsetenv("HUQIAN_THREADS");
    CHECK(same_layer(a, one));
    o.seed = 12;
    const hq::Layer c = hq::synth_city(o);
    CHECK_FALSE(same_layer(a, c));
    CHECK(a.table.rows != c.table.rows);
}

TEST_CASE("Synthetic city writes as a GeoPackage that reads back", "[synth]") {
    hq::test::TempDir dir;
    hq::SynthOptions o;
    o.units = 200;
    o.groups = 2;
    const hq::Layer city = hq::synth_city(o);
    hq::WriteOptions w;
    w.metric_crs = city.source_crs;
    hq::write_layer(city, dir.file("city.gpkg"), w);
    const hq::Layer back = hq::read_layer_raw(dir.file("city.gpkg"));
    REQUIRE(back.size() == 200);
    CHECK(back.source_crs.epsg == 32648);
    CHECK(back.ids == city.ids);
    const int col = back.table.field_index("pop_g02");
    REQUIRE(col >= 0);
    CHECK(back.table.rows[17][static_cast<std::size_t>(col)] == city.table.rows[17][2]);
}

TEST_CASE("Synthetic city refuses bad options", "[synth]") {
    hq::SynthOptions o;
    o.units = 0;
    CHECK_THROWS_AS(hq::synth_city(o), hq::InputError);
    o.units = 10;
    o.groups = 0;
    CHECK_THROWS_AS(hq::synth_city(o), hq::InputError);
    o.groups = 100;
    CHECK_THROWS_AS(hq::synth_city(o), hq::InputError);
    CHECK(hq::synth_group_column(0) == "pop_g01");
    CHECK(hq::synth_group_column(11) == "pop_g12");
}
