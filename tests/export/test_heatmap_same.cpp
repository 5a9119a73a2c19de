// One analysis, two commands: `huqian export --map heatmap:G` (the scene's surface) and
// `huqian heatmap --group G` give the same values for the same request (issue 12).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include "app/carto/scene.hpp"
#include "geo/io/raster.hpp"
#include "geo/project/project.hpp"
#include "tests/export/test_project.hpp"
#include "tests/export/test_shell.hpp"
#include "tests/test_support.hpp"

using Catch::Matchers::WithinRel;

using namespace hq;

TEST_CASE("heatmap: the export scene and huqian heatmap give the same surface", "[export][heatmap]") {
    test::TempDir t;
    test::write_test_project(t.path().string());
    const auto p = std::make_shared<const Project>(load_project(t.path().string()));
    // The guard off: on this project the guard leaves Alpha no published cell (its heatmap is
    // refused, docs/privacy.md "Densities"); tests/view/test_view_privacy.cpp compares the two
    // with the guard on, on Shuhan.
    carto::MapRequest req = carto::parse_map_kind("heatmap:pop_a");
    req.privacy_guard = false;
    const carto::Scene s = carto::build_scene(p, req);
    REQUIRE(s.raster);
    REQUIRE(s.raster->values);
    const Grid& scene = *s.raster->values;

    // The same request on the command line: quartic, per hectare, the scene's radius, pixel
    // and extent; Float64 so that nothing is lost on the way.
    const Box e = s.raster->request_extent;
    char extent[200];
    std::snprintf(extent, sizeof extent, "%.17g,%.17g,%.17g,%.17g", e.minx, e.miny, e.maxx, e.maxy);
    const std::string tif = t.file("heat.tif");
    using namespace hq::test::shell;
    const Run r = run(exe() + " heatmap " + q(t.path().string()) + " --group pop_a --radius " +
                      std::to_string(req.heatmap_radius_m) + " --pixel " + std::to_string(req.heatmap_pixel_m) +
                      " --output-value per-ha --float64 --no-privacy-guard --extent " + extent + " -o " + q(tif));
    INFO(r.out);
    REQUIRE(r.code == 0);
    const RasterFile f = read_geotiff(tif);
    REQUIRE(f.bands.size() == 1);
    const Grid& cli = f.bands[0];
    REQUIRE(cli.width == scene.width);
    REQUIRE(cli.height == scene.height);
    REQUIRE(cli.values.size() == scene.values.size());

    double max_s = 0, max_c = 0, sum_s = 0, sum_c = 0;
    std::size_t imax = 0;
    for (std::size_t i = 0; i < scene.values.size(); ++i) {
        if (scene.values[i] > max_s) {
            max_s = scene.values[i];
            imax = i;
        }
        max_c = std::max(max_c, cli.values[i]);
        sum_s += scene.values[i];
        sum_c += cli.values[i];
    }
    REQUIRE(max_s > 0);
    CHECK_THAT(max_c, WithinRel(max_s, 1e-12));
    CHECK_THAT(sum_c, WithinRel(sum_s, 1e-12));
    // The peak cell, the centre cell and a cell a third of the way in.
    for (const std::size_t i : {imax, scene.values.size() / 2, scene.values.size() / 3 + scene.width / 3}) {
        INFO("cell " << i);
        CHECK_THAT(cli.values[i], WithinRel(scene.values[i], 1e-12));
    }
    // The Alpha cluster (40 per courtyard in the south-west quarter) is on the map: the densest
    // cell holds more than the test project's mean density of residents per hectare.
    CHECK(max_s > 10.0);
}

TEST_CASE("heatmap: a map's raster has at most kMapRasterSide cells along its longer side", "[export][heatmap]") {
    test::TempDir t;
    test::write_test_project(t.path().string());
    const auto p = std::make_shared<const Project>(load_project(t.path().string()));
    // The default cell fits the test project (a few hundred metres): kept as asked. (The
    // guard off: with it on, Alpha has no publishable cell here and its heatmap is refused.)
    carto::MapRequest req = carto::parse_map_kind("heatmap:pop_a");
    req.privacy_guard = false;
    const carto::Scene fine = carto::build_scene(p, req);
    REQUIRE(fine.raster);
    CHECK(fine.raster->values->pixel == req.heatmap_pixel_m);
    CHECK(req.max_raster_side == carto::kMapRasterSide);
    CHECK(carto::kMapRasterSide == 4096);
    // A cell of 1 cm (tens of thousands of cells across) is coarsened to the frame: a city at its
    // default cell took 12.9 GB for the mixing map before. (A cap of 512 here keeps the test
    // quick; the rule is the same for the default 4,096.)
    req.heatmap_pixel_m = 0.01;
    req.max_raster_side = 512;
    for (const char* kind : {"heatmap", "mixing"}) {
        INFO(kind);
        carto::MapRequest r = req;
        if (std::string(kind) == "mixing") r.kind = carto::MapKind::Mixing;
        const carto::Scene s = carto::build_scene(p, r);
        REQUIRE(s.raster);
        const Grid& g = *s.raster->values;
        const Box e = s.raster->request_extent;
        const double side = std::max(e.width(), e.height());
        CHECK_THAT(g.pixel, WithinRel(side / 512, 1e-12));
        CHECK(std::max(g.width, g.height) <= 513);
        CHECK(std::max(g.width, g.height) >= 512);
        if (r.kind == carto::MapKind::Heatmap) {
            char cell[32];
            std::snprintf(cell, sizeof cell, "%.3g", g.pixel);
            CHECK_THAT(s.subtitle, Catch::Contains(std::string("像元") + cell + "米"));
        }
    }
}
