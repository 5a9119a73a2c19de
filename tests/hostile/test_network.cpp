// Issue 15, class 1 (network despite the promise): every reader path runs against a local HTTP
// server that counts the connections it gets. huqian must make none, and refuse with a
// message where a file names a URL.
#include <catch2/catch.hpp>

#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <filesystem>

#include "geo/crs/crs.hpp"
#include "geo/io/basemap.hpp"
#include "geo/io/reader.hpp"
#include "geo/project/project.hpp"
#include "geo/weights/weights_io.hpp"
#include "tests/hostile/hostile_support.hpp"

using namespace hq;
using namespace hq::test;
using Catch::Matchers::Contains;

namespace {

/// A file of one square feature (id U1) written by GDAL's `driver` in `srs` (may be null).
void one_square(const std::string& path, const char* driver, OGRSpatialReference* srs, const char* wkt) {
    GDALAllRegister();
    GDALDataset* ds = GetGDALDriverManager()->GetDriverByName(driver)->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
    REQUIRE(ds);
    OGRLayer* l = ds->CreateLayer("units", srs, wkbPolygon, nullptr);
    OGRFieldDefn id("id", OFTString);
    REQUIRE(l->CreateField(&id) == OGRERR_NONE);
    OGRFeature f(l->GetLayerDefn());
    f.SetField("id", "U1");
    OGRGeometry* g = nullptr;
    OGRGeometryFactory::createFromWkt(wkt, nullptr, &g);
    f.SetGeometryDirectly(g);
    REQUIRE(l->CreateFeature(&f) == OGRERR_NONE);
    GDALClose(ds);
}

/// A GeoPackage in a custom CRS (srs_id 100000) whose definition in gpkg_spatial_ref_sys is
/// then replaced by `definition`.
void gpkg_with_srs_definition(const std::string& path, const std::string& definition) {
    OGRSpatialReference srs;
    srs.SetFromUserInput("+proj=tmerc +lon_0=104.07 +k=1 +x_0=500000 +y_0=0 +datum=WGS84 +units=m +no_defs");
    one_square(path, "GPKG", &srs, "POLYGON ((0 0,10 0,10 10,0 10,0 0))");
    GDALDataset* ds = GDALDataset::FromHandle(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr, nullptr));
    REQUIRE(ds);
    const std::string sql = "UPDATE gpkg_spatial_ref_sys SET definition = '" + definition +
                            "', organization = 'NONE', organization_coordsys_id = 0 WHERE srs_id >= 100000";
    ds->ExecuteSQL(sql.c_str(), nullptr, nullptr);
    GDALClose(ds);
}

/// A Shapefile of one square whose .prj holds `prj`.
void shapefile_with_prj(const std::string& path, const std::string& prj) {
    one_square(path, "ESRI Shapefile", nullptr, "POLYGON ((104 30,104.001 30,104.001 30.001,104 30.001,104 30))");
    write_text(std::filesystem::path(path).replace_extension(".prj").string(), prj);
}

}  // namespace

