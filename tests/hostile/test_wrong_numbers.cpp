// Issue 15, class 3 (silent wrong numbers): every reader applies the same strict checks, and
// a project GeoPackage passes the checks of a project folder.
#include <catch2/catch.hpp>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <filesystem>

#include "geo/model/document.hpp"
#include "geo/project/gpkg_project.hpp"
#include "geo/project/project.hpp"
#include "tests/hostile/hostile_support.hpp"

using namespace hq;
using namespace hq::test;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

void gpkg_sql(const std::string& path, const std::string& sql) {
    GDALAllRegister();
    GDALDataset* ds = GDALDataset::FromHandle(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr, nullptr));
    REQUIRE(ds);
    ds->ExecuteSQL(sql.c_str(), nullptr, nullptr);
    GDALClose(ds);
}

/// A project folder `name` with units.geojson holding `units` and project.json `manifest_text`.
std::string folder(const TempDir& tmp, const std::string& name, const std::string& units, const std::string& manifest_text) {
    const fs::path dir = tmp.path() / name;
    fs::create_directories(dir);
    write_text((dir / "units.geojson").string(), units);
    write_text((dir / "project.json").string(), manifest_text);
    return dir.string();
}

/// units.gpkg (3 squares, integer columns pop_a and pop_b) in a folder with a manifest.
std::string gpkg_folder(const TempDir& tmp, const std::string& name) {
    const fs::path dir = tmp.path() / name;
    fs::create_directories(dir);
    GDALAllRegister();
    GDALDataset* ds = GetGDALDriverManager()->GetDriverByName("GPKG")->Create((dir / "units.gpkg").string().c_str(), 0, 0,
                                                                              0, GDT_Unknown, nullptr);
    OGRSpatialReference srs;
    srs.importFromEPSG(4326);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRLayer* l = ds->CreateLayer("units", &srs, wkbPolygon, nullptr);
    OGRFieldDefn id("id", OFTString), a("pop_a", OFTInteger), b("pop_b", OFTInteger);
    l->CreateField(&id);
    l->CreateField(&a);
    l->CreateField(&b);
    for (int i = 0; i < 3; ++i) {
        OGRFeature f(l->GetLayerDefn());
        f.SetField("id", ("U" + std::to_string(i + 1)).c_str());
        f.SetField("pop_a", 10 + i);
        f.SetField("pop_b", 20 + i);
        const double x = 104.0 + 0.001 * i;
        OGRGeometry* g = nullptr;
        const std::string wkt = "POLYGON ((" + std::to_string(x) + " 30.6," + std::to_string(x + 0.001) + " 30.6," +
                                std::to_string(x + 0.001) + " 30.601," + std::to_string(x) + " 30.601," +
                                std::to_string(x) + " 30.6))";
        OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &g);
        f.SetGeometryDirectly(g);
        REQUIRE(l->CreateFeature(&f) == OGRERR_NONE);
    }
    GDALClose(ds);
    write_text((dir / "project.json").string(), manifest("units.gpkg"));
    return dir.string();
}

/// The 2-unit GeoJSON with feature U2's geometry replaced by `geometry` (JSON text).
std::string units_with_geometry(const std::string& geometry) {
    return "{\"type\":\"FeatureCollection\",\"features\":["
           "{\"type\":\"Feature\",\"properties\":{\"id\":\"U1\",\"pop_a\":1,\"pop_b\":2},\"geometry\":{\"type\":\"Polygon\","
           "\"coordinates\":[[[104,30],[104.001,30],[104.001,30.001],[104,30.001],[104,30]]]}},"
           "{\"type\":\"Feature\",\"properties\":{\"id\":\"U2\",\"pop_a\":3,\"pop_b\":4},\"geometry\":" +
           geometry + "}]}";
}

}  // namespace

