#include "geo/weights/lisa_weights.hpp"

#include <algorithm>
#include <cmath>

#include "geo/geometry/ops.hpp"
#include "geo/weights/distance.hpp"

namespace hq {

std::string LisaWeights::note_en() const {
    if (!nearest) return {};
    const std::string why = points ? "the units are not polygons"
                                   : std::to_string(contiguity_islands) + " units have no contiguity neighbour";
    return std::to_string(k) + " nearest neighbours (" + why + ")";
}

std::string LisaWeights::note_zh() const {
    if (!nearest) return {};
    const std::string why = points ? "单元不是多边形" : std::to_string(contiguity_islands) + "个单元无相邻单元";
    return std::to_string(k) + "近邻（" + why + "）";
}

LisaWeights lisa_weights(const std::vector<Geometry>& units, const ContiguityOptions& contiguity,
                         const Progress& progress) {
    LisaWeights r;
    const std::size_t n = units.size();
    r.points = !std::all_of(units.begin(), units.end(), [](const Geometry& g) { return g.empty() || g.is_polygonal(); });
    if (!r.points) {
        r.weights = contiguity_weights(units, contiguity, progress);
        r.contiguity_islands = r.weights.islands().size();
        if (4 * r.contiguity_islands <= n) return r;
    } else {
        r.contiguity_islands = n;
    }
    // The fallback: k nearest among the units that have a location.
    std::vector<std::uint32_t> located;
    std::vector<Vec2> pts;
    for (std::size_t i = 0; i < n; ++i) {
        const Geometry& g = units[i];
        if (g.empty()) continue;
        Vec2 p{};
        if (g.is_point() && !g.points.empty()) {
            p = g.points.front();
        } else {
            try {
                p = point_on_surface(g);
            } catch (const std::exception&) {
                p = g.bounds().center();
            }
        }
        if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
        located.push_back(static_cast<std::uint32_t>(i));
        pts.push_back(p);
    }
    r.nearest = true;
    std::vector<std::vector<std::uint32_t>> lists(n);
    if (pts.size() >= 2) {
        r.k = std::min(k_lisa_fallback_neighbours, pts.size() - 1);
        const Weights w = knn_weights(pts, r.k, progress);
        for (std::size_t a = 0; a < located.size(); ++a)
            for (std::size_t e = w.offsets[a]; e < w.offsets[a + 1]; ++e) lists[located[a]].push_back(located[w.neighbours[e]]);
    }
    r.weights = Weights::from_lists(std::move(lists));
    return r;
}

}  // namespace hq
