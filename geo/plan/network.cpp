#include "geo/plan/network.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>
#include <unordered_map>

namespace hq::plan {

namespace {

double dist(Vec2 a, Vec2 b) { return std::hypot(a.x - b.x, a.y - b.y); }

/// Distance from p to segment ab and the parameter t of the closest point.
double segment_distance(Vec2 p, Vec2 a, Vec2 b, double& t) {
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double len2 = dx * dx + dy * dy;
    t = len2 > 0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0.0, 1.0) : 0.0;
    return dist(p, {a.x + t * dx, a.y + t * dy});
}

struct CellKey {
    std::int64_t x, y;
    bool operator==(const CellKey&) const = default;
};
struct CellHash {
    std::size_t operator()(const CellKey& k) const noexcept {
        return std::hash<std::int64_t>()(k.x * 73856093 ^ k.y * 19349663);
    }
};

}  // namespace

StreetGraph::StreetGraph(const std::vector<Geometry>& lines, double snap) {
    const double cell = std::max(snap, 1e-9);
    std::unordered_map<CellKey, std::vector<std::uint32_t>, CellHash> grid;
    auto node_for = [&](Vec2 p) -> std::uint32_t {
        const auto cx = static_cast<std::int64_t>(std::floor(p.x / cell));
        const auto cy = static_cast<std::int64_t>(std::floor(p.y / cell));
        std::int64_t best = -1;
        double best_d = snap;
        for (std::int64_t ix = cx - 1; ix <= cx + 1; ++ix)
            for (std::int64_t iy = cy - 1; iy <= cy + 1; ++iy) {
                auto it = grid.find({ix, iy});
                if (it == grid.end()) continue;
                for (std::uint32_t n : it->second) {
                    const double d = dist(m_pos[n], p);
                    if (d <= best_d && (best < 0 || d < best_d || n < best)) {
                        best = n;
                        best_d = d;
                    }
                }
            }
        if (best >= 0) return static_cast<std::uint32_t>(best);
        const auto id = static_cast<std::uint32_t>(m_pos.size());
        m_pos.push_back(p);
        grid[{cx, cy}].push_back(id);
        return id;
    };

    // Segments as node pairs; line end nodes remembered for T-junction splitting.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> segs;
    std::vector<std::uint32_t> ends;
    for (const Geometry& g : lines) {
        if (!g.is_line()) continue;
        for (const Path& path : g.lines) {
            if (path.size() < 2) continue;
            std::uint32_t prev = node_for(path.front());
            ends.push_back(prev);
            for (std::size_t k = 1; k < path.size(); ++k) {
                const std::uint32_t cur = node_for(path[k]);
                if (cur != prev) segs.emplace_back(prev, cur);
                prev = cur;
            }
            ends.push_back(prev);
        }
    }
    std::sort(ends.begin(), ends.end());
    ends.erase(std::unique(ends.begin(), ends.end()), ends.end());

    // T-junctions: an end node within `snap` of the inside of another segment splits it.
    std::vector<Box> seg_boxes;
    seg_boxes.reserve(segs.size());
    for (const auto& [a, b] : segs) {
        Box bx;
        bx.expand(m_pos[a]);
        bx.expand(m_pos[b]);
        seg_boxes.push_back(bx);
    }
    const SpatialIndex seg_index(seg_boxes);
    std::vector<std::vector<std::pair<double, std::uint32_t>>> splits(segs.size());
    for (std::uint32_t e : ends) {
        Box q;
        q.expand(m_pos[e]);
        for (std::uint32_t s : seg_index.query(q.inflated(snap))) {
            const auto [a, b] = segs[s];
            if (a == e || b == e) continue;
            double t = 0;
            if (segment_distance(m_pos[e], m_pos[a], m_pos[b], t) <= snap && t > 0.0 && t < 1.0)
                splits[s].emplace_back(t, e);
        }
    }

    std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
    for (std::size_t s = 0; s < segs.size(); ++s) {
        auto& sp = splits[s];
        std::sort(sp.begin(), sp.end());
        std::uint32_t prev = segs[s].first;
        for (const auto& [t, n] : sp) {
            if (n != prev) edges.emplace_back(prev, n);
            prev = n;
        }
        if (prev != segs[s].second) edges.emplace_back(prev, segs[s].second);
    }
    for (auto& e : edges)
        if (e.first > e.second) std::swap(e.first, e.second);
    std::sort(edges.begin(), edges.end());
    edges.erase(std::unique(edges.begin(), edges.end()), edges.end());

    const std::size_t n = m_pos.size();
    m_offsets.assign(n + 1, 0);
    for (const auto& [a, b] : edges) {
        ++m_offsets[a + 1];
        ++m_offsets[b + 1];
    }
    for (std::size_t i = 0; i < n; ++i) m_offsets[i + 1] += m_offsets[i];
    m_targets.resize(m_offsets[n]);
    m_lengths.resize(m_offsets[n]);
    std::vector<std::size_t> fill(m_offsets.begin(), m_offsets.end() - 1);
    for (const auto& [a, b] : edges) {
        const double len = dist(m_pos[a], m_pos[b]);
        m_targets[fill[a]] = b;
        m_lengths[fill[a]++] = len;
        m_targets[fill[b]] = a;
        m_lengths[fill[b]++] = len;
    }
    std::vector<Box> node_boxes(n);
    for (std::size_t i = 0; i < n; ++i) node_boxes[i].expand(m_pos[i]);
    m_index = SpatialIndex(node_boxes);
}

