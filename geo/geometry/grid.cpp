#include "geo/geometry/grid.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "geo/core/error.hpp"
#include "geo/core/text.hpp"

namespace hq {

Grid Grid::like(double fill) const {
    Grid g;
    g.origin_x = origin_x;
    g.origin_y = origin_y;
    g.pixel = pixel;
    g.width = width;
    g.height = height;
    g.crs_wkt = crs_wkt;
    g.values.assign(values.size() == 0 ? static_cast<std::size_t>(width) * static_cast<std::size_t>(height)
                                       : values.size(),
                    fill);
    return g;
}

Grid make_grid(const Box& extent, double pixel, std::string crs_wkt) {
    if (!(pixel > 0.0) || !std::isfinite(pixel))
        throw InputError("pixel size must be a positive number of metres (got " + std::to_string(pixel) + ")");
    if (extent.empty() || !std::isfinite(extent.minx) || !std::isfinite(extent.maxx) ||
        !std::isfinite(extent.miny) || !std::isfinite(extent.maxy))
        throw InputError("the heatmap extent is empty or not finite");
    // QGIS (qgskde.cpp, prepare()): rows = max(ceil(height / pixel) + 1, 1), same for columns.
    const double cols = std::max(std::ceil(extent.width() / pixel) + 1.0, 1.0);
    const double rows = std::max(std::ceil(extent.height() / pixel) + 1.0, 1.0);
    if (cols * rows > static_cast<double>(kMaxGridCells) || cols > 1e9 || rows > 1e9)
        throw InputError("the heatmap grid would have " + whole_number_text(cols) + " x " + whole_number_text(rows) +
                         " cells, more than the limit of 2^28: choose a larger pixel size");
    Grid g;
    g.origin_x = extent.minx;
    g.origin_y = extent.maxy;
    g.pixel = pixel;
    g.width = static_cast<int>(cols);
    g.height = static_cast<int>(rows);
    g.crs_wkt = std::move(crs_wkt);
    g.values.assign(static_cast<std::size_t>(g.width) * static_cast<std::size_t>(g.height), 0.0);
    return g;
}

}  // namespace hq
