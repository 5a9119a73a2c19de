// Loader and CRS: the axis-order traps, a CGCS2000 Gauss–Krüger layer, a layer with no
// CRS, the driver allowlist, tables and joins, the bad-input corpus through the library.
#include <catch2/catch.hpp>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <fstream>
#include <sstream>

#include "geo/core/error.hpp"
#include "geo/crs/crs.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/io/reader.hpp"
#include "geo/project/project.hpp"
#include "tests/test_support.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

using namespace hq;
using Catch::Matchers::Contains;

namespace {

/// A new file of `driver` at `path` holding one empty layer in EPSG `epsg`.
struct NewLayer {
    std::unique_ptr<GDALDataset> ds;
    OGRLayer* layer = nullptr;
};
NewLayer create_layer(const std::string& path, const char* driver, const char* name, int epsg,
                      OGRwkbGeometryType type, bool authority_order = false) {
    init_gdal();
    GDALDriver* d = GetGDALDriverManager()->GetDriverByName(driver);
    REQUIRE(d != nullptr);
    NewLayer out;
    out.ds.reset(d->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    REQUIRE(out.ds != nullptr);
    OGRSpatialReference srs;
    srs.importFromEPSG(epsg);
    // The layer's CRS keeps its authority axis order; coordinates are written as GIS x/y.
    if (!authority_order) srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    out.layer = out.ds->CreateLayer(name, &srs, type, nullptr);
    REQUIRE(out.layer != nullptr);
    return out;
}

/// Writes one point layer with GDAL in the given CRS and driver.
void write_points(const std::string& path, const char* driver, int epsg, std::vector<std::pair<double, double>> xy,
                  bool authority_order) {
    auto [ds, l] = create_layer(path, driver, "pts", epsg, wkbPoint, authority_order);
    OGRFieldDefn f("id", OFTString);
    l->CreateField(&f);
    int i = 0;
    for (auto [x, y] : xy) {
        OGRFeature feat(l->GetLayerDefn());
        feat.SetField("id", ("P" + std::to_string(++i)).c_str());
        OGRPoint p(x, y);
        feat.SetGeometry(&p);
        REQUIRE(l->CreateFeature(&feat) == OGRERR_NONE);
    }
}

/// Writes a polygon layer (rings of x/y) in EPSG `epsg` as a GeoPackage.
void write_polygons(const std::string& path, int epsg, const std::vector<std::vector<std::pair<double, double>>>& rings) {
    auto [ds, l] = create_layer(path, "GPKG", "units", epsg, wkbPolygon);
    OGRFieldDefn f("id", OFTString);
    l->CreateField(&f);
    int i = 0;
    for (const auto& ring : rings) {
        OGRFeature feat(l->GetLayerDefn());
        feat.SetField("id", ("U" + std::to_string(++i)).c_str());
        OGRLinearRing r;
        for (auto [x, y] : ring) r.addPoint(x, y);
        OGRPolygon poly;
        poly.addRing(&r);
        feat.SetGeometry(&poly);
        REQUIRE(l->CreateFeature(&feat) == OGRERR_NONE);
    }
}

}  // namespace

TEST_CASE("a layer already in the metric CRS keeps its coordinates, a repaired feature goes through WGS 84") {
    // Two 100 m squares in UTM 48N near Chengdu, and a self-intersecting bow-tie that the
    // loader repairs. Without the shortcut the squares' corners would come back from a
    // UTM → lon/lat → UTM round trip, off by ~1e-9 m, and the exact checks below would fail.
    test::TempDir dir;
    const std::string path = dir.file("utm.gpkg");
    const double x0 = 408000.25, y0 = 3390000.75;
    write_polygons(path, 32648,
                   {{{x0, y0}, {x0 + 100, y0}, {x0 + 100, y0 + 100}, {x0, y0 + 100}, {x0, y0}},
                    {{x0 + 200, y0}, {x0 + 300, y0}, {x0 + 300, y0 + 100}, {x0 + 200, y0 + 100}, {x0 + 200, y0}},
                    {{x0, y0 + 200}, {x0 + 50, y0 + 250}, {x0 + 50, y0 + 200}, {x0, y0 + 250}, {x0, y0 + 200}}});
    Project p = load_project(path);
    REQUIRE(p.metric_crs.epsg == 32648);
    const Layer& l = p.layers.at(0).layer;
    REQUIRE(l.metric.size() == 3);
    // Exactly the stored coordinates (no round trip through lon/lat).
    const auto& ring = l.metric[0].polygons.at(0).rings.at(0);
    bool found_corner = false;
    for (const Vec2& v : ring) {
        CHECK((v.x == x0 || v.x == x0 + 100));
        CHECK((v.y == y0 || v.y == y0 + 100));
        found_corner |= v.x == x0 && v.y == y0;
    }
    CHECK(found_corner);
    CHECK(area(l.metric[1]) == 10000.0);
    // The bow-tie was repaired (a warning names it) and has metric coordinates again: two
    // triangles with a 50 m side and 25 m height, 625 m² each (the edges cross at
    // (x0 + 25, y0 + 225)).
    REQUIRE_FALSE(l.metric[2].empty());
    CHECK_THAT(area(l.metric[2]), WithinRel(1250.0, 1e-6));
    CHECK_THAT(l.metric[2].bounds().minx, WithinAbs(x0, 1e-6));
    REQUIRE(p.warnings.size() == 1);
    CHECK_THAT(p.warnings[0], Contains("U3") && Contains("repaired"));
    // Display is lon/lat near (104.04 E, 30.64 N).
    CHECK_THAT(l.display[0].bounds().minx, WithinAbs(104.04, 0.01));
}

TEST_CASE("CGCS2000 3-degree Gauss-Kruger (northing-first EPSG:4544) lands in Chengdu, not swapped") {
    test::TempDir dir;
    // (104.04 E, 30.64 N) in EPSG:4544 is E 407971.2047, N 3391455.3738 (gdaltransform,
    // PROJ 9.1.1). The file stores x = easting, y = northing as GIS software does.
    const std::string path = dir.file("gk.gpkg");
    write_points(path, "GPKG", 4544, {{407971.204681928, 3391455.37375016}}, false);
    Project p = load_project(path);
    const Layer& l = p.layers.at(0).layer;
    REQUIRE(l.source_crs.epsg == 4544);
    REQUIRE_THAT(l.display.at(0).points.at(0).x, WithinAbs(104.04, 1e-7));
    REQUIRE_THAT(l.display.at(0).points.at(0).y, WithinAbs(30.64, 1e-7));
    // Metric CRS: the file's own (a GK zone in metres that fits the data, docs/crs.md), with
    // the source coordinates kept exactly.
    REQUIRE(p.metric_crs.epsg == 4544);
    REQUIRE(l.metric.at(0).points.at(0) == Vec2{407971.204681928, 3391455.37375016});
    // Asked for UTM 48N, the same point is E 408008.0162, N 3390098.7917 (gdaltransform).
    LoadOptions utm;
    utm.crs = "EPSG:32648";
    Project q = load_project(path, utm);
    REQUIRE(q.metric_crs.epsg == 32648);
    const Vec2 m = q.layers.at(0).layer.metric.at(0).points.at(0);
    CHECK_THAT(m.x, WithinAbs(408008.016200445, 1e-3));
    CHECK_THAT(m.y, WithinAbs(3390098.79169743, 1e-3));
}

TEST_CASE("geographic CGCS2000 (EPSG:4490, latitude-first by authority) is read as lon/lat") {
    test::TempDir dir;
    const std::string path = dir.file("cgcs.gpkg");
    write_points(path, "GPKG", 4490, {{104.04, 30.64}}, false);
    Project p = load_project(path);
    const Vec2 q = p.layers.at(0).layer.display.at(0).points.at(0);
    REQUIRE_THAT(q.x, WithinAbs(104.04, 1e-6));
    REQUIRE_THAT(q.y, WithinAbs(30.64, 1e-6));
}

TEST_CASE("a GeoJSON in a projected CRS (crs member) is reprojected to lon/lat for display") {
    // The shared Sacramento file in UTM 10N and its WGS 84 twin (ogr2ogr, PROJ 9.1: the
    // README says reprojecting one reproduces the other): same areas, same extents.
    Project utm = load_project(test::shared_data("segregation/sacramento_tracts_2000_epsg32610.geojson"));
    Project ll = load_project(test::shared_data("segregation/sacramento_tracts_2000_4326.geojson"));
    REQUIRE(utm.layers[0].layer.source_crs.epsg == 32610);
    REQUIRE(ll.metric_crs.epsg == 32610);  // UTM zone of the centroid (-121.1 E): zone 10
    REQUIRE(utm.layers[0].layer.size() == 403);
    for (std::size_t i : {std::size_t{0}, std::size_t{100}, std::size_t{402}}) {
        const double a1 = area(utm.layers[0].layer.metric[i]);
        const double a2 = area(ll.layers[0].layer.metric[i]);
        REQUIRE_THAT(a1, WithinRel(a2, 1e-6));
        const Box b1 = utm.layers[0].layer.display[i].bounds();
        const Box b2 = ll.layers[0].layer.display[i].bounds();
        REQUIRE_THAT(b1.minx, WithinAbs(b2.minx, 1e-7));
        REQUIRE_THAT(b1.maxy, WithinAbs(b2.maxy, 1e-7));
    }
}

TEST_CASE("a file with no CRS and projected-looking coordinates is planar, with a warning") {
    test::TempDir dir;
    const std::string path = dir.file("plain.geojson");
    std::ofstream(path) << R"({"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Polygon","coordinates":[[[1000,2000],[1100,2000],[1100,2100],[1000,2100],[1000,2000]]]}}]})";
    Project p = load_project(path);
    REQUIRE(p.planar);
    REQUIRE(p.layers[0].layer.planar);
    REQUIRE_FALSE(p.metric_crs.known());
    REQUIRE_THAT(area(p.layers[0].layer.metric[0]), Catch::Matchers::WithinRel(10000.0, 1e-12));
    REQUIRE(p.warnings.size() == 1);
    REQUIRE_THAT(p.warnings[0], Contains("treated as planar"));
}

TEST_CASE("the --crs option overrides the metric CRS and a geographic one is refused") {
    LoadOptions o;
    o.crs = "EPSG:3310";  // California Albers
    Project p = load_project(test::shared_data("segregation/sacramento_tracts_2000_4326.geojson"), o);
    REQUIRE(p.metric_crs.epsg == 3310);
    o.crs = "EPSG:4326";
    REQUIRE_THROWS_WITH(load_project(test::shared_data("segregation/sacramento_tracts_2000_4326.geojson"), o),
                        Contains("is geographic"));
    o.crs = "EPSG:999999";
    REQUIRE_THROWS_WITH(load_project(test::shared_data("segregation/sacramento_tracts_2000_4326.geojson"), o),
                        Contains("unknown CRS"));
}

TEST_CASE("typed attributes: integer, real, string and date columns") {
    test::TempDir dir;
    const std::string path = dir.file("typed.csv");
    std::ofstream(path) << "id,lon,lat,count,share,name,opened\n"
                           "a,104.04,30.64,12,0.5,蜀汉路,2021-03-15\n"
                           "b,104.05,30.65,7,0.25,洗面桥街,2022-11-01\n";
    Project p = load_project(path);
    const Layer& l = p.layers[0].layer;
    REQUIRE(p.layers[0].role == Role::Venues);
    REQUIRE(l.size() == 2);
    REQUIRE(l.table.fields[l.table.field_index("count")].type == FieldType::Integer);
    REQUIRE(l.table.fields[l.table.field_index("share")].type == FieldType::Real);
    REQUIRE(l.table.fields[l.table.field_index("opened")].type == FieldType::Date);
    REQUIRE(std::get<std::string>(l.table.rows[1][l.table.field_index("name")]) == "洗面桥街");
    REQUIRE(std::get<std::string>(l.table.rows[0][l.table.field_index("opened")]) == "2021-03-15");
    REQUIRE_THAT(l.display[1].points[0].x, Catch::Matchers::WithinRel(104.05, 1e-12));
    REQUIRE(read_counts(l, "count") == std::vector<double>{12, 7});
}

TEST_CASE("a CSV with two columns for one coordinate is refused, naming both") {
    // Found by fuzz_csv: GDAL 3.6's CSV driver crashed (a null dereference) on these headers
    // with the coordinate options the reader passes; "x,y,lon,lat" did not crash but is as
    // ambiguous (which pair is the position?).
    test::TempDir dir;
    const std::pair<const char*, const char*> cases[] = {
        {"id,x,lon,lat\na,1,104.04,30.64\n", "field lon: columns x and lon could both be the x coordinate"},
        {"x,X,y\n1,2,3\n", "field X: columns x and X could both be the x coordinate"},
        {"id,lat,y,lon\na,30.64,3,104.04\n", "field y: columns lat and y could both be the y coordinate"},
        {"x,y,lon,lat\n1,2,104.04,30.64\n", "field lon: columns x and lon could both be the x coordinate"},
    };
    for (const auto& [text, message] : cases) {
        const std::string path = dir.file("two.csv");
        std::ofstream(path) << text;
        INFO(text);
        REQUIRE_THROWS_WITH(read_layer_raw(path), path + ": " + message + ": keep one of them");
    }
    // One x and one y column is a point layer as before; a table read (a join) is unaffected.
    const std::string path = dir.file("one.csv");
    std::ofstream(path) << "id,lon,lat,x2\na,104.04,30.64,1\n";
    REQUIRE(read_layer_raw(path).geom_type == GeomType::Point);
    std::ofstream(dir.file("two.csv")) << "id,x,lon,lat\na,1,104.04,30.64\n";
    REQUIRE(read_table(dir.file("two.csv")).fields.size() == 4);
}

TEST_CASE("a GBK shapefile is read with --encoding GBK") {
    test::TempDir dir;
    init_gdal();
    const std::string path = dir.file("gbk.shp");
    {
        GDALDriver* d = GetGDALDriverManager()->GetDriverByName("ESRI Shapefile");
        char** opts = CSLSetNameValue(nullptr, "ENCODING", "");  // write raw bytes, no .cpg
        std::unique_ptr<GDALDataset> ds(d->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        OGRSpatialReference srs;
        srs.importFromEPSG(4326);
        srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        OGRLayer* l = ds->CreateLayer("gbk", &srs, wkbPoint, opts);
        CSLDestroy(opts);
        OGRFieldDefn f("name", OFTString);
        l->CreateField(&f);
        OGRFeature feat(l->GetLayerDefn());
        const char gbk[] = "\xca\xf1\xba\xba";  // 蜀汉 in GBK
        feat.SetField("name", gbk);
        OGRPoint pt(104.04, 30.64);
        feat.SetGeometry(&pt);
        REQUIRE(l->CreateFeature(&feat) == OGRERR_NONE);
    }
    REQUIRE_THROWS_WITH(load_project(path), Contains("not valid UTF-8") && Contains("--encoding GBK"));
    LoadOptions o;
    o.encoding = "GBK";
    Project p = load_project(path, o);
    REQUIRE(std::get<std::string>(p.layers[0].layer.table.rows[0][0]) == "蜀汉");
}

TEST_CASE("a manifest joins a spreadsheet and names unmatched keys on both sides") {
    test::TempDir dir;
    std::ofstream(dir.file("units.geojson")) << R"({"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[104.04,30.64],[104.041,30.64],[104.041,30.641],[104.04,30.641],[104.04,30.64]]]}},
      {"type":"Feature","properties":{"code":"B"},"geometry":{"type":"Polygon","coordinates":[[[104.042,30.64],[104.043,30.64],[104.043,30.641],[104.042,30.641],[104.042,30.64]]]}},
      {"type":"Feature","properties":{"code":"C"},"geometry":{"type":"Polygon","coordinates":[[[104.044,30.64],[104.045,30.64],[104.045,30.641],[104.044,30.641],[104.044,30.64]]]}}]})";
    std::ofstream(dir.file("counts.csv")) << "code,pop_a\nA,10\nB,0\nZ,4\n";
    std::ofstream(dir.file("project.json")) << R"({"huqian_manifest":1,
      "layers":{"units":{"path":"units.geojson","id":"code","join":{"table":"counts.csv","key":"code"}}},
      "groups":[{"column":"pop_a"}]})";
    // C has no row: its count is null, which the group check refuses by name.
    REQUIRE_THROWS_WITH(load_project(dir.path().string()), Contains("(id \"C\")") && Contains("pop_a") && Contains("missing"));
    std::ofstream(dir.file("counts.csv")) << "code,pop_a\nA,10\nB,0\nC,3\nZ,4\n";
    Project p = load_project(dir.path().string());
    const Layer& l = *p.layer(Role::Units);
    REQUIRE(read_counts(l, "pop_a") == std::vector<double>{10, 0, 3});
    std::string all;
    for (const auto& w : p.warnings) all += w + "\n";
    REQUIRE_THAT(all, Contains("table key(s) match no feature: Z"));
    REQUIRE_THAT(all, Contains("zero population: B"));
}

