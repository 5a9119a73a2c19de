#pragma once
// The measure tool's geometry, without GL or ImGui (tested directly): a polyline of points
// clicked on the map in the project's metric CRS (metres), its length and, once closed,
// the area of the polygon it encloses.
#include <string>
#include <vector>

#include "geo/geometry/types.hpp"

namespace hq::view {

struct MeasureState {
    std::vector<Vec2> points;  ///< metric CRS, in click order
    bool closed = false;       ///< the last segment returns to the first point (an area)
};

/// Length of the polyline (plus the closing segment when `closed`), in CRS units (metres).
double polyline_length(const std::vector<Vec2>& points, bool closed);
/// Area enclosed by the ring (shoelace formula, absolute value; < 3 points = 0), in m².
double ring_area(const std::vector<Vec2>& points);

/// A click at `world`: closes the shape when it is within `snap` (CRS units) of the first
/// point and there are at least 3 points; otherwise adds a point (a click after a closed
/// shape starts a new measurement). Returns true when the click closed the shape.
bool measure_click(MeasureState& m, Vec2 world, double snap);

/// "850 m", "12.4 m", "1.25 km".
std::string format_distance(double metres);
/// Square metres below 1 ha ("356 m² (0.036 ha)"), hectares below 1 km² ("1.25 ha (12500 m²)"),
/// then km² ("1.500 km² (150.0 ha)").
std::string format_area(double square_metres);

}  // namespace hq::view
