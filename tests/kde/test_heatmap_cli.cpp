// `huqian synth` and `huqian heatmap` end to end, through the executable.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include <sys/wait.h>

#include "geo/io/raster.hpp"
#include "geo/io/reader.hpp"
#include "geo/io/layer.hpp"
#include "tests/cli_support.hpp"
#include "tests/test_support.hpp"

using Catch::Matchers::WithinRel;

namespace {

/// Runs the huqian executable (the static registrars of the commands live in it) and
/// returns its exit code.
int run(const std::vector<std::string>& args) { return hq::test::run_huqian(args).code; }

double integral(const hq::Grid& g) {
    double s = 0.0;
    for (double v : g.values)
        if (!std::isnan(v)) s += v;
    return s * g.pixel * g.pixel;
}

}  // namespace

TEST_CASE("huqian synth then huqian heatmap with groups", "[cli][kde]") {
    hq::test::TempDir dir;
    const std::string city = dir.file("city.gpkg");
    REQUIRE(run({"synth", "--units", "400", "--groups", "3", "--seed", "5", "-o", city}) == 0);
    const hq::Layer layer = hq::read_layer_raw(city);
    REQUIRE(layer.size() == 400);
    double g1 = 0.0, g2 = 0.0;
    for (double v : hq::read_counts(layer, "pop_g01")) g1 += v;
    for (double v : hq::read_counts(layer, "pop_g02")) g2 += v;

    const std::string tif = dir.file("heat.tif");
    REQUIRE(run({"heatmap", city, "--group", "pop_g01,pop_g02", "--radius", "200", "--pixel", "20",
                 "--output-value", "scaled", "--no-privacy-guard", "-o", tif}) == 0);
    // (The guard off: each band integrates to the group's whole total. With it on, to the sum
    // of its published cells only, docs/privacy.md "Densities".)
    const hq::RasterFile r = hq::read_geotiff(tif);
    // 2 densities, 2 shares, entropy, Simpson.
    REQUIRE(r.bands.size() == 6);
    CHECK(r.bands[0].crs_wkt.find("UTM zone 48N") != std::string::npos);
    CHECK(r.bands[0].pixel == 20.0);
    // Scaled densities integrate to the group totals (area spreading conserves counts).
    CHECK_THAT(integral(r.bands[0]), WithinRel(g1, 0.01));
    CHECK_THAT(integral(r.bands[1]), WithinRel(g2, 0.01));
    // Shares add up to 1 wherever defined; mixing within its bounds.
    std::size_t defined = 0;
    for (std::size_t i = 0; i < r.bands[2].values.size(); ++i) {
        const double a = r.bands[2].values[i], b = r.bands[3].values[i];
        if (std::isnan(a)) {
            CHECK(std::isnan(r.bands[4].values[i]));
            continue;
        }
        ++defined;
        CHECK_THAT(a + b, WithinRel(1.0, 1e-5));
        CHECK(r.bands[4].values[i] >= -1e-6);
        CHECK(r.bands[4].values[i] <= std::log(2.0) + 1e-6);
        CHECK(r.bands[5].values[i] <= 0.5 + 1e-6);
    }
    CHECK(defined > 100);

    // Raw, one band, weight column.
    REQUIRE(run({"heatmap", city, "--weight", "total", "--radius", "150", "--pixel", "25", "--kernel", "triweight",
                 "--spread", "centroid", "-o", dir.file("raw.tif")}) == 0);
    CHECK(hq::read_geotiff(dir.file("raw.tif")).bands.size() == 1);

    // Bad input: exit 1 with a message; usage errors: exit 2.
    hq::test::check_cli_error({"heatmap", city, "--weight", "nope", "--radius", "150", "--pixel", "25", "-o", dir.file("x.tif")}, 1,
                "field nope: no such column");
    hq::test::check_cli_error({"heatmap", city, "--radius", "150", "--pixel", "25", "--kernel", "cosine", "-o", dir.file("x.tif")}, 2,
                "--kernel: cosine not in");
    hq::test::check_cli_error({"heatmap", city, "--radius", "-3", "--pixel", "25", "-o", dir.file("x.tif")}, 2, "--radius");
    hq::test::check_cli_error({"synth", "--units", "10", "--groups", "2", "--seed", "1", "-o", dir.file("x.shp")}, 1,
                "unknown output format \".shp\"");
}