TEST_CASE("the driver allowlist refuses other formats and remote paths") {
    REQUIRE_THROWS_WITH(read_layer_raw(test::test_data("bad/raster.tif")), Contains("GTiff is not accepted"));
    REQUIRE_THROWS_WITH(read_layer_raw("/vsicurl/https://example.invalid/x.geojson"), Contains("offline"));
    REQUIRE_THROWS_WITH(read_layer_raw("https://example.invalid/x.geojson"), Contains("offline"));
    REQUIRE_THROWS_WITH(read_layer_raw("/vsizip//tmp/x.zip/a.shp"), Contains("offline"));
}

TEST_CASE("the bad-input corpus: every case gives its one clear message through the library") {
    std::ifstream in(test::test_data("bad/cases.tsv"));
    REQUIRE(in);
    std::string line;
    int cases = 0;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> f;
        std::stringstream ss(line);
        std::string cell;
        while (std::getline(ss, cell, '\t')) f.push_back(cell);
        REQUIRE(f.size() == 4);
        const std::string path = f[1][0] == '/' ? f[1] : test::test_data("bad/" + f[1]);
        INFO("case " << f[0]);
        if (f[2] == "0") {
            Project p = load_project(path);
            std::string all;
            for (const auto& w : p.warnings) all += w + "\n";
            REQUIRE_THAT(all, Contains(f[3]));
        } else {
            try {
                load_project(path);
                FAIL("no error for " << f[0]);
            } catch (const InputError& e) {
                REQUIRE_THAT(std::string(e.what()), Contains(f[3]));
                REQUIRE(std::string(e.what()).find('\n') == std::string::npos);
            }
        }
        ++cases;
    }
    REQUIRE(cases >= 20);
}

