// Which CRS measures the data: a projected source CRS in metres is kept when it fits the
// data; a metric CRS far from the data is warned about; GCJ-02 / BD-09 source coordinates.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

#include "geo/core/error.hpp"
#include "geo/crs/crs.hpp"
#include "geo/crs/web_datum.hpp"
#include "geo/geometry/ops.hpp"
#include "geo/project/project.hpp"
#include "tests/test_support.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using hq::Crs;
using hq::Vec2;

namespace {

const Vec2 kChengdu{104.05, 30.64};

void write(const std::string& path, const std::string& text) {
    std::ofstream f(path, std::ios::binary);
    f << text;
}

/// Three 100 m squares, side by side, at Chengdu, written in `epsg` coordinates.
std::string squares_geojson(int epsg) {
    const hq::Transformer t(Crs::wgs84(), Crs::from_user_input("EPSG:" + std::to_string(epsg)));
    const Vec2 o = t.apply(kChengdu);
    const double x0 = std::round(o.x), y0 = std::round(o.y);
    std::ostringstream s;
    s.precision(17);
    s << R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::)" << epsg
      << R"("}},"features":[)";
    for (int k = 0; k < 3; ++k) {
        const double x = x0 + 100.0 * k, y = y0;
        s << (k ? "," : "") << R"({"type":"Feature","properties":{"id":"U)" << k << R"(","a":10},"geometry":{"type":"Polygon","coordinates":[[)"
          << "[" << x << "," << y << "],[" << x + 100 << "," << y << "],[" << x + 100 << "," << y + 100 << "],[" << x
          << "," << y + 100 << "],[" << x << "," << y << "]]]}}";
    }
    s << "]}";
    return s.str();
}

bool any_warning_contains(const hq::Project& p, const std::string& text) {
    for (const auto& w : p.warnings)
        if (w.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("scale error of a metric CRS at Chengdu", "[crs][metric]") {
    // Hand-worked from the transverse Mercator point scale factor (Snyder 1987, eq. 8-11):
    // k = k0 (1 + A²(1+C)/2 + A⁴(5 − 4T + 42C + 13C² − 28e'²)/24), A = Δλ cos φ, T = tan²φ,
    // C = e'² cos²φ. CGCS2000 GK CM 114°E (EPSG:4547, k0 = 1) at 104.05°E 30.64°N:
    // Δλ = −9.95°, k − 1 = 0.011293 (areas +2.27 %, the 2.2 % of issue 16).
    CHECK_THAT(hq::scale_error_at(Crs::from_user_input("EPSG:4547"), kChengdu), WithinAbs(0.011293, 2e-5));
    // UTM 48N (k0 = 0.9996, CM 105°E): k − 1 = −0.000298.
    CHECK_THAT(hq::scale_error_at(Crs::from_user_input("EPSG:32648"), kChengdu), WithinAbs(0.000298, 2e-6));
    // On the central meridian of GK CM 105°E (EPSG:4544, k0 = 1): 0.
    CHECK_THAT(hq::scale_error_at(Crs::from_user_input("EPSG:4544"), {105.0, 30.64}), WithinAbs(0.0, 1e-6));
}

TEST_CASE("the CGCS2000 3-degree zone for a longitude", "[crs][metric]") {
    CHECK(Crs::cgcs2000_gk3_for(104.05)->epsg == 4544);  // CM 105°E
    CHECK(Crs::cgcs2000_gk3_for(114.2)->epsg == 4547);   // CM 114°E
    CHECK(Crs::cgcs2000_gk3_for(75.0)->epsg == 4534);    // CM 75°E
    CHECK(Crs::cgcs2000_gk3_for(135.0)->epsg == 4554);   // CM 135°E
    CHECK_FALSE(Crs::cgcs2000_gk3_for(2.35));
    CHECK(Crs::from_user_input("EPSG:4544").projected_in_metres());
    CHECK_FALSE(Crs::from_user_input("EPSG:4326").projected_in_metres());
    CHECK_FALSE(Crs::from_user_input("EPSG:2227").projected_in_metres());  // US survey feet
}

TEST_CASE("a layer in CGCS2000 GK is measured in its own CRS", "[crs][metric]") {
    hq::test::TempDir dir;
    const std::string f = dir.file("gk.geojson");
    write(f, squares_geojson(4544));
    const hq::Project p = hq::load_project(f);
    CHECK(p.metric_crs.epsg == 4544);
    const hq::Layer& l = *p.analysis_layer();
    REQUIRE(l.size() == 3);
    // The source coordinates are the metric ones: exact areas, no round trip through WGS 84.
    for (const auto& g : l.metric) CHECK_THAT(hq::area(g), WithinAbs(10000.0, 1e-6));
    CHECK_FALSE(any_warning_contains(p, "far from the data"));
}

TEST_CASE("a metric CRS far from the data is warned about, naming the right zone", "[crs][metric]") {
    hq::test::TempDir dir;
    const std::string f = dir.file("gk.geojson");
    write(f, squares_geojson(4544));
    hq::LoadOptions o;
    o.crs = "EPSG:4547";
    const hq::Project p = hq::load_project(f, o);
    CHECK(p.metric_crs.epsg == 4547);
    REQUIRE(any_warning_contains(p, "far from the data"));
    CHECK(any_warning_contains(p, "distorts lengths by 1.13 % (areas 2.27 %)"));
    CHECK(any_warning_contains(p, "use EPSG:4544 (CGCS2000 / 3-degree Gauss-Kruger CM 105E) or EPSG:32648"));
    CHECK(any_warning_contains(p, "请改用 EPSG:4544"));
    // The areas are inflated by the ratio of the two scale factors squared: k = 1.011293 in
    // EPSG:4547 and 1.000102 in EPSG:4544 (Snyder, as above: Δλ = −0.95°), so
    // 10000 · (1.011293 / 1.000102)² = 10225.05 m².
    CHECK_THAT(hq::area(p.analysis_layer()->metric[0]), WithinAbs(10225.05, 0.2));
}

TEST_CASE("data in a distant GK zone is measured in UTM, not in its own CRS", "[crs][metric]") {
    hq::test::TempDir dir;
    const std::string f = dir.file("far.geojson");
    write(f, squares_geojson(4547));  // Chengdu written in the CM 114°E zone
    const hq::Project p = hq::load_project(f);
    CHECK(p.metric_crs.epsg == 32648);
    // The squares are 100 m in EPSG:4547, where lengths are 1.13 % too long, measured in UTM
    // 48N (k = 0.999702): 10000 · (0.999702 / 1.011293)² = 9772.07 m².
    CHECK_THAT(hq::area(p.analysis_layer()->metric[0]), WithinAbs(9772.07, 0.2));
}

TEST_CASE("GCJ-02 source coordinates are converted to WGS 84", "[crs][gcj02]") {
    hq::test::TempDir dir;
    const std::string f = dir.file("amap.geojson");
    // eviltransform's Beijing point (python/test.py, 3416646), copied from AMap as GCJ-02.
    write(f, R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"V1"},)"
             R"("geometry":{"type":"Point","coordinates":[116.38404722455657,39.91334545536069]}}]})");
    hq::LoadOptions o;
    o.source_crs = "GCJ-02";
    const hq::Project p = hq::load_project(f, o);
    const Vec2 v = p.layers[0].layer.display[0].points[0];
    CHECK_THAT(v.x, WithinAbs(116.377817, 1e-8));
    CHECK_THAT(v.y, WithinAbs(39.911954, 1e-8));
    // Without --source-crs the same file is read as WGS 84: about 550 m east.
    const hq::Project raw = hq::load_project(f);
    CHECK(raw.layers[0].layer.display[0].points[0].x > v.x + 0.005);
}

