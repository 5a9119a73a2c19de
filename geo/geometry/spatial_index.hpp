#pragma once
// A static packed R-tree (Sort-Tile-Recursive, Leutenegger et al. 1997) over boxes.
// Built once, then queried read-only from any number of threads.
#include <cstdint>
#include <vector>

#include "geo/geometry/types.hpp"

namespace hq {

class SpatialIndex {
public:
    SpatialIndex() = default;
    /// Item i is boxes[i]; empty boxes are never returned.
    explicit SpatialIndex(const std::vector<Box>& boxes, int node_capacity = 16);

    /// Appends to `out` the ids of items whose box intersects `query` (order unspecified).
    void query(const Box& query, std::vector<std::uint32_t>& out) const;
    [[nodiscard]] std::vector<std::uint32_t> query(const Box& query) const {
        std::vector<std::uint32_t> out;
        this->query(query, out);
        return out;
    }
    /// The k items whose boxes are nearest to p (box distance; exact for point items),
    /// nearest first, ties by id. Excludes `exclude` if given (>= 0).
    [[nodiscard]] std::vector<std::uint32_t> nearest(Vec2 p, std::size_t k, std::int64_t exclude = -1) const;

    [[nodiscard]] std::size_t size() const { return m_item_count; }

private:
    struct Node {
        Box box;
        std::uint32_t first = 0;  ///< first child node, or first item slot for leaves
        std::uint32_t count = 0;
        bool leaf = false;
    };
    std::vector<Node> m_nodes;          ///< root is the last node
    std::vector<std::uint32_t> m_items; ///< item ids in leaf order
    std::vector<Box> m_boxes;           ///< by item id
    std::size_t m_item_count = 0;
};

}  // namespace hq
