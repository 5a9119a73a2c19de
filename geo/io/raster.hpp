#pragma once
// Writing density grids as GeoTIFF through GDAL (GTiff driver), with CRS, geotransform and
// a NoData value, atomically; and reading them back.
#include <string>
#include <utility>
#include <vector>

#include "geo/geometry/grid.hpp"

namespace hq {

/// NoData value written for NaN cells (the value QGIS's heatmap tool uses).
inline constexpr double kRasterNoData = -9999.0;

struct RasterWriteOptions {
    double nodata = kRasterNoData;  ///< written for NaN cells and declared on every band
    bool float64 = false;           ///< Float64 instead of Float32 (QGIS writes Float32)
    bool compress = true;           ///< DEFLATE with the floating-point predictor
    /// Dataset metadata items (GDAL's default domain, `gdalinfo`'s "Metadata:"), e.g. the
    /// privacy guard's note and stamp (docs/privacy.md).
    std::vector<std::pair<std::string, std::string>> metadata;
};

/// Writes one band. The file appears complete or not at all: it is written to a temporary
/// file in the same folder and renamed over `path`. Throws InputError naming `path` when the
/// file cannot be written (the temporary file is removed).
void write_geotiff(const std::string& path, const Grid& grid, const std::string& description = {},
                   const RasterWriteOptions& options = {});

/// Writes several bands of equal geometry (band i = grids[i], described by descriptions[i]).
void write_geotiff(const std::string& path, const std::vector<const Grid*>& grids,
                   const std::vector<std::string>& descriptions, const RasterWriteOptions& options = {});

class AtomicFile;
/// The same into `file` (an AtomicFile of kind Named), left uncommitted (AtomicFileGroup).
void write_geotiff(AtomicFile& file, const std::vector<const Grid*>& grids, const std::vector<std::string>& descriptions,
                   const RasterWriteOptions& options = {});

/// A GeoTIFF read back: one Grid per band, NoData cells as NaN.
struct RasterFile {
    std::vector<Grid> bands;
    std::vector<std::string> descriptions;
    bool has_nodata = false;
    double nodata = 0.0;
};

/// Reads every band of a north-up GeoTIFF. Throws InputError naming `path` on failure.
RasterFile read_geotiff(const std::string& path);

}  // namespace hq
