#include "app/view/lod.hpp"

#include <algorithm>

namespace hq::view {

std::vector<double> lod_tolerances(const Box& extent, int levels) {
    std::vector<double> out;
    if (extent.empty()) return out;
    const double span = std::max(extent.width(), extent.height());
    if (!(span > 0)) return out;
    double t = span / 1000.0;
    for (int i = 0; i < levels; ++i, t /= 4.0) out.push_back(t);
    return out;
}

int choose_lod(const std::vector<double>& tolerances, double scale, double max_px) {
    if (!(scale > 0)) return tolerances.empty() ? -1 : 0;
    for (std::size_t i = 0; i < tolerances.size(); ++i)
        if (tolerances[i] * scale <= max_px) return static_cast<int>(i);
    return -1;
}

}  // namespace hq::view
