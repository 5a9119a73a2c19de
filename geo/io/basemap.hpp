#pragma once
// Raster basemaps (a GeoTIFF orthophoto, an MBTiles file) read through GDAL, warped to the
// project's metric CRS and resampled to an RGBA image of bounded size: what the viewer
// uploads as a texture beneath the data. No GL here.
#include <cstdint>
#include <string>
#include <vector>

#include "geo/crs/crs.hpp"
#include "geo/geometry/types.hpp"

namespace hq {

struct BasemapOptions {
    /// Largest side of the image in pixels (the texture); the source is downsampled to fit.
    int max_pixels = 4096;
    /// Non-empty: only this box of the target CRS is kept (the project's area with a margin),
    /// so a large orthophoto keeps its detail where the data is.
    Box clip;
};

/// An RGBA image in the target CRS, north up.
struct BasemapImage {
    Box extent;  ///< outer edges of the pixels, target CRS
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgba;  ///< row-major from the top row, 4 bytes per pixel, not premultiplied
    std::string source_crs;          ///< label of the file's CRS
};

/// Drivers accepted for basemaps: GTiff, MBTiles (and PNG/JPEG with world files or .aux.xml).
const std::vector<std::string>& allowed_basemap_drivers();

/// Reads `path`, warps it to `target` (bilinear; pixels outside the source transparent),
/// keeps `options.clip` when given, and samples it into at most max_pixels per side.
/// 1 band = grey (or its colour table), 2 = grey + alpha, 3 = RGB, 4+ = RGBA; nodata cells
/// become transparent. Throws InputError naming the file when it cannot be opened, has no
/// CRS or geotransform, the target CRS is unknown, or it does not overlap the clip box.
BasemapImage read_basemap(const std::string& path, const Crs& target, const BasemapOptions& options = {});

}  // namespace hq