TEST_CASE("a large GeoPackage read in parallel parts equals the sequential read, errors included") {
    // 25,000 points (above the 20,000-feature threshold) with gaps in the feature ids, text
    // in Chinese, integers, reals and dates; read with HUQIAN_THREADS=3 (three parts whatever
    // the machine) and with ReadOptions::parallel off.
    test::TempDir tmp;
    const std::string path = tmp.file("big.gpkg");
    auto write = [&](const std::string& p, bool duplicate) {
        auto [ds, l] = create_layer(p, "GPKG", "units", 32648, wkbPoint);
        for (auto [name, type] : {std::pair{"id", OFTString}, {"pop", OFTInteger}, {"share", OFTReal},
                                  {"name", OFTString}, {"since", OFTDate}}) {
            OGRFieldDefn f(name, type);
            l->CreateField(&f);
        }
        REQUIRE(ds->StartTransaction() == OGRERR_NONE);
        for (int i = 0; i < 25000; ++i) {
            OGRFeature feat(l->GetLayerDefn());
            // The duplicate: feature 24,000 repeats the id of feature 2 (another part).
            feat.SetField("id", ("U" + std::to_string(duplicate && i == 24000 ? 2 : i)).c_str());
            feat.SetField("pop", i % 97);
            feat.SetField("share", i / 25000.0);
            if (i % 7 != 0) feat.SetField("name", ("院落" + std::to_string(i)).c_str());  // some null
            feat.SetField("since", 2000 + i % 20, 1 + i % 12, 1 + i % 28);
            OGRPoint pt(400000.0 + i, 3390000.0 + (i % 100));
            feat.SetGeometry(&pt);
            REQUIRE(l->CreateFeature(&feat) == OGRERR_NONE);
        }
        REQUIRE(ds->CommitTransaction() == OGRERR_NONE);
        for (GIntBig fid = 8000; fid < 8500; ++fid) REQUIRE(l->DeleteFeature(fid) == OGRERR_NONE);  // a gap
    };
    write(path, false);
    const char* old = std::getenv("HUQIAN_THREADS");
    const std::string saved = old ? old : "";
    ::setenv("HUQIAN_THREADS", "3", 1);
    ReadOptions seq;
    seq.parallel = false;
    const Layer a = read_layer_raw(path);
    const std::size_t parts = detail::last_read_parts();
    const Layer b = read_layer_raw(path, seq);
    CHECK(detail::last_read_parts() == 1);
    CHECK(parts == 3);
    REQUIRE(a.size() == 25000 - 500);
    REQUIRE(b.size() == a.size());
    CHECK(a.ids == b.ids);
    CHECK(a.ids[7998] == "U7998");  // fids start at 1: fids 8000..8499 (U7999..U8498) were deleted
    CHECK(a.ids[7999] == "U8499");
    CHECK(a.table.rows == b.table.rows);
    CHECK(a.geom_type == b.geom_type);
    bool same_geometry = true;
    for (std::size_t i = 0; i < a.size(); ++i)
        same_geometry = same_geometry && a.display[i].bounds().minx == b.display[i].bounds().minx &&
                        a.display[i].bounds().miny == b.display[i].bounds().miny;
    CHECK(same_geometry);

    // A repeated id in another part: the same message (index, id, earlier feature) both ways.
    const std::string dup = tmp.file("dup.gpkg");
    write(dup, true);
    std::string parallel_error, sequential_error;
    try {
        (void)read_layer_raw(dup);
    } catch (const InputError& e) {
        parallel_error = e.what();
    }
    try {
        (void)read_layer_raw(dup, seq);
    } catch (const InputError& e) {
        sequential_error = e.what();
    }
    if (old) ::setenv("HUQIAN_THREADS", saved.c_str(), 1);
    else ::unsetenv("HUQIAN_THREADS");
    CHECK_THAT(sequential_error, Contains("duplicate feature id (also used by feature 2)"));
    CHECK_THAT(sequential_error, Contains("U2"));
    CHECK(parallel_error == sequential_error);
}

