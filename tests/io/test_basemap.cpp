// Raster basemaps (geo/io/basemap.hpp): a GeoTIFF with known colours in known places is
// read, warped to a metric CRS and sampled to a bounded RGBA image; the colours land where
// the coordinates say, outside the source is transparent, the size limit holds, and bad
// files are refused with their name.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_srs_api.h>

#include "geo/core/error.hpp"
#include "geo/crs/crs.hpp"
#include "geo/io/basemap.hpp"
#include "tests/test_raster.hpp"
#include "tests/test_support.hpp"

namespace {

/// A GeoTIFF over `box` in EPSG:`epsg` (0 = no CRS), w × h pixels, four quadrants:
/// top-left red, top-right green, bottom-left blue, bottom-right white.
void write_quadrants(const std::string& path, int epsg, const hq::Box& box, int w, int h) {
    static const std::array<unsigned char, 3> colors[4] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};
    hq::test::write_rgb_tiff(path, epsg, box, w, h,
                             [&](int x, int y) { return colors[(y < h / 2 ? 0 : 2) + (x < w / 2 ? 0 : 1)]; });
}

/// The RGBA pixel of the image at a point of its CRS.
std::array<int, 4> pixel_at(const hq::BasemapImage& img, hq::Vec2 p) {
    const int x = static_cast<int>((p.x - img.extent.minx) / (img.extent.maxx - img.extent.minx) * img.width);
    const int y = static_cast<int>((img.extent.maxy - p.y) / (img.extent.maxy - img.extent.miny) * img.height);
    REQUIRE(x >= 0);
    REQUIRE(y >= 0);
    REQUIRE(x < img.width);
    REQUIRE(y < img.height);
    const std::size_t k = (static_cast<std::size_t>(y) * static_cast<std::size_t>(img.width) + static_cast<std::size_t>(x)) * 4;
    return {img.rgba[k], img.rgba[k + 1], img.rgba[k + 2], img.rgba[k + 3]};
}

}  // namespace

TEST_CASE("basemap: same CRS, colours where the coordinates say, extent and size kept", "[io][basemap]") {
    hq::test::TempDir tmp;
    const std::string tif = tmp.file("quad.tif");
    // 200 m × 100 m in UTM 48N, 1 m pixels.
    const hq::Box box{400000, 3390000, 400200, 3390100};
    write_quadrants(tif, 32648, box, 200, 100);
    const hq::Crs utm = hq::Crs::from_user_input("EPSG:32648");
    const hq::BasemapImage img = hq::read_basemap(tif, utm);
    CHECK(img.width == 200);
    CHECK(img.height == 100);
    CHECK_THAT(img.extent.minx, Catch::Matchers::WithinRel(400000, 1e-12));
    CHECK_THAT(img.extent.maxx, Catch::Matchers::WithinRel(400200, 1e-12));
    CHECK_THAT(img.extent.miny, Catch::Matchers::WithinRel(3390000, 1e-12));
    CHECK_THAT(img.extent.maxy, Catch::Matchers::WithinRel(3390100, 1e-12));
    CHECK(pixel_at(img, {400050, 3390075}) == std::array<int, 4>{255, 0, 0, 255});     // top-left
    CHECK(pixel_at(img, {400150, 3390075}) == std::array<int, 4>{0, 255, 0, 255});     // top-right
    CHECK(pixel_at(img, {400050, 3390025}) == std::array<int, 4>{0, 0, 255, 255});     // bottom-left
    CHECK(pixel_at(img, {400150, 3390025}) == std::array<int, 4>{255, 255, 255, 255}); // bottom-right

    SECTION("the size limit downsamples, keeping the extent") {
        hq::BasemapOptions o;
        o.max_pixels = 50;
        const hq::BasemapImage small = hq::read_basemap(tif, utm, o);
        CHECK(small.width == 50);   // 200 → 50
        CHECK(small.height == 25);  // 100 · 50/200
        CHECK_THAT(small.extent.maxx, Catch::Matchers::WithinRel(400200, 1e-12));
        CHECK(pixel_at(small, {400150, 3390075}) == std::array<int, 4>{0, 255, 0, 255});
    }
    SECTION("a clip box larger than the file: outside is transparent") {
        hq::BasemapOptions o;
        o.clip = hq::Box{399900, 3390000, 400200, 3390100};
        const hq::BasemapImage c = hq::read_basemap(tif, utm, o);
        CHECK_THAT(c.extent.minx, Catch::Matchers::WithinRel(399900, 1e-12));
        CHECK(pixel_at(c, {399950, 3390050})[3] == 0);
        CHECK(pixel_at(c, {400150, 3390025}) == std::array<int, 4>{255, 255, 255, 255});
    }
    SECTION("a clip box that misses the file is refused") {
        hq::BasemapOptions o;
        o.clip = hq::Box{500000, 3390000, 500100, 3390100};
        CHECK_THROWS_AS(hq::read_basemap(tif, utm, o), hq::InputError);
    }
}

