// The measure tool's geometry: lengths, the shoelace area, click handling, formatting.
#include "app/view/measure.hpp"

#include <cmath>
#include <cstdio>

namespace hq::view {

double polyline_length(const std::vector<Vec2>& points, bool closed) {
    double len = 0;
    for (std::size_t i = 1; i < points.size(); ++i)
        len += std::hypot(points[i].x - points[i - 1].x, points[i].y - points[i - 1].y);
    if (closed && points.size() >= 3)
        len += std::hypot(points.front().x - points.back().x, points.front().y - points.back().y);
    return len;
}

double ring_area(const std::vector<Vec2>& points) {
    // An open ring is fine: signed_ring_area works relative to the first vertex, so the
    // closing edge adds nothing.
    return std::abs(signed_ring_area(points));
}

bool measure_click(MeasureState& m, Vec2 world, double snap) {
    if (m.closed) {
        m.points.clear();
        m.closed = false;
    }
    if (m.points.size() >= 3 && std::hypot(world.x - m.points.front().x, world.y - m.points.front().y) <= snap) {
        m.closed = true;
        return true;
    }
    m.points.push_back(world);
    return false;
}

std::string format_distance(double metres) {
    char buf[64];
    if (!std::isfinite(metres)) return "—";
    if (metres >= 1000) std::snprintf(buf, sizeof buf, "%.2f km", metres / 1000);
    else if (metres >= 100) std::snprintf(buf, sizeof buf, "%.0f m", metres);
    else std::snprintf(buf, sizeof buf, "%.1f m", metres);
    return buf;
}

std::string format_area(double a) {
    char buf[96];
    if (!std::isfinite(a)) return "—";
    if (a >= 1e6) std::snprintf(buf, sizeof buf, "%.3f km² (%.1f ha)", a / 1e6, a / 1e4);
    else if (a >= 1e4) std::snprintf(buf, sizeof buf, "%.2f ha (%.0f m²)", a / 1e4, a);
    else std::snprintf(buf, sizeof buf, "%.0f m² (%.3f ha)", a, a / 1e4);
    return buf;
}

}  // namespace hq::view
