// GeoTIFF and vector writing (geo/io/raster, geo/io/writer): round trips and atomic writes.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include <ogr_spatialref.h>

#include "geo/core/error.hpp"
#include "geo/crs/crs.hpp"
#include "geo/io/raster.hpp"
#include "geo/io/reader.hpp"
#include "geo/io/writer.hpp"
#include "geo/stats/kde.hpp"
#include "tests/test_support.hpp"

using Catch::Matchers::WithinAbs;

namespace fs = std::filesystem;

namespace {

hq::Grid sample_grid() {
    hq::Grid g;
    g.origin_x = 410000.0;
    g.origin_y = 3395000.0;
    g.pixel = 25.0;
    g.width = 7;
    g.height = 5;
    g.crs_wkt = hq::Crs::from_user_input("EPSG:32648").wkt;
    for (int i = 0; i < 35; ++i) g.values.push_back(0.1 * i * i - 3.0);
    g.values[3] = std::numeric_limits<double>::quiet_NaN();
    return g;
}

std::size_t files_in(const fs::path& dir) {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
    return n;
}

bool same_crs(const std::string& a, const std::string& b) {
    OGRSpatialReference sa, sb;
    if (sa.importFromWkt(a.c_str()) != OGRERR_NONE || sb.importFromWkt(b.c_str()) != OGRERR_NONE) return false;
    return sa.IsSame(&sb) != 0;
}

hq::Layer small_layer() {
    hq::Layer layer;
    layer.table.name = "blocks";
    layer.table.fields = {{"n", hq::FieldType::Integer},
                          {"share", hq::FieldType::Real},
                          {"name", hq::FieldType::String},
                          {"surveyed", hq::FieldType::Date}};
    layer.table.rows = {{std::int64_t{12}, 0.25, std::string("蜀汉街 1"), std::string("2024-05-01")},
                        {std::int64_t{-3}, std::numeric_limits<double>::quiet_NaN(), std::monostate{}, std::monostate{}}};
    layer.ids = {"A-1", "A-2"};
    const hq::Crs utm = hq::Crs::from_user_input("EPSG:32648");
    layer.source_crs = utm;
    layer.metric = {hq::Geometry::polygon({{410000, 3395000}, {410100, 3395000}, {410100, 3395080}, {410000, 3395080}}),
                    hq::Geometry::polygon({{410100, 3395000}, {410200, 3395000}, {410200, 3395080}, {410100, 3395080}})};
    layer.display = layer.metric;
    const hq::Transformer t(utm, hq::Crs::wgs84());
    for (auto& g : layer.display) t.apply(g);
    layer.geom_type = hq::GeomType::Polygon;
    return layer;
}

}  // namespace

TEST_CASE("GeoTIFF round trip keeps CRS, geotransform, values and NoData", "[raster]") {
    hq::test::TempDir dir;
    const hq::Grid g = sample_grid();
    for (bool f64 : {false, true}) {
        const std::string path = dir.file(f64 ? "g64.tif" : "g32.tif");
        hq::RasterWriteOptions o;
        o.float64 = f64;
        hq::write_geotiff(path, g, "density", o);
        const hq::RasterFile back = hq::read_geotiff(path);
        REQUIRE(back.bands.size() == 1);
        const hq::Grid& r = back.bands[0];
        CHECK(r.width == 7);
        CHECK(r.height == 5);
        CHECK(r.origin_x == 410000.0);
        CHECK(r.origin_y == 3395000.0);
        CHECK(r.pixel == 25.0);
        CHECK(back.has_nodata);
        CHECK(back.nodata == hq::kRasterNoData);
        CHECK(back.descriptions[0] == "density");
        CHECK(same_crs(r.crs_wkt, g.crs_wkt));
        CHECK(r.crs_wkt.find("UTM zone 48N") != std::string::npos);
        for (std::size_t i = 0; i < g.values.size(); ++i) {
            if (std::isnan(g.values[i])) {
                CHECK(std::isnan(r.values[i]));
            } else if (f64) {
                CHECK(r.values[i] == g.values[i]);
            } else {
                CHECK(r.values[i] == static_cast<double>(static_cast<float>(g.values[i])));
            }
        }
    }
    // No temporary file is left next to the output.
    CHECK(files_in(dir.path()) == 2);
}

TEST_CASE("GeoTIFF with several bands", "[raster]") {
    hq::test::TempDir dir;
    const hq::Grid a = sample_grid();
    hq::Grid b = a.like(2.0);
    hq::write_geotiff(dir.file("two.tif"), {&a, &b}, {"g01", "g02"});
    const auto back = hq::read_geotiff(dir.file("two.tif"));
    REQUIRE(back.bands.size() == 2);
    CHECK(back.descriptions[1] == "g02");
    CHECK(back.bands[1].values[3] == 2.0);
    hq::Grid c = a;
    c.width = 6;
    c.values.resize(30);
    CHECK_THROWS_AS(hq::write_geotiff(dir.file("bad.tif"), {&a, &c}, {}), hq::InputError);
}