TEST_CASE("a large dirty GeoPackage: cells fixed by the concurrent type scan equal the sequential read") {
    // The type scan (text or a real in an INTEGER column) runs beside the parallel parts,
    // which are read again with its fixes when it finds any: the rows must equal the
    // sequential read's, which scans first, and a count check must fail the same way.
    test::TempDir tmp;
    const std::string path = tmp.file("dirty.gpkg");
    {
        auto [ds, l] = create_layer(path, "GPKG", "units", 32648, wkbPoint);
        for (auto [name, type] : {std::pair{"id", OFTString}, {"pop", OFTInteger}, {"share", OFTReal}}) {
            OGRFieldDefn f(name, type);
            l->CreateField(&f);
        }
        REQUIRE(ds->StartTransaction() == OGRERR_NONE);
        for (int i = 0; i < 25000; ++i) {
            OGRFeature feat(l->GetLayerDefn());
            feat.SetField("id", ("U" + std::to_string(i)).c_str());
            feat.SetField("pop", i % 97);
            feat.SetField("share", i / 25000.0);
            OGRPoint pt(400000.0 + i, 3390000.0 + (i % 100));
            feat.SetGeometry(&pt);
            REQUIRE(l->CreateFeature(&feat) == OGRERR_NONE);
        }
        REQUIRE(ds->CommitTransaction() == OGRERR_NONE);
        // In the last part: text in the INTEGER column, then a real in it, then text in the REAL one.
        for (const char* st : {"UPDATE units SET pop = 'lots' WHERE id = 'U23000'",
                               "UPDATE units SET pop = 2.7 WHERE id = 'U24000'",
                               "UPDATE units SET share = 'half' WHERE id = 'U24000'"})
            ds->ReleaseResultSet(ds->ExecuteSQL(st, nullptr, nullptr));
    }
    const char* old = std::getenv("HUQIAN_THREADS");
    const std::string saved = old ? old : "";
    ::setenv("HUQIAN_THREADS", "3", 1);
    ReadOptions seq;
    seq.parallel = false;
    const Layer a = read_layer_raw(path);
    const std::size_t parts = detail::last_read_parts();
    const Layer b = read_layer_raw(path, seq);
    std::string parallel_error, sequential_error;
    try {
        (void)read_counts(a, "pop");
    } catch (const InputError& e) {
        parallel_error = e.what();
    }
    try {
        (void)read_counts(b, "pop");
    } catch (const InputError& e) {
        sequential_error = e.what();
    }
    if (old) ::setenv("HUQIAN_THREADS", saved.c_str(), 1);
    else ::unsetenv("HUQIAN_THREADS");
    CHECK(parts == 3);
    REQUIRE(a.size() == 25000);
    CHECK(a.ids == b.ids);
    CHECK(a.table.rows == b.table.rows);
    const int pop = a.table.field_index("pop");
    const int share = a.table.field_index("share");
    REQUIRE(pop >= 0);
    REQUIRE(share >= 0);
    CHECK(a.table.rows[23000][static_cast<std::size_t>(pop)] == Value{std::string("lots")});
    CHECK(a.table.rows[24000][static_cast<std::size_t>(pop)] == Value{2.7});
    CHECK(a.table.rows[24000][static_cast<std::size_t>(share)] == Value{std::string("half")});
    CHECK_THAT(sequential_error, Contains("feature 23000 (id \"U23000\"): field pop: \"lots\" is not a count"));
    CHECK(parallel_error == sequential_error);
}