TEST_CASE("basemap: lon/lat GeoTIFF warped to UTM, quadrant colours at projected points", "[io][basemap]") {
    hq::test::TempDir tmp;
    const std::string tif = tmp.file("ll.tif");
    // 0.01° × 0.01° around (104.04 E, 30.64 N); quadrant centres at ±0.0025°.
    write_quadrants(tif, 4326, hq::Box{104.035, 30.635, 104.045, 30.645}, 100, 100);
    const hq::Crs utm = hq::Crs::from_user_input("EPSG:32648");
    const hq::BasemapImage img = hq::read_basemap(tif, utm);
    const hq::Transformer t(hq::Crs::wgs84(), utm);
    CHECK(img.extent.contains(t.apply({104.04, 30.64})));
    CHECK(pixel_at(img, t.apply({104.0375, 30.6425})) == std::array<int, 4>{255, 0, 0, 255});
    CHECK(pixel_at(img, t.apply({104.0425, 30.6425})) == std::array<int, 4>{0, 255, 0, 255});
    CHECK(pixel_at(img, t.apply({104.0375, 30.6375})) == std::array<int, 4>{0, 0, 255, 255});
    CHECK(pixel_at(img, t.apply({104.0425, 30.6375})) == std::array<int, 4>{255, 255, 255, 255});
    CHECK(img.source_crs.find("4326") != std::string::npos);
}

TEST_CASE("basemap: files without a CRS, missing files and planar projects are refused", "[io][basemap]") {
    hq::test::TempDir tmp;
    const std::string tif = tmp.file("nocrs.tif");
    write_quadrants(tif, 0, hq::Box{0, 0, 10, 10}, 10, 10);
    const hq::Crs utm = hq::Crs::from_user_input("EPSG:32648");
    try {
        (void)hq::read_basemap(tif, utm);
        FAIL("no exception");
    } catch (const hq::InputError& e) {
        CHECK(std::string(e.what()).find("nocrs.tif") != std::string::npos);
        CHECK(std::string(e.what()).find("CRS") != std::string::npos);
    }
    CHECK_THROWS_AS(hq::read_basemap(tmp.file("missing.tif"), utm), hq::InputError);
    CHECK_THROWS_AS(hq::read_basemap(tif, hq::Crs{}), hq::InputError);
}

TEST_CASE("basemap: an MBTiles file (web-mercator PNG tiles) warped to UTM, quadrant colours in place",
          "[io][basemap]") {
    // The MBTiles is made by GDAL's own MBTiles driver from a lon/lat quadrant GeoTIFF
    // (CreateCopy reprojects to EPSG:3857 and cuts 256 px PNG tiles at the zoom level that
    // keeps the resolution): an independent writer of the format huqian reads.
    hq::test::TempDir tmp;
    const std::string tif = tmp.file("ll.tif"), mbt = tmp.file("ortho.mbtiles");
    write_quadrants(tif, 4326, hq::Box{104.035, 30.635, 104.045, 30.645}, 200, 200);
    {
        GDALAllRegister();
        GDALDatasetH src = GDALOpen(tif.c_str(), GA_ReadOnly);
        REQUIRE(src != nullptr);
        GDALDriverH drv = GDALGetDriverByName("MBTiles");
        REQUIRE(drv != nullptr);
        const char* opts[] = {"TILE_FORMAT=PNG", nullptr};
        GDALDatasetH dst = GDALCreateCopy(drv, mbt.c_str(), src, FALSE, const_cast<char**>(opts), nullptr, nullptr);
        REQUIRE(dst != nullptr);
        GDALClose(dst);
        GDALClose(src);
    }
    const hq::Crs utm = hq::Crs::from_user_input("EPSG:32648");
    const hq::BasemapImage img = hq::read_basemap(mbt, utm);
    const hq::Transformer t(hq::Crs::wgs84(), utm);
    CHECK(img.extent.contains(t.apply({104.04, 30.64})));
    CHECK(img.source_crs.find("3857") != std::string::npos);
    // Quadrant centres, 0.0025° from the middle (well inside: tiles resample at the edges).
    CHECK(pixel_at(img, t.apply({104.0375, 30.6425})) == std::array<int, 4>{255, 0, 0, 255});
    CHECK(pixel_at(img, t.apply({104.0425, 30.6425})) == std::array<int, 4>{0, 255, 0, 255});
    CHECK(pixel_at(img, t.apply({104.0375, 30.6375})) == std::array<int, 4>{0, 0, 255, 255});
    CHECK(pixel_at(img, t.apply({104.0425, 30.6375})) == std::array<int, 4>{255, 255, 255, 255});
}
