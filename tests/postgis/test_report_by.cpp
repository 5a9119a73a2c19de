// report --by COLUMN (issue 18): the district summary pack from a generated multi-community
// GeoPackage (the PostGIS case is in test_postgis.cpp). Its table must be `indices --by`'s JSON, value
// for value; its map a real picture of the parts.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "geo/analysis/by.hpp"
#include "geo/io/writer.hpp"
#include "geo/project/project.hpp"
#include "tests/postgis/report_pack.hpp"
#include "tests/test_support.hpp"

using namespace hq;

TEST_CASE("report --by community from a generated GeoPackage: the indices --by table and a map", "[by][report]") {
    test::TempDir dir;
    const std::string city = dir.file("city.gpkg");
    REQUIRE(test::run_huqian({"synth", "--units", "400", "--groups", "3", "--seed", "7", "-o", city}).code == 0);
    // Four communities of 100 units each, by feature order (synth writes them row by row).
    Project p = load_project(city, {});
    Layer& l = p.layers.at(0).layer;
    l.table.fields.push_back({"community", FieldType::String});
    for (std::size_t i = 0; i < l.size(); ++i) l.table.rows[i].push_back(Value{"社区" + std::to_string(1 + i / 100)});
    WriteOptions w;
    w.metric_crs = p.metric_crs;
    w.layer_name = "units";
    w.id_field = "";
    const std::string district = dir.file("district.gpkg");
    write_layer(l, district, w);
    const std::string groups = "pop_g01,pop_g02,pop_g03";
    const auto by = test::run_huqian({"indices", district, "--layer", "units", "--by", "community", "--groups", groups, "--json"});
    INFO(by.out);
    REQUIRE(by.code == 0);
    const auto jb = nlohmann::json::parse(by.out.substr(by.out.find('{')));
    REQUIRE(jb.at("rows").size() == 4);
    const std::string pack = dir.file("pack");
    const auto rep = test::run_huqian({"report", district, "--layer", "units", "--by", "community", "--groups", groups,
                                       "--lang", "en", "-o", pack});
    INFO(rep.out);
    REQUIRE(rep.code == 0);
    test::check_pack(pack, jb, "map_multi_info_theory.png");
    // Another index on the map; an unknown one is refused with the list, exit 1.
    const auto other = test::run_huqian({"report", district, "--layer", "units", "--by", "community", "--groups", groups,
                                         "--map-index", "multi_dissim", "-o", pack});
    REQUIRE(other.code == 0);
    CHECK(std::filesystem::exists(std::filesystem::path(pack) / "map_multi_dissim.png"));
    CHECK_FALSE(std::filesystem::exists(std::filesystem::path(pack) / "map_multi_info_theory.png"));  // a whole new pack
    const auto bad = test::run_huqian({"report", district, "--layer", "units", "--by", "community", "--groups", groups,
                                       "--map-index", "nope", "-o", pack});
    CHECK(bad.code == 1);
    CHECK(bad.out.find("--map-index nope: not among the computed indices (multi_dissim") != std::string::npos);
    const auto missing = test::run_huqian({"report", district, "--layer", "units", "--by", "street", "-o", dir.file("x")});
    CHECK(missing.code == 1);
    CHECK(missing.out.find("--by: no such column in the analysis layer") != std::string::npos);
}

TEST_CASE("indices by a column: the values do not depend on the order the source returns the units", "[by]") {
    // A database returns a community's rows in its own order; a file in another. Within a part
    // the units are taken by id, so the values are the same to the last bit.
    test::TempDir dir;
    const std::string city = dir.file("city.gpkg");
    REQUIRE(test::run_huqian({"synth", "--units", "300", "--groups", "3", "--seed", "11", "-o", city}).code == 0);
    Project p = load_project(city, {});
    Layer& l = p.layers.at(0).layer;
    l.table.fields.push_back({"community", FieldType::String});
    for (std::size_t i = 0; i < l.size(); ++i) l.table.rows[i].push_back(Value{std::string(i % 3 == 0 ? "A" : "B")});
    Project q = p;
    Layer& r = q.layers.at(0).layer;
    std::reverse(r.ids.begin(), r.ids.end());
    std::reverse(r.table.rows.begin(), r.table.rows.end());
    std::reverse(r.metric.begin(), r.metric.end());
    std::reverse(r.display.begin(), r.display.end());
    analysis::SegregationRequest rq;
    rq.groups = {"pop_g01", "pop_g02", "pop_g03"};
    const auto a = analysis::segregation_by(p, "community", rq);
    const auto b = analysis::segregation_by(q, "community", rq);
    REQUIRE(a.rows.size() == 2);
    REQUIRE(b.rows.size() == 2);
    REQUIRE(a.value_names == b.value_names);
    std::size_t compared = 0;
    for (std::size_t k = 0; k < 2; ++k)
        for (std::size_t j = 0; j < a.value_names.size(); ++j) {
            INFO(a.rows[k].key << " " << a.value_names[j]);
            if (std::isnan(a.rows[k].values[j])) {
                CHECK(std::isnan(b.rows[k].values[j]));
                continue;
            }
            CHECK(a.rows[k].values[j] == b.rows[k].values[j]);  // bit-identical, not close
            ++compared;
        }
    CHECK(compared >= 10);
    // split_by: numbers by value ("9" before "10"), whatever order the rows came in.
    const auto parts = analysis::split_by(q, "community");
    for (const auto& part : parts)
        for (std::size_t m = 1; m < part.rows.size(); ++m)
            CHECK(std::stoll(r.ids[part.rows[m - 1]]) < std::stoll(r.ids[part.rows[m]]));
}
