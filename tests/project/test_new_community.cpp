// A community from nothing (issue 16, item 4): an empty folder, an orthophoto GeoTIFF, unit
// polygons and the committee's XLSX roster with Chinese headers become a project through
// `huqian project new` and `huqian project import-roster`, and `huqian report` writes its pack.
// Also the model of `project new` (geo/project/new_project.hpp) and its refusals.
#include <catch2/catch.hpp>

#include <cpl_conv.h>
#include <cpl_json.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <fstream>
#include <string>
#include <vector>

#include "geo/io/reader.hpp"
#include "geo/project/new_project.hpp"
#include "geo/project/project.hpp"
#include "tests/project/xlsx_support.hpp"
#include "tests/test_support.hpp"

using namespace hq;
using hq::test::run_huqian;
using hq::test::slurp;
using hq::test::TempDir;

namespace {

// Four courtyards in a row in Chengdu (104.06°E, 30.66°N), 80 m × 80 m each, ids Y1..Y4.
void write_units(const std::string& path, bool points = false) {
    std::string fc = R"({"type":"FeatureCollection","features":[)";
    for (int i = 0; i < 4; ++i) {
        const double x = 104.06 + 0.001 * i, y = 30.66, d = 0.0008;
        const std::string id = "Y" + std::to_string(i + 1);
        std::string geom;
        if (points) {
            geom = R"({"type":"Point","coordinates":[)" + std::to_string(x + d / 2) + "," + std::to_string(y + d / 2) + "]}";
        } else {
            auto pt = [](double a, double b) { return "[" + std::to_string(a) + "," + std::to_string(b) + "]"; };
            geom = R"({"type":"Polygon","coordinates":[[)" + pt(x, y) + "," + pt(x + d, y) + "," + pt(x + d, y + d) + "," +
                   pt(x, y + d) + "," + pt(x, y) + "]]}";
        }
        fc += std::string(i ? "," : "") + R"({"type":"Feature","properties":{"id":")" + id + R"(","名称":"院落)" +
              std::to_string(i + 1) + R"("},"geometry":)" + geom + "}";
    }
    std::ofstream(path) << fc << "]}";
}

void write_boundary(const std::string& path) {
    std::ofstream(path) << R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"社区"},)"
                        << R"("geometry":{"type":"Polygon","coordinates":[[[104.0595,30.6595],[104.0645,30.6595],)"
                        << R"([104.0645,30.6615],[104.0595,30.6615],[104.0595,30.6595]]]}}]})";
}

/// A 3-band GeoTIFF over the community in WGS 84, written with GDAL.
void write_geotiff(const std::string& path) {
    GDALDriverH drv = GDALGetDriverByName("GTiff");
    REQUIRE(drv);
    GDALDatasetH ds = GDALCreate(drv, path.c_str(), 64, 32, 3, GDT_Byte, nullptr);
    REQUIRE(ds);
    double gt[6] = {104.059, 0.0001, 0, 30.662, 0, -0.0001};
    GDALSetGeoTransform(ds, gt);
    OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
    OSRImportFromEPSG(srs, 4326);
    char* wkt = nullptr;
    OSRExportToWkt(srs, &wkt);
    GDALSetProjection(ds, wkt);
    CPLFree(wkt);
    OSRDestroySpatialReference(srs);
    std::vector<unsigned char> px(64 * 32, 200);
    for (int b = 1; b <= 3; ++b)
        REQUIRE(GDALRasterIO(GDALGetRasterBand(ds, b), GF_Write, 0, 0, 64, 32, px.data(), 64, 32, GDT_Byte, 0, 0) == CE_None);
    GDALClose(ds);
}

