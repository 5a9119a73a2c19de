#pragma once
// A walking network from a line layer (streets, paths) for catchments along the streets.
//
// Nodes are the vertices and end points of the lines; vertices closer than `snap` metres
// are merged into one node (the first one met keeps its position), and a line end that
// lies within `snap` of another line's segment (a T-junction digitised without a shared
// vertex) splits that segment there. Lines that cross without a shared vertex are NOT
// connected (a bridge or an underpass looks the same). Edges are the straight pieces
// between consecutive nodes, walkable both ways, weighted by their length.
#include <cstdint>
#include <utility>
#include <vector>

#include "geo/geometry/spatial_index.hpp"
#include "geo/geometry/types.hpp"

namespace hq::plan {

class StreetGraph {
public:
    StreetGraph() = default;
    /// `lines`: LineString / MultiLineString geometries in metres (other types are ignored).
    explicit StreetGraph(const std::vector<Geometry>& lines, double snap = 1.0);

    [[nodiscard]] std::size_t node_count() const { return m_pos.size(); }
    [[nodiscard]] std::size_t edge_count() const { return m_targets.size() / 2; }
    [[nodiscard]] bool empty() const { return m_pos.empty(); }
    [[nodiscard]] Vec2 node(std::size_t i) const { return m_pos[i]; }
    /// Nodes whose position lies in `box`.
    [[nodiscard]] std::vector<std::uint32_t> nodes_in(const Box& box) const { return m_index.query(box); }
    /// The node nearest to p (-1 when the graph is empty).
    [[nodiscard]] std::int64_t nearest_node(Vec2 p) const;
    /// Multi-source Dijkstra: dist[v] = min over sources (s, c) of c + path length s→v,
    /// +inf where that exceeds `limit`. `dist` is resized to node_count().
    void shortest_paths(const std::vector<std::pair<std::uint32_t, double>>& sources, double limit,
                        std::vector<double>& dist) const;
    /// The same Dijkstra with memory and time proportional to the nodes it reaches, not to the
    /// graph: `reached` gets (node, distance) for every node within `limit`, in the order they
    /// are settled (the distances are bit-identical to shortest_paths'). `scratch` is a work
    /// array (all +inf between calls; resized on first use): one per thread.
    void shortest_paths_within(const std::vector<std::pair<std::uint32_t, double>>& sources, double limit,
                               std::vector<std::pair<std::uint32_t, double>>& reached,
                               std::vector<double>& scratch) const;

private:
    std::vector<Vec2> m_pos;
    std::vector<std::size_t> m_offsets;     ///< CSR over nodes
    std::vector<std::uint32_t> m_targets;
    std::vector<double> m_lengths;
    SpatialIndex m_index;                   ///< over node positions
};

}  // namespace hq::plan