TEST_CASE("a manifest layer in BD-09 is converted, a projected file cannot be GCJ-02", "[crs][bd09]") {
    hq::test::TempDir dir;
    write(dir.file("venues.geojson"),
          R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"V1"},)"
          R"("geometry":{"type":"Point","coordinates":[123,45]}}]})");
    write(dir.file("project.json"),
          R"({"huqian_manifest":1,"layers":{"venues":{"path":"venues.geojson","source_crs":"BD-09"}}})");
    const hq::Project p = hq::load_project(dir.path().string());
    const Vec2 v = p.layer(hq::Role::Venues)->display[0].points[0];
    // gcoord's BD09 → WGS84 value for [123, 45] (test/unit/crs/BD09.spec.js), to 5e-6 degrees.
    CHECK_THAT(v.x, WithinAbs(122.98762210, 5e-6));
    CHECK_THAT(v.y, WithinAbs(44.99171540, 5e-6));

    write(dir.file("gk.geojson"), squares_geojson(4544));
    hq::LoadOptions o;
    o.source_crs = "GCJ-02";
    CHECK_THROWS_WITH(hq::load_project(dir.file("gk.geojson"), o),
                      Contains("--source-crs") && Contains("GCJ-02 coordinates are lon/lat, but the file's CRS is EPSG:4544"));
    o.source_crs = "Mars";
    CHECK_THROWS_WITH(hq::load_project(dir.file("gk.geojson"), o), Contains("--source-crs") && Contains("or GCJ-02, BD-09"));
}

TEST_CASE("a source CRS replaces the file's own, with a warning", "[crs]") {
    hq::test::TempDir dir;
    const std::string f = dir.file("gk.geojson");
    write(f, squares_geojson(4544));
    hq::LoadOptions o;
    o.source_crs = "EPSG:4544";
    CHECK(hq::load_project(f, o).warnings.empty());
    o.source_crs = "EPSG:32648";  // wrong on purpose: the file's coordinates are GK
    const hq::Project p = hq::load_project(f, o);
    CHECK(any_warning_contains(p, "the file's CRS EPSG:4544"));
    CHECK(any_warning_contains(p, "is replaced by EPSG:32648"));
}
