#pragma once
// Pixel checks on rendered pages: which share of a unit's polygon shows a colour.
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <vector>

#include "app/export/render.hpp"
#include "geo/geometry/types.hpp"

namespace hq::test {

/// Share of the pixels inside a unit's polygon (mapped to pixels by `to_px`) within 6 of rgb.
inline double fraction_of_color(const exporter::Image& img, const std::function<Vec2(Vec2)>& to_px, const Geometry& g, int r,
                         int gg, int b) {
    std::vector<Vec2> ring;
    for (const auto& p : g.polygons.at(0).rings.at(0)) ring.push_back(to_px(p));
    Box bb;
    for (const auto& p : ring) bb.expand(p);
    std::size_t inside = 0, hit = 0;
    for (int y = static_cast<int>(bb.miny) + 1; y < static_cast<int>(bb.maxy); ++y)
        for (int x = static_cast<int>(bb.minx) + 1; x < static_cast<int>(bb.maxx); ++x) {
            const double px = x + 0.5, py = y + 0.5;
            bool in = false;
            for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++)
                if ((ring[i].y > py) != (ring[j].y > py) &&
                    px < (ring[j].x - ring[i].x) * (py - ring[i].y) / (ring[j].y - ring[i].y) + ring[i].x)
                    in = !in;
            if (!in) continue;
            ++inside;
            const std::uint8_t* q8 = img.at(x, y);
            if (std::abs(q8[0] - r) <= 6 && std::abs(q8[1] - gg) <= 6 && std::abs(q8[2] - b) <= 6) ++hit;
        }
    return inside ? static_cast<double>(hit) / static_cast<double>(inside) : 0.0;
}

}  // namespace hq::test
