#pragma once
// Polygon triangulation with the GLU tessellator (STACK.md trap 4: not GEOS). Needs no GL
// context, so it runs on job threads; each thread uses its own tessellator object.
#include <vector>

#include "geo/geometry/types.hpp"

namespace hq::view {

/// Triangles of a polygonal geometry (holes and multipolygons handled, odd winding), as
/// x, y float pairs, three vertices per triangle. Coordinates are taken relative to
/// `origin` in double before the conversion to float (STACK.md trap 3). Non-polygonal or
/// empty geometry gives no triangles; so does a ring the tessellator rejects.
std::vector<float> tessellate(const Geometry& geometry, Vec2 origin);

/// Sum of the absolute areas of the triangles (x, y float pairs, three per triangle).
double triangles_area(const std::vector<float>& xy);

}  // namespace hq::view
