#pragma once
// A north-up raster of doubles in a metric CRS: what the KDE surfaces (geo/stats/kde.hpp)
// produce and the raster writer (geo/io/raster.hpp) writes. A value type of the lowest
// floor, so that io need not include stats.
#include <cstddef>
#include <string>
#include <vector>

#include "geo/geometry/types.hpp"

namespace hq {

/// A north-up raster of doubles. Cell (col, row) covers
/// [origin_x + col·pixel, origin_x + (col+1)·pixel] × [origin_y − (row+1)·pixel, origin_y − row·pixel];
/// its value is evaluated at the cell centre. NaN means "no data".
struct Grid {
    double origin_x = 0.0;  ///< min x of the grid (left edge)
    double origin_y = 0.0;  ///< max y of the grid (top edge)
    double pixel = 1.0;     ///< cell size in CRS units (metres)
    int width = 0;          ///< columns
    int height = 0;         ///< rows
    std::vector<double> values;  ///< row-major, top row first; size width·height
    std::string crs_wkt;    ///< CRS of the grid ("" = none / planar)

    [[nodiscard]] std::size_t size() const { return values.size(); }
    [[nodiscard]] double& at(int col, int row) {
        return values[static_cast<std::size_t>(row) * static_cast<std::size_t>(width) + static_cast<std::size_t>(col)];
    }
    [[nodiscard]] double at(int col, int row) const {
        return values[static_cast<std::size_t>(row) * static_cast<std::size_t>(width) + static_cast<std::size_t>(col)];
    }
    [[nodiscard]] Vec2 cell_center(int col, int row) const {
        return {origin_x + (col + 0.5) * pixel, origin_y - (row + 0.5) * pixel};
    }
    /// The area the cells cover.
    [[nodiscard]] Box bounds() const {
        return {origin_x, origin_y - height * pixel, origin_x + width * pixel, origin_y};
    }
    /// A grid of the same geometry and CRS, every value `fill`.
    [[nodiscard]] Grid like(double fill) const;
};

/// Largest grid kde() accepts (cells); larger requests are an InputError asking for a
/// larger pixel.
inline constexpr std::size_t kMaxGridCells = std::size_t{1} << 28;

/// A grid covering `extent` with QGIS's sizing rule: origin (minx, maxy),
/// columns = max(ceil(width / pixel) + 1, 1), rows = max(ceil(height / pixel) + 1, 1), zeros.
/// Throws InputError for a non-positive pixel, an empty extent or a grid over kMaxGridCells.
Grid make_grid(const Box& extent, double pixel, std::string crs_wkt = {});

}  // namespace hq
