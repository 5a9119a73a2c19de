#pragma once
// Contiguity weights from polygons: queen (a shared point) and rook (a shared boundary of
// positive length), exact by default.
//
// Method: an STR tree gives candidate pairs whose boxes meet; pairs with an identical
// vertex are queen neighbours and pairs with an identical edge are rook neighbours at
// once (hashing by sorting). The remaining candidates get an exact GEOS test: queen by a
// prepared "intersects" (T-junctions, crossing boundaries), rook by the DE-9IM pattern
// "boundary ∩ boundary has dimension 1". A pair whose only common point is one shared
// vertex, with no other vertex of either polygon in the intersection of their boxes, cannot
// share a segment and is settled without GEOS (corner contacts in grids).
#include <vector>

#include "geo/core/progress.hpp"
#include "geo/geometry/types.hpp"
#include "geo/weights/weights.hpp"

namespace hq {

enum class ContiguityKind : std::uint8_t { Queen, Rook };

struct ContiguityOptions {
    ContiguityKind kind = ContiguityKind::Queen;
    /// Snapping tolerance in the units of the coordinates (metres in a metric CRS).
    /// 0 = exact. With t > 0: queen = boundaries within distance t; rook = after snapping
    /// the first polygon to the second (GEOSSnap, tolerance t) their boundaries share a
    /// segment of positive length.
    double tolerance = 0.0;
    unsigned threads = 0;  ///< 0 = default thread count
};

/// Binary, symmetric contiguity weights. Every geometry must be polygonal or empty (an
/// empty geometry is an island); otherwise InputError naming the feature. A unit with more
/// than limits().neighbours_per_unit neighbours (1,000; docs/limits.md) is refused with an
/// InputError naming it, before the quadratic work stacked copies of one polygon would cause.
Weights contiguity_weights(const std::vector<Geometry>& polygons, const ContiguityOptions& options = {},
                           const Progress& progress = {});

}  // namespace hq