TEST_CASE("Atomic writes leave no half file behind", "[raster][writer]") {
    hq::test::TempDir dir;
    const hq::Grid g = sample_grid();
    // A folder that does not exist: the error names the path; nothing is created.
    const std::string missing = dir.file("no/such/folder/out.tif");
    try {
        hq::write_geotiff(missing, g);
        FAIL("expected an InputError");
    } catch (const hq::InputError& e) {
        CHECK(std::string(e.what()).find(missing) != std::string::npos);
    }
    CHECK(files_in(dir.path()) == 0);

    // The target is a folder: the GeoTIFF is written to a temporary file, the rename fails,
    // the temporary file is removed and the folder is untouched.
    fs::create_directory(dir.file("taken.tif"));
    CHECK_THROWS_AS(hq::write_geotiff(dir.file("taken.tif"), g), hq::InputError);
    CHECK(files_in(dir.path()) == 1);
    CHECK(fs::is_directory(dir.file("taken.tif")));
    fs::create_directory(dir.file("taken.gpkg"));
    CHECK_THROWS_AS(hq::write_layer(small_layer(), dir.file("taken.gpkg")), hq::InputError);
    CHECK(files_in(dir.path()) == 2);

    // An existing file is replaced only when the new one is complete: a failed write keeps it.
    {
        std::ofstream(dir.file("keep.gpkg")) << "old";
    }
    hq::Layer bad = small_layer();
    bad.table.rows[1][3] = std::string("1st of May");  // not a date: fails half-way
    CHECK_THROWS_AS(hq::write_layer(bad, dir.file("keep.gpkg")), hq::InputError);
    std::ifstream in(dir.file("keep.gpkg"));
    std::string content;
    in >> content;
    CHECK(content == "old");
    CHECK(files_in(dir.path()) == 3);

    // A folder without write permission (only meaningful when not running as root).
    if (::geteuid() != 0) {
        fs::create_directory(dir.file("ro"));
        fs::permissions(dir.file("ro"), fs::perms::owner_read | fs::perms::owner_exec);
        CHECK_THROWS_AS(hq::write_geotiff(dir.file("ro/out.tif"), g), hq::InputError);
        CHECK(files_in(dir.file("ro")) == 0);
        fs::permissions(dir.file("ro"), fs::perms::owner_all);
    }
}

TEST_CASE("GeoPackage and GeoJSON round trip of a layer", "[writer]") {
    hq::test::TempDir dir;
    const hq::Layer layer = small_layer();
    hq::WriteOptions o;
    o.metric_crs = layer.source_crs;
    hq::write_layer(layer, dir.file("blocks.gpkg"), o);
    hq::ReadOptions ro;
    ro.id_field = "id";
    const hq::Layer back = hq::read_layer_raw(dir.file("blocks.gpkg"), ro);
    REQUIRE(back.size() == 2);
    CHECK(back.ids == std::vector<std::string>{"A-1", "A-2"});
    CHECK(same_crs(back.source_crs.wkt, layer.source_crs.wkt));
    const int n = back.table.field_index("n");
    const int share = back.table.field_index("share");
    const int name = back.table.field_index("name");
    const int date = back.table.field_index("surveyed");
    REQUIRE(n >= 0);
    REQUIRE(share >= 0);
    REQUIRE(name >= 0);
    REQUIRE(date >= 0);
    CHECK(back.table.fields[static_cast<std::size_t>(n)].type == hq::FieldType::Integer);
    CHECK(back.table.fields[static_cast<std::size_t>(share)].type == hq::FieldType::Real);
    CHECK(back.table.fields[static_cast<std::size_t>(date)].type == hq::FieldType::Date);
    CHECK(std::get<std::int64_t>(back.table.rows[1][static_cast<std::size_t>(n)]) == -3);
    CHECK(std::get<double>(back.table.rows[0][static_cast<std::size_t>(share)]) == 0.25);
    CHECK(std::holds_alternative<std::monostate>(back.table.rows[1][static_cast<std::size_t>(share)]));  // NaN → null
    CHECK(std::get<std::string>(back.table.rows[0][static_cast<std::size_t>(name)]) == "蜀汉街 1");
    CHECK(hq::value_to_string(back.table.rows[0][static_cast<std::size_t>(date)]).substr(0, 10) == "2024-05-01");
    REQUIRE(back.metric.size() == 2);
    CHECK(back.metric[1].bounds().maxx == 410200.0);
    CHECK_THAT(hq::planar_area(back.metric[0]), Catch::Matchers::WithinRel(8000.0, 1e-12));

    hq::write_layer(layer, dir.file("blocks.geojson"));
    const hq::Layer gj = hq::read_layer_raw(dir.file("blocks.geojson"), ro);
    REQUIRE(gj.size() == 2);
    // RFC 7946: lon/lat (UTM 48N easting 410 km ≈ 104.08°E, northing 3395 km ≈ 30.68°N).
    const hq::Box b = gj.metric[0].bounds();
    CHECK_THAT(b.minx, WithinAbs(layer.display[0].bounds().minx, 1e-7));
    CHECK(b.minx > 104.0);
    CHECK(b.minx < 104.2);
    CHECK(b.miny > 30.6);
    CHECK(b.miny < 30.8);
    INFO("GeoJSON CRS read back: " << gj.source_crs.label());
    CHECK((gj.source_crs.geographic || !gj.source_crs.known()));

    CHECK_THROWS_AS(hq::write_layer(layer, dir.file("blocks.shp")), hq::InputError);
    CHECK(files_in(dir.path()) == 2);
}
