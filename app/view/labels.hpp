#pragma once
// Label placement: greedy overlap culling by priority. Header-only, no GL or ImGui.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <unordered_map>
#include <vector>

namespace hq::view {

/// A label's screen rectangle (pixels, y down) and its priority (higher wins).
struct LabelBox {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    int priority = 0;
};

inline bool boxes_overlap(const LabelBox& a, const LabelBox& b) {
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/// Indices of the labels to draw: by priority (ties: input order), a label is kept when it
/// overlaps no label kept before it. A uniform grid of `cell` pixels finds candidates.
inline std::vector<std::size_t> cull_overlapping(const std::vector<LabelBox>& boxes, float cell = 64.0f) {
    std::vector<std::size_t> order(boxes.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return boxes[a].priority > boxes[b].priority; });
    std::unordered_map<std::int64_t, std::vector<std::size_t>> grid;
    auto key = [](std::int64_t cx, std::int64_t cy) { return (cx << 32) ^ (cy & 0xffffffff); };
    std::vector<std::size_t> kept;
    for (std::size_t i : order) {
        const LabelBox& b = boxes[i];
        if (!(b.x1 > b.x0) || !(b.y1 > b.y0)) continue;
        const auto cx0 = static_cast<std::int64_t>(std::floor(b.x0 / cell));
        const auto cx1 = static_cast<std::int64_t>(std::floor(b.x1 / cell));
        const auto cy0 = static_cast<std::int64_t>(std::floor(b.y0 / cell));
        const auto cy1 = static_cast<std::int64_t>(std::floor(b.y1 / cell));
        bool clash = false;
        for (auto cx = cx0; cx <= cx1 && !clash; ++cx)
            for (auto cy = cy0; cy <= cy1 && !clash; ++cy) {
                auto it = grid.find(key(cx, cy));
                if (it == grid.end()) continue;
                for (std::size_t k : it->second)
                    if (boxes_overlap(b, boxes[k])) {
                        clash = true;
                        break;
                    }
            }
        if (clash) continue;
        kept.push_back(i);
        for (auto cx = cx0; cx <= cx1; ++cx)
            for (auto cy = cy0; cy <= cy1; ++cy) grid[key(cx, cy)].push_back(i);
    }
    return kept;
}

}  // namespace hq::view
