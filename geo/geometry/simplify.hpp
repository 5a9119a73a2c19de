#pragma once
// Shared-edge-aware simplification of a polygon coverage for display (level of detail).
// Adjacent polygons stay gap-free: each ring is cut into arcs at the coverage's nodes
// (vertices where three or more distinct edges meet), every arc is simplified in one
// canonical direction (Douglas–Peucker, end points fixed), and every vertex is then snapped
// to a grid. Both steps are functions of the shared input only, so the two polygons on
// either side of a shared edge get the same simplified edge, whichever simplifies first.
// GEOS's TopologyPreserveSimplify works per geometry and would open slivers between
// neighbours; GEOS 3.11 (Debian 12) has no coverage simplifier. No GL here.
#include <cstddef>
#include <vector>

#include "geo/geometry/types.hpp"

namespace hq {

/// The nodes of a set of polygon rings: vertices with more or fewer than two distinct
/// neighbouring vertices over all rings (where shared boundaries begin and end). Built once
/// for a layer or project; exact coordinate equality decides what is shared.
class CoverageNodes {
public:
    CoverageNodes() = default;
    explicit CoverageNodes(const std::vector<const Geometry*>& geometries);
    [[nodiscard]] bool is_node(Vec2 p) const;
    [[nodiscard]] std::size_t size() const { return m_nodes.size(); }

private:
    std::vector<Vec2> m_nodes;  ///< sorted by (x, y)
};

/// One polygonal geometry of the coverage, simplified so that no vertex moves more than
/// about `tolerance` (Douglas–Peucker at tolerance/2, then a grid of tolerance/2). Rings
/// that collapse (fewer than three distinct vertices or no area) are dropped, and a
/// polygon whose exterior collapses is dropped with its holes: at the scale this level is
/// drawn such a polygon is below a pixel and its neighbours' shared edges close over it.
/// Non-polygonal geometry is returned unchanged; tolerance <= 0 returns a copy.
Geometry simplify_coverage_member(const Geometry& geometry, const CoverageNodes& nodes, double tolerance);

}  // namespace hq
