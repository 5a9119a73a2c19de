#include "app/carto/labels.hpp"

#include <algorithm>
#include <numeric>

namespace hq::carto {
namespace {
bool overlaps(const Box& a, const Box& b) {
    return a.minx < b.maxx && b.minx < a.maxx && a.miny < b.maxy && b.miny < a.maxy;  // touching is fine
}
bool inside(const Box& a, const Box& f) {
    return a.minx >= f.minx && a.maxx <= f.maxx && a.miny >= f.miny && a.maxy <= f.maxy;
}
}  // namespace

std::vector<int> place_labels(const std::vector<std::vector<Box>>& candidates, const std::vector<int>& priority,
                              const Box& frame, const std::vector<Box>& obstacles) {
    const std::size_t n = candidates.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const int pa = a < priority.size() ? priority[a] : 0, pb = b < priority.size() ? priority[b] : 0;
        return pa > pb;
    });
    std::vector<int> chosen(n, -1);
    std::vector<Box> placed;
    for (std::size_t i : order) {
        for (std::size_t c = 0; c < candidates[i].size(); ++c) {
            const Box& b = candidates[i][c];
            if (!inside(b, frame)) continue;
            const auto hit = [&](const Box& o) { return overlaps(b, o); };
            if (std::any_of(placed.begin(), placed.end(), hit) || std::any_of(obstacles.begin(), obstacles.end(), hit))
                continue;
            chosen[i] = static_cast<int>(c);
            placed.push_back(b);
            break;
        }
    }
    return chosen;
}

}  // namespace hq::carto
