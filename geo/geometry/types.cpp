#include "geo/geometry/types.hpp"

#include <cmath>

namespace hq {

const char* geom_type_name(GeomType t) {
    switch (t) {
        case GeomType::None: return "None";
        case GeomType::Point: return "Point";
        case GeomType::MultiPoint: return "MultiPoint";
        case GeomType::LineString: return "LineString";
        case GeomType::MultiLineString: return "MultiLineString";
        case GeomType::Polygon: return "Polygon";
        case GeomType::MultiPolygon: return "MultiPolygon";
    }
    return "?";
}

Box Geometry::bounds() const {
    Box b;
    for_each_vertex([&b](const Vec2& p) { b.expand(p); });
    return b;
}

std::size_t Geometry::vertex_count() const {
    std::size_t n = 0;
    for_each_vertex([&n](const Vec2&) { ++n; });
    return n;
}

Geometry Geometry::point(Vec2 p) {
    Geometry g;
    g.type = GeomType::Point;
    g.points.push_back(p);
    return g;
}

Geometry Geometry::polygon(Ring exterior) {
    Geometry g;
    g.type = GeomType::Polygon;
    if (!exterior.empty() && !(exterior.front() == exterior.back())) exterior.push_back(exterior.front());
    g.polygons.push_back(Polygon{{std::move(exterior)}});
    return g;
}

double signed_ring_area(const Ring& r) {
    if (r.size() < 3) return 0.0;
    // Shifted to the first vertex to keep precision with large projected coordinates.
    const Vec2 o = r.front();
    double s = 0.0;
    for (std::size_t i = 0; i + 1 < r.size(); ++i) {
        const double x0 = r[i].x - o.x, y0 = r[i].y - o.y;
        const double x1 = r[i + 1].x - o.x, y1 = r[i + 1].y - o.y;
        s += x0 * y1 - x1 * y0;
    }
    return 0.5 * s;
}

double planar_area(const Geometry& g) {
    double a = 0.0;
    for (const auto& poly : g.polygons) {
        for (std::size_t i = 0; i < poly.rings.size(); ++i) {
            const double ra = std::abs(signed_ring_area(poly.rings[i]));
            a += (i == 0) ? ra : -ra;
        }
    }
    return a;
}

}  // namespace hq
