#pragma once
// Plain value types for geometry. Heavy libraries (GEOS, GDAL) are used only inside
// operations (geo/geometry/ops.hpp); everything else passes these around.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

namespace hq {

struct Vec2 {
    double x = 0.0;
    double y = 0.0;
    friend bool operator==(const Vec2&, const Vec2&) = default;
};

/// Axis-aligned bounding box; empty when min > max.
struct Box {
    double minx = std::numeric_limits<double>::infinity();
    double miny = std::numeric_limits<double>::infinity();
    double maxx = -std::numeric_limits<double>::infinity();
    double maxy = -std::numeric_limits<double>::infinity();

    [[nodiscard]] bool empty() const { return minx > maxx || miny > maxy; }
    void expand(Vec2 p) {
        minx = std::min(minx, p.x);
        miny = std::min(miny, p.y);
        maxx = std::max(maxx, p.x);
        maxy = std::max(maxy, p.y);
    }
    void expand(const Box& b) {
        minx = std::min(minx, b.minx);
        miny = std::min(miny, b.miny);
        maxx = std::max(maxx, b.maxx);
        maxy = std::max(maxy, b.maxy);
    }
    [[nodiscard]] bool intersects(const Box& b) const {
        return !(b.minx > maxx || b.maxx < minx || b.miny > maxy || b.maxy < miny);
    }
    [[nodiscard]] bool contains(Vec2 p) const {
        return p.x >= minx && p.x <= maxx && p.y >= miny && p.y <= maxy;
    }
    [[nodiscard]] Box inflated(double d) const { return {minx - d, miny - d, maxx + d, maxy + d}; }
    [[nodiscard]] double width() const { return maxx - minx; }
    [[nodiscard]] double height() const { return maxy - miny; }
    [[nodiscard]] Vec2 center() const { return {(minx + maxx) / 2, (miny + maxy) / 2}; }
};

/// A ring of a polygon, closed (front() == back()) as in OGC simple features.
using Ring = std::vector<Vec2>;
/// A line string (open).
using Path = std::vector<Vec2>;

struct Polygon {
    std::vector<Ring> rings;  ///< rings[0] is the exterior ring; the rest are holes
};

enum class GeomType : std::uint8_t {
    None,
    Point,
    MultiPoint,
    LineString,
    MultiLineString,
    Polygon,
    MultiPolygon,
};

const char* geom_type_name(GeomType t);

/// One feature's geometry. Exactly one of points / lines / polygons is used, by type.
struct Geometry {
    GeomType type = GeomType::None;
    std::vector<Vec2> points;       ///< Point (one), MultiPoint
    std::vector<Path> lines;        ///< LineString (one), MultiLineString
    std::vector<Polygon> polygons;  ///< Polygon (one), MultiPolygon

    [[nodiscard]] bool empty() const { return points.empty() && lines.empty() && polygons.empty(); }
    [[nodiscard]] bool is_point() const { return type == GeomType::Point || type == GeomType::MultiPoint; }
    [[nodiscard]] bool is_line() const {
        return type == GeomType::LineString || type == GeomType::MultiLineString;
    }
    [[nodiscard]] bool is_polygonal() const {
        return type == GeomType::Polygon || type == GeomType::MultiPolygon;
    }
    [[nodiscard]] Box bounds() const;
    [[nodiscard]] std::size_t vertex_count() const;

    /// Applies f(Vec2&) to every coordinate.
    template <class F>
    void for_each_vertex(F&& f) {
        for (auto& p : points) f(p);
        for (auto& l : lines)
            for (auto& p : l) f(p);
        for (auto& poly : polygons)
            for (auto& r : poly.rings)
                for (auto& p : r) f(p);
    }
    template <class F>
    void for_each_vertex(F&& f) const {
        for (const auto& p : points) f(p);
        for (const auto& l : lines)
            for (const auto& p : l) f(p);
        for (const auto& poly : polygons)
            for (const auto& r : poly.rings)
                for (const auto& p : r) f(p);
    }

    static Geometry point(Vec2 p);
    static Geometry polygon(Ring exterior);
};

/// Shoelace area of a closed ring; positive when counter-clockwise.
double signed_ring_area(const Ring& r);
/// Planar area of a polygonal geometry (holes subtracted), in the units of its coordinates.
double planar_area(const Geometry& g);

}  // namespace hq