/// The committee's roster: one row per person, headers 序号 | 院落编号 | 姓名 | 民族, written
/// with GDAL's XLSX driver. Y1: 汉族 10, 彝族 6 ('彝' short form for 3 of them); Y2: 彝族 12;
/// Y3: 汉族 8, 藏族 7; Y4: 汉族 9.
void write_roster(const std::string& path) {
    struct Block {
        const char* unit;
        const char* group;
        int n;
    };
    const Block blocks[] = {{"Y1", "汉族", 10}, {"Y1", "彝族", 3}, {"Y1", "彝", 3}, {"Y2", "彝族", 12},
                            {"Y3", "汉族", 8},  {"Y3", "藏族", 7}, {"Y4", "汉族", 9}};
    std::vector<std::vector<std::string>> rows;
    for (const auto& b : blocks)
        for (int k = 0; k < b.n; ++k) {
            const std::string n = std::to_string(rows.size() + 1);
            rows.push_back({n, b.unit, "居民" + n, b.group});
        }
    test::write_xlsx(path, "花名册", {{"序号", OFTInteger}, {"院落编号", OFTString}, {"姓名", OFTString}, {"民族", OFTString}}, rows);
}

}  // namespace

TEST_CASE("new community: an empty folder, a GeoTIFF, unit polygons and an XLSX roster become a reported project") {
    init_gdal();
    TempDir t;
    write_units(t.file("units.geojson"));
    write_boundary(t.file("boundary.geojson"));
    write_geotiff(t.file("ortho.tif"));
    write_roster(t.file("花名册.xlsx"));
    const std::string dir = t.file("社区");

    const auto made = run_huqian({"project", "new", dir, "--name", "蜀汉试点社区", "--crs", "EPSG:4544", "--boundary",
                                  t.file("boundary.geojson"), "--units", t.file("units.geojson"), "--basemap", t.file("ortho.tif")});
    INFO(made.out);
    REQUIRE(made.code == 0);
    for (const char* f : {"project.json", "units.geojson", "boundary.geojson", "basemap.tif"})
        CHECK(std::filesystem::exists(std::filesystem::path(dir) / f));
    CHECK(test::count_temporaries(dir) == 0);

    // The mapping shown first, writing nothing.
    const auto dry = run_huqian({"project", "import-roster", dir, t.file("花名册.xlsx"), "--dry-run"});
    INFO(dry.out);
    REQUIRE(dry.code == 0);
    CHECK(dry.out.find("unit: 院落编号") != std::string::npos);
    CHECK(dry.out.find("ethnicity: 民族") != std::string::npos);
    CHECK(dry.out.find("nothing written") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(std::filesystem::path(dir) / "roster_counts.csv"));

    const auto imported = run_huqian({"project", "import-roster", dir, t.file("花名册.xlsx")});
    INFO(imported.out);
    REQUIRE(imported.code == 0);
    CHECK(imported.out.find("4 units, 3 groups, 0 rows not counted") != std::string::npos);

    // The counts as the roster has them (hand-counted above), through the project loader.
    const Project p = load_project(dir);
    REQUIRE(p.groups.size() == 3);
    CHECK(p.groups[0].name_zh == "汉族");
    CHECK(p.groups[1].name_zh == "藏族");
    CHECK(p.groups[2].name_zh == "彝族");
    CHECK(p.basemap.find("basemap.tif") != std::string::npos);
    CHECK(p.metric_crs.epsg == 4544);
    const Layer* units = p.layer(Role::Units);
    REQUIRE(units);
    CHECK(units->ids == std::vector<std::string>{"Y1", "Y2", "Y3", "Y4"});
    CHECK(read_counts(*units, "pop_han") == std::vector<double>{10, 0, 8, 9});
    CHECK(read_counts(*units, "pop_yi") == std::vector<double>{6, 12, 0, 0});
    CHECK(read_counts(*units, "pop_zang") == std::vector<double>{0, 0, 7, 0});

    const std::string out = t.file("报告");
    const auto report = run_huqian({"report", dir, "-o", out});
    INFO(report.out);
    REQUIRE(report.code == 0);
    const std::string md = slurp(std::filesystem::path(out) / "report.md");
    CHECK(md.find("汉族") != std::string::npos);
    CHECK(md.find("彝族") != std::string::npos);
    CHECK(md.find("藏族") != std::string::npos);
    CHECK(md.find("蜀汉试点社区") != std::string::npos);
}

