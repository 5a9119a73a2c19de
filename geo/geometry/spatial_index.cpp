#include "geo/geometry/spatial_index.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <queue>

namespace hq {

SpatialIndex::SpatialIndex(const std::vector<Box>& boxes, int node_capacity) : m_boxes(boxes) {
    const std::size_t cap = static_cast<std::size_t>(std::max(2, node_capacity));
    std::vector<std::uint32_t> ids;
    ids.reserve(boxes.size());
    for (std::uint32_t i = 0; i < boxes.size(); ++i)
        if (!boxes[i].empty()) ids.push_back(i);
    m_item_count = ids.size();
    if (ids.empty()) return;

    // Sort-Tile-Recursive packing of the leaves.
    auto cx = [&](std::uint32_t i) { return boxes[i].minx + boxes[i].maxx; };
    auto cy = [&](std::uint32_t i) { return boxes[i].miny + boxes[i].maxy; };
    const std::size_t leaf_count = (ids.size() + cap - 1) / cap;
    const auto slices = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(leaf_count))));
    const std::size_t per_slice = slices * cap;
    std::sort(ids.begin(), ids.end(), [&](auto a, auto b) { return cx(a) < cx(b) || (cx(a) == cx(b) && a < b); });
    for (std::size_t s = 0; s < ids.size(); s += per_slice) {
        auto end = ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), s + per_slice));
        std::sort(ids.begin() + static_cast<std::ptrdiff_t>(s), end,
                  [&](auto a, auto b) { return cy(a) < cy(b) || (cy(a) == cy(b) && a < b); });
    }
    m_items = ids;

    std::vector<std::uint32_t> level;  // node indices of the current level
    for (std::size_t i = 0; i < m_items.size(); i += cap) {
        Node n;
        n.leaf = true;
        n.first = static_cast<std::uint32_t>(i);
        n.count = static_cast<std::uint32_t>(std::min(cap, m_items.size() - i));
        for (std::uint32_t k = 0; k < n.count; ++k) n.box.expand(boxes[m_items[i + k]]);
        level.push_back(static_cast<std::uint32_t>(m_nodes.size()));
        m_nodes.push_back(n);
    }
    // Upper levels: children of a node are contiguous in m_nodes.
    while (level.size() > 1) {
        std::vector<std::uint32_t> next;
        for (std::size_t i = 0; i < level.size(); i += cap) {
            Node n;
            n.leaf = false;
            n.first = level[i];
            n.count = static_cast<std::uint32_t>(std::min(cap, level.size() - i));
            for (std::uint32_t k = 0; k < n.count; ++k) n.box.expand(m_nodes[level[i + k]].box);
            next.push_back(static_cast<std::uint32_t>(m_nodes.size()));
            m_nodes.push_back(n);
        }
        level = std::move(next);
    }
}

void SpatialIndex::query(const Box& q, std::vector<std::uint32_t>& out) const {
    if (m_nodes.empty() || q.empty()) return;
    std::uint32_t stack[256];
    int top = 0;
    stack[top++] = static_cast<std::uint32_t>(m_nodes.size() - 1);
    while (top > 0) {
        const Node& n = m_nodes[stack[--top]];
        if (!n.box.intersects(q)) continue;
        if (n.leaf) {
            for (std::uint32_t k = 0; k < n.count; ++k) {
                const std::uint32_t id = m_items[n.first + k];
                if (m_boxes[id].intersects(q)) out.push_back(id);
            }
        } else {
            for (std::uint32_t k = 0; k < n.count; ++k) stack[top++] = n.first + k;
        }
    }
}

namespace {
double box_dist2(const Box& b, Vec2 p) {
    const double dx = std::max({b.minx - p.x, 0.0, p.x - b.maxx});
    const double dy = std::max({b.miny - p.y, 0.0, p.y - b.maxy});
    return dx * dx + dy * dy;
}
}  // namespace

std::vector<std::uint32_t> SpatialIndex::nearest(Vec2 p, std::size_t k, std::int64_t exclude) const {
    std::vector<std::uint32_t> out;
    if (m_nodes.empty() || k == 0) return out;
    // Best-first search; entries are (distance², is_item, id). Ties: nodes before items,
    // items by id, so results are deterministic.
    struct Entry {
        double d2;
        bool item;
        std::uint32_t id;
        bool operator>(const Entry& o) const {
            if (d2 != o.d2) return d2 > o.d2;
            if (item != o.item) return item && !o.item;
            return id > o.id;
        }
    };
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> pq;
    pq.push({0.0, false, static_cast<std::uint32_t>(m_nodes.size() - 1)});
    while (!pq.empty() && out.size() < k) {
        const Entry e = pq.top();
        pq.pop();
        if (e.item) {
            out.push_back(e.id);
            continue;
        }
        const Node& n = m_nodes[e.id];
        if (n.leaf) {
            for (std::uint32_t j = 0; j < n.count; ++j) {
                const std::uint32_t id = m_items[n.first + j];
                if (static_cast<std::int64_t>(id) == exclude) continue;
                pq.push({box_dist2(m_boxes[id], p), true, id});
            }
        } else {
            for (std::uint32_t j = 0; j < n.count; ++j)
                pq.push({box_dist2(m_nodes[n.first + j].box, p), false, n.first + j});
        }
    }
    return out;
}

}  // namespace hq
