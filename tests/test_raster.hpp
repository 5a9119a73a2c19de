#pragma once
// Small GeoTIFF fixtures for basemap tests: an RGB image over a box in a CRS, written
// with GDAL, its colours given per pixel.
#include <catch2/catch.hpp>

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_srs_api.h>

#include <array>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "geo/geometry/types.hpp"

namespace hq::test {

/// A w × h RGB GeoTIFF over `box` in EPSG:`epsg` (0 = no CRS); rgb(x, y) gives each pixel,
/// x from the left, y from the top.
inline void write_rgb_tiff(const std::string& path, int epsg, const Box& box, int w, int h,
                           const std::function<std::array<unsigned char, 3>(int, int)>& rgb) {
    GDALAllRegister();
    GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), path.c_str(), w, h, 3, GDT_Byte, nullptr);
    REQUIRE(ds);
    double gt[6] = {box.minx, (box.maxx - box.minx) / w, 0, box.maxy, 0, -(box.maxy - box.miny) / h};
    GDALSetGeoTransform(ds, gt);
    if (epsg) {
        OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
        OSRImportFromEPSG(srs, epsg);
        char* wkt = nullptr;
        OSRExportToWkt(srs, &wkt);
        GDALSetProjection(ds, wkt);
        CPLFree(wkt);
        OSRDestroySpatialReference(srs);
    }
    std::vector<unsigned char> plane(static_cast<std::size_t>(w) * static_cast<std::size_t>(h));
    for (int b = 0; b < 3; ++b) {
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x)
                plane[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)] =
                    rgb(x, y)[static_cast<std::size_t>(b)];
        REQUIRE(GDALRasterIO(GDALGetRasterBand(ds, b + 1), GF_Write, 0, 0, w, h, plane.data(), w, h, GDT_Byte, 0, 0) ==
                CE_None);
    }
    GDALClose(ds);
}

}  // namespace hq::test