TEST_CASE("new community: import-roster refuses unknown names and units not on the map, one line each") {
    init_gdal();
    TempDir t;
    write_units(t.file("units.geojson"));
    const std::string dir = t.file("p");
    REQUIRE(run_huqian({"project", "new", dir, "--name", "t", "--crs", "EPSG:4544", "--units", t.file("units.geojson")}).code == 0);
    std::ofstream(t.file("r.csv")) << "院落编号,民族\nY1,汉族\nY1,穿青人\nY9,彝族\nY2,\n";
    const auto r = run_huqian({"project", "import-roster", dir, t.file("r.csv")});
    INFO(r.out);
    CHECK(r.code == 1);
    CHECK(r.out.find("r.csv: row 3, column 民族: unknown group name (not one of the 56 of GB/T 3304; row not counted) \"穿青人\"") !=
          std::string::npos);
    CHECK(r.out.find("r.csv: row 5, column 民族: empty cell (row not counted)") != std::string::npos);
    CHECK(r.out.find("2 rows are not counted (listed above)") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(std::filesystem::path(dir) / "roster_counts.csv"));
    // With --skip-unrecognised the rest is imported; Y9 (not on the map) is named.
    const auto s = run_huqian({"project", "import-roster", dir, t.file("r.csv"), "--skip-unrecognised"});
    INFO(s.out);
    CHECK(s.code == 0);
    CHECK(s.out.find("unit Y9 is not on the map") != std::string::npos);
    CHECK(std::filesystem::exists(std::filesystem::path(dir) / "roster_counts.csv"));
    // --map with a column the roster does not have.
    const auto m = run_huqian({"project", "import-roster", dir, t.file("r.csv"), "--map", "人数=size"});
    CHECK(m.code == 1);
    CHECK(m.out.find("人数") != std::string::npos);
    CHECK(m.out.find("no such column") != std::string::npos);
}

TEST_CASE("new community: project new refuses a non-empty folder, a CRS in degrees and a missing start") {
    init_gdal();
    TempDir t;
    write_units(t.file("units.geojson"));
    NewProjectSpec s;
    s.dir = t.path().string();  // holds units.geojson
    s.name_zh = "测试";
    s.crs = "EPSG:4544";
    s.units = t.file("units.geojson");
    CHECK_THROWS_WITH(create_project_folder(s), Catch::Contains("folder is not empty"));
    s.dir = t.file("new");
    s.crs = "EPSG:4326";
    CHECK_THROWS_WITH(create_project_folder(s), Catch::Contains("--crs"));
    s.crs = "EPSG:4544";
    s.units.clear();
    CHECK_THROWS_WITH(create_project_folder(s), Catch::Contains("needs a boundary or units"));
    s.units = t.file("units.geojson");
    s.units_id = "编号";
    CHECK_THROWS_WITH(create_project_folder(s), Catch::Contains("编号") && Catch::Contains("no such column"));
    CHECK_FALSE(std::filesystem::exists(t.file("new") + "/project.json"));
    s.units_id = "名称";  // unique names: the ids
    const NewProjectFiles f = create_project_folder(s);
    CHECK(f.files == std::vector<std::string>{"units.geojson", "project.json"});
    const Project p = load_project(s.dir);
    CHECK(p.name_en == "测试");
    CHECK(p.layer(Role::Units)->ids == std::vector<std::string>{"院落1", "院落2", "院落3", "院落4"});
}

TEST_CASE("new community: households as points make a project, and a drawn boundary is enough to start") {
    init_gdal();
    TempDir t;
    write_units(t.file("hh.geojson"), true);
    NewProjectSpec s;
    s.dir = t.file("pts");
    s.name_en = "Points";
    s.crs = "EPSG:4544";
    s.units = t.file("hh.geojson");
    create_project_folder(s);
    const Project p = load_project(s.dir);
    REQUIRE(p.layer(Role::Units));
    CHECK(p.layer(Role::Units)->geom_type == GeomType::Point);

    NewProjectSpec d;
    d.dir = t.file("drawn");
    d.name_zh = "画的边界";
    d.crs = "EPSG:4544";
    d.boundary_polygons.push_back(
        Geometry::polygon({{104.0595, 30.6595}, {104.0645, 30.6595}, {104.0645, 30.6615}, {104.0595, 30.6615}, {104.0595, 30.6595}}));
    const NewProjectFiles f = create_project_folder(d);
    CHECK(f.files == std::vector<std::string>{"boundary.geojson", "project.json"});
    const Project q = load_project(d.dir);
    REQUIRE(q.layer(Role::Boundary));
    CHECK(q.name_en == "画的边界");
}
