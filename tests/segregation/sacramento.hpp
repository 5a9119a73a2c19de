#pragma once
// The Sacramento tracts (libpysal "Sacramento1", 403 tracts, Census 2000) read straight
// from the shared GeoJSON with nlohmann::json, so these tests do not depend on the I/O
// layer. Counts come from the feature properties; centroids are area-weighted polygon
// centroids (holes subtracted, all parts of a MultiPolygon), as shapely computes them.
#include <cmath>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "geo/geometry/types.hpp"
#include "geo/stats/segregation.hpp"
#include "tests/test_support.hpp"

namespace hq::test {

struct Sacramento {
    std::vector<nlohmann::json> properties;
    std::vector<Vec2> centroids;
    std::vector<double> areas;  ///< planar polygon areas, holes subtracted
    std::vector<Geometry> geometries;

    [[nodiscard]] std::vector<double> column(const std::string& name) const {
        std::vector<double> v;
        v.reserve(properties.size());
        for (const auto& p : properties) v.push_back(p.at(name).get<double>());
        return v;
    }
    [[nodiscard]] seg::GroupCounts group(const std::string& g, const std::string& t) const {
        seg::GroupCounts c;
        c.group = column(g);
        c.total = column(t);
        c.group_name = g;
        c.total_name = t;
        return c;
    }
    [[nodiscard]] seg::CountMatrix matrix(const std::vector<std::string>& groups) const {
        seg::CountMatrix m;
        m.units = properties.size();
        m.groups = groups.size();
        m.names = groups;
        m.data.resize(m.units * m.groups);
        for (std::size_t i = 0; i < m.units; ++i)
            for (std::size_t k = 0; k < m.groups; ++k) m.data[i * m.groups + k] = properties[i].at(groups[k]).get<double>();
        return m;
    }
};

namespace detail {

// Accumulates Σ A and Σ A·c over the triangles (origin, p_j, p_j+1) of a ring, relative to a
// local origin for precision.
inline void ring_moments(const nlohmann::json& ring, Vec2 origin, double& a, double& cx, double& cy) {
    for (std::size_t j = 0; j + 1 < ring.size(); ++j) {
        const double x0 = ring[j][0].get<double>() - origin.x;
        const double y0 = ring[j][1].get<double>() - origin.y;
        const double x1 = ring[j + 1][0].get<double>() - origin.x;
        const double y1 = ring[j + 1][1].get<double>() - origin.y;
        const double cross = x0 * y1 - x1 * y0;
        a += cross / 2.0;
        cx += (x0 + x1) * cross / 6.0;
        cy += (y0 + y1) * cross / 6.0;
    }
}

inline std::pair<Vec2, double> polygon_centroid_area(const nlohmann::json& geometry) {
    std::vector<nlohmann::json> polys;
    if (geometry.at("type") == "Polygon")
        polys.push_back(geometry.at("coordinates"));
    else
        for (const auto& p : geometry.at("coordinates")) polys.push_back(p);
    const Vec2 origin{polys[0][0][0][0].get<double>(), polys[0][0][0][1].get<double>()};
    double a = 0.0;
    double cx = 0.0;
    double cy = 0.0;
    for (const auto& poly : polys) {
        for (std::size_t r = 0; r < poly.size(); ++r) {
            double ra = 0.0;
            double rx = 0.0;
            double ry = 0.0;
            ring_moments(poly[r], origin, ra, rx, ry);
            // exterior counts positive, holes negative, whatever the orientation
            const double sign = ((r == 0) == (ra > 0.0)) ? 1.0 : -1.0;
            a += sign * ra;
            cx += sign * rx;
            cy += sign * ry;
        }
    }
    return {{origin.x + cx / a, origin.y + cy / a}, a};
}

inline Geometry to_geometry(const nlohmann::json& geometry) {
    Geometry g;
    std::vector<nlohmann::json> polys;
    if (geometry.at("type") == "Polygon") {
        g.type = GeomType::Polygon;
        polys.push_back(geometry.at("coordinates"));
    } else {
        g.type = GeomType::MultiPolygon;
        for (const auto& p : geometry.at("coordinates")) polys.push_back(p);
    }
    for (const auto& poly : polys) {
        Polygon out;
        for (const auto& ring : poly) {
            Ring r;
            for (const auto& v : ring) r.push_back({v[0].get<double>(), v[1].get<double>()});
            out.rings.push_back(std::move(r));
        }
        g.polygons.push_back(std::move(out));
    }
    return g;
}

}  // namespace detail

inline Sacramento load_sacramento(const std::string& file) {
    Sacramento out;
    const std::string path = shared_data("segregation/" + file);
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    const auto doc = nlohmann::json::parse(in);
    for (const auto& f : doc.at("features")) {
        out.properties.push_back(f.at("properties"));
        const auto [c, a] = detail::polygon_centroid_area(f.at("geometry"));
        out.centroids.push_back(c);
        out.areas.push_back(a);
        out.geometries.push_back(detail::to_geometry(f.at("geometry")));
    }
    return out;
}

/// UTM 10N (metres), as PySAL's tests after `to_crs(estimate_utm_crs())`.
inline const Sacramento& sacramento() {
    static const Sacramento s = load_sacramento("sacramento_tracts_2000_epsg32610.geojson");
    return s;
}

/// Longitude/latitude (degrees), as PySAL's tests that use sacramentot2.shp unprojected.
inline const Sacramento& sacramento_lonlat() {
    static const Sacramento s = load_sacramento("sacramento_tracts_2000_4326.geojson");
    return s;
}

}  // namespace hq::test