TEST_CASE("wrong numbers: a GeoPackage count column holding text or 2.7 is refused like GeoJSON's") {
    TempDir tmp;
    const std::string text_dir = gpkg_folder(tmp, "text");
    gpkg_sql(text_dir + "/units.gpkg", "UPDATE units SET pop_a = 'lots' WHERE id = 'U2'");
    CHECK_THAT(error_of([&] { load_project(text_dir); }),
               Contains("units.gpkg: feature 1 (id \"U2\"): field pop_a: \"lots\" is not a count"));
    const std::string real_dir = gpkg_folder(tmp, "real");
    gpkg_sql(real_dir + "/units.gpkg", "UPDATE units SET pop_b = 2.7 WHERE id = 'U3'");
    CHECK_THAT(error_of([&] { load_project(real_dir); }),
               Contains("units.gpkg: feature 2 (id \"U3\"): field pop_b: 2.7 is not a whole number"));
    // Text holding a plain number is accepted, as in every reader (docs/manifest.md).
    const std::string plain_dir = gpkg_folder(tmp, "plain");
    gpkg_sql(plain_dir + "/units.gpkg", "UPDATE units SET pop_a = ' 12' WHERE id = 'U1'");
    CHECK(error_of([&] { load_project(plain_dir); }).empty());
    // The control: untouched, it loads.
    CHECK(error_of([&] { load_project(gpkg_folder(tmp, "clean")); }).empty());
}

TEST_CASE("wrong numbers: a unit with a null, empty, 1-D or string-coordinate geometry is an error") {
    TempDir tmp;
    int k = 0;
    for (const std::string g : {std::string("null"), std::string("{\"type\":\"Polygon\",\"coordinates\":[]}"),
                                std::string("{\"type\":\"Polygon\",\"coordinates\":[104,30]}"),
                                std::string("{\"type\":\"Polygon\",\"coordinates\":[[[\"a\",\"b\"],[\"c\",\"d\"],"
                                            "[\"e\",\"f\"],[\"a\",\"b\"]]]}")}) {
        INFO(g);
        const std::string dir = folder(tmp, "g" + std::to_string(k++), units_with_geometry(g), manifest());
        const std::string e = error_of([&] { load_project(dir); });
        CHECK_THAT(e, Contains("units.geojson") && Contains("U2"));
        CHECK_THAT(e, Contains("has no geometry") || Contains("not valid GeoJSON"));
    }
    // The same file as a single layer.
    write_text(tmp.file("single.geojson"), units_with_geometry("null"));
    CHECK_THAT(error_of([&] { load_project(tmp.file("single.geojson")); }),
               Contains("single.geojson: layer units: feature 1 (id \"U2\"): has no geometry"));
}

TEST_CASE("wrong numbers: a venue at NaN or infinite coordinates is refused") {
    TempDir tmp;
    write_text(tmp.file("venues.csv"), "id,lon,lat\nV1,104.0,30.6\nV2,nan,30.6\n");
    // GDAL's CSV reader gives no point for "nan": refused as a venue without a geometry.
    CHECK_THAT(error_of([&] { load_project(tmp.file("venues.csv")); }),
               Contains("venues.csv: layer venues: feature 1 (id \"V2\"): has no geometry") ||
                   Contains("venues.csv: feature 1 (id \"V2\"): coordinate is not a finite number"));
    write_text(tmp.file("venues.geojson"),
               "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"id\":\"V1\"},"
               "\"geometry\":{\"type\":\"Point\",\"coordinates\":[1e999,30.6]}}]}");
    CHECK_THAT(error_of([&] { load_project(tmp.file("venues.geojson")); }),
               Contains("venues.geojson") && Contains("not a finite number"));
}