TEST_CASE("duplicate ids: integer ids in any order, far apart or spelled differently, the first repeat named") {
    // The duplicate check keeps a bitmap while the ids are plain integers in a narrow range
    // and a table of the ids otherwise (geo/io/reader.cpp IdSeen); whichever it holds when the
    // repeat comes, the message names the same feature and the same earlier one.
    test::TempDir tmp;
    auto write = [&](const std::string& name, OGRFieldType type, const std::vector<std::string>& ids) {
        const std::string p = tmp.file(name);
        auto [ds, l] = create_layer(p, "GPKG", "units", 32648, wkbPoint);
        OGRFieldDefn f("id", type);
        l->CreateField(&f);
        REQUIRE(ds->StartTransaction() == OGRERR_NONE);
        for (std::size_t i = 0; i < ids.size(); ++i) {
            OGRFeature feat(l->GetLayerDefn());
            feat.SetField("id", ids[i].c_str());
            OGRPoint pt(400000.0 + static_cast<double>(i), 3390000.0);
            feat.SetGeometry(&pt);
            REQUIRE(l->CreateFeature(&feat) == OGRERR_NONE);
        }
        REQUIRE(ds->CommitTransaction() == OGRERR_NONE);
        return p;
    };
    auto error_of = [](const std::string& p) {
        try {
            (void)read_layer_raw(p);
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    // Out of order, in the bitmap's range: feature 3 repeats feature 1.
    CHECK_THAT(error_of(write("shuffled.gpkg", OFTInteger64, {"5", "3", "9", "3"})),
               Contains("feature 3 (id \"3\")") && Contains("duplicate feature id (also used by feature 1)"));
    // Far apart (the bitmap gives up at 10^15 and the table takes the ids before it).
    CHECK_THAT(error_of(write("far.gpkg", OFTInteger64, {"1", "1000000000000000", "2", "1000000000000000"})),
               Contains("feature 3 (id \"1000000000000000\")") &&
                   Contains("duplicate feature id (also used by feature 1)"));
    // Negative ids, the repeat of the first one.
    CHECK_THAT(error_of(write("negative.gpkg", OFTInteger64, {"-70", "-3", "12", "-70"})),
               Contains("feature 3 (id \"-70\")") && Contains("duplicate feature id (also used by feature 0)"));
    // Text ids spelled like integers but differently are different ids; a repeat after a
    // non-integer is still found.
    const std::string spelled = write("spelled.gpkg", OFTString, {"1", "01", "+1", "-0", "0", "7"});
    CHECK(error_of(spelled).empty());
    CHECK(read_layer_raw(spelled).ids == std::vector<std::string>{"1", "01", "+1", "-0", "0", "7"});
    CHECK_THAT(error_of(write("text.gpkg", OFTString, {"7", "8", "x", "7"})),
               Contains("feature 3 (id \"7\")") && Contains("duplicate feature id (also used by feature 0)"));
    // 30,000 integer ids in a scrambled order (over the parallel and Arrow thresholds), the last
    // one repeating feature 12,345: the same message read in parts and sequentially.
    std::vector<std::string> many;
    for (int i = 0; i < 30000; ++i) many.push_back(std::to_string((static_cast<long long>(i) * 7919) % 30000 + 1));
    const std::string ok = write("many.gpkg", OFTInteger, many);
    CHECK(error_of(ok).empty());
    many.back() = many[12345];
    const std::string dup = write("many_dup.gpkg", OFTInteger, many);
    ReadOptions seq;
    seq.parallel = false;
    std::string sequential_error;
    try {
        (void)read_layer_raw(dup, seq);
    } catch (const InputError& e) {
        sequential_error = e.what();
    }
    CHECK_THAT(sequential_error, Contains("feature 29999 (id \"" + many[12345] + "\")") &&
                                     Contains("duplicate feature id (also used by feature 12345)"));
    CHECK(error_of(dup) == sequential_error);
}

TEST_CASE("the display coordinates of a large projected layer equal each point transformed on its own") {
    // geo/project/project.cpp transform_all sends runs of up to 16,384 vertices to one
    // transformation call; each must come out exactly as a call for that point alone (the
    // independent source: crs.hpp's Transformer::apply(Vec2), one point per call).
    test::TempDir dir;
    const std::string path = dir.file("many.gpkg");
    std::vector<std::pair<double, double>> xy;
    for (int i = 0; i < 40000; ++i)
        xy.emplace_back(400000.0 + (i * 37 % 20011) * 1.37, 3380000.0 + (i * 101 % 19997) * 1.01);
    write_points(path, "GPKG", 32648, xy, false);
    const Project p = load_project(path);
    const Layer& l = p.layers.at(0).layer;
    REQUIRE(l.display.size() == xy.size());
    const Transformer t(Crs::from_user_input("EPSG:32648"), Crs::wgs84());
    std::size_t differ = 0;
    for (std::size_t i = 0; i < xy.size(); ++i) {
        const Vec2 one = t.apply(Vec2{xy[i].first, xy[i].second});
        const Vec2 got = l.display[i].points.at(0);
        if (one.x != got.x || one.y != got.y) ++differ;
    }
    CHECK(differ == 0);
    CHECK_THAT(l.display[0].points.at(0).x, WithinAbs(100.0, 5.0));  // lon/lat near Chengdu, not metres
}