TEST_CASE("network: no reader path makes a request, and URLs in files are refused with a message") {
    init_gdal();
    CountingHttpServer server;
    TempDir tmp;

    // GeoJSON "crs" of type link and of type url: GDAL would fetch both (importFromUrl).
    write_text(tmp.file("link.geojson"),
               squares_geojson(2, "\"crs\":{\"type\":\"link\",\"properties\":{\"href\":\"" + server.url("crs.wkt") +
                                      "\",\"type\":\"ogcwkt\"}},"));
    write_text(tmp.file("url.geojson"),
               squares_geojson(2, "\"crs\":{\"type\":\"url\",\"properties\":{\"url\":\"" + server.url("crs.wkt") + "\"}},"));
    CHECK_THAT(error_of([&] { load_project(tmp.file("link.geojson")); }),
               Contains("link.geojson: refers to the URL " + server.url("crs.wkt")) && Contains("never fetches"));
    CHECK_THAT(error_of([&] { load_project(tmp.file("url.geojson")); }),
               Contains("url.geojson: refers to the URL " + server.url("crs.wkt")));

    // Manifest layer paths and join tables (CSV/XLSX) that are URLs or virtual paths.
    const auto project = [&](const std::string& name, const std::string& manifest_text) {
        const auto dir = tmp.path() / name;
        std::filesystem::create_directories(dir);
        write_text((dir / "units.geojson").string(), squares_geojson(2));
        write_text((dir / "project.json").string(), manifest_text);
        return dir.string();
    };
    CHECK_THAT(error_of([&] { load_project(project("p1", manifest(server.url("units.geojson")))); }),
               Contains("project.json: field layers.units.path") && Contains("is a URL or a virtual path"));
    CHECK_THAT(error_of([&] { load_project(project("p2", manifest("/vsicurl/" + server.url("units.geojson")))); }),
               Contains("field layers.units.path") && Contains("is a URL or a virtual path"));
    const std::string join = "{\"huqian_manifest\":1,\"layers\":{\"units\":{\"path\":\"units.geojson\",\"join\":"
                             "{\"table\":\"" + server.url("counts.xlsx") + "\",\"key\":\"id\"}}}}";
    CHECK_THAT(error_of([&] { load_project(project("p3", join)); }),
               Contains("field layers.units.join.table") && Contains("is a URL or a virtual path"));

    // A GeoPackage whose srs definition is a URL, and a .prj holding a URL: read, never fetched.
    gpkg_with_srs_definition(tmp.file("srs.gpkg"), server.url("srs.wkt"));
    (void)error_of([&] { load_project(tmp.file("srs.gpkg")); });
    shapefile_with_prj(tmp.file("prj.shp"), server.url("prj.wkt"));
    (void)error_of([&] { load_project(tmp.file("prj.shp")); });

    // Basemap, tables, weights and the CRS option given as URLs.
    CHECK_THAT(error_of([&] { read_basemap(server.url("basemap.tif"), Crs::utm_for(104, 30)); }),
               Contains("remote and virtual paths"));
    CHECK_THAT(error_of([&] { read_basemap("/vsicurl/" + server.url("basemap.tif"), Crs::utm_for(104, 30)); }),
               Contains("remote and virtual paths"));
    CHECK_THAT(error_of([&] { read_table(server.url("counts.xlsx")); }), Contains("remote and virtual paths"));
    CHECK_THAT(error_of([&] { read_table("/vsis3/bucket/counts.xlsx"); }), Contains("remote and virtual paths"));
    CHECK_THAT(error_of([&] { read_weights_file(server.url("w.gal")); }), Contains("remote and virtual paths"));
    CHECK_THAT(error_of([&] { Crs::from_user_input(server.url("crs.wkt")); }), Contains("unknown CRS"));

    // The same through the executable (its main() turns the network off too).
    {
        const auto dir = project("p4", manifest("units.geojson", "\"crs\":\"" + server.url("crs.wkt") + "\","));
        const RunResult r = run_huqian("info '" + dir + "'", tmp);
        CHECK(r.code == 1);
        CHECK_THAT(r.err, Contains("project.json: field crs: unknown CRS"));
        const RunResult r2 = run_huqian("info '" + tmp.file("link.geojson") + "'", tmp);
        CHECK(r2.code == 1);
        CHECK_THAT(r2.err, Contains("refers to the URL"));
    }

    // GDAL itself, below huqian's path checks: an HTTP fetch and a /vsicurl/ read.
    {
        OGRSpatialReference s;
        CHECK(s.importFromUrl(server.url("direct.wkt").c_str()) != OGRERR_NONE);
        VSIStatBufL st;
        CHECK(VSIStatL(("/vsicurl/" + server.url("direct.tif")).c_str(), &st) != 0);
    }
    CHECK(refused_network_fetches() >= 1);

    CHECK(server.requests() == 0);
    // Positive control: the server does count a connection.
    server.poke();
    CHECK(server.requests() == 1);
}
