#pragma once
// Geometry operations on plain value types, through GEOS (reentrant API).
// All measures are planar: call them on metric (projected) geometry for metres.
#include <optional>
#include <string>
#include <vector>

#include "geo/geometry/types.hpp"

namespace hq {

struct Validity {
    bool valid = true;
    std::string reason;  ///< GEOS's reason, e.g. "Self-intersection[3 4]"
};

Validity check_validity(const Geometry& g);
/// GEOSMakeValid, keeping only the polygonal part for polygonal input.
Geometry make_valid(const Geometry& g);

double area(const Geometry& g);
double length(const Geometry& g);
Vec2 centroid(const Geometry& g);
/// A point guaranteed to lie inside a polygonal geometry (GEOSPointOnSurface).
Vec2 point_on_surface(const Geometry& g);
/// The one point that stands for a feature wherever one is needed (KDE points, the
/// planner's distances, venue positions): a point's own position; for polygons a point
/// inside (point_on_surface; the bounding-box centre if GEOS cannot place one); the
/// centroid of lines; NaN for an empty geometry.
Vec2 representative_point(const Geometry& g);

bool contains(const Geometry& a, const Geometry& b);
bool intersects(const Geometry& a, const Geometry& b);
bool covers(const Geometry& a, const Geometry& b);
/// Minimum distance between the two geometries (0 if they intersect).
double distance(const Geometry& a, const Geometry& b);

Geometry intersection(const Geometry& a, const Geometry& b);
Geometry difference(const Geometry& a, const Geometry& b);
Geometry union_all(const std::vector<Geometry>& gs);
/// Buffer by d (negative shrinks), with `quadrant_segments` segments per quarter circle.
Geometry buffer(const Geometry& g, double d, int quadrant_segments = 8);
/// Douglas–Peucker simplification preserving topology of each feature.
Geometry simplify(const Geometry& g, double tolerance);

/// Point-in-polygon on plain rings (even–odd over all rings; boundary counts as inside
/// only approximately). Fast path used by the KDE spreading and the viewer picking.
bool point_in_polygon(const Geometry& polygonal, Vec2 p);

}  // namespace hq