TEST_CASE("wrong numbers: a metric CRS in feet, kilometres or geocentric is refused") {
    TempDir tmp;
    const std::string dir = folder(tmp, "p", squares_geojson(3), manifest());
    LoadOptions o;
    o.crs = "EPSG:3435";
    CHECK_THAT(error_of([&] { load_project(dir, o); }), Contains("--crs: EPSG:3435") && Contains("US survey foot") &&
                                                             Contains("not metres"));
    o.crs = "EPSG:4978";
    CHECK_THAT(error_of([&] { load_project(dir, o); }), Contains("--crs: EPSG:4978") && Contains("geocentric"));
    o.crs = "+proj=utm +zone=48 +datum=WGS84 +units=km +type=crs";
    CHECK_THAT(error_of([&] { load_project(dir, o); }), Contains("kilometre"));
    o.crs = "EPSG:4326";
    CHECK_THAT(error_of([&] { load_project(dir, o); }), Contains("--crs: EPSG:4326") && Contains("geographic"));
    o.crs = "EPSG:32648";
    CHECK(error_of([&] { load_project(dir, o); }).empty());
    // In the manifest, and for a single file.
    const std::string feet = folder(tmp, "feet", squares_geojson(3), manifest("units.geojson", "\"crs\":\"EPSG:3435\","));
    CHECK_THAT(error_of([&] { load_project(feet); }), Contains("project.json: field crs:") && Contains("US survey foot"));
    o.crs = "EPSG:3435";
    CHECK_THAT(error_of([&] { load_project(dir + "/units.geojson", o); }), Contains("--crs") && Contains("foot"));
}

TEST_CASE("wrong numbers: huqian_manifest must be the integer 1") {
    TempDir tmp;
    for (const std::string v : {"1.5", "true", "\"1\"", "2", "0"}) {
        INFO(v);
        const std::string dir = folder(tmp, "v" + std::to_string(v.size()) + v.substr(0, 1), squares_geojson(2),
                                       manifest("units.geojson", "", v));
        CHECK_THAT(error_of([&] { load_project(dir); }),
                   Contains("project.json: field huqian_manifest: must be the integer 1"));
    }
}

TEST_CASE("wrong numbers: a project GeoPackage passes the checks of a project folder") {
    TempDir tmp;
    const std::string dir = folder(tmp, "p", squares_geojson(3), manifest());
    const Project p = load_project(dir);
    plan::PlanDocument doc;
    plan::Zone z;
    z.id = "Z-1";
    z.geometry = p.layers.front().layer.metric.front();
    z.budget = 1000;
    z.start_date = "2024-01-01";
    doc.zones.push_back(z);
    const auto saved = [&](const std::string& name, const Project& proj) {
        const std::string path = tmp.file(name);
        save_gpkg_project(proj, doc, path);
        return path;
    };
    // The control: as saved, it opens.
    CHECK(error_of([&] { open_gpkg_project(saved("ok.gpkg", p)); }).empty());

    Project geographic = p;
    geographic.metric_crs = Crs::wgs84();
    CHECK_THAT(error_of([&] { open_gpkg_project(saved("geo.gpkg", geographic)); }),
               Contains("geo.gpkg") && Contains("crs") && Contains("geographic"));

    const std::string budget = saved("budget.gpkg", p);
    gpkg_sql(budget, "UPDATE huqian_zones SET budget = 'lots'");
    CHECK_THAT(error_of([&] { open_gpkg_project(budget); }), Contains("field budget: budget is not a number: \"lots\""));

    const std::string date = saved("date.gpkg", p);
    gpkg_sql(date, "UPDATE huqian_zones SET start_date = '2024-13-45'");
    CHECK_THAT(error_of([&] { open_gpkg_project(date); }),
               Contains("field start_date: not a date in the form YYYY-MM-DD: \"2024-13-45\""));

    const std::string count = saved("count.gpkg", p);
    gpkg_sql(count, "UPDATE units SET pop_a = 2.7 WHERE id = 'U2'");
    CHECK_THAT(error_of([&] { load_project(count); }),
               Contains("count.gpkg") && Contains("(id \"U2\"): field pop_a: 2.7 is not a whole number"));

    Project colour = p;
    colour.groups.front().color = "red";
    CHECK_THAT(error_of([&] { open_gpkg_project(saved("colour.gpkg", colour)); }),
               Contains("colour.gpkg: field groups[0].color: must be #rrggbb"));
}