std::int64_t StreetGraph::nearest_node(Vec2 p) const {
    if (m_pos.empty()) return -1;
    const auto r = m_index.nearest(p, 1);
    return r.empty() ? -1 : static_cast<std::int64_t>(r.front());
}

void StreetGraph::shortest_paths(const std::vector<std::pair<std::uint32_t, double>>& sources, double limit,
                                 std::vector<double>& d) const {
    const double inf = std::numeric_limits<double>::infinity();
    d.assign(m_pos.size(), inf);
    using Item = std::pair<double, std::uint32_t>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
    for (const auto& [s, c] : sources) {
        if (s < d.size() && c <= limit && c < d[s]) {
            d[s] = c;
            heap.emplace(c, s);
        }
    }
    while (!heap.empty()) {
        const auto [du, u] = heap.top();
        heap.pop();
        if (du > d[u]) continue;
        for (std::size_t k = m_offsets[u]; k < m_offsets[u + 1]; ++k) {
            const std::uint32_t v = m_targets[k];
            const double nd = du + m_lengths[k];
            if (nd <= limit && nd < d[v]) {
                d[v] = nd;
                heap.emplace(nd, v);
            }
        }
    }
}

void StreetGraph::shortest_paths_within(const std::vector<std::pair<std::uint32_t, double>>& sources,
                                        double limit, std::vector<std::pair<std::uint32_t, double>>& reached,
                                        std::vector<double>& d) const {
    const double inf = std::numeric_limits<double>::infinity();
    if (d.size() < m_pos.size()) d.resize(m_pos.size(), inf);
    reached.clear();
    std::vector<std::uint32_t> touched;
    using Item = std::pair<double, std::uint32_t>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
    auto lower = [&](std::uint32_t v, double c) {
        if (d[v] == inf) touched.push_back(v);
        d[v] = c;
        heap.emplace(c, v);
    };
    for (const auto& [s, c] : sources)
        if (s < m_pos.size() && c <= limit && c < d[s]) lower(s, c);
    while (!heap.empty()) {
        const auto [du, u] = heap.top();
        heap.pop();
        if (du > d[u]) continue;
        reached.emplace_back(u, du);
        for (std::size_t k = m_offsets[u]; k < m_offsets[u + 1]; ++k) {
            const std::uint32_t v = m_targets[k];
            const double nd = du + m_lengths[k];
            if (nd <= limit && nd < d[v]) lower(v, nd);
        }
    }
    for (std::uint32_t v : touched) d[v] = inf;  // the scratch is all +inf again
}

}  // namespace hq::plan
