#include "geo/geometry/ops.hpp"

#include <limits>
#include <stdexcept>

#include "geo/geometry/geos.hpp"

namespace hq {

namespace {

using geos::context;
using geos::GeomPtr;
using geos::to_geos;

[[noreturn]] void fail(const char* op) {
    const std::string e = geos::last_error();
    throw geos::Error(std::string("GEOS ") + op + " failed" + (e.empty() ? "" : ": " + e));
}

GeomPtr checked(GEOSGeometry* g, const char* op) {
    if (!g) fail(op);
    return GeomPtr(g);
}

bool predicate(char r, const char* op) {
    if (r == 2) fail(op);
    return r == 1;
}

}  // namespace

Validity check_validity(const Geometry& g) {
    if (g.empty()) return {};
    GeomPtr gg;
    try {
        gg = to_geos(g);
    } catch (const std::exception& e) {
        return {false, e.what()};
    }
    char* reason = GEOSisValidReason_r(context(), gg.get());
    Validity v;
    if (reason) {
        v.reason = reason;
        GEOSFree_r(context(), reason);
    }
    v.valid = (v.reason == "Valid Geometry");
    if (v.valid) v.reason.clear();
    return v;
}

Geometry make_valid(const Geometry& g) {
    GeomPtr gg = to_geos(g);
    GeomPtr fixed = checked(GEOSMakeValid_r(context(), gg.get()), "MakeValid");
    Geometry out = geos::from_geos(fixed.get());
    if (g.is_polygonal() && out.is_polygonal()) {
        // Keep the declared single/multi type when it still fits.
        if (g.type == GeomType::MultiPolygon) out.type = GeomType::MultiPolygon;
    }
    return out;
}

double area(const Geometry& g) {
    if (g.polygons.empty()) return 0.0;
    return planar_area(g);
}

double length(const Geometry& g) {
    if (g.empty()) return 0.0;
    GeomPtr gg = to_geos(g);
    double l = 0.0;
    if (!GEOSLength_r(context(), gg.get(), &l)) fail("Length");
    return l;
}

Vec2 centroid(const Geometry& g) {
    if (g.type == GeomType::Point && g.points.size() == 1) return g.points[0];
    GeomPtr gg = to_geos(g);
    GeomPtr c = checked(GEOSGetCentroid_r(context(), gg.get()), "Centroid");
    double x = 0, y = 0;
    if (GEOSisEmpty_r(context(), c.get())) return g.bounds().center();
    GEOSGeomGetX_r(context(), c.get(), &x);
    GEOSGeomGetY_r(context(), c.get(), &y);
    return {x, y};
}

Vec2 point_on_surface(const Geometry& g) {
    if (g.type == GeomType::Point && g.points.size() == 1) return g.points[0];
    GeomPtr gg = to_geos(g);
    GeomPtr c = checked(GEOSPointOnSurface_r(context(), gg.get()), "PointOnSurface");
    if (GEOSisEmpty_r(context(), c.get())) return g.bounds().center();
    double x = 0, y = 0;
    GEOSGeomGetX_r(context(), c.get(), &x);
    GEOSGeomGetY_r(context(), c.get(), &y);
    return {x, y};
}

Vec2 representative_point(const Geometry& g) {
    if (g.is_point() && !g.points.empty()) return g.points.front();
    if (g.empty()) return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
    if (g.is_polygonal()) {
        try {
            return point_on_surface(g);
        } catch (const std::exception&) {
            return g.bounds().center();
        }
    }
    return centroid(g);
}

bool contains(const Geometry& a, const Geometry& b) {
    GeomPtr ga = to_geos(a), gb = to_geos(b);
    return predicate(GEOSContains_r(context(), ga.get(), gb.get()), "Contains");
}

bool covers(const Geometry& a, const Geometry& b) {
    GeomPtr ga = to_geos(a), gb = to_geos(b);
    return predicate(GEOSCovers_r(context(), ga.get(), gb.get()), "Covers");
}

bool intersects(const Geometry& a, const Geometry& b) {
    GeomPtr ga = to_geos(a), gb = to_geos(b);
    return predicate(GEOSIntersects_r(context(), ga.get(), gb.get()), "Intersects");
}

double distance(const Geometry& a, const Geometry& b) {
    GeomPtr ga = to_geos(a), gb = to_geos(b);
    double d = 0.0;
    if (!GEOSDistance_r(context(), ga.get(), gb.get(), &d)) fail("Distance");
    return d;
}

Geometry intersection(const Geometry& a, const Geometry& b) {
    GeomPtr ga = to_geos(a), gb = to_geos(b);
    GeomPtr r = checked(GEOSIntersection_r(context(), ga.get(), gb.get()), "Intersection");
    return geos::from_geos(r.get());
}

Geometry difference(const Geometry& a, const Geometry& b) {
    GeomPtr ga = to_geos(a), gb = to_geos(b);
    GeomPtr r = checked(GEOSDifference_r(context(), ga.get(), gb.get()), "Difference");
    return geos::from_geos(r.get());
}

Geometry union_all(const std::vector<Geometry>& gs) {
    Geometry all;
    for (const auto& g : gs) {
        all.points.insert(all.points.end(), g.points.begin(), g.points.end());
        all.lines.insert(all.lines.end(), g.lines.begin(), g.lines.end());
        all.polygons.insert(all.polygons.end(), g.polygons.begin(), g.polygons.end());
    }
    if (!all.polygons.empty()) {
        all.points.clear();
        all.lines.clear();
        all.type = GeomType::MultiPolygon;
    } else if (!all.lines.empty()) {
        all.points.clear();
        all.type = GeomType::MultiLineString;
    } else {
        all.type = GeomType::MultiPoint;
    }
    if (all.empty()) return {};
    GeomPtr g = to_geos(all);
    GeomPtr r = checked(GEOSUnaryUnion_r(context(), g.get()), "UnaryUnion");
    return geos::from_geos(r.get());
}

Geometry buffer(const Geometry& g, double d, int quadrant_segments) {
    GeomPtr gg = to_geos(g);
    GeomPtr r = checked(GEOSBuffer_r(context(), gg.get(), d, quadrant_segments), "Buffer");
    return geos::from_geos(r.get());
}

Geometry simplify(const Geometry& g, double tolerance) {
    GeomPtr gg = to_geos(g);
    GeomPtr r = checked(GEOSTopologyPreserveSimplify_r(context(), gg.get(), tolerance), "Simplify");
    Geometry out = geos::from_geos(r.get());
    if (out.empty()) return g;
    return out;
}

bool point_in_polygon(const Geometry& polygonal, Vec2 p) {
    bool inside = false;
    for (const auto& poly : polygonal.polygons) {
        for (const auto& ring : poly.rings) {
            const std::size_t n = ring.size();
            for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
                const Vec2& a = ring[i];
                const Vec2& b = ring[j];
                if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x)
                    inside = !inside;
            }
        }
    }
    return inside;
}

}  // namespace hq
