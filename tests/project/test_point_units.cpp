// Point units (households geocoded as points) through every surface: the indices, the KDE
// heatmap, the maps' proportional symbols, the export and the report (issue 16, items 4–5).
#include <catch2/catch.hpp>

#include <gdal.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "app/carto/scene.hpp"
#include "geo/io/reader.hpp"
#include "geo/project/project.hpp"
#include "tests/test_support.hpp"

using namespace hq;
using Catch::Matchers::WithinAbs;
using hq::test::run_huqian;
using hq::test::TempDir;

namespace {

/// Four households as points in Chengdu, 40 m apart, counts by hand:
///   H1 a=40 b=10 (50), H2 a=30 b=30 (60), H3 a=10 b=40 (50), H4 a=20 b=20 (40); A = B = 100.
/// Dissimilarity of a against the rest (= b here): D = ½ Σ |a_i/A − b_i/B|
///   = ½ (|0.4−0.1| + |0.3−0.3| + |0.1−0.4| + |0.2−0.2|) = 0.3.
void write_point_project(const std::string& dir) {
    std::filesystem::create_directories(dir);
    const int a[] = {40, 30, 10, 20}, b[] = {10, 30, 40, 20};
    std::string fc = R"({"type":"FeatureCollection","features":[)";
    for (int i = 0; i < 4; ++i) {
        fc += std::string(i ? "," : "") + R"({"type":"Feature","properties":{"id":"H)" + std::to_string(i + 1) +
              R"(","pop_a":)" + std::to_string(a[i]) + R"(,"pop_b":)" + std::to_string(b[i]) +
              R"(},"geometry":{"type":"Point","coordinates":[)" + std::to_string(104.06 + 0.0004 * i) + ",30.66]}}";
    }
    std::ofstream(dir + "/households.geojson") << fc << "]}";
    std::ofstream(dir + "/project.json") << R"({"huqian_manifest": 1, "name": {"zh": "户点测试", "en": "Household points"},
      "crs": "EPSG:4544", "unit_noun": {"zh": "户", "en": "household"},
      "layers": {"units": {"path": "households.geojson", "id": "id"}},
      "groups": [{"column": "pop_a", "zh": "甲", "en": "A"}, {"column": "pop_b", "zh": "乙", "en": "B"}]})";
}

/// stdout alone (the JSON), stderr dropped.
std::string stdout_of(const std::vector<std::string>& args) {
    std::string cmd = std::string("'") + HUQIAN_EXE + "'";
    for (const auto& x : args) cmd += " '" + x + "'";
    FILE* p = ::popen((cmd + " 2>/dev/null").c_str(), "r");
    REQUIRE(p);
    std::string out;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    ::pclose(p);
    return out;
}

}  // namespace

TEST_CASE("point units: a manifest's units layer of points loads, and the indices use it") {
    TempDir t;
    const std::string dir = t.file("hh");
    write_point_project(dir);
    const Project p = load_project(dir);
    REQUIRE(p.layer(Role::Units));
    CHECK(p.layer(Role::Units)->geom_type == GeomType::Point);
    const auto j = nlohmann::json::parse(stdout_of({"indices", dir, "--group", "pop_a", "--json", "--permutations", "9"}));
    CHECK(j["units"] == 4);
    CHECK_THAT(j["single_group"]["dissim"].get<double>(), WithinAbs(0.3, 1e-12));
}

TEST_CASE("point units: the KDE heatmap weights each household by its count") {
    TempDir t;
    const std::string dir = t.file("hh");
    write_point_project(dir);
    const std::string tif = t.file("heat.tif");
    const auto r = run_huqian({"heatmap", dir, "--group", "pop_a", "--radius", "60", "--pixel", "5", "-o", tif});
    INFO(r.out);
    REQUIRE(r.code == 0);
    init_gdal();
    GDALDatasetH ds = GDALOpen(tif.c_str(), GA_ReadOnly);
    REQUIRE(ds);
    GDALRasterBandH band = GDALGetRasterBand(ds, 1);
    const int w = GDALGetRasterXSize(ds), h = GDALGetRasterYSize(ds);
    std::vector<double> v(static_cast<std::size_t>(w) * static_cast<std::size_t>(h));
    REQUIRE(GDALRasterIO(band, GF_Read, 0, 0, w, h, v.data(), w, h, GDT_Float64, 0, 0) == CE_None);
    double gt[6];
    REQUIRE(GDALGetGeoTransform(ds, gt) == CE_None);
    GDALClose(ds);
    // The surface is highest near H1 (weight 40) and lowest near H3 (weight 10): sample the
    // cells holding the two households (their metric x from the grid's own transform).
    const Project p = load_project(dir);
    const Layer& l = *p.layer(Role::Units);
    auto at = [&](std::size_t i) {
        const Vec2 q = l.metric[i].points[0];
        const int c = static_cast<int>((q.x - gt[0]) / gt[1]), rr = static_cast<int>((q.y - gt[3]) / gt[5]);
        REQUIRE(c >= 0);
        REQUIRE(c < w);
        REQUIRE(rr >= 0);
        REQUIRE(rr < h);
        return v[static_cast<std::size_t>(rr) * static_cast<std::size_t>(w) + static_cast<std::size_t>(c)];
    };
    CHECK(at(0) > at(2));
    CHECK(at(2) > 0);
}

TEST_CASE("point units: maps draw proportional circles, export and report succeed and list the households") {
    TempDir t;
    const std::string dir = t.file("hh");
    write_point_project(dir);
    auto p = std::make_shared<const Project>(load_project(dir));
    carto::MapRequest rq;
    rq.kind = carto::MapKind::Dominant;
    const carto::Scene s = carto::build_scene(p, rq);
    std::vector<const carto::PointSymbol*> units;
    for (const auto& sym : s.points)
        if (sym.role == Role::Units) units.push_back(&sym);
    REQUIRE(units.size() == 4);
    // Radius 2.5 + 8.5 √(t / max t) px, max t = 60 (H2): H2 11 px, H4 (40) 2.5 + 8.5 √(2/3).
    CHECK_THAT(units[1]->radius_px, WithinAbs(11.0, 1e-5));
    CHECK_THAT(units[3]->radius_px, WithinAbs(2.5 + 8.5 * 0.816496580927726, 1e-5));
    CHECK(s.polygons.empty());

    for (const std::string kind : {"composition", "dominant", "heatmap:pop_a", "lisa:pop_a"}) {
        const std::string out = t.file(kind.substr(0, kind.find(':')) + ".svg");
        const auto r = run_huqian({"export", dir, "--map", kind, "-o", out});
        INFO(kind << ": " << r.out);
        CHECK(r.code == 0);
        CHECK(test::slurp(out).find("<svg") != std::string::npos);
    }

    const std::string rep = t.file("report");
    const auto r = run_huqian({"report", dir, "-o", rep});
    INFO(r.out);
    REQUIRE(r.code == 0);
    const std::string md = test::slurp(std::filesystem::path(rep) / "report.md");
    for (const char* id : {"H1", "H2", "H3", "H4"}) CHECK(md.find(id) != std::string::npos);
    CHECK(md.find("户点测试") != std::string::npos);
}
